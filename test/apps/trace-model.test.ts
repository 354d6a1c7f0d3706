/**
 * The waterfall's geometry (src/apps/views/trace-waterfall/model.ts) on traces written by hand,
 * and the views' run-table reader held to the server's expandRunTable on real get_trace tables.
 */
import { describe, expect, it } from "vitest";
import { criticalPath, layoutWaterfall, ticks, type TraceRun } from "../../src/apps/views/trace-waterfall/model.js";
import { readRunTable } from "../../src/apps/views/shared/run-table.js";
import { expandRunTable, tabulateRuns } from "../../src/tools/run-table.js";
import type { RunView } from "../../src/tools/run-fields.js";

const T0 = "2026-11-30T10:00:00.000000Z";
const at = (ms: number): string => new Date(Date.parse(T0) + ms).toISOString();

/** root 0–10 s; a: 0–4 s; b: 3–9.5 s (ends last); b1: 3.5–9 s under b; c: 5–6 s. */
const TRACE: TraceRun[] = [
  { id: "root", depth: 0, name: "agent", run_type: "chain", start_time: at(0), latency_seconds: 10 },
  { id: "a", parent_run_id: "root", depth: 1, run_type: "llm", start_time: at(0), latency_seconds: 4 },
  { id: "b", parent_run_id: "root", depth: 1, run_type: "tool", start_time: at(3000), latency_seconds: 6.5, status: "error" },
  { id: "b1", parent_run_id: "b", depth: 2, run_type: "retriever", start_time: at(3500), latency_seconds: 5.5 },
  { id: "c", parent_run_id: "root", depth: 1, run_type: "llm", start_time: at(5000), latency_seconds: 1 },
];

describe("trace waterfall layout", () => {
  it("places each run by its start and latency on one axis from the earliest start", () => {
    const { bars, spanMs } = layoutWaterfall(TRACE);
    expect(spanMs).toBe(10_000);
    expect(bars.map((bar) => [bar.run.id, bar.offsetMs, bar.durationMs])).toEqual([
      ["root", 0, 10_000],
      ["a", 0, 4_000],
      ["b", 3_000, 6_500],
      ["b1", 3_500, 5_500],
      ["c", 5_000, 1_000],
    ]);
    expect(bars.filter((bar) => bar.errored).map((bar) => bar.run.id)).toEqual(["b"]);
  });

  it("follows the child that ends last at every level for the critical path", () => {
    expect(layoutWaterfall(TRACE).criticalPath).toEqual(["root", "b", "b1"]);
  });

  it("treats a run without latency as running: it ends last and its bar is open", () => {
    const running = TRACE.map((run) => (run.id === "c" ? { ...run, latency_seconds: undefined } : run));
    const layout = layoutWaterfall(running);
    expect(layout.criticalPath).toEqual(["root", "c"]);
    expect(layout.bars.find((bar) => bar.run.id === "c")?.durationMs).toBeNull();
  });

  it("copes with an empty trace and a run without a start", () => {
    expect(criticalPath([], [])).toEqual([]);
    const layout = layoutWaterfall([{ id: "x", depth: 0 }]);
    expect(layout.spanMs).toBe(1);
    expect(layout.bars[0]).toMatchObject({ offsetMs: null, durationMs: null, critical: true });
  });

  it("ticks at 1/2/5 steps from zero to the span", () => {
    expect(ticks(10_000)).toEqual([0, 2_000, 4_000, 6_000, 8_000, 10_000]);
    expect(ticks(950)).toEqual([0, 200, 400, 600, 800]);
  });
});

describe("the views' run-table reader", () => {
  it("reads a table exactly as the server's expandRunTable does (refs, same, short times)", () => {
    const trace = "11111111-2222-4333-8444-555555555555";
    const runs = [0, 1, 2, 3].map((i) => ({
      id: `${i}0000000-0000-4000-8000-000000000000`,
      name: `step ${i}`,
      run_type: i % 2 ? "llm" : "chain",
      status: "success",
      start_time: `2026-11-30T10:00:0${i}.123456Z`,
      trace_id: trace,
      parent_run_ids: i ? [trace] : [],
      total_tokens: i * 10,
    })) as unknown as RunView[];
    const table = tabulateRuns(runs);
    expect(table.ref_columns?.length ?? 0).toBeGreaterThan(0);
    expect(table.date).toBe("2026-11-30");
    expect(readRunTable(table)).toEqual(expandRunTable(table));
  });
});
