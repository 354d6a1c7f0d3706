import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { LangSmithIdSchema } from "./schemas.js";
import { type BulkExport, type BulkExportRun, isLangSmithApiError } from "../langsmith/index.js";
import { errorValueText } from "../diagnosis/index.js";
import {
  checkCompleteness,
  CompletenessSchema,
  exportState,
  ExportProgressSchema,
  DAY_MS,
  readRuns,
  readSnapshot,
  RUNS_REFRESH_MS,
  sameStatus,
  statsRunCounter,
  statusKey,
  type ExportSnapshot,
} from "../exports/index.js";
import { apiTimeIso, apiTimeMs } from "../api-time.js";
import { defineTool, type ToolContext } from "./define-tool.js";
import { waitingProgress } from "./progress.js";
import { quoteSeconds } from "../call-budget.js";
import {
  exportSettingsLine,
  progressLines,
  documentedLimit,
  exportView,
  ExportViewSchema,
  getExportOrExplain,
  isKnownStatus,
  isTerminal,
  unknownStatusNote,
  completenessLine,
} from "./export-shared.js";
import { fitItems, truncateText } from "./output-budget.js";
import { num } from "./render.js";

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
    .describe(
      "Wait up to this many seconds for the export to change status or finish, with progress notifications meanwhile (default 0: answer " +
        "now). " +
        "One call waits at most 45 s; a longer wait is cut there and the answer says how to go on.",
    ),
  runs_status: z.string().optional().describe('Only list runs in this status, e.g. "Failed" or "Created" (case-insensitive).'),
  runs_offset: z.number().int().min(0).default(0).describe("Skip this many runs of the list (runs are ordered by partition)."),
  runs_limit: z.number().int().min(0).max(500).default(30).describe("List at most this many runs (default 30; 0 for the summary only)."),
  check_completeness: z
    .boolean()
    .default(false)
    .describe("Reconcile each completed day partition's rows against the runs LangSmith holds for it (one stats request per partition)."),
});

const RunViewSchema = z.object({
  id: z.string(),
  partition_start: z.string(),
  partition_end: z.string().optional().describe("Absent when the partition is the whole UTC day from partition_start (most are)."),
  status: z.string(),
  retry_number: z.number().int(),
  rows_written: z.number(),
  files_written: z.number().int(),
  last_error: z.string().optional(),
});

const outputSchema = z.object({
  export: ExportViewSchema,
  progress: ExportProgressSchema,
  waited_seconds: z.number(),
  status_changed: z.boolean(),
  runs: z.array(RunViewSchema).optional(),
  runs_matching: z.number().int().describe("Runs matching runs_status (all runs when not given)."),
  next_runs_offset: z.number().int().optional(),
  next_step: z.string(),
  completeness: CompletenessSchema.optional().describe("With check_completeness: rows written against matching runs, per partition."),
  notes: z.array(z.string()).optional().describe("What was left out of runs, and how to see it."),
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
  const start = apiTimeIso(run.metadata.start_time) ?? run.metadata.start_time;
  const end = apiTimeIso(run.metadata.end_time) ?? run.metadata.end_time;
  const wholeDay = Date.parse(start) % DAY_MS === 0 && Date.parse(end) - Date.parse(start) === DAY_MS;
  return {
    id: run.id,
    partition_start: start,
    // A whole UTC day is said by its start alone: 500 runs fit the result budget with room to spare.
    ...(!wholeDay && { partition_end: end }),
    status: run.status,
    retry_number: run.retry_number ?? 0,
    rows_written: run.metadata.result?.rows_written ?? 0,
    files_written: run.metadata.result?.exported_files?.length ?? 0,
    last_error: last ? truncateText(last.replace(/\s+/g, " "), ERROR_PREVIEW_CHARS).text : undefined,
  };
}

const retryIndex = (key: string): number => Number(key.replace(/^retry_/, "")) || 0;

function nextStep(exp: BulkExport, failedRuns: number): string {
  if (!isKnownStatus(exp.status)) {
    return `${unknownStatusNote(exp.status)} Check the export in LangSmith before acting; diagnose_export reads its runs.`;
  }
  switch (statusKey(exp.status)) {
    case "completed":
      return "Done: every partition was exported.";
    case "failed":
      return (
        `Failed (${failedRuns} run(s) failed after their retries): call diagnose_export with this export_id for the cause and a ` +
        `retry plan.`
      );
    case "timedout":
      return (
        `Timed out at the workflow limit (${documentedLimit("workflowTimeoutHours")}): call diagnose_export for a split into ` +
        `smaller exports.`
      );
    case "cancelled":
      return "Cancelled; a cancelled export cannot be restarted. create_export makes a new one for what is left.";
    default:
      return failedRuns
        ? "Some runs report errors while retrying: call diagnose_export to see whether LangSmith will recover by itself."
        : "In progress: call export_status again with wait_seconds to follow it.";
  }
}

type Snapshot = ExportSnapshot;

/**
 * Polls until the export leaves its status or ends, the wait is over, or the call's budget is
 * spent. Each poll reads the export alone; its runs are re-read at most every RUNS_REFRESH_MS
 * (for the progress notifications) and once at the end. `stopped` says how to go on when the
 * wait ended before the work did: the budget cut it (call again with the rest of the wait), or
 * LangSmith asked for a pause longer than the call has left (the last snapshot stands).
 */
async function waitForChange(
  first: Snapshot,
  requestedMs: number,
  ctx: Pick<ToolContext, "client" | "signal" | "budget" | "progress"> & { id: string },
): Promise<{ state: Snapshot; stopped?: string }> {
  const { budget, client, signal } = ctx;
  const waitMs = Math.min(requestedMs, budget.limitMs);
  const changed = (exp: BulkExport): boolean => isTerminal(exp.status) || exp.status !== first.export.status;
  let state = first;
  let exp = first.export;
  let runsReadAt = budget.elapsedMs();
  while (!changed(exp) && budget.elapsedMs() < waitMs) {
    const { progress } = exportState({ export: exp, runs: state.runs, now: client.serverNow() });
    const done = progress.runs_total ? progress.partitions_completed / progress.runs_total : 0;
    const waited = Math.round(budget.elapsedMs() / 1000);
    await ctx.progress(
      waitingProgress(done, budget.elapsedMs() / waitMs),
      100,
      `${exp.status}: ${progress.partitions_completed}/${progress.runs_total} partitions, ${progress.rows_written} rows; waited ` +
        `${waited} of ${Math.round(waitMs / 1000)} s`,
    );
    await sleep(Math.min(POLL_INTERVAL_MS, Math.max(0, waitMs - budget.elapsedMs())), undefined, { signal });
    try {
      exp = await client.getExport(ctx.id, signal);
      if (!changed(exp) && budget.elapsedMs() - runsReadAt >= RUNS_REFRESH_MS) {
        state = { export: exp, runs: await readRuns(client, exp, signal) };
        runsReadAt = budget.elapsedMs();
      }
    } catch (error) {
      if (!isLangSmithApiError(error) || error.retryAfterMs === undefined) throw error;
      const what = error.status === 429 ? "rate limited by LangSmith" : "LangSmith is unavailable";
      return {
        state,
        stopped:
          `Stopped waiting: ${what}; retry after ${quoteSeconds(error.retryAfterMs)} s, then call export_status again. The ` +
          `state above is the last one read.`,
      };
    }
  }
  if (exp !== first.export) state = await readSnapshot(client, ctx.id, signal, exp);
  if (changed(exp) || requestedMs <= waitMs) return { state };
  const rest = Math.ceil((requestedMs - budget.elapsedMs()) / 1000);
  return {
    state,
    stopped:
      `Still ${exp.status} after ${budget.limitSeconds} s, the most one call waits: call export_status again with wait_seconds ` +
      `${Math.min(rest, budget.limitSeconds)} to keep following it.`,
  };
}

export const exportStatus = defineTool({
  name: "export_status",
  title: "Export status",
  description:
    "Check a LangSmith bulk export: runs per status, rows and files written, percent done, elapsed time against the workflow timeout, " +
    "and which runs queue behind limits and why. " +
    "Use it for 'is the export done/healthy?'; wait_seconds waits for a change, with progress notifications; check_completeness proves " +
    "no rows are missing. " +
    "Next: diagnose_export if it failed or struggles.",
  toolset: "exports",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  task: true,
  async handler(args, { client, config, signal, budget, progress }) {
    const first = await readSnapshot(client, args.export_id, signal, await getExportOrExplain(client, args.export_id, signal));
    const initialStatus = first.export.status;
    const wait = await waitForChange(first, args.wait_seconds * 1000, { client, signal, budget, progress, id: args.export_id });

    const { export: exp, runs } = wait.state;
    const state = exportState({ export: exp, runs, now: client.serverNow(), workspaceExports: wait.state.workspaceExports });
    const summary = state.progress;
    const completeness = args.check_completeness ? await checkCompleteness(exp, state, statsRunCounter(client), { signal }) : undefined;
    const ordered = [...runs].sort((a, b) => apiTimeMs(a.metadata.start_time) - apiTimeMs(b.metadata.start_time));
    const matching = args.runs_status ? ordered.filter((r) => sameStatus(r.status, args.runs_status!)) : ordered;
    const wanted = matching.slice(args.runs_offset, args.runs_offset + args.runs_limit).map(runView);
    const failedRuns = runs.filter((r) => statusKey(r.status) === "failed").length;
    const step = wait.stopped ?? nextStep(exp, failedRuns + runs.filter((r) => !isTerminal(r.status) && (r.retry_number ?? 0) > 0).length);
    const waited = Math.round(budget.elapsedMs() / 100) / 10;

    /** The result listing the first `count` of the runs asked for. */
    const render = (count: number) => {
      const page = wanted.slice(0, count);
      // runs_limit 0 asks for the summary only: no continuation to offer.
      const nextOffset =
        args.runs_limit > 0 && args.runs_offset + page.length < matching.length ? args.runs_offset + page.length : undefined;
      const cut =
        page.length < wanted.length
          ? `Listed ${page.length} of the ${wanted.length} runs asked for to stay within the ` +
            `${config.maxOutputTokens.toLocaleString("en-US")}-token result budget.`
          : "";
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
          ...(completeness && { completeness }),
          ...(cut && { notes: [`${cut} Call again with runs_offset ${nextOffset} for the next ones.`] }),
        },
        text: [
          `Export ${exp.id}: ${exp.status}${isKnownStatus(exp.status) ? "" : " (a status this server does not know)"}` +
            (exp.status !== initialStatus
              ? ` (changed from ${initialStatus} while waiting ${num(waited)} s).`
              : `, unchanged after waiting ${num(waited)} s.`),
          `Settings: ${exportSettingsLine(exportView(exp))}.`,
          ...progressLines(summary),
          ...(completeness ? [completenessLine(completeness)] : []),
          `${matching.length} run(s)${args.runs_status ? ` in status ${args.runs_status}` : ""}; ` +
            `${page.length ? `listing ${page.length} from offset ${args.runs_offset}:` : "none listed."}`,
          ...page.map(
            (r) =>
              `  ${r.id} ${r.partition_end ? `${r.partition_start} → ${r.partition_end}` : `day ${r.partition_start}`} ${r.status} ` +
              `retry_number=${r.retry_number} rows_written=${num(r.rows_written)} files_written=${r.files_written}` +
              (r.last_error ? ` — last_error: ${r.last_error}` : ""),
          ),
          ...(nextOffset !== undefined ? [`${cut ? `${cut} ` : ""}More runs: next_runs_offset ${nextOffset}.`] : []),
          step,
        ].join("\n"),
      };
    };
    return (await fitItems(wanted.length, render, config.maxOutputTokens)).payload;
  },
});
