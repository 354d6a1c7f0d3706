/**
 * Vendor tables as typed data: the failure table and the destination errors, each entry naming
 * the public document it came from. The status table and the limits live with the export state
 * (src/exports/) and are re-exported here for the diagnosis.
 */
import { DESTINATIONS_DOC, MONITORING_DOC } from "../exports/sources.js";
import type { DestinationField, FailureMode } from "./types.js";

const SEED_000 = MONITORING_DOC;
const SEED_001 = DESTINATIONS_DOC;
const CONTRACT = "LangSmith API, destination test write";

export {
  EXPORT_STATUSES,
  KNOWN_STATUS_NAMES,
  statusEntry,
  statusKey,
  unknownStatusNote,
  type ExportStatusEntry,
  type ExportStatusKey,
} from "../exports/statuses.js";
export { DEFAULT_LIMITS, LIMITS, describeDocumentedLimit, limitEntry, otherDocumentedValues, type LimitEntry } from "../exports/limits.js";

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
      "Nothing to do: the run is requeued with its remaining retries and resumes from its last checkpoint (latest_cursor), so rows " +
        "already written are not exported again.",
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
      "Once the timeouts persist (or the export failed), call create_export for the unfinished partitions only, each covering a few " +
        "hours instead of a whole day (diagnose_export's retry plan lists the calls).",
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
    retryNote: "No: LangSmith does not retry this.",
    actionRequired: "Reduce export scope (date range, filters) or break into smaller exports.",
    remediation: [
      "Call create_export for several smaller exports covering only the partitions that did not complete (diagnose_export's retry plan " +
        "lists the calls); completed partitions are already in the bucket.",
      "Limit export_fields and add a filter to shrink each export further.",
      "Stagger the new exports: a workspace runs a limited number of exports at once (15; the troubleshooting steps say 3) and the rest " +
        "wait as Created.",
    ],
    source: `${SEED_000}, failure table row "Workflow timeout"`,
  },
  {
    mode: "destination_error",
    title: "Storage/destination errors",
    cause: "Invalid credentials, missing bucket, permission issues",
    retriedAutomatically: false,
    retryNote: "No: LangSmith does not retry this.",
    actionRequired: "Fix destination configuration and create new export.",
    remediation: [
      "Reproduce the failure with the CLI test write using the destination's bucket, prefix, endpoint and region and the same credentials.",
      "Fix the cause: rotate_destination_credentials replaces the keys (no need to recreate the destination), or grant s3:PutObject / " +
        "storage.objects.create on the bucket and prefix.",
      "A wrong bucket, prefix, region or endpoint cannot be changed in place: create_destination with the corrected config.",
      "Call create_export for the partitions that did not complete (diagnose_export's retry plan lists the calls).",
    ],
    source: `${SEED_000}, failure table row "Storage/destination errors"`,
  },
  {
    mode: "destination_deleted",
    title: "Destination deleted",
    cause: "Bucket removed during export",
    retriedAutomatically: false,
    retryNote: "No: LangSmith does not retry this.",
    actionRequired: "Recreate destination and restart export.",
    remediation: [
      "Recreate the bucket (or choose another) and call create_destination for it; LangSmith's test write must succeed.",
      "Call create_export with the new destination for the partitions that did not complete.",
      "Files written before the bucket disappeared are gone with it: if the bucket was recreated empty, export the completed partitions " +
        "again too.",
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
      "Read the run's errors (export_status shows each run's last error; the exports://{id}/runs resource has every attempt) to see " +
        "whether serialization or memory is at fault.",
      "Serialization: leave the failing field out with export_fields, or narrow the export with a filter, and export the affected " +
        "partitions again.",
      "Memory exhaustion: export the affected partitions in smaller time slices and limit export_fields.",
      "If the same data keeps failing, contact LangSmith support with the export id and run id.",
    ],
    source: `${SEED_000}, failure table row "Terminal processing errors"`,
  },
  {
    mode: "unknown",
    title: "Unrecognised error",
    cause: "The error text matches no documented failure signature",
    retriedAutomatically: false,
    retryNote: "Not known: this text is not one the docs describe, so nothing says whether LangSmith retries it.",
    actionRequired: "Inspect the run errors; do not assume a cause.",
    remediation: [
      "Read the full run errors: the exports://{id}/runs resource has every attempt (retry_0, retry_1, …); export_status shows each " +
        "run's last one.",
      "Verify destination access with the CLI test write and check run sizes, as the troubleshooting steps advise.",
      "If the cause is still unclear, contact LangSmith support with the export id and run id.",
    ],
    source: `no row of the failure table (${SEED_000}) matches`,
  },
]);

export function failureModeEntry(mode: FailureMode): FailureModeEntry {
  const entry = FAILURE_MODES.find((e) => e.mode === mode);
  if (!entry) throw new Error(`no failure table entry for ${mode}`);
  return entry;
}

/** The phrases the destination test write puts in its 400 detail (destination docs + API). */
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
      "The blob store credentials or bucket are not valid: the access key and secret key combination lacks the permissions to access " +
      "the bucket or perform the required operations.",
    likelyCauses: [
      "The key lacks s3:PutObject (GCS: storage.objects.create) on the bucket and prefix",
      "The secret access key does not belong to the access key id",
      "Temporary credentials whose session token expired",
      "A bucket policy or organisation policy denies the writer",
      "A prefix-scoped policy that does not cover the key LangSmith writes: with include_bucket_in_prefix true (the default) keys start " +
        "with <bucket>/<prefix>/ inside the bucket",
      "The bucket encrypts with a KMS key the writer may not use (kms:GenerateDataKey, kms:Decrypt)",
    ],
    fieldsToCheck: [
      "credentials.access_key_id",
      "credentials.secret_access_key",
      "credentials.session_token",
      "config.bucket_name",
      "config.prefix",
      "config.include_bucket_in_prefix",
    ],
    source: `${SEED_001}, common errors table`,
  },
  {
    phrase: "Bucket is not valid",
    description: "The specified blob store bucket is not valid: it does not exist or there is not enough access to write to it.",
    likelyCauses: [
      "The bucket name is misspelled",
      "The bucket was deleted",
      "The bucket lives in another account or project the key cannot reach",
    ],
    fieldsToCheck: ["config.bucket_name", "config.region", "config.endpoint_url"],
    source: `${SEED_001}, common errors table`,
  },
  {
    phrase: "Key ID you provided does not exist",
    description: "The blob store credentials are not valid: the access key id is not a valid key.",
    likelyCauses: [
      "The access key was deleted or deactivated",
      "A key from another provider or account (AWS key against MinIO/GCS or vice versa)",
    ],
    fieldsToCheck: ["credentials.access_key_id", "credentials.secret_access_key", "config.endpoint_url"],
    source: `${SEED_001}, common errors table`,
  },
  {
    phrase: "Invalid endpoint",
    description:
      "The endpoint_url is invalid. Only S3-compatible endpoints are supported (https://storage.googleapis.com for GCS, " +
      "https://play.min.io for MinIO); for AWS omit endpoint_url.",
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
    likelyCauses: [
      "Upper-case letters, underscores or a path in bucket_name (the path belongs in prefix)",
      "An s3:// or https:// URL given as the bucket name",
    ],
    fieldsToCheck: ["config.bucket_name", "config.prefix"],
    source: CONTRACT,
  },
]);

export function destinationErrorEntry(phrase: DestinationErrorPhrase): DestinationErrorEntry {
  const entry = DESTINATION_ERRORS.find((e) => e.phrase === phrase);
  if (!entry) throw new Error(`no destination error entry for ${phrase}`);
  return entry;
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
  {
    field: "feedback_stats",
    group: "Tags & feedback",
    description: "Feedback statistics (JSON); value breakdowns only for string-type feedback",
  },
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
  note:
    "LangSmith Cloud stores zstandard when no compression is given; self-hosted installs (and older LangSmith versions) default to " +
    "gzip, changeable with FF_BULK_EXPORT_DEFAULT_COMPRESSION.",
  source: `${DATA_EXPORT_DOC}, "Compression"; langchain-ai/docs langsmith-platform-openapi.json, BulkExportCreate.compression`,
});

/** The names alone, in the docs' order. */
export const EXPORTABLE_RUN_FIELDS: readonly string[] = Object.freeze(EXPORTABLE_FIELDS.map((e) => e.field));

/** Free-form payloads that carry most of the bytes; dropping them is the docs' "limit the exported fields". */
export const HEAVY_RUN_FIELDS: readonly string[] = Object.freeze(["inputs", "outputs", "events", "extra"]);
