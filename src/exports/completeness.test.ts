import { describe, expect, it } from "vitest";
import type { BulkExport, BulkExportRun } from "../langsmith/export-schemas.js";
import { checkCompleteness, LATE_ARRIVAL_HOURS, RECONCILE_CONCURRENCY, type RunCounter } from "./completeness.js";
import { exportState } from "./state.js";

const DAY = 86_400_000;
const t0 = Date.parse("2026-11-01T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

const exp = (over: Partial<BulkExport> = {}): BulkExport => ({
  id: "e1",
  bulk_export_destination_id: "d1",
  session_id: "p1",
  start_time: iso(t0),
  end_time: iso(t0 + 3 * DAY),
  status: "Completed",
  created_at: iso(t0 + 10 * DAY),
  finished_at: iso(t0 + 10 * DAY + 3_600_000),
  ...over,
});

const run = (day: number, rows: number, status = "Completed", finishedAt = t0 + 10 * DAY + 3_600_000): BulkExportRun => ({
  id: `r${day}`,
  status,
  metadata: {
    start_time: iso(t0 + day * DAY),
    end_time: iso(t0 + (day + 1) * DAY),
    result: { rows_written: rows, exported_files: rows ? ["part-00000.parquet"] : [] },
  },
  finished_at: iso(finishedAt),
});

/** Runs LangSmith holds per day, by the day's index; records every request and the most in flight. */
function counter(
  perDay: number[],
): RunCounter & { calls: Array<{ start: number; end: number; filter: string | undefined }>; maxInFlight: number } {
  let inFlight = 0;
  const self = {
    calls: [] as Array<{ start: number; end: number; filter: string | undefined }>,
    maxInFlight: 0,
    async countRuns(_project: string, window: { start: number; end: number }, filter: string | undefined) {
      self.calls.push({ ...window, filter });
      inFlight++;
      self.maxInFlight = Math.max(self.maxInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return perDay[Math.round((window.start - t0) / DAY)] ?? 0;
    },
  };
  return self;
}

const check = (e: BulkExport, runs: BulkExportRun[], c: RunCounter) =>
  checkCompleteness(e, exportState({ export: e, runs, now: new Date(t0 + 11 * DAY) }), c);

describe("checkCompleteness", () => {
  it("says complete when every partition has as many rows as runs match, with one request per partition", async () => {
    const c = counter([10, 20, 0]);
    const result = await check(exp({ filter: 'eq(run_type, "llm")' }), [run(0, 10), run(1, 20), run(2, 0)], c);
    expect(result.verdict).toBe("complete");
    expect(result.summary).toBe("complete: 3 partitions checked, 30 rows written for 30 matching runs");
    expect(result.stats_requests).toBe(3);
    expect(c.calls.map((call) => [iso(call.start), iso(call.end), call.filter])).toEqual([
      ["2026-11-01T00:00:00.000Z", "2026-11-02T00:00:00.000Z", 'eq(run_type, "llm")'],
      ["2026-11-02T00:00:00.000Z", "2026-11-03T00:00:00.000Z", 'eq(run_type, "llm")'],
      ["2026-11-03T00:00:00.000Z", "2026-11-04T00:00:00.000Z", 'eq(run_type, "llm")'],
    ]);
  });

  it("names the short partitions and how many runs each misses", async () => {
    const result = await check(exp(), [run(0, 10), run(1, 18), run(2, 5)], counter([10, 20, 9]));
    expect(result.verdict).toBe("short");
    expect(result.summary).toBe("short by 6 runs in partitions 2026-11-02, 2026-11-03");
    expect(result.short?.map((p) => [p.start.slice(0, 10), p.runs_matching, p.rows_written, p.missing])).toEqual([
      ["2026-11-02", 20, 18, 2],
      ["2026-11-03", 9, 5, 4],
    ]);
  });

  it(`notes runs still arriving for a day read less than ${LATE_ARRIVAL_HOURS} h after it ended, not calling them lost`, async () => {
    const lastDayEnd = t0 + 3 * DAY;
    const result = await check(exp(), [run(0, 10), run(1, 20), run(2, 7, "Completed", lastDayEnd + 3_600_000)], counter([10, 20, 9]));
    expect(result.verdict).toBe("complete");
    expect(result.arriving).toEqual([{ start: iso(t0 + 2 * DAY), end: iso(lastDayEnd), runs_matching: 9, rows_written: 7, missing: 2 }]);
    expect(result.summary).toMatch(/runs still arriving for 2026-11-03 .*not a loss/);
  });

  it("checks only completed partitions of a failed export and names the others with their status", async () => {
    const result = await check(exp({ status: "Failed" }), [run(0, 10), run(1, 4, "Failed"), run(2, 0, "Cancelled")], counter([10, 20, 9]));
    expect(result.verdict).toBe("complete");
    expect(result.partitions_checked).toBe(1);
    expect(result.unchecked?.map((u) => u.why)).toEqual([
      "its export run is Failed, not Completed",
      "its export run is Cancelled, not Completed",
    ]);
  });

  it("cannot check an export of all experiments, or one with nothing completed, and says why", async () => {
    expect((await check(exp({ session_id: null }), [run(0, 1)], counter([1]))).summary).toMatch(
      /^cannot check: the export covers all experiments/,
    );
    expect((await check(exp({ status: "Running" }), [run(0, 0, "Running")], counter([1]))).summary).toBe(
      "cannot check: no partition has completed yet.",
    );
  });

  it("reports a failed count as not checked, not as a shortfall", async () => {
    const failing: RunCounter = {
      countRuns: async () => {
        throw new Error("POST /api/v1/runs/stats → 404 Not Found");
      },
    };
    const result = await check(exp(), [run(0, 10)], failing);
    expect(result.verdict).toBe("cannot_check");
    expect(result.summary).toMatch(/run stats request failed: POST \/api\/v1\/runs\/stats → 404/);
  });

  it(`keeps at most ${RECONCILE_CONCURRENCY} requests in flight`, async () => {
    const days = 20;
    const c = counter(Array.from({ length: days }, () => 5));
    await check(
      exp({ end_time: iso(t0 + days * DAY) }),
      Array.from({ length: days }, (_, d) => run(d, 5)),
      c,
    );
    expect(c.calls).toHaveLength(days);
    expect(c.maxInFlight).toBeLessThanOrEqual(RECONCILE_CONCURRENCY);
    expect(c.maxInFlight).toBeGreaterThan(1);
  });
});
