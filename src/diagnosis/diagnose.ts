/**
 * Export diagnosis: reads an export and its runs against the documented failure table and limits,
 * says what happened in a verdict an engineer would sign, and prescribes the fix.
 *
 * Export-level mode: a TimedOut export, or one past its workflow timeout, is a workflow timeout;
 * otherwise the worst mode among the runs that are not Completed (Failed runs first), in the
 * order of MODE_SEVERITY: what must be fixed first comes first. Runs that recovered do not
 * define the mode; they appear as evidence.
 *
 * Status and retry counts come before the error text (seed 000): a run that failed for good
 * fails the export even while the export still reads Running; a run on its last attempt is no
 * longer "retried by itself"; and a run that stopped with retries left is not described as
 * having used them up.
 */
import { specificAdvice, type SpecificAdvice } from "./advice.js";
import { quoteErrorText } from "./redact-error-text.js";
import { buildRetryPlan, unfinishedPartitions } from "./retry-plan.js";
import { analyseRun, hasPersistentTimeouts, isTroubled, runFailedForGood, type RunAnalysis } from "./run-analysis.js";
import { apiSpelling, exportState, resolveLimits, type ExportProgress } from "../exports/index.js";
import { describeDocumentedLimit, failureModeEntry, statusKey, unknownStatusNote, type ExportStatusKey } from "./tables.js";
import { HOUR_MS, describeInterval, parseUtc } from "./time-ranges.js";
import type {
  BulkExport,
  Confidence,
  DiagnoseExportInput,
  ExportDiagnosis,
  ExportFailureMode,
  ExportLimits,
  FailureMode,
  RetryPlan,
  RunDiagnosis,
} from "./types.js";

/** Most urgent first: a broken destination blocks everything, a transient blip blocks nothing. */
export const MODE_SEVERITY: readonly FailureMode[] = Object.freeze([
  "destination_deleted",
  "destination_error",
  "workflow_timeout",
  "terminal_processing_error",
  "run_timeout",
  "unknown",
  "infrastructure_interruption",
]);

/** What a run's retry standing means for the export, after its retry count in the evidence. */
const STANDING_NOTE: Readonly<Record<RunAnalysis["standing"], string>> = {
  none: "",
  retrying: " (LangSmith retries it by itself)",
  last_attempt: " (its last attempt: one more failure fails the export)",
  exhausted: " (every retry used: the run failed for good, and the export with it)",
  stopped_early: " (it failed with retries left: LangSmith did not retry it to the end)",
};

/** Runs listed in full; the rest are counted. */
export const MAX_LISTED_RUNS = 25;
/** Decisive facts listed at export level. */
const MAX_EVIDENCE_RUNS = 8;
const QUOTE_IN_EVIDENCE_CHARS = 240;

const ENDED: ReadonlySet<ExportStatusKey> = new Set(["failed", "timedout", "cancelled", "completed"]);

const shortId = (id: string): string => id.slice(0, 8);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");

function worstMode(analyses: readonly RunAnalysis[]): RunAnalysis | undefined {
  const rank = (a: RunAnalysis): number => (a.mode === "none" ? MODE_SEVERITY.length : MODE_SEVERITY.indexOf(a.mode));
  return [...analyses].sort((a, b) => rank(a) - rank(b) || b.attempts.length - a.attempts.length)[0];
}

interface ModeDecision {
  mode: ExportFailureMode;
  confidence: Confidence;
  /** The run that decided it, if one did. */
  decidingRun?: RunAnalysis;
  /** The export has stopped or will fail without help. */
  ended: boolean;
  persistent: boolean;
}

function decideMode(
  status: ExportStatusKey | null,
  analyses: readonly RunAnalysis[],
  elapsedHours: number,
  limits: ExportLimits,
): ModeDecision {
  const persistent = analyses.some((a) => a.status !== "completed" && hasPersistentTimeouts(a));
  const unfinishedTroubled = analyses.filter((a) => a.status !== "completed" && isTroubled(a));
  if (status === "completed") return { mode: "none", confidence: "high", ended: false, persistent: false };
  if (status === "timedout") return { mode: "workflow_timeout", confidence: "high", ended: true, persistent };
  // Under a status the docs do not list (a pause, say) the workflow clock may not run: no inference from elapsed time.
  if (status !== null && status !== "failed" && status !== "cancelled" && elapsedHours > limits.workflowTimeoutHours) {
    return { mode: "workflow_timeout", confidence: "medium", ended: true, persistent };
  }
  if (status === "failed") {
    const failed = unfinishedTroubled.filter((a) => a.status === "failed" || a.status === "timedout");
    const deciding = worstMode(failed.length > 0 ? failed : unfinishedTroubled);
    if (!deciding || deciding.mode === "none") return { mode: "unknown", confidence: "low", ended: true, persistent };
    return { mode: deciding.mode, confidence: deciding.confidence, decidingRun: deciding, ended: true, persistent };
  }
  // A run that failed for good decides the export's fate, whatever the others still try.
  const over = unfinishedTroubled.filter(runFailedForGood);
  const deciding = worstMode(over.length > 0 ? over : unfinishedTroubled);
  const cancelled = status === "cancelled";
  if (!deciding || deciding.mode === "none") return { mode: "none", confidence: "high", ended: cancelled, persistent };
  // Storage errors are not retried, and a run that failed after its retries fails the export: the export will fail.
  const willFail = deciding.mode === "destination_error" || deciding.mode === "destination_deleted" || runFailedForGood(deciding);
  return {
    mode: deciding.mode,
    confidence: deciding.confidence,
    decidingRun: deciding,
    ended: cancelled || willFail,
    persistent: persistent || deciding.standing === "last_attempt",
  };
}

/** "after 21 attempts, all 20 retries used" / "after 3 attempts, with 18 of 20 retries left": the run's budget as the verdict states it. */
function budgetWords(a: RunAnalysis, limits: ExportLimits): string {
  const attempts = plural(Math.max(1, a.attempts.length), "attempt");
  if (a.standing === "stopped_early") return `after ${attempts}, with ${a.retriesLeft} of ${limits.maxRetries} retries left`;
  return `after ${attempts}, all ${limits.maxRetries} retries used`;
}

function runDiagnosis(a: RunAnalysis, limits: ExportLimits, secrets: Iterable<string> | undefined): RunDiagnosis {
  const counts = new Map<string, number>();
  for (const attempt of a.attempts) counts.set(attempt.classification.mode, (counts.get(attempt.classification.mode) ?? 0) + 1);
  const evidence: string[] = [];
  if (a.decisive) {
    const sig = a.decisive.classification.matched;
    evidence.push(
      `${a.decisive.key} is decisive: ` +
        `${a.decisive.classification.mode}${sig ? ` (${sig.pattern}, ${sig.source})` : " (no documented signature matches)"}.`,
    );
  }
  if (a.attempts.length > 0)
    evidence.push(`${plural(a.attempts.length, "recorded error")}: ${[...counts].map(([mode, n]) => `${n}× ${mode}`).join(", ")}.`);
  if (a.trailingTimeouts > 0) evidence.push(`The last ${plural(a.trailingTimeouts, "attempt")} all timed out.`);
  evidence.push(
    `retry_number ${a.retryNumber}, ${a.retriesLeft} of ${limits.maxRetries} retries left${STANDING_NOTE[a.standing]}; checkpoint: ` +
      `${fmt(a.rowsWritten)} rows in ${plural(a.filesWritten, "file")}.`,
  );
  return {
    run_id: a.run.id,
    partition: { start: a.run.metadata.start_time, end: a.run.metadata.end_time },
    status: apiSpelling(a.run.status),
    failure_mode: a.mode,
    confidence: a.confidence,
    retry_number: a.retryNumber,
    retries_left: a.retriesLeft,
    decisive_error: a.decisive ? quoteErrorText(a.decisive.text, secrets) : null,
    errors_seen: a.attempts.length,
    evidence,
  };
}

const runLabel = (a: RunAnalysis): string => `run ${shortId(a.run.id)} (${describeInterval(a.partition)})`;

function errorQuote(a: RunAnalysis, secrets: Iterable<string> | undefined): string {
  if (!a.decisive) return "";
  const quoted = quoteErrorText(a.decisive.text, secrets);
  return `"${quoted.length > QUOTE_IN_EVIDENCE_CHARS ? `${quoted.slice(0, QUOTE_IN_EVIDENCE_CHARS - 1)}…` : quoted}"`;
}

function evidenceOf(
  exp: BulkExport,
  analyses: readonly RunAnalysis[],
  decision: ModeDecision,
  elapsedHours: number,
  limits: ExportLimits,
  secrets: Iterable<string> | undefined,
): string[] {
  const evidence: string[] = [];
  const completed = analyses.filter((a) => a.status === "completed").length;
  evidence.push(
    `Export ${exp.id} is ${apiSpelling(exp.status)} after ${elapsedHours.toFixed(1)} h; ${completed} of ` +
      `${plural(analyses.length, "run")} completed.`,
  );
  if (!exp.session_id) evidence.push("Scope: all experiments of the workspace (no project).");
  if (statusKey(exp.status) === null) evidence.push(unknownStatusNote(exp.status));
  const unknownRunStatuses = new Map<string, number>();
  for (const a of analyses) if (a.status === null) unknownRunStatuses.set(a.run.status, (unknownRunStatuses.get(a.run.status) ?? 0) + 1);
  if (unknownRunStatuses.size > 0) {
    const listed = [...unknownRunStatuses].map(([s, n]) => `"${s}" (${plural(n, "run")})`).join(", ");
    evidence.push(`Run statuses this server does not know: ${listed}; they count as unfinished and are shown as sent.`);
  }
  if (decision.mode === "workflow_timeout") {
    evidence.push(
      `Elapsed ${elapsedHours.toFixed(1)} h against a workflow timeout of ${limits.workflowTimeoutHours} h (the docs' status table ` +
        `says 48 h).`,
    );
  }
  const troubled = analyses.filter(isTroubled).sort((a, b) => severityRank(a) - severityRank(b));
  for (const a of troubled.slice(0, MAX_EVIDENCE_RUNS)) {
    if (!a.decisive) {
      evidence.push(`${runLabel(a)} is ${apiSpelling(a.run.status)} with no recorded error.`);
      continue;
    }
    const recovered = a.status === "completed" ? " and then completed" : "";
    const destination = a.decisive.classification.matched?.destinationError;
    evidence.push(
      `${runLabel(a)} ${a.decisive.key}: ${a.mode}${destination ? ` ('${destination}')` : ""} after ` +
        `${plural(a.attempts.length, "failed attempt")}${recovered}; ${a.retriesLeft} of ${limits.maxRetries} retries left: ` +
        `${errorQuote(a, secrets)}`,
    );
  }
  if (troubled.length > MAX_EVIDENCE_RUNS)
    evidence.push(`${troubled.length - MAX_EVIDENCE_RUNS} more runs with errors are listed under runs.`);
  return evidence;
}

function severityRank(a: RunAnalysis): number {
  const ended = a.status === "failed" || a.status === "timedout" ? 0 : a.status === "completed" ? 2 : 1;
  const mode = a.mode === "none" ? MODE_SEVERITY.length : MODE_SEVERITY.indexOf(a.mode);
  return ended * 100 + mode;
}

function verdictOf(
  exp: BulkExport,
  status: ExportStatusKey | null,
  decision: ModeDecision,
  analyses: readonly RunAnalysis[],
  progress: ExportProgress,
  plan: RetryPlan | null,
  limits: ExportLimits,
): string {
  const state = apiSpelling(exp.status);
  const completed = analyses.filter((a) => a.status === "completed").length;
  const unfinished = unfinishedPartitions(exp, analyses).length;
  const run = decision.decidingRun;
  const where = run ? `the run for ${describeInterval(run.partition)}` : "a run";
  const planTail = plan && plan.exports.length > 0 ? ` (retry_plan lists the ${plural(plan.exports.length, "export")})` : "";
  const attemptWord = (a: RunAnalysis): string => (a.attempts.length <= 1 ? "on its first attempt" : `after ${a.attempts.length} attempts`);
  // The export still reads Running (or Created) but a run failed for good: it will be Failed.
  const failedRun = status !== "failed" && run !== undefined && runFailedForGood(run);
  const lastAttempt = run?.standing === "last_attempt";
  const lastWords = [
    `is on its last attempt (0 of ${limits.maxRetries} retries left):`,
    "if it fails again, the run fails and the export with it",
  ].join(" ");

  if (status === "cancelled") {
    const cause = decision.mode !== "none" && run ? ` Before that, ${where} showed ${decision.mode}.` : "";
    return (
      `Cancelled: a cancelled export cannot be restarted; ${completed} of ${plural(analyses.length, "run")} completed, so create ` +
      `a new export for the ${plural(unfinished, "unfinished partition")}${planTail}.${cause}`
    );
  }
  switch (decision.mode) {
    case "none": {
      if (status === "completed")
        return (
          `Completed: all ${plural(analyses.length, "run")} exported ${fmt(progress.rows_written)} rows in ` +
          `${plural(progress.files_written, "file")}.`
        );
      if (progress.export_waits && progress.queued_reason) return `${state}, not started: ${progress.queued_reason}`;
      const queued = progress.queued_reason ? ` ${progress.queued_reason}` : "";
      return `${state}: ${completed}/${analyses.length} runs complete, ${fmt(progress.rows_written)} rows written, no errors.${queued}`;
    }
    case "destination_error": {
      const phrase = run?.decisive?.classification.matched?.destinationError;
      const named = phrase ? `the destination error '${phrase}'` : "a destination error";
      const code = run?.decisive?.signature ? ` (${run.decisive.signature.id})` : "";
      const lead = status === "failed" ? "Failed" : `${state}, but will fail`;
      return (
        `${lead}: ${where} hit ${named}${code} ${run ? attemptWord(run) : ""}; LangSmith does not retry storage errors. Fix the ` +
        `destination, then create a new export for the ${plural(unfinished, "unfinished partition")}${planTail}.`
      );
    }
    case "destination_deleted":
      return (
        `${status === "failed" ? "Failed" : `${state}, but will fail`}: the destination was deleted during the export (${where}); ` +
        `this is not retried. Recreate the destination, then export again${planTail}.`
      );
    case "workflow_timeout":
      return (
        `${status === "timedout" ? "Timed out" : `${state}, past its workflow timeout`}: the export ran ${progress.elapsed_hours} ` +
        `h against the ${limits.workflowTimeoutHours} h workflow timeout (the docs' status table says 48 h) with ` +
        `${plural(unfinished, "partition")} unfinished; this is not retried. Export only those, as smaller exports${planTail}.`
      );
    case "run_timeout": {
      const timeouts = run
        ? `timed out ${plural(run.timeoutAttempts, "time")} against the ${limits.runTimeoutHours} h run timeout`
        : "timed out";
      if (status === "failed" || failedRun) {
        const lead = status === "failed" ? "Failed" : `${state}, but will fail`;
        const gave =
          run?.standing === "stopped_early"
            ? `and LangSmith stopped retrying it with ${run.retriesLeft} of ${limits.maxRetries} retries left`
            : "and exhausted its retries";
        return (
          `${lead}: ${where} ${timeouts} ${gave}; the partition is too big for one run. Re-export the ` +
          `${plural(unfinished, "unfinished partition")} in smaller slices${planTail}.`
        );
      }
      if (lastAttempt) return `${state}: ${where} ${timeouts} and ${lastWords}; smaller exports are the fix${planTail}.`;
      if (decision.persistent)
        return (
          `${state}: ${where} ${timeouts} in a row (${run?.retriesLeft ?? 0} retries left) and will likely fail; LangSmith keeps ` +
          `retrying from the checkpoint, but smaller exports are the fix${planTail}.`
        );
      return (
        `${state}: ${where} ${timeouts}; LangSmith retries it from its checkpoint (${run?.retriesLeft ?? 0} retries left). ` +
        `Nothing to do unless it keeps timing out.`
      );
    }
    case "terminal_processing_error": {
      const category = run?.decisive?.signature?.category;
      const what =
        category === "out_of_memory"
          ? "ran out of memory"
          : category === "resource_exhaustion"
            ? "ran out of disk space or file handles"
            : "cannot serialize its data";
      const lead =
        status === "failed" || failedRun
          ? `${status === "failed" ? "Failed" : `${state}, but will fail`}: ${where} ${what} ${run ? budgetWords(run, limits) : ""}`
          : lastAttempt
            ? `${state}: ${where} ${what} and ${lastWords}; the same data fails the same way`
            : `${state}: ${where} ${what}; LangSmith retries it (${run?.retriesLeft ?? 0} retries left), but the same data fails the ` +
              `same way`;
      return `${lead}. ${
        category === "out_of_memory" || category === "resource_exhaustion"
          ? "Export smaller slices with fewer fields"
          : "Leave out the " + "failing field or filter the offending runs"
      }${planTail}.`;
    }
    case "infrastructure_interruption":
      if ((status === "failed" || failedRun) && run?.standing === "stopped_early") {
        return (
          `${status === "failed" ? "Failed" : `${state}, but will fail`}: ${where} failed ${budgetWords(run, limits)}; its errors ` +
          `read as interruptions, which LangSmith retries by itself, so it stopped early: the retry budget may be smaller than ` +
          `documented, or the error was one LangSmith does not retry. Read the run errors, then create a new export for the ` +
          `${plural(unfinished, "unfinished partition")}${planTail}.`
        );
      }
      if (status === "failed" || failedRun) {
        return (
          `${status === "failed" ? "Failed" : `${state}, but will fail`}: ${where} was interrupted on every attempt ` +
          `(${run?.attempts.length ?? 0}) until its retries ran out; the data is fine. Create a new export for the ` +
          `${plural(unfinished, "unfinished partition")}${planTail}.`
        );
      }
      if (lastAttempt) {
        return (
          `${state}: ${completed}/${analyses.length} runs complete; ${where} was interrupted ` +
          `${plural(run!.attempts.length, "time")} and ${lastWords}. Nothing to do yet; if it fails, create a new export for the ` +
          `unfinished partitions (diagnose_export then lists them).`
        );
      }
      return (
        `${state}: ${completed}/${analyses.length} runs complete; ${where} was interrupted ` +
        `(${run?.decisive?.signature?.id ?? "transient"}) and is retried automatically from its checkpoint. Nothing to do.`
      );
    case "unknown": {
      const lead = status === "failed" ? "Failed" : failedRun ? `${state}, but will fail` : state;
      const budget = run && (failedRun || status === "failed") ? ` ${budgetWords(run, limits)}` : lastAttempt ? ` and ${lastWords}` : "";
      return `${lead}: ${where} ${
        run?.decisive ? "recorded an error that no documented failure mode explains" : "failed without a " + "recorded error"
      }${budget}; read the run errors before retrying${planTail}.`;
    }
  }
}

function remediationOf(
  decision: ModeDecision,
  status: ExportStatusKey | null,
  plan: RetryPlan | null,
  progress: ExportProgress,
  specific: SpecificAdvice | null,
): string[] {
  const steps: string[] = [];
  if (specific) steps.push(specific.lead, ...specific.steps);
  if (plan?.pre_retry_check && (decision.mode === "destination_error" || decision.mode === "destination_deleted")) {
    steps.push(`Reproduce the storage error outside LangSmith with the same credentials: ${plan.pre_retry_check}`);
  }
  for (const fix of plan?.destination_fixes ?? []) steps.push(`Check ${fix.field}: ${fix.why}`);
  if (decision.mode === "none") {
    if (status === "completed") return [];
    if (status === "cancelled")
      return plan && plan.exports.length > 0
        ? [`Call create_export once per entry of retry_plan.create_export_calls (${plural(plan.exports.length, "export")}).`]
        : [];
    if (progress.export_waits)
      return ["Wait, or cancel one of the exports holding the workspace limit (cancel_export) if this one is more urgent."];
    return ["Nothing to do; check progress again later."];
  }
  const entry = failureModeEntry(decision.mode);
  if (plan?.kind === "wait") return [plan.summary];
  steps.push(...entry.remediation);
  if (plan?.field_reduction)
    steps.push(
      `Optionally pass export_fields ${JSON.stringify(plan.field_reduction.export_fields)} (drops ` +
        `${plan.field_reduction.drop.join(", ")}): ${plan.field_reduction.why}`,
    );
  if (plan && plan.exports.length > 0)
    steps.push(`Call create_export once per entry of retry_plan.create_export_calls, in order (${plural(plan.exports.length, "export")}).`);
  return steps;
}

function documentedValuesOf(limits: ExportLimits): string[] {
  return [
    describeDocumentedLimit("workflowTimeoutHours", limits.workflowTimeoutHours),
    describeDocumentedLimit("maxConcurrentRunsPerExport", limits.maxConcurrentRunsPerExport),
    describeDocumentedLimit("maxConcurrentExportsPerWorkspace", limits.maxConcurrentExportsPerWorkspace),
  ];
}

export function diagnoseExport(input: DiagnoseExportInput): ExportDiagnosis {
  const { export: exp, now } = input;
  const secrets = input.secrets ? [...input.secrets] : undefined;
  const limits = resolveLimits(input.limits);
  const status = statusKey(exp.status);
  const exportWroteFiles = input.runs.some((r) => (r.metadata.result?.exported_files?.length ?? 0) > 0);
  const analyses = input.runs.map((run) => analyseRun(run, { limits, now, exportWroteFiles }));

  const endMs = exp.finished_at ? parseUtc(exp.finished_at) : now.getTime();
  const elapsedHours = Math.max(0, (endMs - parseUtc(exp.created_at)) / HOUR_MS) || 0;
  const { progress } = exportState({ export: exp, runs: input.runs, now, workspaceExports: input.workspaceExports, limits });
  const decision = decideMode(status, analyses, elapsedHours, limits);
  const lastAttempt = decision.decidingRun?.standing === "last_attempt";

  const plan = buildRetryPlan({
    export: exp,
    analyses,
    mode: decision.mode,
    ended: decision.ended || (status !== null && ENDED.has(status) && status !== "completed"),
    persistent: decision.persistent,
    lastAttempt,
    destination: input.destination ?? null,
    limits,
    ...(progress.queued_reason ? { queuedReason: progress.queued_reason } : {}),
  });

  const troubled = analyses.filter(isTroubled).sort((a, b) => severityRank(a) - severityRank(b) || a.partition.start - b.partition.start);
  // Retried by itself only while the deciding run has retries left.
  const retried = decision.mode === "none" || decision.ended || lastAttempt ? false : failureModeEntry(decision.mode).retriedAutomatically;

  // A status the docs do not list is reported, never mapped onto a known one; the reading of the
  // runs still stands, but less surely.
  const unknownStatus = status === null;
  const decisive = decision.decidingRun?.decisive;
  const specific =
    decisive && (decision.mode === "destination_error" || decision.mode === "destination_deleted")
      ? specificAdvice(decisive.text, input.destination)
      : null;
  const verdict = `${verdictOf(exp, status, decision, analyses, progress, plan, limits)}${specific ? ` ${specific.lead}` : ""}`;
  return {
    export_id: exp.id,
    status: apiSpelling(exp.status),
    failure_mode: decision.mode,
    verdict: unknownStatus ? `${unknownStatusNote(exp.status)} From its runs: ${verdict}` : verdict,
    confidence: unknownStatus && decision.confidence === "high" ? "medium" : decision.confidence,
    retried_automatically: retried,
    progress,
    runs: troubled.slice(0, MAX_LISTED_RUNS).map((a) => runDiagnosis(a, limits, secrets)),
    runs_omitted: Math.max(0, troubled.length - MAX_LISTED_RUNS),
    evidence: evidenceOf(exp, analyses, decision, elapsedHours, limits, secrets),
    remediation: [
      ...(unknownStatus
        ? [
            `Look up what "${exp.status}" means in LangSmith (its UI or release notes) before acting: this server does not know it and ` +
              `reads only the runs.`,
          ]
        : []),
      ...remediationOf(decision, status, plan, progress, specific),
    ],
    retry_plan: plan,
    documented_values: documentedValuesOf(limits),
  };
}
