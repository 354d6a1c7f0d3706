/**
 * Retry plans: the exact `create_export` arguments that finish a failed export, sized so each
 * new export fits well inside the limits that stopped the old one.
 *
 * Sizing heuristic (run and workflow timeouts, memory exhaustion):
 * - throughput = rows per processing hour observed on Completed runs (rows_written over their
 *   wall-clock time), else on any run that wrote rows; density = rows per hour of data on
 *   Completed partitions;
 * - a partition that timed out still had work left when its attempt ended, so it is assumed to
 *   hold at least twice the rows its checkpoint shows, and never less than the density predicts;
 * - pieces are sized so the expected work of one stays under PLAN_TARGET_FRACTION of the run
 *   timeout, picking the largest of 12, 8, 6, 4, 3, 2, 1, 0.5, 0.25 hours that fits; a
 *   partition that timed out is always split at least in two;
 * - every piece becomes its own export, because LangSmith runs each export's UTC day as one
 *   run: a 6 h export is a 6 h run. Partitions that did not time out stay whole, joined into
 *   contiguous exports (for a workflow timeout, of at most as many days as fit the timeout).
 * Completed partitions are never exported again (their rows are in the bucket), except when the
 * bucket itself was deleted.
 */
import type { RunAnalysis } from "./run-analysis.js";
import { preRetryCheck } from "./pre-retry-check.js";
import { EXPORTABLE_RUN_FIELDS, HEAVY_RUN_FIELDS, otherDocumentedValues } from "./tables.js";
import {
  DAY_MS,
  HOUR_MS,
  chunkInterval,
  describeInterval,
  hoursOf,
  mergeIntervals,
  parseUtc,
  splitAtUtcDays,
  subtractIntervals,
  toIso,
  type Interval,
} from "./time-ranges.js";
import type { BulkExport, Destination, DestinationField, ExportFailureMode, ExportLimits, PlannedExport, RetryPlan } from "./types.js";

/** Each new export's expected work stays under this share of the run timeout. */
export const PLAN_TARGET_FRACTION = 0.5;
/** Without any throughput observed, a timed-out partition is cut into this many pieces (6 h for a day). */
export const SPLIT_WITHOUT_THROUGHPUT = 4;
/** After memory exhaustion, at least this many pieces: memory grows with the rows of a run. */
export const MIN_SPLIT_AFTER_OOM = 4;
const PIECE_HOURS_LADDER: readonly number[] = [24, 12, 8, 6, 4, 3, 2, 1, 0.5, 0.25];

/** An export without a project covers all experiments; its replacements must too. */
export const ALL_EXPERIMENTS_NOTE =
  "The export covers all experiments of the workspace (no project): each planned export carries all_experiments: true instead of a " +
  "session_id, as POST /api/v1/bulk-exports takes it.";

/** Marks the destination id a plan cannot know yet. */
export const NEW_DESTINATION_PLACEHOLDER = "<id of the new destination: create it first>";

export interface PlanInput {
  export: BulkExport;
  analyses: readonly RunAnalysis[];
  mode: ExportFailureMode;
  /** The export has stopped (Failed, TimedOut, Cancelled) or will fail without help. */
  ended: boolean;
  /** Run timeouts are persistent (retries gone or several in a row). */
  persistent: boolean;
  /** The deciding run is on its last attempt: one more failure fails the export. */
  lastAttempt?: boolean;
  destination?: Destination | null;
  limits: ExportLimits;
  /** Why runs or the export wait as Created, when they do. */
  queuedReason?: string;
}

/** The export's whole range; open-ended (scheduled) exports use the span of their runs. */
export function exportRange(exp: BulkExport, analyses: readonly RunAnalysis[]): Interval | null {
  const start = parseUtc(exp.start_time);
  const runEnds = analyses.map((a) => a.partition.end).filter(Number.isFinite);
  const end = exp.end_time ? parseUtc(exp.end_time) : runEnds.length > 0 ? Math.max(...runEnds) : Number.NaN;
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return null;
  return { start, end };
}

/** The export's range minus Completed runs' partitions, cut at UTC days. */
export function unfinishedPartitions(exp: BulkExport, analyses: readonly RunAnalysis[]): Interval[] {
  const range = exportRange(exp, analyses);
  if (!range) return [];
  const completed = analyses.filter((a) => a.status === "completed").map((a) => a.partition);
  return splitAtUtcDays(subtractIntervals(range, completed));
}

interface Throughput {
  rowsPerHour: number | null;
  rowsPerDataHour: number | null;
}

function observeThroughput(analyses: readonly RunAnalysis[]): Throughput {
  const rate = (runs: readonly RunAnalysis[]): number | null => {
    const timed = runs.filter((a) => a.rowsWritten > 0 && a.wallHours !== null && a.wallHours > 0);
    const hours = timed.reduce((sum, a) => sum + (a.wallHours ?? 0), 0);
    return hours > 0 ? timed.reduce((sum, a) => sum + a.rowsWritten, 0) / hours : null;
  };
  const completed = analyses.filter((a) => a.status === "completed");
  const dataHours = completed.reduce((sum, a) => sum + hoursOf(a.partition), 0);
  return {
    rowsPerHour: rate(completed) ?? rate(analyses),
    rowsPerDataHour: dataHours > 0 ? completed.reduce((sum, a) => sum + a.rowsWritten, 0) / dataHours : null,
  };
}

const overlaps = (a: Interval, b: Interval): boolean => a.start < b.end && b.start < a.end;

function runFor(partition: Interval, analyses: readonly RunAnalysis[]): RunAnalysis | undefined {
  return analyses.find((a) => a.status !== "completed" && overlaps(a.partition, partition));
}

/** Memory, disk or handles ran out: smaller slices hold less at once. */
const isOutOfMemory = (a: RunAnalysis | undefined): boolean =>
  a?.decisive?.signature?.category === "out_of_memory" || a?.decisive?.signature?.category === "resource_exhaustion";
const timedOut = (a: RunAnalysis | undefined): boolean => !!a && (a.timeoutAttempts > 0 || a.status === "timedout");

interface SizedPieces {
  pieces: Interval[];
  note: string;
}

/** Cuts one troubled partition into pieces whose expected work fits the target. */
function splitTroubledPartition(
  partition: Interval,
  run: RunAnalysis | undefined,
  throughput: Throughput,
  limits: ExportLimits,
): SizedPieces {
  const hours = hoursOf(partition);
  const targetHours = PLAN_TARGET_FRACTION * limits.runTimeoutHours;
  const written = run?.rowsWritten ?? 0;
  const estimatedRows = Math.max(
    throughput.rowsPerDataHour !== null ? throughput.rowsPerDataHour * hours : 0,
    timedOut(run) ? 2 * written : written,
  );
  const rate = throughput.rowsPerHour;
  let split = rate !== null && rate > 0 && estimatedRows > 0 ? Math.ceil(estimatedRows / (rate * targetHours)) : SPLIT_WITHOUT_THROUGHPUT;
  split = Math.max(split, 2, isOutOfMemory(run) ? MIN_SPLIT_AFTER_OOM : 2);
  const fitting = PIECE_HOURS_LADDER.find((h) => h <= hours / split && h < hours);
  const pieceHours = fitting ?? PIECE_HOURS_LADDER[PIECE_HOURS_LADDER.length - 1]!;
  const pieces = chunkInterval(partition, pieceHours * HOUR_MS);
  const basis =
    rate !== null && estimatedRows > 0
      ? `about ${Math.round(estimatedRows).toLocaleString("en-US")} rows at ${Math.round(rate).toLocaleString("en-US")} rows/h ` +
        `observed → ${pieceHours} h pieces, about ${((estimatedRows * (pieceHours / hours)) / rate).toFixed(1)} h of work each (target ` +
        `≤ ${targetHours} h, ${PLAN_TARGET_FRACTION * 100}% of the ${limits.runTimeoutHours} h run timeout)`
      : `no throughput observed → ${pieceHours} h pieces (${SPLIT_WITHOUT_THROUGHPUT} per day by default)`;
  const overflow = fitting === undefined ? "; even these are expected to exceed the target, so also drop heavy fields or add a filter" : "";
  return { pieces, note: `${describeInterval(partition)}: ${basis}${overflow}.` };
}

/** Days per export for partitions that did not time out, after a workflow timeout. */
function daysPerExport(original: Interval, throughput: Throughput, limits: ExportLimits): number {
  const originalDays = Math.max(1, Math.ceil(hoursOf(original) / 24));
  const smallerThanOriginal = Math.max(1, Math.floor(originalDays / 2));
  const { rowsPerHour, rowsPerDataHour } = throughput;
  if (rowsPerHour === null || rowsPerDataHour === null || rowsPerDataHour <= 0) return smallerThanOriginal;
  const fitting = Math.floor((PLAN_TARGET_FRACTION * limits.workflowTimeoutHours * rowsPerHour) / (rowsPerDataHour * 24));
  return Math.max(1, Math.min(fitting, smallerThanOriginal));
}

function plannedExport(exp: BulkExport, interval: Interval, destinationId: string): PlannedExport {
  const planned: PlannedExport = {
    ...(exp.session_id ? { session_id: exp.session_id } : { all_experiments: true as const }),
    bulk_export_destination_id: destinationId,
    start_time: toIso(interval.start),
    end_time: toIso(interval.end),
  };
  if (exp.filter) planned.filter = exp.filter;
  if (exp.export_fields && exp.export_fields.length > 0) planned.export_fields = [...exp.export_fields];
  if (exp.format_version) planned.format_version = exp.format_version;
  if (exp.compression) planned.compression = exp.compression;
  return planned;
}

/** Heavy fields to leave out: those an error names, else all heavy fields still exported. */
function fieldReduction(exp: BulkExport, analyses: readonly RunAnalysis[], why: string): RetryPlan["field_reduction"] {
  const exported = exp.export_fields && exp.export_fields.length > 0 ? exp.export_fields : [...EXPORTABLE_RUN_FIELDS];
  const heavyExported = HEAVY_RUN_FIELDS.filter((f) => exported.includes(f));
  const named = heavyExported.filter((field) =>
    analyses.some((a) => a.decisive && new RegExp(`['"\\s(]${field}['"\\s),.]`).test(a.decisive.text)),
  );
  const drop = named.length > 0 ? named : heavyExported;
  if (drop.length === 0) return undefined;
  return { drop, export_fields: exported.filter((f) => !drop.includes(f)), why };
}

function scopeNotes(exp: BulkExport, exportsCount: number, limits: ExportLimits): string[] {
  const notes: string[] = [];
  if (!exp.filter)
    notes.push('The export had no filter: adding one (for example eq(is_root, true) or eq(run_type, "llm")) narrows every piece further.');
  if (exportsCount > limits.maxConcurrentExportsPerWorkspace) {
    const other = otherDocumentedValues("maxConcurrentExportsPerWorkspace", limits.maxConcurrentExportsPerWorkspace);
    notes.push(
      `${exportsCount} exports: at most ${limits.maxConcurrentExportsPerWorkspace} run at once per ` +
        `workspace${other.length > 0 ? ` (the troubleshooting steps say ${other.join(", ")})` : ""}; the rest wait as Created, which is ` +
        `expected.`,
    );
  }
  return notes;
}

function duplicateNote(exp: BulkExport, analyses: readonly RunAnalysis[], replanned: readonly Interval[]): string[] {
  const partial = analyses.filter((a) => a.status !== "completed" && a.rowsWritten > 0 && replanned.some((p) => overlaps(p, a.partition)));
  if (partial.length === 0) return [];
  const rows = partial.reduce((sum, a) => sum + a.rowsWritten, 0);
  return [
    `Export ${exp.id} already wrote ${rows.toLocaleString("en-US")} rows for ${partial.length} of these partitions (under ` +
      `export_id=${exp.id}/); the new exports write them again under their own export_id, so drop those partial files or deduplicate on ` +
      `run id.`,
  ];
}

function splitPlan(
  input: PlanInput,
  partitions: readonly Interval[],
  minSplitReason: "timeout" | "memory",
): { exports: PlannedExport[]; notes: string[] } {
  const { export: exp, analyses, limits } = input;
  const throughput = observeThroughput(analyses);
  const original = exportRange(exp, analyses) ?? { start: 0, end: 0 };
  const troubled = (p: Interval): boolean => {
    const run = runFor(p, analyses);
    return minSplitReason === "memory" ? isOutOfMemory(run) : timedOut(run);
  };

  const pieces: Interval[] = [];
  const notes: string[] = [];
  const wholeBlocks: Interval[] = [];
  const flushWhole = (): void => {
    const perExport = input.mode === "workflow_timeout" ? daysPerExport(original, throughput, limits) : Number.POSITIVE_INFINITY;
    for (const block of mergeIntervals(wholeBlocks)) {
      const chunks = Number.isFinite(perExport) ? chunkDays(block, perExport) : [block];
      pieces.push(...chunks);
    }
    wholeBlocks.length = 0;
  };
  for (const partition of partitions) {
    if (!troubled(partition)) {
      wholeBlocks.push(partition);
      continue;
    }
    flushWhole();
    const sized = splitTroubledPartition(partition, runFor(partition, analyses), throughput, limits);
    pieces.push(...sized.pieces);
    notes.push(sized.note);
  }
  flushWhole();
  // A piece as long as the whole original export would repeat the failure: halve it.
  const bounded = pieces.flatMap((p) =>
    hoursOf(p) >= hoursOf(original) && hoursOf(p) > 0.25 ? chunkInterval(p, Math.max(0.25 * HOUR_MS, (p.end - p.start) / 2)) : [p],
  );
  return { exports: bounded.map((p) => plannedExport(exp, p, exp.bulk_export_destination_id)), notes };
}

/** Cuts a block at UTC midnights into exports of at most `days` partitions. */
function chunkDays(block: Interval, days: number): Interval[] {
  const out: Interval[] = [];
  let start = block.start;
  while (start < block.end) {
    const dayStart = Math.floor(start / DAY_MS) * DAY_MS;
    const end = Math.min(block.end, dayStart + days * DAY_MS);
    out.push({ start, end });
    start = end;
  }
  return out;
}

function blockExports(exp: BulkExport, intervals: readonly Interval[], destinationId: string): PlannedExport[] {
  return mergeIntervals(intervals).map((i) => plannedExport(exp, i, destinationId));
}

function destinationFixes(analyses: readonly RunAnalysis[]): Array<{ field: DestinationField; why: string }> {
  const fixes = new Map<DestinationField, string>();
  for (const a of analyses) {
    const signature = a.decisive?.signature;
    if (!signature || (signature.mode !== "destination_error" && signature.mode !== "destination_deleted")) continue;
    for (const field of signature.fields ?? []) if (!fixes.has(field)) fixes.set(field, signature.hint);
  }
  return [...fixes].map(([field, why]) => ({ field, why }));
}

const recreatedWhen = (input: PlanInput): string =>
  input.ended ? "" : " once the export has failed (storage errors are not retried), or after cancelling it now";

type PlanBuilder = (input: PlanInput, unfinished: Interval[]) => RetryPlan | null;

const waitPlan = (summary: string): RetryPlan => ({ kind: "wait", summary, exports: [], notes: [] });

const PLAN_BUILDERS: Readonly<Record<ExportFailureMode, PlanBuilder>> = {
  none: (input, unfinished) => {
    if (input.ended && unfinished.length > 0) {
      const exports = blockExports(input.export, unfinished, input.export.bulk_export_destination_id);
      return {
        kind: "recreate_export",
        summary:
          `A cancelled export cannot be restarted: create ${exports.length} new export(s) for the ${unfinished.length} ` +
          `partition(s) that did not complete.`,
        exports,
        notes: duplicateNote(input.export, input.analyses, unfinished),
      };
    }
    return input.queuedReason ? waitPlan(`Nothing to fix: ${input.queuedReason}`) : null;
  },

  infrastructure_interruption: (input, unfinished) => {
    if (!input.ended && input.lastAttempt) {
      return waitPlan(
        "Nothing to do yet: the interrupted run is on its last attempt. If it fails, the export fails: call diagnose_export again for " +
          "the new exports that cover the unfinished partitions.",
      );
    }
    if (!input.ended)
      return waitPlan("Nothing to do: interrupted runs are requeued with their remaining retries and resume from their checkpoints.");
    const exports = blockExports(input.export, unfinished, input.export.bulk_export_destination_id);
    return {
      kind: "recreate_export",
      summary:
        `The export stopped after repeated interruptions; create ${exports.length} new export(s) for the ${unfinished.length} ` +
        `unfinished partition(s).`,
      exports,
      notes: duplicateNote(input.export, input.analyses, unfinished),
    };
  },

  run_timeout: (input, unfinished) => {
    if (!input.ended && !input.persistent)
      return waitPlan("A run timed out and is being retried from its checkpoint; act only if the timeouts persist.");
    const { exports, notes } = splitPlan(input, unfinished, "timeout");
    return {
      kind: "split_exports",
      summary:
        `${input.ended ? "Create" : "If the timeouts continue, cancel the export and create"} these ${exports.length} smaller ` +
        `exports covering the ${unfinished.length} unfinished partition(s); each is sized to finish well within the ` +
        `${input.limits.runTimeoutHours} h run timeout.`,
      exports,
      field_reduction: fieldReduction(
        input.export,
        input.analyses,
        "inputs, outputs, events and extra carry most of each run's bytes; leaving them out shortens every run.",
      ),
      notes: [
        ...notes,
        ...scopeNotes(input.export, exports.length, input.limits),
        ...duplicateNote(input.export, input.analyses, unfinished),
      ],
    };
  },

  workflow_timeout: (input, unfinished) => {
    const { exports, notes } = splitPlan(input, unfinished, "timeout");
    return {
      kind: "split_exports",
      summary:
        `Create these ${exports.length} smaller exports covering only the ${unfinished.length} unfinished partition(s); ` +
        `completed partitions are already in the bucket.`,
      exports,
      field_reduction: fieldReduction(input.export, input.analyses, "smaller rows make every run, and so the whole export, finish sooner."),
      notes: [
        ...notes,
        ...scopeNotes(input.export, exports.length, input.limits),
        ...duplicateNote(input.export, input.analyses, unfinished),
      ],
    };
  },

  destination_error: (input, unfinished) => {
    const fixes = destinationFixes(input.analyses);
    // PATCH replaces credentials only (contract §4.1): a config fix needs a new destination.
    const needsNewDestination = fixes.length > 0 && fixes[0]!.field.startsWith("config.");
    const destinationId = needsNewDestination ? NEW_DESTINATION_PLACEHOLDER : input.export.bulk_export_destination_id;
    const exports = blockExports(input.export, unfinished, destinationId);
    const how = needsNewDestination
      ? "create_destination with the corrected config (a rotation only replaces credentials)"
      : `fix the destination (rotate_destination_credentials on destination ${input.export.bulk_export_destination_id}, or grant write ` +
        `access)`;
    return {
      kind: "fix_destination_then_recreate",
      summary:
        `Run the test write, ${how}, then create ${exports.length} export(s) for the ${unfinished.length} unfinished ` +
        `partition(s)${recreatedWhen(input)}.`,
      exports,
      destination_fixes: fixes,
      pre_retry_check: preRetryCheck(input.destination),
      notes: duplicateNote(input.export, input.analyses, unfinished),
    };
  },

  destination_deleted: (input, unfinished) => {
    const recordGone = input.analyses.some((a) => a.decisive?.signature?.category === "destination_record_missing");
    const range = exportRange(input.export, input.analyses);
    // A deleted bucket took the completed partitions' files with it; a deleted record did not.
    const covered = recordGone || !range ? unfinished : splitAtUtcDays([range]);
    const exports = blockExports(input.export, covered, NEW_DESTINATION_PLACEHOLDER);
    return {
      kind: "recreate_destination_then_restart",
      summary: recordGone
        ? `The destination record is gone: create a new destination, then ${exports.length} export(s) with its id for the ` +
          `${covered.length} unfinished partition(s).`
        : `The bucket was deleted during the export, and with it the files already written: recreate the bucket and a destination for ` +
          `it, then export the whole range again (${exports.length} export(s)).`,
      exports,
      pre_retry_check: preRetryCheck(input.destination),
      notes: [`Replace ${NEW_DESTINATION_PLACEHOLDER} with the id create_destination returns.`],
    };
  },

  terminal_processing_error: (input, unfinished) => {
    const memory = input.analyses.some((a) => isOutOfMemory(a));
    const planned = memory
      ? splitPlan(input, unfinished, "memory")
      : { exports: blockExports(input.export, unfinished, input.export.bulk_export_destination_id), notes: [] };
    return {
      kind: "investigate",
      summary: memory
        ? `Workers ran out of memory: ${input.ended ? "" : "if it keeps failing, cancel it and "}re-export the ${unfinished.length} ` +
          `unfinished partition(s) as ${planned.exports.length} smaller exports with fewer fields.`
        : `Data in these partitions cannot be serialized: ${input.ended ? "" : "if it keeps failing, cancel and "}re-export them ` +
          `without the failing field (see field_reduction) or with a filter that excludes the offending runs.`,
      exports: planned.exports,
      field_reduction: fieldReduction(
        input.export,
        input.analyses,
        memory
          ? "fewer columns means smaller record batches in memory."
          : "the failing values sit in free-form fields; export them separately or not at all.",
      ),
      notes: [
        ...planned.notes,
        ...scopeNotes(input.export, planned.exports.length, input.limits),
        ...duplicateNote(input.export, input.analyses, unfinished),
      ],
    };
  },

  unknown: (input, unfinished) => {
    const exports = input.ended ? blockExports(input.export, unfinished, input.export.bulk_export_destination_id) : [];
    return {
      kind: "investigate",
      summary: input.ended
        ? `The failure is not one the docs describe: read the run errors first; once the cause is fixed, these ${exports.length} ` +
          `export(s) cover the ${unfinished.length} unfinished partition(s).`
        : "The errors are not ones the docs describe: read the run errors and watch whether the run recovers.",
      exports,
      pre_retry_check: preRetryCheck(input.destination),
      notes: duplicateNote(input.export, input.analyses, unfinished),
    };
  },
};

export function buildRetryPlan(input: PlanInput): RetryPlan | null {
  const unfinished = unfinishedPartitions(input.export, input.analyses);
  const plan = PLAN_BUILDERS[input.mode](input, unfinished);
  if (plan && plan.field_reduction === undefined) delete plan.field_reduction;
  if (plan && plan.exports.length > 0 && !input.export.session_id) plan.notes.push(ALL_EXPERIMENTS_NOTE);
  return plan;
}
