import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { LangSmithIdSchema } from "./schemas.js";
import type { BulkExport, BulkExportRun, LangSmithClient } from "../langsmith/index.js";
import { errorValueText } from "../diagnosis/index.js";
import { apiTimeIso, apiTimeMs } from "../api-time.js";
import { defineTool } from "./define-tool.js";
import {
  countRunning,
  documentedLimit,
  exportView,
  ExportProgressSchema,
  ExportViewSchema,
  exportScope,
  getExportOrExplain,
  isKnownStatus,
  isTerminal,
  statusKey,
  summarizeExport,
  unknownStatusNote,
} from "./export-shared.js";
import { truncateText } from "./output-budget.js";

/** How often a waiting call re-reads the export. */
const POLL_INTERVAL_MS = 1_000;
const ERROR_PREVIEW_CHARS = 240;

const inputSchema = z.object({
  export_id: LangSmithIdSchema.describe("The bulk export's id (create_export and list_exports give it)."),
  wait_seconds: z
    .number()
    .int()
    .min(0)
    .max(600)
    .default(0)
    .describe("Wait up to this many seconds for the export to change status or finish, with progress notifications meanwhile (default 0: answer now)."),
  runs_status: z.string().optional().describe('Only list runs in this status, e.g. "Failed" or "Created" (case-insensitive).'),
  runs_offset: z.number().int().min(0).default(0).describe("Skip this many runs of the list (runs are ordered by partition)."),
  runs_limit: z.number().int().min(0).max(500).default(30).describe("List at most this many runs (default 30; 0 for the summary only)."),
});

const RunViewSchema = z.object({
  id: z.string(),
  partition_start: z.string(),
  partition_end: z.string(),
  status: z.string(),
  retry_number: z.number().int(),
  rows_written: z.number(),
  files_written: z.number().int(),
  last_error: z.string().nullable(),
});

const outputSchema = z.object({
  export: ExportViewSchema,
  progress: ExportProgressSchema,
  waited_seconds: z.number(),
  status_changed: z.boolean(),
  runs: z.array(RunViewSchema),
  runs_matching: z.number().int().describe("Runs matching runs_status (all runs when not given)."),
  next_runs_offset: z.number().int().optional(),
  next_step: z.string(),
});

function runView(run: BulkExportRun): z.infer<typeof RunViewSchema> {
  // Values are any JSON (text, objects with message/type, numbers): read as text.
  const errors = Object.entries(run.errors ?? {})
    .flatMap(([key, value]) => {
      const text = errorValueText(value);
      return text === null ? [] : [[key, text] as const];
    })
    .sort(([a], [b]) => retryIndex(a) - retryIndex(b));
  const last = errors.at(-1)?.[1];
  return {
    id: run.id,
    partition_start: apiTimeIso(run.metadata.start_time) ?? run.metadata.start_time,
    partition_end: apiTimeIso(run.metadata.end_time) ?? run.metadata.end_time,
    status: run.status,
    retry_number: run.retry_number ?? 0,
    rows_written: run.metadata.result?.rows_written ?? 0,
    files_written: run.metadata.result?.exported_files?.length ?? 0,
    last_error: last ? truncateText(last.replace(/\s+/g, " "), ERROR_PREVIEW_CHARS).text : null,
  };
}

const retryIndex = (key: string): number => Number(key.replace(/^retry_/, "")) || 0;

async function snapshot(client: LangSmithClient, id: string, signal: AbortSignal): Promise<{ exp: BulkExport; runs: BulkExportRun[]; running: number }> {
  const [exp, runs, all] = await Promise.all([getExportOrExplain(client, id, signal), client.listExportRuns(id, signal), client.listExports(signal)]);
  return { exp, runs, running: countRunning(all.filter((e) => e.id !== id)) };
}

function nextStep(exp: BulkExport, failedRuns: number): string {
  if (!isKnownStatus(exp.status)) {
    return `${unknownStatusNote(exp.status)} Check the export in LangSmith before acting; diagnose_export reads its runs.`;
  }
  switch (statusKey(exp.status)) {
    case "completed":
      return "Done: every partition was exported.";
    case "failed":
      return `Failed (${failedRuns} run(s) failed after their retries): call diagnose_export with this export_id for the cause and a retry plan.`;
    case "timedout":
      return `Timed out at the workflow limit (${documentedLimit("workflowTimeoutHours")}): call diagnose_export for a split into smaller exports.`;
    case "cancelled":
      return "Cancelled; a cancelled export cannot be restarted. create_export makes a new one for what is left.";
    default:
      return failedRuns
        ? "Some runs report errors while retrying: call diagnose_export to see whether LangSmith will recover by itself."
        : "In progress: call export_status again with wait_seconds to follow it.";
  }
}

export const exportStatus = defineTool({
  name: "export_status",
  title: "Export status",
  description:
    "Check how a LangSmith bulk export is going: runs per status, rows and Parquet files written, percent done, elapsed time against the workflow timeout, " +
    "and which runs are queued behind limits and why. Use it for 'is the export done/healthy?'; wait_seconds waits for a change with progress " +
    "notifications. Next: diagnose_export if it failed or struggles.",
  toolset: "exports",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, { client, signal, now, progress }) {
    const started = Date.now();
    let state = await snapshot(client, args.export_id, signal);
    const initialStatus = state.exp.status;
    const deadline = started + args.wait_seconds * 1000;
    while (!isTerminal(state.exp.status) && state.exp.status === initialStatus && Date.now() < deadline) {
      const summary = summarizeExport(state.exp, state.runs, client.serverNow(), state.running);
      await progress(summary.partitions_completed, summary.runs_total || undefined, `${state.exp.status}: ${summary.partitions_completed}/${summary.runs_total} partitions, ${summary.rows_written} rows`);
      await sleep(Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now())), undefined, { signal });
      state = await snapshot(client, args.export_id, signal);
    }

    const { exp, runs, running } = state;
    const summary = summarizeExport(exp, runs, client.serverNow(), running);
    const ordered = [...runs].sort((a, b) => apiTimeMs(a.metadata.start_time) - apiTimeMs(b.metadata.start_time));
    const matching = args.runs_status ? ordered.filter((r) => statusKey(r.status) === statusKey(args.runs_status!)) : ordered;
    const page = matching.slice(args.runs_offset, args.runs_offset + args.runs_limit).map(runView);
    const nextOffset = args.runs_offset + page.length < matching.length ? args.runs_offset + page.length : undefined;
    const failedRuns = summary.runs_by_status.failed ?? 0;
    const step = nextStep(exp, failedRuns + runs.filter((r) => !isTerminal(r.status) && (r.retry_number ?? 0) > 0).length);
    const waited = Math.round((Date.now() - started) / 100) / 10;

    const counts = Object.entries(summary.runs_by_status).map(([status, n]) => `${n} ${status}`).join(", ");
    return {
      structured: {
        export: exportView(exp),
        progress: summary,
        waited_seconds: waited,
        status_changed: exp.status !== initialStatus,
        runs: page,
        runs_matching: matching.length,
        ...(nextOffset !== undefined && { next_runs_offset: nextOffset }),
        next_step: step,
      },
      text: [
        `Export ${exp.id} (${exportScope(exp)}): ${exp.status}${exp.status !== initialStatus ? ` (was ${initialStatus})` : ""} — ${summary.partitions_completed}/${summary.runs_total} partitions done (${summary.percent_complete}%), ${summary.rows_written} rows in ${summary.files_written} files.`,
        `Runs: ${counts || "none yet"}. Elapsed ${summary.elapsed_hours ?? "?"} h of the ${summary.workflow_timeout_hours} h workflow timeout.`,
        ...(summary.queued_reason ? [`${summary.queued_runs} run(s) waiting: ${summary.queued_reason}`] : []),
        ...page
          .filter((r) => r.last_error || statusKey(r.status) !== "completed")
          .slice(0, 10)
          .map((r) => `  ${r.partition_start.slice(0, 10)} ${r.status} retries=${r.retry_number} rows=${r.rows_written}${r.last_error ? ` — ${r.last_error}` : ""}`),
        ...(nextOffset !== undefined ? [`More runs: runs_offset ${nextOffset}.`] : []),
        step,
      ].join("\n"),
    };
  },
});
