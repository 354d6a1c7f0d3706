import { describe, expect, it } from "vitest";
import type { BulkExport, BulkExportRun } from "../langsmith/export-schemas.js";
import { dayPartitions } from "./partitions.js";
import { exportState, needsWorkspaceExports, unfinishedRanges } from "./state.js";
import { isTerminal, sameStatus, statusKey } from "./statuses.js";

const t0 = Date.parse("2026-11-01T00:00:00Z");
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const exp = (status: string, over: Partial<BulkExport> = {}): BulkExport => ({
  id: "e1",
  bulk_export_destination_id: "d1",
  session_id: "p1",
  start_time: iso(t0),
  end_time: iso(t0 + 10 * DAY),
  status,
  created_at: iso(t0 + 20 * DAY),
  ...over,
});
const runs = (statuses: string[]): BulkExportRun[] =>
  statuses.map((status, d) => ({
    id: `r${d}`,
    status,
    metadata: { start_time: iso(t0 + d * DAY), end_time: iso(t0 + (d + 1) * DAY), result: { rows_written: 10, exported_files: ["a"] } },
  }));
const now = new Date(t0 + 20 * DAY + 3_600_000);

describe("export state", () => {
  it("counts runs per status as LangSmith spells them, whatever spelling arrives", () => {
    const { progress } = exportState({ export: exp("RUNNING"), runs: runs(["COMPLETED", "Running", "running", "Paused"]), now });
    expect(progress.runs_by_status).toEqual({ Completed: 1, Running: 2, Paused: 1 });
    expect(progress.partitions_completed).toBe(1);
    expect(progress.percent_complete).toBe(25);
    expect(progress.elapsed_hours).toBe(1);
  });

  it("blames the per-export limit only when as many runs run as a documented limit allows", () => {
    const atLimit = exportState({ export: exp("Running"), runs: runs([...Array(5).fill("Running"), "Created", "Created"]), now });
    expect(atLimit.progress.queued_reason).toBe(
      "2 runs wait as Created with 5 running: under the 45-run limit in force, but at the 5 runs per export the troubleshooting steps " +
        "state; they start as runs finish.",
    );
    const below = exportState({ export: exp("Running"), runs: runs(["Running", "Running", "Created"]), now });
    expect(below.progress.queued_reason).toBe(
      "1 run waits as Created with 2 running, fewer than any documented per-export limit (45 or 5): they wait for a worker, or a lower " +
        "limit set on this install, and start as runs finish.",
    );
  });

  it("reads the workspace's exports only when the export itself waits, and then names those holding the workspace limit", () => {
    expect(needsWorkspaceExports(exp("Running"), runs(["Running", "Created"]))).toBe(false);
    expect(needsWorkspaceExports(exp("Created"), [])).toBe(true);
    const others = Array.from({ length: 15 }, (_, i) => exp("Running", { id: `o${i}` }));
    const waiting = exportState({ export: exp("Created"), runs: [], now, workspaceExports: others });
    expect(waiting.progress.export_waits).toBe(true);
    expect(waiting.progress.queued_reason).toMatch(
      /^the workspace is at its limit of 15 concurrent exports \(the troubleshooting steps say 3\): 15 exports Running hold it: o0, o1/,
    );
  });

  it("keeps one status normaliser: unknown statuses are not terminal and compare as sent", () => {
    expect(["TimedOut", "TIMEDOUT", "timed_out"].map(statusKey)).toEqual(["timedout", "timedout", "timedout"]);
    expect(isTerminal("Paused")).toBe(false);
    expect(sameStatus("paused", "Paused")).toBe(true);
    expect(sameStatus("Failed", "FAILED")).toBe(true);
  });

  it("partitions at UTC midnights and lists the unfinished ones", () => {
    expect(dayPartitions(new Date("2026-11-01T18:00:00Z"), new Date("2026-11-03T06:00:00Z")).map((p) => `${p.start}→${p.end}`)).toEqual([
      "2026-11-01T18:00:00.000Z→2026-11-02T00:00:00.000Z",
      "2026-11-02T00:00:00.000Z→2026-11-03T00:00:00.000Z",
      "2026-11-03T00:00:00.000Z→2026-11-03T06:00:00.000Z",
    ]);
    const state = exportState({ export: exp("Cancelled"), runs: runs(["Completed", "Cancelled"]), now });
    expect(unfinishedRanges(state)).toEqual([{ start: iso(t0 + DAY), end: iso(t0 + 2 * DAY) }]);
    expect(state.progress.queued_runs).toBe(0);
  });
});
