import type { AnyToolDefinition } from "./define-tool.js";
import { getRun } from "./get-run.js";
import { getTrace } from "./get-trace.js";
import { listProjects } from "./list-projects.js";
import { queryRuns } from "./query-runs.js";

/** Every tool the server can offer, in the order tools/list shows them. */
export const TOOLS: readonly AnyToolDefinition[] = [listProjects, queryRuns, getRun, getTrace];
