import { z } from "zod";
import { UserInputError } from "../errors.js";
import { isLangSmithApiError, isUuid, type BulkExport, type BulkExportRun, type Destination, type LangSmithClient } from "../langsmith/index.js";
import { apiTimeIso, apiTimeMs } from "../api-time.js";
import { num } from "./render.js";
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
/** A destination's bucket for text; the spec lets LangSmith return none. */
export const bucketLabel = (config: Pick<Destination["config"], "bucket_name" | "prefix">): string =>
  `${config.bucket_name ?? "(bucket not returned)"}${config.prefix ? `/${config.prefix}` : ""}`;

export const DestinationViewSchema = z.object({
  id: z.string(),
  display_name: z.string(),
  destination_type: z.string().optional(),
  bucket_name: z.string().optional().describe("Absent when LangSmith returns no bucket name."),
  prefix: z.string().optional(),
  region: z.string().optional(),
  endpoint_url: z.string().optional(),
  include_bucket_in_prefix: z.boolean().optional(),
  credentials_keys: z.array(z.string()).optional().describe("Which credential fields are stored; values are never returned."),
  created_at: z.string().optional(),
});
export type DestinationView = z.infer<typeof DestinationViewSchema>;

export function destinationView(destination: Destination): DestinationView {
  return {
    id: destination.id,
    display_name: destination.display_name,
    destination_type: destination.destination_type ?? undefined,
    bucket_name: destination.config.bucket_name ?? undefined,
    prefix: destination.config.prefix ?? undefined,
    region: destination.config.region ?? undefined,
    endpoint_url: destination.config.endpoint_url ?? undefined,
    include_bucket_in_prefix: destination.config.include_bucket_in_prefix ?? undefined,
    credentials_keys: destination.credentials_keys ?? [],
    created_at: apiTimeIso(destination.created_at) ?? undefined,
  };
}

/** A destination for text: every field its view holds; credential values are never there. */
export function destinationLine(d: DestinationView): string {
  const facts = [
    d.destination_type ? `type ${d.destination_type}` : "",
    d.endpoint_url ? `endpoint ${d.endpoint_url}` : "AWS S3",
    `bucket ${bucketLabel(d)}`,
    d.region ? `region ${d.region}` : "",
    d.include_bucket_in_prefix !== undefined ? `include_bucket_in_prefix ${d.include_bucket_in_prefix}` : "",
    `stored credentials: ${d.credentials_keys?.length ? d.credentials_keys.join(", ") : "none (environment)"}`,
    d.created_at ? `created ${d.created_at}` : "",
  ].filter(Boolean);
  return `"${d.display_name}" (${d.id}): ${facts.join(", ")}`;
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
  runs_by_status: z.record(z.string(), z.number().int()).optional(),
  partitions_completed: z.number().int(),
  rows_written: z.number(),
  files_written: z.number().int(),
  percent_complete: z.number(),
  elapsed_hours: z.number().optional(),
  workflow_timeout_hours: z.number(),
  queued_runs: z.number().int(),
  queued_reason: z.string().optional(),
});
/** As computed; runs_by_status is always there (empty when the export has no runs yet, then dropped from the result). */
export type ExportProgress = z.infer<typeof ExportProgressSchema> & { runs_by_status: Record<string, number> };

/** Progress for text: every fact the progress object holds. */
export function progressLines(p: ExportProgress): string[] {
  const counts = Object.entries(p.runs_by_status).map(([status, n]) => `${n} ${status}`).join(", ");
  return [
    `Progress: ${p.partitions_completed}/${p.runs_total} partitions done (${num(p.percent_complete)}%), ${num(p.rows_written)} rows written in ${p.files_written} files. Runs: ${counts || "none yet"}.`,
    `Elapsed ${p.elapsed_hours !== undefined ? `${num(p.elapsed_hours)} h` : "unknown"} of the ${num(p.workflow_timeout_hours)} h workflow timeout.` +
      (p.queued_runs ? ` ${p.queued_runs} run(s) waiting${p.queued_reason ? `: ${p.queued_reason}` : "."}` : " No run waiting."),
  ];
}

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
  let reason: string | undefined;
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
    elapsed_hours: Number.isNaN(started) ? undefined : Math.round((Math.max(0, finished - started) / 3_600_000) * 100) / 100,
    workflow_timeout_hours: EXPORT_LIMITS.workflowTimeoutHours,
    queued_runs: waiting,
    queued_reason: reason,
  };
}

export const ExportViewSchema = z.object({
  id: z.string(),
  status: z.string().describe("As LangSmith sent it, including statuses this server does not know."),
  status_known: z.boolean().describe("False for a status the docs do not list (e.g. a newer LangSmith's); it is shown as sent."),
  project_id: z.string().optional().describe("Absent for an export of all experiments of the workspace (no project)."),
  scope: z.string().optional().describe(`"${ALL_EXPERIMENTS_LABEL}" when there is no project_id.`),
  destination_id: z.string(),
  start_time: z.string(),
  end_time: z.string().optional(),
  filter: z.string().optional(),
  export_fields: z.array(z.string()).optional(),
  format_version: z.string().optional(),
  compression: z.string().optional(),
  interval_hours: z.number().optional(),
  created_at: z.string(),
  finished_at: z.string().optional(),
});
export type ExportView = z.infer<typeof ExportViewSchema>;

export function exportView(exp: BulkExport): ExportView {
  return {
    id: exp.id,
    status: exp.status,
    status_known: isKnownStatus(exp.status),
    project_id: exp.session_id ?? undefined,
    // "project <id>" would repeat project_id; the scope is only said when there is none.
    scope: exp.session_id ? undefined : ALL_EXPERIMENTS_LABEL,
    destination_id: exp.bulk_export_destination_id,
    start_time: apiTimeIso(exp.start_time) ?? exp.start_time,
    end_time: apiTimeIso(exp.end_time) ?? undefined,
    filter: exp.filter ?? undefined,
    export_fields: exp.export_fields ?? undefined,
    format_version: exp.format_version ?? undefined,
    compression: exp.compression ?? undefined,
    interval_hours: exp.interval_hours ?? undefined,
    created_at: apiTimeIso(exp.created_at) ?? exp.created_at,
    finished_at: apiTimeIso(exp.finished_at) ?? undefined,
  };
}

/** An export's settings for text, one `key value` per fact its view holds. */
export function exportSettingsLine(e: ExportView): string {
  const facts = [
    `${e.project_id ? `project ${e.project_id}` : (e.scope ?? ALL_EXPERIMENTS_LABEL)}`,
    `destination ${e.destination_id}`,
    `runs started ${e.start_time} → ${e.end_time ?? (e.interval_hours !== undefined ? `every ${e.interval_hours} h` : "open end")}`,
    e.interval_hours !== undefined && e.end_time ? `interval_hours ${e.interval_hours}` : "",
    e.filter ? `filter ${e.filter}` : "",
    e.export_fields?.length ? `export_fields ${e.export_fields.join(", ")}` : "",
    e.format_version ? `format_version ${e.format_version}` : "",
    e.compression ? `compression ${e.compression}` : "",
    `created ${e.created_at}`,
    e.finished_at ? `finished ${e.finished_at}` : "",
  ].filter(Boolean);
  return facts.join("; ");
}

export const countRunning = (exports: readonly BulkExport[]): number => exports.filter((e) => statusKey(e.status) === "running").length;
