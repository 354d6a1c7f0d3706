/**
 * One model of a bulk export's state, read from what LangSmith returns (the export and its
 * runs, contract §4.2-§4.3): its status, progress, partitions and why runs wait. export_status,
 * cancel_export, diagnose_export, the export resources and the completeness check all read it
 * from here, so two tools never tell the same export's story two ways. Pure, no I/O.
 */
import { z } from "zod";
import { apiTimeMs } from "../api-time.js";
import type { BulkExport, BulkExportRun } from "../langsmith/export-schemas.js";
import { limitEntry, otherDocumentedValues, resolveLimits, type ExportLimits } from "./limits.js";
import { HOUR_MS } from "./partitions.js";
import { apiSpelling, isTerminal, statusKey, type ExportStatusKey } from "./statuses.js";

export const ExportProgressSchema = z.object({
  runs_total: z.number().int().describe("Export runs, one per UTC day partition."),
  runs_by_status: z
    .record(z.string(), z.number().int())
    .optional()
    .describe("Runs per status, as LangSmith spells it (Completed, Running, …; an unknown status as sent); absent before any run exists."),
  partitions_completed: z.number().int(),
  rows_written: z.number().describe("Rows LangSmith reports written, summed over the runs."),
  files_written: z.number().int(),
  percent_complete: z.number().describe("Completed partitions over all partitions, in percent."),
  elapsed_hours: z.number().optional().describe("From the export's creation to its end, or to now."),
  workflow_timeout_hours: z.number().describe("The workflow timeout in force."),
  workflow_timeout_documented_hours: z.array(z.number()).describe("Every value the docs state (they contradict each other)."),
  queued_runs: z.number().int().describe("Runs waiting as Created."),
  queued_reason: z.string().optional().describe("Why runs or the export wait, when they do."),
  export_waits: z.boolean().describe("True when the export itself waits for a workspace slot."),
});
export type ExportProgress = z.infer<typeof ExportProgressSchema>;

/** One run of the export: the UTC day partition it stands for and what it wrote. */
export interface PartitionState {
  run_id: string;
  /** Epoch ms, [start, end). */
  start: number;
  end: number;
  /** As LangSmith sent it. */
  status: string;
  key: ExportStatusKey | null;
  retry_number: number;
  rows_written: number;
  files: readonly string[];
  /** When the run finished (epoch ms), if it did. */
  finished: number | null;
}

export interface ExportState {
  /** As LangSmith sent it. */
  status: string;
  key: ExportStatusKey | null;
  terminal: boolean;
  progress: ExportProgress;
  /** Ordered by partition start. */
  partitions: PartitionState[];
}

export interface ExportStateInput {
  export: BulkExport;
  runs: readonly BulkExportRun[];
  /** LangSmith's clock (client.serverNow()). */
  now: Date;
  /**
   * The workspace's exports, to tell whether this one waits for a workspace slot. Needed only
   * when needsWorkspaceExports() says so; without them that reason is not given.
   */
  workspaceExports?: readonly BulkExport[] | undefined;
  limits?: Partial<ExportLimits> | undefined;
}

export function partitionsOf(runs: readonly BulkExportRun[]): PartitionState[] {
  return runs
    .map((run) => ({
      run_id: run.id,
      start: apiTimeMs(run.metadata.start_time),
      end: apiTimeMs(run.metadata.end_time),
      status: run.status,
      key: statusKey(run.status),
      retry_number: run.retry_number ?? 0,
      rows_written: Math.max(0, run.metadata.result?.rows_written ?? 0),
      files: run.metadata.result?.exported_files ?? [],
      finished: finishedMs(run),
    }))
    .sort((a, b) => a.start - b.start);
}

function finishedMs(run: BulkExportRun): number | null {
  const ms = apiTimeMs(run.finished_at ?? run.end_time ?? "");
  return Number.isFinite(ms) ? ms : null;
}

/** Whether the queueing reason depends on the other exports of the workspace (the export or all its runs wait). */
export function needsWorkspaceExports(exp: BulkExport, runs: readonly BulkExportRun[]): boolean {
  const key = statusKey(exp.status);
  if (key === "created") return true;
  return key === "running" && runs.length > 0 && runs.every((r) => statusKey(r.status) === "created");
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

interface Queueing {
  queuedRuns: number;
  reason?: string;
  exportWaits: boolean;
}

/**
 * Why runs wait as Created. LangSmith does not publish the limits in force, so the reason is
 * read off the counts against every documented value: the export waits for a workspace slot
 * when other exports hold it; runs wait behind the per-export limit when as many run as a
 * documented limit allows; otherwise they wait for a worker (or a lower limit of this install).
 */
function explainQueueing(
  exp: BulkExport,
  partitions: readonly PartitionState[],
  others: readonly BulkExport[] | undefined,
  limits: ExportLimits,
  now: Date,
): Queueing {
  const key = statusKey(exp.status);
  if (isTerminal(exp.status)) return { queuedRuns: 0, exportWaits: false };
  const queuedRuns = partitions.filter((p) => p.key === "created").length;
  const runningRuns = partitions.filter((p) => p.key === "running").length;
  const exportWaiting = key === "created" || (key === "running" && partitions.length > 0 && queuedRuns === partitions.length);
  if (exportWaiting && others) {
    const holders = others.filter((o) => o.id !== exp.id && statusKey(o.status) === "running");
    const limit = limits.maxConcurrentExportsPerWorkspace;
    const documented = otherDocumentedValues("maxConcurrentExportsPerWorkspace", limit);
    const lowest = Math.min(limit, ...documented);
    const hours = Math.max(0, now.getTime() - apiTimeMs(exp.created_at)) / HOUR_MS;
    const names =
      holders
        .slice(0, 10)
        .map((h) => h.id)
        .join(", ") + (holders.length > 10 ? ` and ${holders.length - 10} more` : "");
    const waited = Number.isFinite(hours) ? ` (waiting ${hours.toFixed(1)} h so far)` : "";
    if (holders.length >= limit) {
      return {
        queuedRuns,
        exportWaits: true,
        reason:
          `the workspace is at its limit of ${limit} concurrent exports (the troubleshooting steps say ` +
          `${documented.join(", ")}): ${plural(holders.length, "export")} Running hold it: ${names}. This export starts when one ` +
          `finishes${waited}.`,
      };
    }
    if (holders.length >= lowest) {
      return {
        queuedRuns,
        exportWaits: true,
        reason:
          `${plural(holders.length, "other export")} Running (${names}): below the ${limit}-export workspace limit in force, but ` +
          `at or above the ${lowest} the troubleshooting steps state; an install enforcing ${lowest} keeps this export ` +
          `waiting${waited}.`,
      };
    }
  }
  if (key === "created") {
    const running = others?.filter((o) => o.id !== exp.id && statusKey(o.status) === "running").length;
    const context = running === undefined ? "" : ` ${plural(running, "other export")} Running, under every documented workspace limit;`;
    return { queuedRuns, exportWaits: true, reason: `the export has not started yet:${context} LangSmith starts it as a worker frees up.` };
  }
  if (queuedRuns === 0) return { queuedRuns, exportWaits: false };
  const limit = limits.maxConcurrentRunsPerExport;
  const documented = otherDocumentedValues("maxConcurrentRunsPerExport", limit);
  const lowest = Math.min(limit, ...documented);
  if (runningRuns >= limit) {
    return {
      queuedRuns,
      exportWaits: false,
      reason:
        `${plural(queuedRuns, "run")} ${queuedRuns === 1 ? "waits" : "wait"} as Created behind the per-export limit of ${limit} ` +
        `concurrent runs (${runningRuns} running; the troubleshooting steps say ${documented.join(", ")}); they start as runs finish.`,
    };
  }
  if (runningRuns >= lowest) {
    return {
      queuedRuns,
      exportWaits: false,
      reason:
        `${plural(queuedRuns, "run")} ${queuedRuns === 1 ? "waits" : "wait"} as Created with ${runningRuns} running: under the ` +
        `${limit}-run limit in force, but at the ${lowest} runs per export the troubleshooting steps state; they start as runs finish.`,
    };
  }
  return {
    queuedRuns,
    exportWaits: false,
    reason:
      `${plural(queuedRuns, "run")} ${queuedRuns === 1 ? "waits" : "wait"} as Created with ${runningRuns} running, fewer than ` +
      `any documented per-export limit (${[limit, ...documented].join(" or ")}): they wait for a worker, or a lower limit set on this ` +
      `install, and start as runs finish.`,
  };
}

/** The export's state: status, progress, partitions and why runs wait. */
export function exportState(input: ExportStateInput): ExportState {
  const { export: exp, now } = input;
  const limits = resolveLimits(input.limits);
  const partitions = partitionsOf(input.runs);
  const byStatus: Record<string, number> = {};
  for (const p of partitions) byStatus[apiSpelling(p.status)] = (byStatus[apiSpelling(p.status)] ?? 0) + 1;
  const completed = partitions.filter((p) => p.key === "completed").length;
  const started = apiTimeMs(exp.created_at);
  const finished = exp.finished_at ? apiTimeMs(exp.finished_at) : now.getTime();
  const queueing = explainQueueing(exp, partitions, input.workspaceExports, limits, now);
  const progress: ExportProgress = {
    runs_total: partitions.length,
    runs_by_status: byStatus,
    partitions_completed: completed,
    rows_written: partitions.reduce((sum, p) => sum + p.rows_written, 0),
    files_written: partitions.reduce((sum, p) => sum + p.files.length, 0),
    percent_complete: partitions.length ? Math.round((completed / partitions.length) * 1000) / 10 : 0,
    // Clamped: LangSmith stamps created_at on its clock; a local clock behind it would go negative.
    ...(Number.isFinite(started) &&
      Number.isFinite(finished) && { elapsed_hours: Math.round((Math.max(0, finished - started) / HOUR_MS) * 100) / 100 }),
    workflow_timeout_hours: limits.workflowTimeoutHours,
    workflow_timeout_documented_hours: limitEntry("workflowTimeoutHours").documented.map((d) => d.value),
    queued_runs: queueing.queuedRuns,
    ...(queueing.reason && { queued_reason: queueing.reason }),
    export_waits: queueing.exportWaits,
  };
  return { status: exp.status, key: statusKey(exp.status), terminal: isTerminal(exp.status), progress, partitions };
}

/** Partitions not Completed, as ISO ranges: what a new export would have to cover. */
export function unfinishedRanges(state: ExportState): { start: string; end: string }[] {
  return state.partitions
    .filter((p) => p.key !== "completed")
    .map((p) => ({ start: new Date(p.start).toISOString(), end: new Date(p.end).toISOString() }));
}
