/**
 * export_status reads incrementally: the export asked for alone, its runs kept between calls,
 * only the runs still open read again (one by one when few), nothing but the export once every
 * run is finished. Requests and bytes are counted where LangSmith answered them (the
 * simulator's request log); every poll's figures are checked against the runs as LangSmith's
 * own API lists them at that moment.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, control } from "../../src/simulator/testing.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { textOf } from "../support/stack.js";

const DAY = 86_400_000;
const DAYS = 30;

interface Logged {
  method: string;
  path: string;
  bytes: number;
}

let stack: InMemoryStack;
let exportId: string;

beforeAll(async () => {
  stack = await startInMemoryStack({ sim: { now: "2026-03-04T10:00:00.000Z", scale: 0.05 } });
  stack.sim.clock.setRate(0);
  // Five runs at a time: most partitions wait, so the export spends a while with few runs open.
  await control(stack.sim, "POST", "config", { exports: { max_runs_per_export: 5, rows_per_second: 0.02 } });
  const { fullAccess } = stack.sim.storage.credentials;
  const destination = await stack.call("create_destination", {
    display_name: "reads",
    bucket_name: stack.sim.storage.buckets.traces,
    prefix: "reads",
    region: "eu-west-1",
    access_key_id: fullAccess.access_key_id,
    secret_access_key: fullAccess.secret_access_key,
  });
  const today = Math.floor(stack.sim.clock.now() / DAY) * DAY;
  const created = await stack.call("create_export", {
    project: "checkout-bot",
    destination: (destination.structuredContent as { destination: { id: string } }).destination.id,
    start_time: new Date(today - DAYS * DAY).toISOString(),
    end_time: new Date(today).toISOString(),
  });
  expect(created.isError, textOf(created)).toBeFalsy();
  exportId = (created.structuredContent as { export: { id: string } }).export.id;
});
afterAll(async () => stack?.close());

/** Runs per status as LangSmith's own list says right now (not through the server). */
async function truth(): Promise<Record<string, number>> {
  const runs = (await apiCall<Array<{ status: string }>>(stack.sim, "GET", `/api/v1/bulk-exports/${exportId}/runs`)).body;
  const counts: Record<string, number> = {};
  for (const run of runs) counts[run.status] = (counts[run.status] ?? 0) + 1;
  return counts;
}

/** One export_status call and the requests it made. */
async function poll(): Promise<{ status: string; byStatus: Record<string, number>; requests: Logged[] }> {
  await control(stack.sim, "DELETE", "requests");
  const result = await stack.call("export_status", { export_id: exportId, runs_limit: 0 });
  expect(result.isError, textOf(result)).toBeFalsy();
  const requests = (await control<{ requests: Logged[] }>(stack.sim, "GET", "requests")).body.requests;
  const out = result.structuredContent as { export: { status: string }; progress: { runs_by_status: Record<string, number> } };
  return { status: out.export.status, byStatus: out.progress.runs_by_status, requests };
}

const listRequests = (requests: readonly Logged[]) => requests.filter((r) => r.path === `/api/v1/bulk-exports/${exportId}/runs`);
const singleRuns = (requests: readonly Logged[]) => requests.filter((r) => r.path.startsWith(`/api/v1/bulk-exports/${exportId}/runs/`));

describe(`export_status of a ${DAYS}-day export, polled while it runs`, () => {
  it("re-reads only the open runs, one by one once few are open, and only the export once all are done", async () => {
    const polls: Array<Awaited<ReturnType<typeof poll>>> = [];
    for (let i = 0; i < 200; i++) {
      const p = await poll();
      // Whatever was re-read or kept, the figures are LangSmith's at this moment.
      expect(p.byStatus).toEqual(await truth());
      // The export asked for, never the workspace's list (its runs run: nothing waits for a workspace slot).
      expect(p.requests.filter((r) => r.path === "/api/v1/bulk-exports")).toEqual([]);
      polls.push(p);
      if (polls.filter((q) => q.status === "Completed").length >= 3) break;
      await control(stack.sim, "POST", "clock", { advance_seconds: 600 });
    }
    const done = polls.filter((p) => p.status === "Completed");
    expect(done.length).toBe(3);
    // The first poll lists the runs; once every kept run is terminal, a poll reads the export alone.
    expect(listRequests(polls[0]!.requests)).toHaveLength(1);
    for (const p of done.slice(1)) expect(p.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v1/bulk-exports/${exportId}`]);
    // While few runs were open, they were read one by one, never more than the limit, instead of the list.
    const incremental = polls.filter((p) => singleRuns(p.requests).length > 0);
    expect(incremental.length).toBeGreaterThan(0);
    for (const p of incremental) {
      expect(listRequests(p.requests)).toEqual([]);
      expect(singleRuns(p.requests).length).toBeLessThanOrEqual(20);
    }
    // Fewer bytes over the whole follow-up than one list per poll would have cost.
    const bytes = polls.reduce((n, p) => n + p.requests.reduce((m, r) => m + r.bytes, 0), 0);
    const listBytes = Math.max(...polls.flatMap((p) => listRequests(p.requests).map((r) => r.bytes)));
    expect(bytes).toBeLessThan(polls.length * listBytes);
  }, 120_000);
});
