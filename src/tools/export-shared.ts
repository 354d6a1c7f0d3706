import { z } from "zod";
import { UserInputError } from "../errors.js";
import { isLangSmithApiError, isUuid, type BulkExport, type Destination, type LangSmithClient } from "../langsmith/index.js";
import { apiTimeIso } from "../api-time.js";
import { num } from "./render.js";
import {
  DEFAULT_LIMITS,
  describeDocumentedLimit,
  isKnownStatus,
  isTerminal,
  sameStatus,
  statusKey,
  unknownStatusNote,
  type Completeness,
  type ExportProgress,
} from "../exports/index.js";

/** Export limits in force and how the docs state them. */
export const EXPORT_LIMITS = DEFAULT_LIMITS;
export const documentedLimit = (key: keyof typeof DEFAULT_LIMITS): string => describeDocumentedLimit(key, DEFAULT_LIMITS[key]);
export { isKnownStatus, isTerminal, sameStatus, unknownStatusNote };

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
export async function resolveDestination(
  client: LangSmithClient,
  reference: string,
  signal: AbortSignal,
  field = "destination",
): Promise<Destination> {
  const key = reference.trim();
  if (isUuid(key)) {
    try {
      return await client.getDestination(key, signal);
    } catch (error) {
      if (isLangSmithApiError(error) && error.status === 404) {
        throw new UserInputError(
          field,
          `no export destination with id ${key}.`,
          "list_destinations shows the destinations of this workspace; create_destination makes one.",
        );
      }
      throw error;
    }
  }
  const all = await client.listDestinations(signal);
  const match = all.find((d) => d.display_name === key) ?? all.find((d) => d.display_name.toLowerCase() === key.toLowerCase());
  if (match) return match;
  const names = all.map((d) => `"${d.display_name}"`).join(", ");
  throw new UserInputError(
    field,
    `no export destination named "${key}".`,
    all.length ? `Known destinations: ${names}.` : "This workspace has no destinations yet; create_destination makes one.",
  );
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

/** The completeness check for text: the verdict, then each short partition with its counts. */
export function completenessLine(c: Completeness): string {
  const short = (c.short ?? [])
    .slice(0, 10)
    .map(
      (p) =>
        `${p.start.slice(0, 10)}: ${num(p.rows_written)} rows for ${num(p.runs_matching)} runs (${num(p.missing)} missing, ${p.files} ` +
        `files)`,
    );
  return (
    `Completeness: ${c.summary}.${short.length ? ` Short: ${short.join("; ")}.` : ""} (${c.stats_requests} run stats ` +
    `request${c.stats_requests === 1 ? "" : "s"}.)`
  );
}

/** Progress for text: every fact the progress object holds. */
export function progressLines(p: ExportProgress): string[] {
  const counts = Object.entries(p.runs_by_status ?? {})
    .map(([status, n]) => `${n} ${status}`)
    .join(", ");
  const documented = p.workflow_timeout_documented_hours.filter((h) => h !== p.workflow_timeout_hours);
  return [
    `Progress: ${p.partitions_completed}/${p.runs_total} partitions done (${num(p.percent_complete)}%), ${num(p.rows_written)} rows ` +
      `written in ${p.files_written} files. Runs: ${counts || "none yet"}.`,
    `Elapsed ${p.elapsed_hours !== undefined ? `${num(p.elapsed_hours)} h` : "unknown"} of the ${num(p.workflow_timeout_hours)} h ` +
      `workflow timeout${documented.length ? ` (the docs also state ${documented.map((h) => `${h} h`).join(", ")})` : ""}.` +
      (p.queued_runs || p.export_waits
        ? ` ${p.export_waits ? "The export waits" : `${p.queued_runs} run(s) waiting`}${p.queued_reason ? `: ${p.queued_reason}` : "."}`
        : " No run waiting."),
  ];
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
