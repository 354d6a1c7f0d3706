import { z } from "zod";
import { UserInputError } from "../errors.js";
import { isLangSmithApiError, isUuid, type BulkExport, type BulkExportRun, type Destination, type LangSmithClient } from "../langsmith/index.js";
import { apiTimeIso, apiTimeMs } from "../api-time.js";
import { DEFAULT_LIMITS, describeDocumentedLimit, statusEntry, unknownStatusNote } from "../diagnosis/tables.js";

/** Export limits in force (the contract's decisions) and how the seeds state them. */
export const EXPORT_LIMITS = DEFAULT_LIMITS;
export const documentedLimit = (key: keyof typeof DEFAULT_LIMITS): string => describeDocumentedLimit(key, DEFAULT_LIMITS[key]);

/**
 * Statuses compare case-insensitively: the API writes `Running`, the docs `RUNNING`. A status
 * the docs do not list keeps its own key (lower case), so it is counted and filtered as itself.
 */
export const statusKey = (status: string): string => statusEntry(status)?.apiSpelling.toLowerCase() ?? status.toLowerCase();
/** Terminal per the documented status table; an unknown status is not assumed to be terminal. */
export const isTerminal = (status: string): boolean => statusEntry(status)?.terminal ?? false;
export const isKnownStatus = (status: string): boolean => statusEntry(status) !== undefined;
export { unknownStatusNote };

/** How an export without a project (all experiments of the workspace) is named to the user. */
export const ALL_EXPERIMENTS_LABEL = "all experiments (no project)";
/** The project an export covers, for text: its id, or ALL_EXPERIMENTS_LABEL. */
export const exportScope = (exp: Pick<BulkExport, "session_id">): string => (exp.session_id ? `project ${exp.session_id}` : ALL_EXPERIMENTS_LABEL);
/** A destination's bucket for text; the spec lets LangSmith return none. */
export const bucketLabel = (config: Destination["config"]): string =>
  `${config.bucket_name ?? "(bucket not returned)"}${config.prefix ? `/${config.prefix}` : ""}`;

export const DestinationViewSchema = z.object({
  id: z.string(),
  display_name: z.string(),
  destination_type: z.string().nullable(),
  bucket_name: z.string().nullable().describe("Null when LangSmith returns no bucket name."),
  prefix: z.string().nullable(),
  region: z.string().nullable(),
  endpoint_url: z.string().nullable(),
  include_bucket_in_prefix: z.boolean().nullable(),
  credentials_keys: z.array(z.string()).describe("Which credential fields are stored; values are never returned."),
  created_at: z.string().nullable(),
});

export function destinationView(destination: Destination): z.infer<typeof DestinationViewSchema> {
  return {
    id: destination.id,
    display_name: destination.display_name,
    destination_type: destination.destination_type ?? null,
    bucket_name: destination.config.bucket_name ?? null,
    prefix: destination.config.prefix ?? null,
    region: destination.config.region ?? null,
    endpoint_url: destination.config.endpoint_url ?? null,
    include_bucket_in_prefix: destination.config.include_bucket_in_prefix ?? null,
    credentials_keys: destination.credentials_keys ?? [],
    created_at: apiTimeIso(destination.created_at),
  };
}

/** A destination by id or display name (exact, then case-insensitive). */
export async function resolveDestination(client: LangSmithClient, reference: string, signal: AbortSignal, field = "destination"): Promise<Destination> {
  const key = reference.trim();
  if (isUuid(key)) {
    try {
      return await client.getDestination(key, signal);
    } catch (error) {
      if (isLangSmithApiError(error) && error.status === 404) {
        throw new UserInputError(field, `no export destination with id ${key}.`, "list_destinations shows the destinations of this workspace; create_destination makes one.");
      }
      throw error;
    }
  }
  const all = await client.listDestinations(signal);
  const match = all.find((d) => d.display_name === key) ?? all.find((d) => d.display_name.toLowerCase() === key.toLowerCase());
  if (match) return match;
  const names = all.map((d) => `"${d.display_name}"`).join(", ");
  throw new UserInputError(field, `no export destination named "${key}".`, all.length ? `Known destinations: ${names}.` : "This workspace has no destinations yet; create_destination makes one.");
}

export async function getExportOrExplain(client: LangSmithClient, id: string, signal: AbortSignal): Promise<BulkExport> {
  try {
    return await client.getExport(id, signal);
  } catch (error) {
    if (isLangSmithApiError(error) && error.status === 404) {
      throw new UserInputError("export_id", `no bulk export ${id} in this workspace.`, "list_exports shows the exports and their ids.");
    }
    throw error;
  }
}

/** The UTC day partitions LangSmith splits [start, end) into (contract §4.3). */
export function dayPartitions(start: Date, end: Date): { start: string; end: string }[] {
  const partitions: { start: string; end: string }[] = [];
  let cursor = start.getTime();
  while (cursor < end.getTime()) {
    const day = new Date(cursor);
    const nextMidnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1);
    const stop = Math.min(nextMidnight, end.getTime());
    partitions.push({ start: new Date(cursor).toISOString(), end: new Date(stop).toISOString() });
    cursor = stop;
  }
  return partitions;
}

export const ExportProgressSchema = z.object({
  runs_total: z.number().int(),
  runs_by_status: z.record(z.string(), z.number().int()),
  partitions_completed: z.number().int(),
  rows_written: z.number(),
  files_written: z.number().int(),
  percent_complete: z.number(),
  elapsed_hours: z.number().nullable(),
  workflow_timeout_hours: z.number(),
  queued_runs: z.number().int(),
  queued_reason: z.string().nullable(),
});
export type ExportProgress = z.infer<typeof ExportProgressSchema>;

/**
 * Counts, rows, files and elapsed time of an export; and why runs wait, if they do. Runs wait
 * as Created when the export is at its running-runs limit, or when the workspace is at its
 * running-exports limit (then the export itself stays Created).
 */
export function summarizeExport(
  exp: BulkExport,
  runs: readonly BulkExportRun[],
  now: Date,
  runningExportsInWorkspace: number,
): ExportProgress {
  const byStatus: Record<string, number> = {};
  let rows = 0;
  let files = 0;
  for (const run of runs) {
    const key = statusKey(run.status);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
    rows += run.metadata.result?.rows_written ?? 0;
    files += run.metadata.result?.exported_files?.length ?? 0;
  }
  const completed = byStatus.completed ?? 0;
  const running = byStatus.running ?? 0;
  const waiting = isTerminal(exp.status) ? 0 : (byStatus.created ?? 0);
  const started = apiTimeMs(exp.created_at);
  const finished = exp.finished_at ? apiTimeMs(exp.finished_at) : now.getTime();
  let reason: string | null = null;
  // LangSmith does not publish the limits in force, so the reason is read off the counts.
  if (waiting > 0 && statusKey(exp.status) === "created") {
    reason = runningExportsInWorkspace
      ? `the export waits for a workspace slot: ${runningExportsInWorkspace} other export(s) are running (${documentedLimit("maxConcurrentExportsPerWorkspace")}).`
      : "the export has not been picked up yet; LangSmith starts it as a worker frees up.";
  } else if (waiting > 0) {
    reason = `queued behind the per-export limit of concurrent runs: ${running} running now (${documentedLimit("maxConcurrentRunsPerExport")}).`;
  }
  return {
    runs_total: runs.length,
    runs_by_status: byStatus,
    partitions_completed: completed,
    rows_written: rows,
    files_written: files,
    percent_complete: runs.length ? Math.round((completed / runs.length) * 1000) / 10 : 0,
    // Clamped: LangSmith stamps created_at on its clock; a local clock behind it would go negative.
    elapsed_hours: Number.isNaN(started) ? null : Math.round((Math.max(0, finished - started) / 3_600_000) * 100) / 100,
    workflow_timeout_hours: EXPORT_LIMITS.workflowTimeoutHours,
    queued_runs: waiting,
    queued_reason: reason,
  };
}

export const ExportViewSchema = z.object({
  id: z.string(),
  status: z.string().describe("As LangSmith sent it, including statuses this server does not know."),
  status_known: z.boolean().describe("False for a status the docs do not list (e.g. a newer LangSmith's); it is shown as sent."),
  project_id: z.string().nullable().describe("Null for an export of all experiments of the workspace (no project)."),
  scope: z.string().describe(`"project <id>", or "${ALL_EXPERIMENTS_LABEL}".`),
  destination_id: z.string(),
  start_time: z.string(),
  end_time: z.string().nullable(),
  filter: z.string().nullable(),
  export_fields: z.array(z.string()).nullable(),
  format_version: z.string().nullable(),
  compression: z.string().nullable(),
  interval_hours: z.number().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});

export function exportView(exp: BulkExport): z.infer<typeof ExportViewSchema> {
  return {
    id: exp.id,
    status: exp.status,
    status_known: isKnownStatus(exp.status),
    project_id: exp.session_id ?? null,
    scope: exportScope(exp),
    destination_id: exp.bulk_export_destination_id,
    start_time: apiTimeIso(exp.start_time) ?? exp.start_time,
    end_time: apiTimeIso(exp.end_time),
    filter: exp.filter ?? null,
    export_fields: exp.export_fields ?? null,
    format_version: exp.format_version ?? null,
    compression: exp.compression ?? null,
    interval_hours: exp.interval_hours ?? null,
    created_at: apiTimeIso(exp.created_at) ?? exp.created_at,
    finished_at: apiTimeIso(exp.finished_at),
  };
}

export const countRunning = (exports: readonly BulkExport[]): number => exports.filter((e) => statusKey(e.status) === "running").length;
