/**
 * Reads one bulk export run: its partition, every recorded attempt error classified in order,
 * the decisive error, and the retry budget left.
 */
import { classifyErrorText, findSignature, type ErrorClassification } from "./classify-error.js";
import { errorValueText } from "./error-value.js";
import type { ErrorSignature } from "./error-signatures.js";
import { statusKey, type ExportStatusKey } from "./tables.js";
import { HOUR_MS, parseUtc, type Interval } from "./time-ranges.js";
import type { BulkExportRun, Confidence, ExportFailureMode, ExportLimits, FailureMode } from "./types.js";

export interface AttemptError {
  /** The key as recorded, e.g. `retry_3`. */
  key: string;
  /** The attempt number from the key; null for keys that do not follow `retry_N`. */
  attempt: number | null;
  /** The recorded value as text (objects and numbers too: errorValueText). */
  text: string;
  classification: ErrorClassification;
  signature: ErrorSignature | null;
}

/**
 * Where a run stands against its own retry budget, read from its status and retry_number before
 * any error text. Seed 000 (failure modes and retry policy): each run has its own budget (20
 * retries); "if a run fails after exhausting all retries, the entire export is marked as FAILED";
 * storage and destination errors are not retried at all.
 * - `retrying`: unfinished, with errors, retries left: LangSmith tries again by itself.
 * - `last_attempt`: unfinished, with errors, no retries left: if this attempt fails, the run
 *   fails, and the export with it.
 * - `exhausted`: Failed or TimedOut with no retries left: the run is over and fails the export.
 * - `stopped_early`: Failed or TimedOut with retries left: LangSmith did not use its budget (an
 *   error it does not retry, or a budget smaller than the documented one).
 * - `none`: completed, cancelled, or no error recorded.
 */
export type RetryStanding = "none" | "retrying" | "last_attempt" | "exhausted" | "stopped_early";

export interface RunAnalysis {
  run: BulkExportRun;
  status: ExportStatusKey | null;
  partition: Interval;
  attempts: AttemptError[];
  decisive: AttemptError | null;
  mode: ExportFailureMode;
  confidence: Confidence;
  retryNumber: number;
  retriesLeft: number;
  standing: RetryStanding;
  timeoutAttempts: number;
  /** Timeouts among the latest attempts, counted back from the last one. */
  trailingTimeouts: number;
  rowsWritten: number;
  filesWritten: number;
  /** Wall-clock hours the run has been processing (start to end, or to now). */
  wallHours: number | null;
}

/**
 * How much an attempt's error says about why a partition fails. A transient interruption or an
 * unrecognised text on the last attempt says little when an earlier attempt named the cause.
 */
const SPECIFICITY: Readonly<Record<FailureMode, number>> = {
  unknown: 0,
  infrastructure_interruption: 1,
  run_timeout: 2,
  workflow_timeout: 2,
  terminal_processing_error: 2,
  destination_error: 2,
  destination_deleted: 2,
};

/** Consecutive timeouts after which a run timeout counts as persistent, not a one-off. */
export const PERSISTENT_TIMEOUT_ATTEMPTS = 3;

function orderedAttempts(errors: Record<string, unknown> | null | undefined): AttemptError[] {
  const entries = Object.entries(errors ?? {}).flatMap(([key, value]) => {
    const text = errorValueText(value);
    return text === null ? [] : [[key, text] as const];
  });
  const attempts = entries.map(([key, text]) => {
    const numbered = /^retry_(\d+)$/i.exec(key);
    return {
      key,
      attempt: numbered ? Number(numbered[1]) : null,
      text,
      classification: classifyErrorText(text),
      signature: findSignature(text),
    };
  });
  // Numbered attempts in order; anything else after them, in the order recorded.
  return attempts
    .map((a, index) => ({ a, index }))
    .sort((x, y) => (x.a.attempt ?? Number.MAX_SAFE_INTEGER) - (y.a.attempt ?? Number.MAX_SAFE_INTEGER) || x.index - y.index)
    .map(({ a }) => a);
}

/** The last attempt's error, unless an earlier attempt is more specific (SPECIFICITY). */
export function decisiveAttempt(attempts: readonly AttemptError[]): AttemptError | null {
  let best: AttemptError | null = null;
  for (const attempt of attempts) {
    if (!best || SPECIFICITY[attempt.classification.mode] >= SPECIFICITY[best.classification.mode]) best = attempt;
  }
  return best;
}

function hoursBetween(start: string | null | undefined, end: string | null | undefined, now: Date): number | null {
  if (!start) return null;
  const from = parseUtc(start);
  const to = end ? parseUtc(end) : now.getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return null;
  return (to - from) / HOUR_MS;
}

export interface RunContext {
  limits: ExportLimits;
  now: Date;
  /** Files reached the bucket earlier in this export: a missing bucket now means it was deleted. */
  exportWroteFiles: boolean;
}

export function analyseRun(run: BulkExportRun, context: RunContext): RunAnalysis {
  const status = statusKey(run.status);
  const attempts = orderedAttempts(run.errors);
  const decisive = decisiveAttempt(attempts);
  const result = run.metadata.result ?? null;
  const rowsWritten = Math.max(0, result?.rows_written ?? 0);
  const filesWritten = result?.exported_files?.length ?? 0;
  const retryNumber = Math.max(run.retry_number ?? 0, attempts.length > 0 ? attempts.length - 1 : 0);

  const isTimeout = (a: AttemptError): boolean => a.classification.mode === "run_timeout";
  let trailingTimeouts = 0;
  for (let i = attempts.length - 1; i >= 0 && isTimeout(attempts[i] as AttemptError); i--) trailingTimeouts++;

  let mode: ExportFailureMode = "none";
  let confidence: Confidence = "high";
  if (
    decisive &&
    status === "timedout" &&
    (decisive.classification.mode === "unknown" || decisive.classification.mode === "infrastructure_interruption")
  ) {
    // The run's own status says more than a text no family explains: LangSmith timed it out.
    mode = "run_timeout";
    confidence = "medium";
  } else if (decisive) {
    mode = decisive.classification.mode;
    confidence = decisive.classification.confidence;
    const bucketVanished = decisive.signature?.id === "s3-no-such-bucket" && (context.exportWroteFiles || filesWritten > 0);
    if (bucketVanished) {
      mode = "destination_deleted";
      confidence = "medium";
    }
  } else if (status === "failed") {
    mode = "unknown";
    confidence = "low";
  } else if (status === "timedout") {
    mode = "run_timeout";
    confidence = "medium";
  }

  const retriesLeft = Math.max(0, context.limits.maxRetries - retryNumber);
  const standing = retryStanding(status, attempts.length, retriesLeft);
  if (standing === "stopped_early" && RETRIED_FAMILIES.has(mode) && confidence === "high") {
    // The text names a family LangSmith retries, yet it stopped with retries left: the text alone is not the whole story.
    confidence = "medium";
  }

  return {
    run,
    status,
    partition: { start: parseUtc(run.metadata.start_time), end: parseUtc(run.metadata.end_time) },
    attempts,
    decisive,
    mode,
    confidence,
    retryNumber,
    retriesLeft,
    standing,
    timeoutAttempts: attempts.filter(isTimeout).length,
    trailingTimeouts,
    rowsWritten,
    filesWritten,
    wallHours: hoursBetween(run.start_time, run.end_time ?? run.finished_at, context.now),
  };
}

/** The failure families seed 000's table marks "retried automatically". */
const RETRIED_FAMILIES: ReadonlySet<ExportFailureMode> = new Set([
  "infrastructure_interruption",
  "run_timeout",
  "terminal_processing_error",
]);

/** RetryStanding from the run's status, its recorded errors and the retries it has left. */
export function retryStanding(status: ExportStatusKey | null, errors: number, retriesLeft: number): RetryStanding {
  if (status === "failed" || status === "timedout") return retriesLeft === 0 ? "exhausted" : "stopped_early";
  if (status === "completed" || status === "cancelled" || errors === 0) return "none";
  return retriesLeft === 0 ? "last_attempt" : "retrying";
}

/** The run is over and failed: by the docs, it fails the whole export. */
export const runFailedForGood = (a: RunAnalysis): boolean => a.standing === "exhausted" || a.standing === "stopped_early";

/** A run timeout that will not go away by retrying: retries gone, or several in a row. */
export function hasPersistentTimeouts(analysis: RunAnalysis): boolean {
  if (analysis.timeoutAttempts === 0) return false;
  return (
    analysis.trailingTimeouts >= PERSISTENT_TIMEOUT_ATTEMPTS ||
    analysis.retriesLeft === 0 ||
    analysis.status === "failed" ||
    analysis.status === "timedout"
  );
}

/** Failed, timed out, or showing errors: the runs worth showing. */
export function isTroubled(analysis: RunAnalysis): boolean {
  return analysis.attempts.length > 0 || analysis.status === "failed" || analysis.status === "timedout";
}
