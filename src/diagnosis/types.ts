/**
 * Shapes the diagnosis reads and returns. Inputs are the client's tolerant-reader types (what the
 * API sent, contract §4.2: optional fields absent or null, statuses in the API's Title case or
 * the docs' upper case); progress is the export state's one model (src/exports/state.ts).
 */

/**
 * The documented failure modes (the documented failure table) plus `unknown` for unrecognised text.
 * These exact strings are a public contract: tools and scripts switch on them.
 */
export const FAILURE_MODE_NAMES = [
  "infrastructure_interruption",
  "run_timeout",
  "workflow_timeout",
  "destination_error",
  "destination_deleted",
  "terminal_processing_error",
  "unknown",
] as const;
export type FailureMode = (typeof FAILURE_MODE_NAMES)[number];

/** A healthy export has no failure mode. */
export const EXPORT_FAILURE_MODE_NAMES = [...FAILURE_MODE_NAMES, "none"] as const;
export type ExportFailureMode = (typeof EXPORT_FAILURE_MODE_NAMES)[number];

export type Confidence = "high" | "medium" | "low";

/** The shapes the client parses (tolerant reader, src/langsmith/export-schemas.ts): one definition. */
export type { BulkExport, BulkExportRun, Destination } from "../langsmith/export-schemas.js";
export type { ExportLimits } from "../exports/limits.js";
export type { ExportProgress } from "../exports/state.js";
import type { BulkExport, BulkExportRun, Destination } from "../langsmith/export-schemas.js";
import type { ExportLimits } from "../exports/limits.js";
import type { ExportProgress } from "../exports/state.js";

export type DestinationConfig = Destination["config"];

/** The destination fields a fix may touch (request body paths of contract §4.1). */
export type DestinationField =
  | "credentials.access_key_id"
  | "credentials.secret_access_key"
  | "credentials.session_token"
  | "config.bucket_name"
  | "config.prefix"
  | "config.region"
  | "config.endpoint_url"
  | "config.include_bucket_in_prefix"
  | "config.config_kwargs_s3.addressing_style"
  | "config.aws_role_arn";

/**
 * Exact arguments for `POST /api/v1/bulk-exports` (contract §4.2): a project's export carries
 * `session_id`; an export of all experiments carries `all_experiments: true` and no session_id.
 */
export interface PlannedExport {
  session_id?: string;
  all_experiments?: true;
  bulk_export_destination_id: string;
  start_time: string;
  end_time: string;
  filter?: string;
  export_fields?: string[];
  format_version?: string;
  compression?: string;
}

export type RetryPlanKind =
  | "split_exports"
  | "fix_destination_then_recreate"
  | "recreate_destination_then_restart"
  | "recreate_export"
  | "wait"
  | "investigate";

export interface RetryPlan {
  kind: RetryPlanKind;
  summary: string;
  /** Create these exports, in order; empty when nothing is to be created. */
  exports: PlannedExport[];
  destination_fixes?: Array<{ field: DestinationField; why: string }>;
  /** A CLI test write with the destination's own bucket, prefix, endpoint and region. */
  pre_retry_check?: string;
  /** Optional narrowing: fields to leave out and the `export_fields` that results. */
  field_reduction?: { drop: string[]; export_fields: string[]; why: string };
  /** How the split was sized, duplicates to expect, queueing of many exports. */
  notes: string[];
}

export interface RunDiagnosis {
  run_id: string;
  partition: { start: string; end: string };
  status: string;
  failure_mode: ExportFailureMode;
  confidence: Confidence;
  retry_number: number;
  retries_left: number;
  /** Redacted and trimmed. */
  decisive_error: string | null;
  errors_seen: number;
  evidence: string[];
}

export interface ExportDiagnosis {
  export_id: string;
  /** As the API spells it. */
  status: string;
  failure_mode: ExportFailureMode;
  verdict: string;
  confidence: Confidence;
  /** Whether LangSmith retries this failure mode by itself (the documented failure table). */
  retried_automatically: boolean;
  progress: ExportProgress;
  /** Failed or struggling runs only, worst first, bounded. */
  runs: RunDiagnosis[];
  /** Failed or struggling runs left out of `runs`. */
  runs_omitted: number;
  evidence: string[];
  remediation: string[];
  retry_plan: RetryPlan | null;
  documented_values: string[];
}

export interface DiagnoseExportInput {
  export: BulkExport;
  runs: readonly BulkExportRun[];
  destination?: Destination | null;
  now: Date;
  limits?: Partial<ExportLimits>;
  /** Other exports of the workspace, to explain queueing. */
  workspaceExports?: readonly BulkExport[];
  /** Secret values the caller knows (API key, credentials) to redact besides secret shapes. */
  secrets?: Iterable<string>;
}
