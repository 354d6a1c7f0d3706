import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { diagnoseExport } from "./diagnose.js";
import { NEW_DESTINATION_PLACEHOLDER } from "./retry-plan.js";
import { DAY_MS, HOUR_MS, mergeIntervals, parseUtc, toIso, type Interval } from "./time-ranges.js";
import type { BulkExport, BulkExportRun, Destination, ExportDiagnosis, PlannedExport } from "./types.js";

const EXPORT_ID = "4b1f0c2e-9d8a-4a51-8f3e-1c2d3e4f5a6b";
const DESTINATION_ID = "7c1e0d9e-2b4f-4c43-9f7e-5b1c8f0a9d21";
const SESSION_ID = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
const START = Date.parse("2026-11-18T00:00:00Z");

const ACCESS_DENIED =
  "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied";
const START_TO_CLOSE = "temporalio.exceptions.ActivityError: Activity task timed out\n cause: TimeoutError: activity StartToClose timeout";
const CONNECTION_RESET = "urllib3.exceptions.ProtocolError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))";
const NO_SUCH_BUCKET = "An error occurred (NoSuchBucket) when calling the PutObject operation: The specified bucket does not exist.";

function makeExport(days: number, overrides: Partial<BulkExport> = {}): BulkExport {
  return {
    id: EXPORT_ID,
    bulk_export_destination_id: DESTINATION_ID,
    session_id: SESSION_ID,
    start_time: toIso(START),
    end_time: toIso(START + days * DAY_MS),
    filter: null,
    format: "Parquet",
    format_version: "v1",
    compression: "gzip",
    export_fields: null,
    status: "Running",
    created_at: toIso(START + days * DAY_MS + HOUR_MS),
    finished_at: null,
    ...overrides,
  };
}

interface DaySpec {
  status: string;
  errors?: string[];
  rows?: number;
  files?: number;
  /** Processing hours from the run's start to its end (or to now). */
  wallHours?: number;
  retryNumber?: number;
}

/** One run per UTC day partition of the export, described day by day. */
function runsPerDay(exp: BulkExport, specs: readonly DaySpec[]): BulkExportRun[] {
  const processingStart = parseUtc(exp.created_at);
  return specs.map((spec, day) => {
    const partitionStart = parseUtc(exp.start_time) + day * DAY_MS;
    const runStart = processingStart + day * 60_000;
    const ended = ["completed", "failed", "cancelled", "timedout"].includes(spec.status.toLowerCase());
    const errors = spec.errors && spec.errors.length > 0 ? Object.fromEntries(spec.errors.map((text, i) => [`retry_${i}`, text])) : null;
    return {
      id: `run-${String(day).padStart(2, "0")}-0000-4000-8000-000000000000`,
      bulk_export_id: exp.id,
      status: spec.status,
      retry_number: spec.retryNumber ?? Math.max(0, (spec.errors?.length ?? 0) - (ended ? 1 : 0)),
      errors,
      metadata: {
        prefix: "ls",
        start_time: toIso(partitionStart),
        end_time: toIso(partitionStart + DAY_MS),
        result:
          spec.rows === undefined
            ? null
            : {
                rows_written: spec.rows,
                exported_files: Array.from({ length: spec.files ?? 0 }, (_, i) => `part-${i}.parquet`),
                latest_cursor: null,
              },
      },
      start_time: spec.status.toLowerCase() === "created" ? null : toIso(runStart),
      end_time: ended && spec.wallHours !== undefined ? toIso(runStart + spec.wallHours * HOUR_MS) : null,
      created_at: exp.created_at,
      finished_at: ended && spec.wallHours !== undefined ? toIso(runStart + spec.wallHours * HOUR_MS) : null,
    };
  });
}

const completedDay = (rows = 1_000_000): DaySpec => ({ status: "Completed", rows, files: 4, wallHours: 1 });
const destination: Destination = {
  id: DESTINATION_ID,
  display_name: "acme exports",
  destination_type: "s3",
  config: { bucket_name: "acme-langsmith-exports", prefix: "ls/", region: "us-east-1", endpoint_url: null },
  credentials_keys: ["access_key_id", "secret_access_key"],
};

function hoursLater(exp: BulkExport, hours: number): Date {
  return new Date(parseUtc(exp.created_at) + hours * HOUR_MS);
}

const intervalOf = (p: PlannedExport): Interval => ({ start: Date.parse(p.start_time), end: Date.parse(p.end_time) });

describe("diagnoseExport: storage and destination errors", () => {
  const exp = makeExport(5, { status: "Failed", finished_at: toIso(START + 5 * DAY_MS + 3 * HOUR_MS) });
  const runs = runsPerDay(exp, [
    completedDay(),
    completedDay(),
    { status: "Failed", errors: [ACCESS_DENIED], rows: 0 },
    { status: "Cancelled" },
    { status: "Cancelled" },
  ]);
  const diagnosis = diagnoseExport({ export: exp, runs, destination, now: hoursLater(exp, 4) });

  it("names the destination error, the attempt, and that storage errors are not retried", () => {
    expect(diagnosis.failure_mode).toBe("destination_error");
    expect(diagnosis.retried_automatically).toBe(false);
    expect(diagnosis.verdict).toMatch(/^Failed: the run for 2026-11-20 hit the destination error 'Access denied'/);
    expect(diagnosis.verdict).toContain("on its first attempt");
    expect(diagnosis.verdict).toContain("does not retry storage errors");
  });

  it("plans the unfinished partitions on the same destination after fixing credentials", () => {
    const plan = diagnosis.retry_plan;
    expect(plan?.kind).toBe("fix_destination_then_recreate");
    expect(plan?.exports).toEqual([
      {
        session_id: SESSION_ID,
        bulk_export_destination_id: DESTINATION_ID,
        start_time: "2026-11-20T00:00:00.000Z",
        end_time: "2026-11-23T00:00:00.000Z",
        format_version: "v1",
        compression: "gzip",
      },
    ]);
    expect(plan?.destination_fixes?.map((f) => f.field)).toContain("credentials.access_key_id");
    expect(plan?.pre_retry_check).toContain(
      "aws s3 cp ./test.txt s3://acme-langsmith-exports/acme-langsmith-exports/ls/tmp/test.txt --region us-east-1",
    );
    expect(plan?.pre_retry_check).not.toContain("--endpoint-url");
  });

  it("gives the GCS variant of the test write with the XML API endpoint", () => {
    const gcs: Destination = {
      ...destination,
      config: { bucket_name: "acme-gcs", prefix: "exports", endpoint_url: "https://storage.googleapis.com" },
    };
    const d = diagnoseExport({ export: exp, runs, destination: gcs, now: hoursLater(exp, 4) });
    expect(d.retry_plan?.pre_retry_check).toContain(
      "s3://acme-gcs/acme-gcs/exports/tmp/test.txt --endpoint-url https://storage.googleapis.com",
    );
  });

  it("lists the failed run with its decisive error and retry budget", () => {
    expect(diagnosis.runs).toHaveLength(1);
    const run = diagnosis.runs[0]!;
    expect(run.failure_mode).toBe("destination_error");
    expect(run.decisive_error).toContain("AccessDenied");
    expect(run.retries_left).toBe(20);
    expect(run.partition.start).toBe("2026-11-20T00:00:00.000Z");
  });

  it("asks for a new destination when the fix is in its config (PATCH only replaces credentials)", () => {
    const wrongBucket = runsPerDay(exp, [
      { status: "Failed", errors: [NO_SUCH_BUCKET], rows: 0 },
      { status: "Cancelled" },
      { status: "Cancelled" },
      { status: "Cancelled" },
      { status: "Cancelled" },
    ]);
    const d = diagnoseExport({ export: exp, runs: wrongBucket, destination, now: hoursLater(exp, 4) });
    expect(d.failure_mode).toBe("destination_error");
    expect(d.retry_plan?.destination_fixes?.[0]?.field).toBe("config.bucket_name");
    expect(d.retry_plan?.exports.every((e) => e.bulk_export_destination_id === NEW_DESTINATION_PLACEHOLDER)).toBe(true);
  });

  it("reads a missing bucket after files were written as a deleted destination, and re-exports everything", () => {
    const vanished = runsPerDay(exp, [
      completedDay(),
      completedDay(),
      { status: "Failed", errors: [NO_SUCH_BUCKET], rows: 10, files: 1 },
      { status: "Cancelled" },
      { status: "Cancelled" },
    ]);
    const d = diagnoseExport({ export: exp, runs: vanished, destination, now: hoursLater(exp, 4) });
    expect(d.failure_mode).toBe("destination_deleted");
    expect(d.retry_plan?.kind).toBe("recreate_destination_then_restart");
    expect(d.retry_plan?.exports).toHaveLength(1);
    expect(d.retry_plan?.exports[0]).toMatchObject({
      start_time: exp.start_time,
      end_time: exp.end_time,
      bulk_export_destination_id: NEW_DESTINATION_PLACEHOLDER,
    });
  });

  it("re-exports only unfinished partitions when the destination record, not the bucket, is gone", () => {
    const gone = runsPerDay(exp, [
      completedDay(),
      completedDay(),
      { status: "Failed", errors: [`Bulk export destination ${DESTINATION_ID} not found`] },
      { status: "Cancelled" },
      { status: "Cancelled" },
    ]);
    const d = diagnoseExport({ export: exp, runs: gone, now: hoursLater(exp, 4) });
    expect(d.failure_mode).toBe("destination_deleted");
    expect(d.retry_plan?.exports[0]?.start_time).toBe("2026-11-20T00:00:00.000Z");
  });
});

describe("diagnoseExport: run timeouts", () => {
  const timeouts = Array.from({ length: 21 }, () => START_TO_CLOSE);
  const exp = makeExport(3, { status: "Failed", finished_at: toIso(START + 3 * DAY_MS + 90 * HOUR_MS) });
  // Completed days: 1M rows in 1 h (1M rows/h). The failed day checkpointed 3M rows before failing.
  const runs = runsPerDay(exp, [
    completedDay(),
    { status: "Failed", errors: timeouts, rows: 3_000_000, files: 12, wallHours: 84 },
    { status: "Cancelled" },
  ]);
  const diagnosis = diagnoseExport({ export: exp, runs, destination, now: hoursLater(exp, 91) });

  it("classifies a persistent run timeout and proposes smaller exports for the failed day", () => {
    expect(diagnosis.failure_mode).toBe("run_timeout");
    expect(diagnosis.verdict).toMatch(/^Failed: the run for 2026-11-19 timed out 21 times against the 4 h run timeout/);
    expect(diagnosis.retry_plan?.kind).toBe("split_exports");
    expect(diagnosis.runs[0]?.retries_left).toBe(0);
  });

  it("sizes the pieces from observed throughput so each fits under half the run timeout", () => {
    // ≥ 6M rows assumed (twice the checkpoint) at 1M rows/h → 3 pieces of 8 h (2 h of work each).
    const pieces = diagnosis.retry_plan!.exports.filter((e) => e.start_time.startsWith("2026-11-19"));
    expect(pieces.map((p) => [p.start_time, p.end_time])).toEqual([
      ["2026-11-19T00:00:00.000Z", "2026-11-19T08:00:00.000Z"],
      ["2026-11-19T08:00:00.000Z", "2026-11-19T16:00:00.000Z"],
      ["2026-11-19T16:00:00.000Z", "2026-11-20T00:00:00.000Z"],
    ]);
    expect(diagnosis.retry_plan!.exports.at(-1)).toMatchObject({
      start_time: "2026-11-20T00:00:00.000Z",
      end_time: "2026-11-21T00:00:00.000Z",
    });
  });

  it("suggests dropping the heavy fields and adding a filter, and warns about the partial files", () => {
    expect(diagnosis.retry_plan?.field_reduction?.drop).toEqual(["inputs", "outputs", "events", "extra"]);
    expect(diagnosis.retry_plan?.field_reduction?.export_fields).not.toContain("outputs");
    expect(diagnosis.retry_plan?.notes.join(" ")).toContain("no filter");
    expect(diagnosis.retry_plan?.notes.join(" ")).toContain("3,000,000 rows");
  });

  it("falls back to 6 h pieces when no throughput was observed", () => {
    const blind = runsPerDay(exp, [{ status: "Failed", errors: timeouts }, { status: "Cancelled" }, { status: "Cancelled" }]);
    const d = diagnoseExport({ export: exp, runs: blind, now: hoursLater(exp, 91) });
    const first = d.retry_plan!.exports[0]!;
    expect(intervalOf(first).end - intervalOf(first).start).toBe(6 * HOUR_MS);
  });

  it("calls three timeouts in a row on a running export persistent, and one a blip to wait out", () => {
    const running = makeExport(2, { status: "Running" });
    const persistent = runsPerDay(running, [
      completedDay(),
      { status: "Running", errors: [START_TO_CLOSE, START_TO_CLOSE, START_TO_CLOSE], rows: 500_000 },
    ]);
    const p = diagnoseExport({ export: running, runs: persistent, now: hoursLater(running, 13) });
    expect(p.failure_mode).toBe("run_timeout");
    expect(p.retried_automatically).toBe(true);
    expect(p.retry_plan?.kind).toBe("split_exports");
    expect(p.verdict).toContain("will likely fail");

    const blip = runsPerDay(running, [completedDay(), { status: "Running", errors: [START_TO_CLOSE], rows: 500_000 }]);
    const b = diagnoseExport({ export: running, runs: blip, now: hoursLater(running, 5) });
    expect(b.failure_mode).toBe("run_timeout");
    expect(b.retry_plan?.kind).toBe("wait");
  });

  it("takes the last attempt's error as decisive unless an earlier one is more specific", () => {
    const running = makeExport(1, { status: "Running" });
    const mixed = runsPerDay(running, [{ status: "Running", errors: [START_TO_CLOSE, START_TO_CLOSE, CONNECTION_RESET] }]);
    const d = diagnoseExport({ export: running, runs: mixed, now: hoursLater(running, 9) });
    expect(d.runs[0]?.failure_mode).toBe("run_timeout");
    expect(d.runs[0]?.evidence[0]).toContain("retry_1 is decisive");
  });
});

describe("diagnoseExport: workflow timeout", () => {
  const exp = makeExport(10, { status: "TimedOut", finished_at: toIso(START + 10 * DAY_MS + 73 * HOUR_MS) });
  const specs: DaySpec[] = [
    ...Array.from({ length: 6 }, () => completedDay()),
    { status: "TimedOut", rows: 200_000 },
    { status: "TimedOut" },
    { status: "TimedOut" },
    { status: "TimedOut" },
  ];
  const diagnosis = diagnoseExport({ export: exp, runs: runsPerDay(exp, specs), now: hoursLater(exp, 80) });

  it("states both documented workflow timeouts", () => {
    expect(diagnosis.failure_mode).toBe("workflow_timeout");
    expect(diagnosis.retried_automatically).toBe(false);
    expect(diagnosis.verdict).toMatch(
      /^Timed out: the export ran 72 h against the 72 h workflow timeout \(the docs' status table says 48 h\)/,
    );
    expect(diagnosis.progress.workflow_timeout_hours).toBe(72);
    expect(diagnosis.progress.workflow_timeout_documented_hours).toEqual([72, 48]);
    expect(diagnosis.documented_values[0]).toMatch(/workflow timeout: 72 h per .*; 48 h per the TIMEDOUT row/);
  });

  it("re-exports only the four unfinished days, in exports smaller than the original", () => {
    const plan = diagnosis.retry_plan!;
    expect(plan.kind).toBe("split_exports");
    expect(plan.exports[0]?.start_time).toBe("2026-11-24T00:00:00.000Z");
    expect(plan.exports.at(-1)?.end_time).toBe("2026-11-28T00:00:00.000Z");
    for (const e of plan.exports) expect(intervalOf(e).end - intervalOf(e).start).toBeLessThan(10 * DAY_MS);
  });

  it("treats a Running export past its configured workflow timeout as timing out", () => {
    const running = makeExport(2, { status: "Running" });
    const d = diagnoseExport({
      export: running,
      runs: runsPerDay(running, [completedDay(), { status: "Running" }]),
      now: hoursLater(running, 50),
      limits: { workflowTimeoutHours: 48 },
    });
    expect(d.failure_mode).toBe("workflow_timeout");
    expect(d.confidence).toBe("medium");
    expect(d.documented_values[0]).toContain("in force here: 48 h");
  });
});

describe("diagnoseExport: terminal processing errors", () => {
  const exp = makeExport(2, { status: "Failed", finished_at: toIso(START + 2 * DAY_MS + 20 * HOUR_MS) });

  it("splits partitions that ran out of memory into at least four pieces", () => {
    const oom = Array.from({ length: 21 }, () => "worker container terminated: reason=OOMKilled exitCode=137");
    const d = diagnoseExport({
      export: exp,
      runs: runsPerDay(exp, [completedDay(), { status: "Failed", errors: oom, rows: 0 }]),
      now: hoursLater(exp, 21),
    });
    expect(d.failure_mode).toBe("terminal_processing_error");
    expect(d.verdict).toContain("ran out of memory");
    expect(d.retry_plan?.kind).toBe("investigate");
    expect(d.retry_plan?.exports.length).toBeGreaterThanOrEqual(4);
  });

  it("suggests leaving out the field a serialization error names", () => {
    const bad = Array.from({ length: 21 }, () => "pyarrow.lib.ArrowInvalid: Invalid UTF8 payload in column 'outputs' at row 18234");
    const d = diagnoseExport({
      export: exp,
      runs: runsPerDay(exp, [completedDay(), { status: "Failed", errors: bad }]),
      now: hoursLater(exp, 21),
    });
    expect(d.retry_plan?.field_reduction?.drop).toEqual(["outputs"]);
    expect(d.retry_plan?.exports).toHaveLength(1);
  });
});

describe("diagnoseExport: healthy, in progress and queued", () => {
  it("reads a running export with interruptions as needing nothing", () => {
    const exp = makeExport(3);
    const runs = runsPerDay(exp, [completedDay(), { status: "Running", errors: [CONNECTION_RESET], rows: 10_000 }, { status: "Running" }]);
    const d = diagnoseExport({ export: exp, runs, now: hoursLater(exp, 2) });
    expect(d.failure_mode).toBe("infrastructure_interruption");
    expect(d.retried_automatically).toBe(true);
    expect(d.retry_plan?.kind).toBe("wait");
    expect(d.verdict).toContain("Nothing to do");
  });

  it("explains runs queued behind the per-export limit and names the troubleshooting value", () => {
    const days = 88;
    const exp = makeExport(days);
    const specs: DaySpec[] = [
      ...Array.from({ length: 31 }, () => completedDay()),
      ...Array.from({ length: 45 }, () => ({ status: "RUNNING" })),
      ...Array.from({ length: 12 }, () => ({ status: "Created" })),
    ];
    const d = diagnoseExport({ export: exp, runs: runsPerDay(exp, specs), now: hoursLater(exp, 3) });
    expect(d.failure_mode).toBe("none");
    expect(d.progress.queued_runs).toBe(12);
    expect(d.progress.runs_by_status).toEqual({ Completed: 31, Running: 45, Created: 12 });
    expect(d.verdict).toMatch(/^Running: 31\/88 runs complete/);
    expect(d.verdict).toContain(
      "12 runs wait as Created behind the per-export limit of 45 concurrent runs (45 running; the troubleshooting steps say 5)",
    );
  });

  it("says the workspace is at its concurrent-export limit and names the exports holding it", () => {
    const exp = makeExport(2, { status: "Created" });
    const others = Array.from({ length: 15 }, (_, i) => makeExport(1, { id: `other-${i}`, status: "Running" }));
    const d = diagnoseExport({ export: exp, runs: [], now: hoursLater(exp, 5), workspaceExports: [exp, ...others] });
    expect(d.failure_mode).toBe("none");
    expect(d.verdict).toMatch(
      /^Created, not started: the workspace is at its limit of 15 concurrent exports \(the troubleshooting steps say 3\)/,
    );
    expect(d.verdict).toContain("other-0, other-1");
    expect(d.retry_plan?.kind).toBe("wait");
  });

  it("reads a completed export as healthy with nothing to do", () => {
    const exp = makeExport(2, { status: "COMPLETED", finished_at: toIso(START + 2 * DAY_MS + 3 * HOUR_MS) });
    const d = diagnoseExport({ export: exp, runs: runsPerDay(exp, [completedDay(), completedDay(2)]), now: hoursLater(exp, 4) });
    expect(d.status).toBe("Completed");
    expect(d.failure_mode).toBe("none");
    expect(d.verdict).toBe("Completed: all 2 runs exported 1,000,002 rows in 8 files.");
    expect(d.retry_plan).toBeNull();
    expect(d.remediation).toEqual([]);
  });

  it("says a cancelled export cannot be restarted and plans the partitions it did not finish", () => {
    const exp = makeExport(4, { status: "Cancelled", finished_at: toIso(START + 4 * DAY_MS + 2 * HOUR_MS) });
    const d = diagnoseExport({
      export: exp,
      runs: runsPerDay(exp, [completedDay(), completedDay(), { status: "Cancelled", rows: 5 }, { status: "Cancelled" }]),
      now: hoursLater(exp, 3),
    });
    expect(d.verdict).toMatch(/^Cancelled: a cancelled export cannot be restarted/);
    expect(d.retry_plan?.kind).toBe("recreate_export");
    expect(d.retry_plan?.exports).toEqual([
      expect.objectContaining({ start_time: "2026-11-20T00:00:00.000Z", end_time: "2026-11-22T00:00:00.000Z" }),
    ]);
  });

  it("refuses to guess a cause for an error no signature explains", () => {
    const exp = makeExport(1, { status: "Failed", finished_at: toIso(START + DAY_MS + 2 * HOUR_MS) });
    const d = diagnoseExport({
      export: exp,
      runs: runsPerDay(exp, [{ status: "Failed", errors: ["ValueError: invalid literal for int() with base 10: 'abc'"] }]),
      now: hoursLater(exp, 3),
    });
    expect(d.failure_mode).toBe("unknown");
    expect(d.confidence).toBe("low");
    expect(d.retry_plan?.kind).toBe("investigate");
  });
});

/* ---------------------------------------------------------------- properties */

const totalMs = (intervals: readonly Interval[]): number => intervals.reduce((s, i) => s + i.end - i.start, 0);

/** An export of 1..20 days with a random set of completed days and a failing day. */
const scenario = fc
  .record({
    days: fc.integer({ min: 1, max: 20 }),
    completedMask: fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
    failingDay: fc.nat(),
    rowsPerHour: fc.integer({ min: 0, max: 5_000_000 }),
    checkpoint: fc.integer({ min: 0, max: 50_000_000 }),
    timeouts: fc.integer({ min: 1, max: 21 }),
    mode: fc.constantFrom("timeout", "destination", "oom", "workflow"),
  })
  .map((s) => ({ ...s, failingDay: s.failingDay % s.days }));

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function scenarioDiagnosis(s: Scenario): { exp: BulkExport; d: ExportDiagnosis; unfinished: Interval[] } {
  const error = { timeout: START_TO_CLOSE, destination: ACCESS_DENIED, oom: "MemoryError", workflow: START_TO_CLOSE }[s.mode];
  const exp = makeExport(s.days, {
    status: s.mode === "workflow" ? "TimedOut" : "Failed",
    finished_at: toIso(START + s.days * DAY_MS + 100 * HOUR_MS),
  });
  const specs: DaySpec[] = Array.from({ length: s.days }, (_, day) => {
    if (day === s.failingDay)
      return { status: "Failed", errors: Array.from({ length: s.timeouts }, () => error), rows: s.checkpoint, wallHours: 4 * s.timeouts };
    if (s.completedMask[day]) return { status: "Completed", rows: s.rowsPerHour, files: 1, wallHours: 1 };
    return { status: "Cancelled" };
  });
  const d = diagnoseExport({ export: exp, runs: runsPerDay(exp, specs), destination, now: hoursLater(exp, 101) });
  const unfinished = mergeIntervals(
    specs.flatMap((spec, day) => (spec.status === "Completed" ? [] : [{ start: START + day * DAY_MS, end: START + (day + 1) * DAY_MS }])),
  );
  return { exp, d, unfinished };
}

describe("retry plan invariants (properties)", () => {
  it("covers exactly the unfinished partitions with contiguous, non-overlapping exports, each smaller than the original", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { d, unfinished } = scenarioDiagnosis(s);
        const plan = d.retry_plan!;
        const pieces = plan.exports.map(intervalOf).sort((a, b) => a.start - b.start);
        for (const p of pieces) expect(p.start).toBeLessThan(p.end);
        for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.start).toBeGreaterThanOrEqual(pieces[i - 1]!.end);
        expect(mergeIntervals(pieces)).toEqual(unfinished);
        expect(totalMs(pieces)).toBe(totalMs(unfinished));
        if (s.mode !== "destination") for (const p of pieces) expect(p.end - p.start).toBeLessThan(s.days * DAY_MS);
      }),
      { numRuns: 300 },
    );
  });

  it("cuts a timed-out partition into pieces shorter than the partition", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        if (s.mode !== "timeout" && s.mode !== "oom") return;
        const { d } = scenarioDiagnosis(s);
        const failing = { start: START + s.failingDay * DAY_MS, end: START + (s.failingDay + 1) * DAY_MS };
        const inside = d.retry_plan!.exports.map(intervalOf).filter((p) => p.start >= failing.start && p.end <= failing.end);
        expect(inside.length).toBeGreaterThanOrEqual(s.mode === "oom" ? 4 : 2);
        for (const p of inside) expect(p.end - p.start).toBeLessThan(DAY_MS);
      }),
      { numRuns: 200 },
    );
  });

  it("lets no secret from an error text, or given by the caller, survive in any output string", () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9/+]{24,40}$/);
    const accessKey = fc.stringMatching(/^AKIA[A-Z0-9]{16}$/);
    fc.assert(
      fc.property(
        secret,
        accessKey,
        secret,
        fc.constantFrom(ACCESS_DENIED, START_TO_CLOSE, "ValueError: boom"),
        (secretKey, keyId, known, base) => {
          const exp = makeExport(2, { status: "Failed", finished_at: toIso(START + 2 * DAY_MS + 5 * HOUR_MS) });
          const text =
            `${base} aws_access_key_id=${keyId} aws_secret_access_key=${secretKey} X-Amz-Signature=${secretKey} ` +
            `<AWSAccessKeyId>${keyId}</AWSAccessKeyId> token ${known}`;
          const runs = runsPerDay(exp, [completedDay(), { status: "Failed", errors: [text, text] }]);
          const out = JSON.stringify(diagnoseExport({ export: exp, runs, destination, now: hoursLater(exp, 6), secrets: [known] }));
          expect(out).not.toContain(secretKey);
          expect(out).not.toContain(keyId);
          expect(out).not.toContain(known);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("diagnoseExport reads what newer LangSmith versions send", () => {
  it("says it does not know a status, keeps it as sent, and does not read a long pause as a workflow timeout", () => {
    const exp = makeExport(2, { status: "Paused" });
    const runs = runsPerDay(exp, [completedDay(), { status: "Paused" }]);
    const d = diagnoseExport({ export: exp, runs, now: new Date(parseUtc(exp.created_at) + 100 * HOUR_MS) });
    expect(d.status).toBe("Paused");
    expect(d.failure_mode).toBe("none");
    expect(d.verdict).toMatch(/^LangSmith reports status "Paused", which this server does not know/);
    expect(d.confidence).toBe("medium");
    expect(d.evidence.join("\n")).toContain('Run statuses this server does not know: "Paused" (1 run)');
    expect(d.progress.runs_by_status).toEqual({ Completed: 1, Paused: 1 });
  });

  it("plans an all-experiments export's replacements with all_experiments instead of a session_id", () => {
    const exp = makeExport(2, { session_id: null, status: "Failed", finished_at: toIso(START + 3 * DAY_MS) });
    const runs = runsPerDay(exp, [completedDay(), { status: "Failed", errors: [ACCESS_DENIED], rows: 0, wallHours: 1 }]);
    const d = diagnoseExport({ export: exp, runs, now: new Date(START + 4 * DAY_MS) });
    expect(d.failure_mode).toBe("destination_error");
    expect(d.evidence).toContain("Scope: all experiments of the workspace (no project).");
    const planned = d.retry_plan?.exports ?? [];
    expect(planned.length).toBeGreaterThan(0);
    for (const p of planned) {
      expect(p.all_experiments).toBe(true);
      expect(p).not.toHaveProperty("session_id");
    }
  });

  it("classifies error objects and numbers recorded by a run", () => {
    const exp = makeExport(1, { status: "Failed", finished_at: toIso(START + 2 * DAY_MS) });
    const [run] = runsPerDay(exp, [{ status: "Failed", rows: 0, wallHours: 1 }]);
    run!.errors = {
      retry_0: 503,
      retry_1: {
        message: "An error occurred (AccessDenied) when calling the PutObject operation: Access Denied",
        type: "ClientError",
        retry_number: 1,
      },
    };
    const d = diagnoseExport({ export: exp, runs: [run!], now: new Date(START + 3 * DAY_MS) });
    expect(d.failure_mode).toBe("destination_error");
    expect(d.runs[0]?.decisive_error).toMatch(/^ClientError: An error occurred \(AccessDenied\)/);
  });
});

/*
 * Seed 000, "Failure modes and retry policy": each run has its own budget of 20 retries; "if a
 * run fails after exhausting all retries, the entire export is marked as FAILED"; interruptions,
 * run timeouts and terminal processing errors are retried automatically, storage errors are not.
 * The expectations below are read from that table, not from the code.
 */
describe("diagnoseExport: the run's status and retry counts come before its error text", () => {
  const interruptions = (n: number) => Array.from({ length: n }, () => CONNECTION_RESET);

  it("a Running export whose run Failed after all 20 retries will fail: not retried by itself, and a plan to re-export", () => {
    const exp = makeExport(3);
    const runs = runsPerDay(exp, [
      completedDay(),
      { status: "Failed", errors: interruptions(21), retryNumber: 20, rows: 10_000 },
      { status: "Running" },
    ]);
    const d = diagnoseExport({ export: exp, runs, now: hoursLater(exp, 30) });
    expect(d.failure_mode).toBe("infrastructure_interruption");
    expect(d.retried_automatically).toBe(false);
    expect(d.verdict).toMatch(
      /^Running, but will fail: the run for 2026-11-19 was interrupted on every attempt \(21\) until its retries ran out/,
    );
    expect(d.verdict).not.toContain("Nothing to do");
    expect(d.retry_plan?.kind).toBe("recreate_export");
    expect(d.runs[0]?.evidence.join(" ")).toContain(
      "0 of 20 retries left (every retry used: the run failed for good, and the export with it)",
    );
  });

  it("a run on its last attempt (retry_number 20) is no longer retried by itself; one more failure fails the export", () => {
    const exp = makeExport(3);
    const runs = runsPerDay(exp, [
      completedDay(),
      { status: "Running", errors: interruptions(20), retryNumber: 20, rows: 10_000 },
      { status: "Running" },
    ]);
    const d = diagnoseExport({ export: exp, runs, now: hoursLater(exp, 30) });
    expect(d.failure_mode).toBe("infrastructure_interruption");
    expect(d.retried_automatically).toBe(false);
    expect(d.verdict).toContain("is on its last attempt (0 of 20 retries left): if it fails again, the run fails and the export with it");
    expect(d.verdict).toContain("Nothing to do yet");
    expect(d.retry_plan?.kind).toBe("wait");
    expect(d.retry_plan?.summary).toMatch(/last attempt.*If it fails, the export fails/);
  });

  it("the same interruptions with retries left are retried by itself, with nothing to do", () => {
    const exp = makeExport(3);
    const runs = runsPerDay(exp, [
      completedDay(),
      { status: "Running", errors: interruptions(2), retryNumber: 2, rows: 10_000 },
      { status: "Running" },
    ]);
    const d = diagnoseExport({ export: exp, runs, now: hoursLater(exp, 3) });
    expect(d.retried_automatically).toBe(true);
    expect(d.verdict).toContain("is retried automatically from its checkpoint. Nothing to do.");
    expect(d.runs[0]?.evidence.join(" ")).toContain("18 of 20 retries left (LangSmith retries it by itself)");
  });

  it("a Failed run with retries left is not said to have used them up, and the text's family is held less surely", () => {
    const exp = makeExport(2, { status: "Failed", finished_at: toIso(START + 2 * DAY_MS + 5 * HOUR_MS) });
    const runs = runsPerDay(exp, [completedDay(), { status: "Failed", errors: interruptions(3), retryNumber: 2, rows: 0 }]);
    const d = diagnoseExport({ export: exp, runs, now: hoursLater(exp, 6) });
    expect(d.failure_mode).toBe("infrastructure_interruption");
    expect(d.confidence).toBe("medium");
    expect(d.verdict).toMatch(
      new RegExp(
        "^Failed: the run for 2026-11-19 failed after 3 attempts, with 18 of 20 retries left; its errors read as interruptions, " +
          "which LangSmith retries by itself, so it stopped early",
      ),
    );
    expect(d.verdict).not.toContain("until its retries ran out");
    expect(d.retry_plan?.kind).toBe("recreate_export");
  });

  it("a run timeout on the last attempt says so instead of 'retries it from its checkpoint'", () => {
    const exp = makeExport(2);
    const runs = runsPerDay(exp, [
      completedDay(),
      { status: "Running", errors: [CONNECTION_RESET, CONNECTION_RESET, START_TO_CLOSE], retryNumber: 20, rows: 1_000 },
    ]);
    const d = diagnoseExport({ export: exp, runs, now: hoursLater(exp, 40) });
    expect(d.failure_mode).toBe("run_timeout");
    expect(d.retried_automatically).toBe(false);
    expect(d.verdict).toContain("timed out 1 time against the 4 h run timeout and is on its last attempt (0 of 20 retries left)");
    expect(d.retry_plan?.kind).toBe("split_exports");
  });

  it("between a run still retrying and one that failed for good, the failed one decides the Running export's verdict", () => {
    const exp = makeExport(3);
    const oom = Array.from({ length: 21 }, () => "worker container terminated: reason=OOMKilled exitCode=137");
    const runs = runsPerDay(exp, [
      { status: "Running", errors: interruptions(1), retryNumber: 1 },
      { status: "Failed", errors: oom, retryNumber: 20, rows: 0 },
      completedDay(),
    ]);
    const d = diagnoseExport({ export: exp, runs, now: hoursLater(exp, 30) });
    expect(d.failure_mode).toBe("terminal_processing_error");
    expect(d.retried_automatically).toBe(false);
    expect(d.verdict).toMatch(/^Running, but will fail: the run for 2026-11-19 ran out of memory after 21 attempts, all 20 retries used/);
  });

  it("a Failed export's run timeout that stopped with retries left says LangSmith stopped retrying, not that it exhausted them", () => {
    const exp = makeExport(2, { status: "Failed", finished_at: toIso(START + 2 * DAY_MS + 20 * HOUR_MS) });
    const runs = runsPerDay(exp, [
      completedDay(),
      { status: "Failed", errors: [START_TO_CLOSE, START_TO_CLOSE], retryNumber: 1, rows: 100 },
    ]);
    const d = diagnoseExport({ export: exp, runs, now: hoursLater(exp, 21) });
    expect(d.failure_mode).toBe("run_timeout");
    expect(d.verdict).toContain(
      "timed out 2 times against the 4 h run timeout and LangSmith stopped retrying it with 19 of 20 retries left",
    );
    expect(d.verdict).not.toContain("exhausted its retries");
  });
});
