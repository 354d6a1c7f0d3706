import { cancelExport } from "./cancel-export.js";
import { createDestination } from "./create-destination.js";
import { createExport } from "./create-export.js";
import type { AnyToolDefinition } from "./define-tool.js";
import { diagnoseExport } from "./diagnose-export.js";
import { exportStatus } from "./export-status.js";
import { getRun } from "./get-run.js";
import { getTrace } from "./get-trace.js";
import { listDestinations } from "./list-destinations.js";
import { listExports } from "./list-exports.js";
import { listDeletions } from "./list-deletions.js";
import { deletionReport } from "./deletion-report.js";
import { listProjects } from "./list-projects.js";
import { queryRuns } from "./query-runs.js";
import { runStats } from "./run-stats.js";
import { listThreadsTool } from "./list-threads.js";
import { queueDeletion } from "./queue-deletion.js";
import { verifyDeletion } from "./verify-deletion.js";
import { rotateDestinationCredentials } from "./rotate-destination-credentials.js";

/** Every tool the server can offer, in the order tools/list shows them. */
export const TOOLS: readonly AnyToolDefinition[] = [
  listProjects,
  queryRuns,
  getRun,
  getTrace,
  runStats,
  listThreadsTool,
  listDestinations,
  createDestination,
  rotateDestinationCredentials,
  createExport,
  listExports,
  exportStatus,
  cancelExport,
  diagnoseExport,
  queueDeletion,
  verifyDeletion,
  listDeletions,
  deletionReport,
];
