/**
 * Vendor tables as typed data. Each entry names the seed it came from; where the seeds contradict
 * each other, both values are kept with the contract's decision (contract §4.4), so explanations
 * can state both instead of silently picking one.
 */
import type { DestinationField, ExportLimits, FailureMode } from "./types.js";

const SEED_000 = "seed 000 (bulk export monitoring, failure modes and limits)";
const SEED_001 = "seed 001 (bulk export destinations)";
const CONTRACT = "contract §4 (langsmith-api.md)";

export interface FailureModeEntry {
  mode: FailureMode;
  title: string;
  cause: string;
  retriedAutomatically: boolean;
  retryNote: string;
  actionRequired: string;
  /** Ordered, concrete steps. */
  remediation: readonly string[];
  source: string;
}

/** Seed 000's "Failure scenarios" table, one entry per row, plus `unknown` for text no row explains. */
export const FAILURE_MODES: readonly FailureModeEntry[] = Object.freeze([
  {
    mode: "infrastructure_interruption",
    title: "Infrastructure interruption",
    cause: "Deployments, server restarts, worker crashes",
    retriedAutomatically: true,
    retryNote: "Yes, automatically requeued with remaining retries.",
    actionRequired: "None, jobs resume automatically.",
    remediation: [
      "Nothing to do: the run is requeued with its remaining retries and resumes from its last checkpoint (latest_cursor), so rows already written are not exported again.",
      "Check again later; act only if the same run keeps failing until its retries run out.",
    ],
    source: `${SEED_000}, failure table row "Infrastructure interruption"`,
  },
  {
    mode: "run_timeout",
    title: "Run timeout",
    cause: "Single run exceeds 4-hour limit",
    retriedAutomatically: true,
    retryNote: "Yes, retried up to 20 times (subject to change).",
    actionRequired: "If persistent, narrow date range, add filters, or limit the exported fields.",
    remediation: [
      "Once the timeouts persist (or the export failed), create new exports for the unfinished partitions only, each covering a few hours instead of a whole day.",
      "Limit export_fields to the columns you need: inputs, outputs, events and extra carry most of the bytes.",
      "Add a filter (for example on run_type or is_root) if only part of the project is needed.",
    ],
    source: `${SEED_000}, failure table row "Run timeout"`,
  },
  {
    mode: "workflow_timeout",
    title: "Workflow timeout",
    cause: "Entire export exceeds 72 hours",
    retriedAutomatically: false,
    retryNote: "No",
    actionRequired: "Reduce export scope (date range, filters) or break into smaller exports.",
    remediation: [
      "Create several smaller exports covering only the partitions that did not complete; completed partitions are already in the bucket.",
      "Limit export_fields and add a filter to shrink each export further.",
      "Stagger the new exports: a workspace runs a limited number of exports at once (15; seed 000's troubleshooting steps say 3) and the rest wait as Created.",
    ],
    source: `${SEED_000}, failure table row "Workflow timeout"`,
  },
  {
    mode: "destination_error",
    title: "Storage/destination errors",
    cause: "Invalid credentials, missing bucket, permission issues",
    retriedAutomatically: false,
    retryNote: "No",
    actionRequired: "Fix destination configuration and create new export.",
    remediation: [
      "Reproduce the failure with the CLI test write using the destination's bucket, prefix, endpoint and region and the same credentials.",
      "Fix the cause: rotate credentials with PATCH /api/v1/bulk-exports/destinations/{id} (no need to recreate the destination), or grant s3:PutObject / storage.objects.create on the bucket and prefix.",
      "A wrong bucket, prefix, region or endpoint cannot be patched: create a new destination with the corrected config.",
      "Create a new export for the partitions that did not complete.",
    ],
    source: `${SEED_000}, failure table row "Storage/destination errors"`,
  },
  {
    mode: "destination_deleted",
    title: "Destination deleted",
    cause: "Bucket removed during export",
    retriedAutomatically: false,
    retryNote: "No",
    actionRequired: "Recreate destination and restart export.",
    remediation: [
      "Recreate the bucket (or choose another) and create a new destination for it; the service's test write must succeed.",
      "Create a new export with the new destination id for the partitions that did not complete.",
      "Files written before the bucket disappeared are gone with it: if the bucket was recreated empty, export the completed partitions again too.",
    ],
    source: `${SEED_000}, failure table row "Destination deleted"`,
  },
  {
    mode: "terminal_processing_error",
    title: "Terminal processing errors",
    cause: "Data serialization issues, resource exhaustion",
    retriedAutomatically: true,
    retryNote: "Yes, retried up to 20 times (subject to change).",
    actionRequired: "Check run error details; may require investigation.",
    remediation: [
      "Read the run's errors (retry_0, retry_1, …) to see whether serialization or memory is at fault.",
      "Serialization: leave the failing field out with export_fields, or narrow the export with a filter, and export the affected partitions again.",
      "Memory exhaustion: export the affected partitions in smaller time slices and limit export_fields.",
      "If the same data keeps failing, contact LangSmith support with the export id and run id.",
    ],
    source: `${SEED_000}, failure table row "Terminal processing errors"`,
  },
  {
    mode: "unknown",
    title: "Unrecognised error",
    cause: "The error text matches no documented failure signature",
    retriedAutomatically: true,
    retryNote: "Unknown: LangSmith retries transient failures, but this text is not one the docs describe.",
    actionRequired: "Inspect the run errors; do not assume a cause.",
    remediation: [
      "Read the full run errors with the export's run list (errors keyed retry_0, retry_1, …).",
      "Verify destination access with the CLI test write and check run sizes, as seed 000's troubleshooting steps advise.",
      "If the cause is still unclear, contact LangSmith support with the export id and run id.",
    ],
    source: `this project: no row of ${SEED_000}'s failure table matches`,
  },
]);

export function failureModeEntry(mode: FailureMode): FailureModeEntry {
  const entry = FAILURE_MODES.find((e) => e.mode === mode);
  if (!entry) throw new Error(`no failure table entry for ${mode}`);
  return entry;
}

/** The phrases the destination test write puts in its 400 detail (seed 001 + contract §4.1). */
export type DestinationErrorPhrase =
  | "Access denied"
  | "Bucket is not valid"
  | "Key ID you provided does not exist"
  | "Invalid endpoint"
  | "InvalidBucketName";

export interface DestinationErrorEntry {
  phrase: DestinationErrorPhrase;
  description: string;
  likelyCauses: readonly string[];
  /** Destination fields to check, most likely culprit first. */
  fieldsToCheck: readonly DestinationField[];
  source: string;
}

export const DESTINATION_ERRORS: readonly DestinationErrorEntry[] = Object.freeze([
  {
    phrase: "Access denied",
    description:
      "The blob store credentials or bucket are not valid: the access key and secret key combination lacks the permissions to access the bucket or perform the required operations.",
    likelyCauses: [
      "The key lacks s3:PutObject (GCS: storage.objects.create) on the bucket and prefix",
      "The secret access key does not belong to the access key id",
      "Temporary credentials whose session token expired",
      "A bucket policy or organisation policy denies the writer",
    ],
    fieldsToCheck: ["credentials.access_key_id", "credentials.secret_access_key", "credentials.session_token", "config.bucket_name", "config.prefix"],
    source: `${SEED_001}, common errors table`,
  },
  {
    phrase: "Bucket is not valid",
    description:
      "The specified blob store bucket is not valid: it does not exist or there is not enough access to write to it.",
    likelyCauses: ["The bucket name is misspelled", "The bucket was deleted", "The bucket lives in another account or project the key cannot reach"],
    fieldsToCheck: ["config.bucket_name", "config.region", "config.endpoint_url"],
    source: `${SEED_001}, common errors table`,
  },
  {
    phrase: "Key ID you provided does not exist",
    description: "The blob store credentials are not valid: the access key id is not a valid key.",
    likelyCauses: ["The access key was deleted or deactivated", "A key from another provider or account (AWS key against MinIO/GCS or vice versa)"],
    fieldsToCheck: ["credentials.access_key_id", "credentials.secret_access_key", "config.endpoint_url"],
    source: `${SEED_001}, common errors table`,
  },
  {
    phrase: "Invalid endpoint",
    description:
      "The endpoint_url is invalid. Only S3-compatible endpoints are supported (https://storage.googleapis.com for GCS, https://play.min.io for MinIO); for AWS omit endpoint_url.",
    likelyCauses: [
      "endpoint_url set for an AWS bucket (omit it and give the region)",
      "A GCS JSON API or console URL instead of the XML API https://storage.googleapis.com",
      "An endpoint not reachable from LangSmith (private network, typo, missing scheme)",
      "The region does not match the bucket's region",
    ],
    fieldsToCheck: ["config.endpoint_url", "config.region", "config.config_kwargs_s3.addressing_style"],
    source: `${SEED_001}, common errors table`,
  },
  {
    phrase: "InvalidBucketName",
    description: "The bucket name breaks the S3 naming rules (3 to 63 lower-case letters, digits, dots and hyphens).",
    likelyCauses: ["Upper-case letters, underscores or a path in bucket_name (the path belongs in prefix)", "An s3:// or https:// URL given as the bucket name"],
    fieldsToCheck: ["config.bucket_name", "config.prefix"],
    source: `${CONTRACT} §4.1, destination test-write errors`,
  },
]);

export function destinationErrorEntry(phrase: DestinationErrorPhrase): DestinationErrorEntry {
  const entry = DESTINATION_ERRORS.find((e) => e.phrase === phrase);
  if (!entry) throw new Error(`no destination error entry for ${phrase}`);
  return entry;
}

export interface ExportStatusEntry {
  /** As the API spells it (contract §4.2). */
  apiSpelling: string;
  /** As seed 000 writes it. */
  docSpelling: string;
  description: string;
  /** No further change without a new export. */
  terminal: boolean;
  source: string;
}

export const EXPORT_STATUSES: readonly ExportStatusEntry[] = Object.freeze([
  { apiSpelling: "Created", docSpelling: "CREATED", description: "Export has been created but not yet started processing.", terminal: false, source: `${SEED_000}, status lifecycle` },
  { apiSpelling: "Running", docSpelling: "RUNNING", description: "Export is actively processing runs.", terminal: false, source: `${SEED_000}, status lifecycle` },
  { apiSpelling: "Completed", docSpelling: "COMPLETED", description: "All runs successfully exported.", terminal: true, source: `${SEED_000}, status lifecycle` },
  { apiSpelling: "Failed", docSpelling: "FAILED", description: "One or more runs failed after exhausting retries.", terminal: true, source: `${SEED_000}, status lifecycle` },
  { apiSpelling: "Cancelled", docSpelling: "CANCELLED", description: "Export was manually cancelled by user; it cannot be restarted.", terminal: true, source: `${SEED_000}, status lifecycle and "Stop an export"` },
  {
    apiSpelling: "TimedOut",
    docSpelling: "TIMEDOUT",
    description: "Export exceeded the workflow timeout (72 h per the retry section, 48 h per this row).",
    terminal: true,
    source: `${SEED_000}, status lifecycle`,
  },
  { apiSpelling: "IntervalScheduled", docSpelling: "INTERVALSCHEDULED", description: "Parent of a scheduled export; its children do the exporting.", terminal: false, source: `${CONTRACT} §4.2` },
]);

/** The documented entry for a status in any spelling; undefined for a status the docs do not list (e.g. "Paused"). */
export function statusEntry(status: string): ExportStatusEntry | undefined {
  const key = statusKey(status);
  return key ? EXPORT_STATUSES.find((e) => e.apiSpelling.toLowerCase() === key) : undefined;
}

/** "Created, Running, …": the statuses this server knows, for messages about one it does not. */
export const KNOWN_STATUS_NAMES = EXPORT_STATUSES.map((e) => e.apiSpelling).join(", ");

/** What to say about a status the docs do not list: shown as LangSmith sent it, never mapped to a known one. */
export const unknownStatusNote = (status: string): string =>
  `LangSmith reports status "${status}", which this server does not know (documented: ${KNOWN_STATUS_NAMES}); it is shown as sent and not read as any of those.`;

export type ExportStatusKey = "created" | "running" | "completed" | "failed" | "cancelled" | "timedout" | "intervalscheduled";

/** `Running`, `RUNNING`, `timed_out` → the comparison key; anything else → null. */
export function statusKey(status: string): ExportStatusKey | null {
  const key = status.toLowerCase().replace(/[^a-z]/g, "");
  const entry = EXPORT_STATUSES.find((e) => e.apiSpelling.toLowerCase() === key);
  return entry ? (entry.apiSpelling.toLowerCase() as ExportStatusKey) : null;
}

export interface LimitEntry {
  key: keyof ExportLimits;
  title: string;
  unit: string;
  /** The contract's decision, used unless the caller configures another value. */
  decided: number;
  /** Every value the seeds state, where they state it. */
  documented: ReadonlyArray<{ value: number; where: string }>;
  source: string;
}

export const LIMITS: readonly LimitEntry[] = Object.freeze([
  { key: "maxRetries", title: "retries per run", unit: "retries", decided: 20, documented: [{ value: 20, where: "automatic retry behaviour (subject to change)" }], source: SEED_000 },
  { key: "retryDelaySeconds", title: "delay between retries", unit: "s", decided: 30, documented: [{ value: 30, where: "automatic retry behaviour (fixed, no backoff)" }], source: SEED_000 },
  { key: "runTimeoutHours", title: "run timeout", unit: "h", decided: 4, documented: [{ value: 4, where: "automatic retry behaviour and the failure table" }], source: SEED_000 },
  {
    key: "workflowTimeoutHours",
    title: "workflow timeout",
    unit: "h",
    decided: 72,
    documented: [
      { value: 72, where: "the retry section and the failure table" },
      { value: 48, where: "the TIMEDOUT row of the status table" },
    ],
    source: `${SEED_000}; decision in ${CONTRACT}.4`,
  },
  {
    key: "maxConcurrentRunsPerExport",
    title: "concurrent runs per export",
    unit: "runs",
    decided: 45,
    documented: [
      { value: 45, where: "the concurrency limits section" },
      { value: 5, where: "the troubleshooting steps" },
    ],
    source: `${SEED_000}; decision in ${CONTRACT}.4`,
  },
  {
    key: "maxConcurrentExportsPerWorkspace",
    title: "concurrent exports per workspace",
    unit: "exports",
    decided: 15,
    documented: [
      { value: 15, where: "the concurrency limits section" },
      { value: 3, where: "the troubleshooting steps" },
    ],
    source: `${SEED_000}; decision in ${CONTRACT}.4`,
  },
]);

export function limitEntry(key: keyof ExportLimits): LimitEntry {
  const entry = LIMITS.find((e) => e.key === key);
  if (!entry) throw new Error(`no limit entry for ${key}`);
  return entry;
}

/** The contract's decided limits. */
export const DEFAULT_LIMITS: Readonly<ExportLimits> = Object.freeze(
  Object.fromEntries(LIMITS.map((e) => [e.key, e.decided])) as unknown as ExportLimits,
);

/** Documented values other than the one in force, e.g. the troubleshooting doc's 5 runs per export. */
export function otherDocumentedValues(key: keyof ExportLimits, configured: number): number[] {
  return limitEntry(key)
    .documented.map((d) => d.value)
    .filter((v) => v !== configured);
}

/** "workflow timeout: 72 h per the retry section and the failure table of seed 000; 48 h per the TIMEDOUT row …" */
export function describeDocumentedLimit(key: keyof ExportLimits, configured: number): string {
  const entry = limitEntry(key);
  const stated = entry.documented.map((d) => `${d.value} ${entry.unit} per ${d.where}`).join("; ");
  const inForce = entry.documented.some((d) => d.value === configured) ? `${configured} ${entry.unit}` : `${configured} ${entry.unit} (configured)`;
  return `${entry.title}: ${stated} (seed 000); in force here: ${inForce}.`;
}

const DATA_EXPORT_DOC = 'LangSmith docs "Bulk export trace data" (docs.langchain.com/langsmith/data-export)';

export interface ExportableFieldEntry {
  field: string;
  group: "Identifiers & hierarchy" | "Basic metadata" | "Run data" | "Tags & feedback" | "Token usage & costs";
  description: string;
}

/**
 * The run fields a bulk export writes by default, and so the names `export_fields` takes, as
 * the docs list them (langchain-ai/docs src/langsmith/data-export.mdx, "Exportable fields").
 * Neither the seeds nor the OpenAPI (`export_fields: string[]`) enumerate them.
 */
export const EXPORTABLE_FIELDS: readonly ExportableFieldEntry[] = Object.freeze([
  { field: "id", group: "Identifiers & hierarchy", description: "Run ID" },
  { field: "tenant_id", group: "Identifiers & hierarchy", description: "Workspace/tenant ID" },
  { field: "session_id", group: "Identifiers & hierarchy", description: "Project/session ID" },
  { field: "trace_id", group: "Identifiers & hierarchy", description: "Trace ID" },
  { field: "parent_run_id", group: "Identifiers & hierarchy", description: "Parent run ID" },
  { field: "parent_run_ids", group: "Identifiers & hierarchy", description: "List of all parent run IDs" },
  { field: "reference_example_id", group: "Identifiers & hierarchy", description: "Reference to example if part of a dataset" },
  { field: "name", group: "Basic metadata", description: "Run name" },
  { field: "run_type", group: "Basic metadata", description: 'Type of run (e.g., "chain", "llm", "tool")' },
  { field: "start_time", group: "Basic metadata", description: "Start timestamp (UTC)" },
  { field: "end_time", group: "Basic metadata", description: "End timestamp (UTC)" },
  { field: "status", group: "Basic metadata", description: 'Run status (e.g., "success", "error")' },
  { field: "is_root", group: "Basic metadata", description: "Whether this is a root-level run" },
  { field: "dotted_order", group: "Basic metadata", description: "Hierarchical ordering string" },
  { field: "trace_tier", group: "Basic metadata", description: "Trace tier/retention level" },
  { field: "inputs", group: "Run data", description: "Run inputs (JSON)" },
  { field: "outputs", group: "Run data", description: "Run outputs (JSON)" },
  { field: "error", group: "Run data", description: "Error message if failed" },
  { field: "extra", group: "Run data", description: "Extra metadata (JSON)" },
  { field: "events", group: "Run data", description: "Run events (JSON)" },
  { field: "tags", group: "Tags & feedback", description: "List of tags" },
  { field: "feedback_stats", group: "Tags & feedback", description: "Feedback statistics (JSON); value breakdowns only for string-type feedback" },
  { field: "total_tokens", group: "Token usage & costs", description: "Total token count" },
  { field: "prompt_tokens", group: "Token usage & costs", description: "Prompt token count" },
  { field: "completion_tokens", group: "Token usage & costs", description: "Completion token count" },
  { field: "total_cost", group: "Token usage & costs", description: "Total cost" },
  { field: "prompt_cost", group: "Token usage & costs", description: "Prompt cost" },
  { field: "completion_cost", group: "Token usage & costs", description: "Completion cost" },
  { field: "first_token_time", group: "Token usage & costs", description: "Time to first token" },
]);
export const EXPORTABLE_FIELDS_SOURCE = `${DATA_EXPORT_DOC}, "Exportable fields"`;

/**
 * What LangSmith stores when create_export is given no compression (same docs page,
 * "Compression"; the published OpenAPI's `BulkExportCreate.compression` default). Older
 * descriptions and self-hosted installs say gzip; the API's answer says what was stored.
 */
export const COMPRESSION_DEFAULT = Object.freeze({
  current: "zstandard",
  selfHosted: "gzip",
  note: "LangSmith Cloud stores zstandard when no compression is given; self-hosted installs (and older LangSmith versions) default to gzip, changeable with FF_BULK_EXPORT_DEFAULT_COMPRESSION.",
  source: `${DATA_EXPORT_DOC}, "Compression"; langchain-ai/docs langsmith-platform-openapi.json, BulkExportCreate.compression`,
});

/** The names alone, in the docs' order. */
export const EXPORTABLE_RUN_FIELDS: readonly string[] = Object.freeze(EXPORTABLE_FIELDS.map((e) => e.field));

/** Free-form payloads that carry most of the bytes; dropping them is the docs' "limit the exported fields". */
export const HEAVY_RUN_FIELDS: readonly string[] = Object.freeze(["inputs", "outputs", "events", "extra"]);
