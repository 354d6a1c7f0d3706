/**
 * The export progress and purge evidence views' pure parts, on inputs written by hand: status
 * keys as LangSmith spells them, the workflow-timeout clock, batches per project, and the
 * calendar strip around a weekend deletion window.
 */
import { describe, expect, it } from "vitest";
import { partitionCells, statusKeyOf, timeoutClock } from "../../src/apps/views/export-progress/model.js";
import { calendarStrip, projectRows, verdictTone } from "../../src/apps/views/purge-evidence/model.js";

describe("export progress model", () => {
  it("keys every documented status (Created, Running, Completed, Failed, Cancelled, TimedOut) and an unknown one", () => {
    expect(["Created", "Running", "Completed", "Failed", "Cancelled", "TimedOut", "Timed_Out", "Paused"].map(statusKeyOf)).toEqual([
      "queued",
      "running",
      "completed",
      "failed",
      "cancelled",
      "timedout",
      "timedout",
      "unknown",
    ]);
  });

  it("orders partitions by day and reads rows, retries and the last error", () => {
    const cells = partitionCells([
      {
        id: "b",
        partition_start: "2026-03-02T00:00:00Z",
        status: "Failed",
        retry_number: 3,
        rows_written: 0,
        files_written: 0,
        last_error: "x",
      },
      { id: "a", partition_start: "2026-03-01T00:00:00Z", status: "Completed", retry_number: 0, rows_written: 120, files_written: 2 },
    ]);
    expect(cells.map((c) => [c.id, c.key, c.rows, c.retries, c.lastError])).toEqual([
      ["a", "completed", 120, 0, undefined],
      ["b", "failed", 0, 3, "x"],
    ]);
  });

  it("fills the timeout clock with elapsed over limit, capped at the limit", () => {
    expect(timeoutClock(18, 72)).toEqual({ share: 0.25, leftHours: 54 });
    expect(timeoutClock(80, 72)).toEqual({ share: 1, leftHours: 0 });
    expect(timeoutClock(undefined, 72)).toEqual({ share: 0, leftHours: 72 });
  });
});

describe("purge evidence model", () => {
  const window = { start: "2026-03-07T00:00:00Z", end: "2026-03-09T00:00:00Z" };
  const batches = [
    {
      batch_no: 1,
      project_id: "p1",
      trace_count: 3,
      state: "queued",
      attempts: [{ at: "2026-03-04T12:00:00Z", outcome: "ok" }],
      accepted_at: "2026-03-04T12:00:01Z",
      expected_window: window,
    },
    { batch_no: 2, project_id: "p2", trace_count: 1, state: "failed", attempts: [{ at: "2026-03-04T12:00:02Z", outcome: "error" }] },
  ];

  it("lays days from the request to the window's last day (Wed 4 to Sun 8 March), the weekend in the window", () => {
    const days = calendarStrip("2026-03-04T12:00:00Z", batches, [
      { at: "2026-03-05T09:00:00Z", checked: 4, visible: 4, verdict: "pending" },
    ]);
    expect(days.map((d) => [d.date, d.weekday, d.weekend, d.inWindow, d.events])).toEqual([
      ["2026-03-04", "Wed", false, false, ["requested", "accepted"]],
      ["2026-03-05", "Thu", false, false, ["checked: pending"]],
      ["2026-03-06", "Fri", false, false, []],
      ["2026-03-07", "Sat", true, true, []],
      ["2026-03-08", "Sun", true, true, []],
    ]);
  });

  it("groups batches by project; only an accepted batch counts as verified, from the first check that found nothing", () => {
    const rows = projectRows(
      [
        { id: "p1", name: "one", traces: 3 },
        { id: "p2", name: "two", traces: 1 },
      ],
      batches,
      [
        { at: "2026-03-05T09:00:00Z", checked: 4, visible: 4, verdict: "pending" },
        { at: "2026-03-09T09:00:00Z", checked: 4, visible: 0, verdict: "incomplete" },
      ],
    );
    expect(rows.map((r) => [r.name, r.batches.map((b) => [b.batch.batch_no, b.sentAt, b.acceptedAt, b.verifiedAt])])).toEqual([
      ["one", [[1, "2026-03-04T12:00:00Z", "2026-03-04T12:00:01Z", "2026-03-09T09:00:00Z"]]],
      ["two", [[2, "2026-03-04T12:00:02Z", undefined, undefined]]],
    ]);
  });

  it("reads verified as good, pending as waiting, the rest as needing action", () => {
    expect(["verified", "pending", "partially_verified", "overdue", "incomplete"].map(verdictTone)).toEqual([
      "good",
      "wait",
      "wait",
      "bad",
      "bad",
    ]);
  });
});
