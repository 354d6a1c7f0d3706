import { describe, expect, it } from "vitest";
import type { BulkExport, BulkExportRun } from "../langsmith/export-schemas.js";
import { MAX_SINGLE_RUN_READS, readRuns, type ExportReads } from "./reader.js";

const DAY = 86_400_000;
const T0 = Date.parse("2026-02-01T00:00:00Z");

const exportOf = (days: number, status = "Running"): BulkExport => ({
  id: "e1",
  bulk_export_destination_id: "d1",
  start_time: new Date(T0).toISOString(),
  end_time: new Date(T0 + days * DAY).toISOString(),
  status,
  created_at: new Date(T0).toISOString(),
});
const run = (day: number, status: string): BulkExportRun => ({
  id: `r${day}`,
  status,
  metadata: { start_time: new Date(T0 + day * DAY).toISOString(), end_time: new Date(T0 + (day + 1) * DAY).toISOString() },
});

/** LangSmith's side as data: the runs it holds now, and every request made of it. */
function langsmith(runs: BulkExportRun[]): ExportReads & { runs: BulkExportRun[]; asked: string[] } {
  const asked: string[] = [];
  const side = {
    runs,
    asked,
    getExport: async () => exportOf(runs.length),
    listExports: async () => [],
    listExportRuns: async () => {
      asked.push("list");
      return side.runs.map((r) => ({ ...r }));
    },
    getExportRun: async (_e: string, id: string) => {
      asked.push(id);
      return { ...side.runs.find((r) => r.id === id)! };
    },
  };
  return side;
}

describe("an export's runs, read incrementally", () => {
  it("re-reads only the open runs once they are few, and nothing once all are finished", async () => {
    const ls = langsmith(Array.from({ length: 30 }, (_, d) => run(d, d < 25 ? "Completed" : "Running")));
    const exp = exportOf(30);
    await readRuns(ls, exp);
    expect(ls.asked).toEqual(["list"]);
    ls.runs = ls.runs.map((r) => (r.id === "r25" ? { ...r, status: "Completed" } : r));
    ls.asked.length = 0;
    const second = await readRuns(ls, exp);
    expect(ls.asked).toEqual(["r25", "r26", "r27", "r28", "r29"]);
    expect(second.find((r) => r.id === "r25")?.status).toBe("Completed");
    ls.runs = ls.runs.map((r) => ({ ...r, status: "Completed" }));
    await readRuns(ls, exp);
    ls.asked.length = 0;
    await readRuns(ls, exportOf(30, "Completed"));
    expect(ls.asked).toEqual([]);
  });

  it("lists the runs again while many are open, or while some day partition has no run yet", async () => {
    const many = langsmith(Array.from({ length: MAX_SINGLE_RUN_READS + 5 }, (_, d) => run(d, "Created")));
    const exp = { ...exportOf(MAX_SINGLE_RUN_READS + 5), id: "e-many" };
    await readRuns(many, exp);
    await readRuns(many, exp);
    expect(many.asked).toEqual(["list", "list"]);

    // Ten days, but LangSmith has created runs for three so far: a new run may appear, so the list is read.
    const partial = langsmith([run(0, "Completed"), run(1, "Running"), run(2, "Created")]);
    const tenDays = { ...exportOf(10), id: "e-partial" };
    await readRuns(partial, tenDays);
    await readRuns(partial, tenDays);
    expect(partial.asked).toEqual(["list", "list"]);
  });
});
