/**
 * get_trace reads only what it shows: a trace of 2,000 runs is read oldest first until the
 * result is full, its totals come from one stats request, and the text says how to see the
 * rest. Runs read are counted where LangSmith answered them (the simulator's request log).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimRun } from "../../src/simulator/model.js";
import { dottedSegment, oneRunTrace } from "../../src/simulator/seed.js";
import { control } from "../../src/simulator/testing.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { nodesOf, runsOf } from "../support/runs.js";
import { textOf } from "../support/stack.js";

const BUDGET = 4_000;
const DAY = 86_400_000;
const CHILDREN = 1_999;
const ERRORED_EVERY = 7;

let stack: InMemoryStack;
let rootId: string;
let allIds: string[];

/** A root with 1,999 runs under it (each a child of the root or of an earlier child), one a second, every 7th errored. */
function addBigTrace(): void {
  const sim = stack.sim;
  const start = sim.clock.now() - DAY;
  const projectId = randomUUID();
  rootId = randomUUID();
  const at = { tenantId: sim.workspaceId, projectId, metadata: {} };
  const root: SimRun = { ...oneRunTrace(rootId, { ...at, startMs: start }), end_time: start + (CHILDREN + 2) * 1000 };
  const runs: SimRun[] = [root];
  for (let i = 1; i <= CHILDREN; i++) {
    const parent = runs[i % 5 === 0 ? 0 : i - 1]!;
    const id = randomUUID();
    const startMs = start + i * 1000;
    runs.push({
      ...oneRunTrace(id, { ...at, startMs }),
      trace_id: rootId,
      parent_run_id: parent.id,
      parent_run_ids: [...parent.parent_run_ids, parent.id],
      dotted_order: `${parent.dotted_order}.${dottedSegment(startMs, id)}`,
      execution_order: i + 1,
      status: i % ERRORED_EVERY === 0 ? "error" : "success",
      error: i % ERRORED_EVERY === 0 ? "ValueError: bad input" : null,
    });
  }
  const project = {
    id: projectId,
    tenant_id: sim.workspaceId,
    name: "big-trace",
    description: null,
    start_time: start - DAY,
    end_time: null,
    reference_dataset_id: null,
    extra: null,
    conversational: false,
  };
  sim.store.addProject(project as never, runs);
  allIds = runs.map((r) => r.id);
}

beforeAll(async () => {
  stack = await startInMemoryStack({
    sim: { now: "2026-03-04T10:00:00.000Z", scale: 0.02 },
    env: { LANGSMITH_MCP_MAX_OUTPUT_TOKENS: String(BUDGET) },
  });
  stack.sim.clock.setRate(0);
  addBigTrace();
});
afterAll(async () => stack?.close());

const logged = async () =>
  (await control<{ requests: Array<{ method: string; path: string; items: number }> }>(stack.sim, "GET", "requests")).body.requests;

describe("get_trace of a 2,000-run trace with a 4,000-token budget", () => {
  it("reads about the runs it shows, gives the whole trace's counts, and says how to see the rest", async () => {
    await control(stack.sim, "DELETE", "requests");
    const result = await stack.call("get_trace", { trace_id: rootId, max_nodes: 5000 });
    expect(result.isError, textOf(result)).toBeFalsy();
    const trace = result.structuredContent as { run_count: number; error_count: number; truncated: boolean; notes: string[] };
    const nodes = nodesOf(result);

    // The whole trace's figures, written from how it was built.
    expect(trace.run_count).toBe(CHILDREN + 1);
    expect(trace.error_count).toBe(Math.floor(CHILDREN / ERRORED_EVERY));
    expect(trace.truncated).toBe(true);
    expect(nodes.length).toBeLessThan(200);
    expect(nodes[0]!.id).toBe(rootId);

    const requests = await logged();
    const read = requests.filter((r) => r.path.endsWith("/runs/query") && r.method === "POST").reduce((n, r) => n + r.items, 0);
    // Two one-run lookups by id (v1) locate the trace; the rest is the trace read, near what is shown.
    expect(read - 1).toBeLessThanOrEqual(Math.ceil(nodes.length * 1.5));
    expect(requests.some((r) => r.path.includes("/traces/"))).toBe(false);
    expect(requests.filter((r) => r.path === "/api/v1/runs/stats")).toHaveLength(1);

    // The text says how to see the rest, and doing what it says reaches every run not shown.
    const text = textOf(result);
    const how = text.match(/query_runs with trace_id "([^"]+)", start_time "([^"]+)", end_time "([^"]+)", sort_order "asc"/);
    expect(how, text).not.toBeNull();
    const [, traceId, startTime, endTime] = how!;
    const rest: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await stack.call("query_runs", {
        project: "big-trace",
        trace_id: traceId,
        start_time: startTime,
        end_time: endTime,
        sort_order: "asc",
        page_size: 1000,
        ...(cursor && { cursor }),
      });
      expect(page.isError, textOf(page)).toBeFalsy();
      rest.push(...runsOf(page).map((r) => r.id));
      cursor = (page.structuredContent as { next_cursor?: string }).next_cursor;
    } while (cursor);
    expect(new Set([...nodes.map((n) => n.id), ...rest])).toEqual(new Set(allIds));
  });

  it("reads a small trace in one request and shows all of it", async () => {
    const project = stack.sim.store.projectByName(stack.sim.workspaceId, "support-bot")!;
    const small = stack.sim.store
      .runsOfProject(project.id)
      .find((r) => r.parent_run_id === null && stack.sim.store.runsOfTrace(r.id).length > 2)!;
    await control(stack.sim, "DELETE", "requests");
    const result = await stack.call("get_trace", { trace_id: small.id });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(nodesOf(result)).toHaveLength(stack.sim.store.runsOfTrace(small.id).length);
    const requests = await logged();
    expect(requests.filter((r) => r.path === "/api/v2/runs/query")).toHaveLength(1);
    expect(requests.filter((r) => r.path === "/api/v1/runs/stats")).toHaveLength(0);
  });
});
