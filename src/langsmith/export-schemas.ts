/**
 * Bulk export and destination shapes (contract §4, seeds 000 and 001), read tolerantly: only
 * the fields a tool needs are required, everything else may be absent or null, statuses and
 * other enums stay plain strings (an unknown value such as "Paused" is shown as it is), untyped
 * maps stay untyped, and unknown fields pass through. What the published OpenAPI allows
 * (test/fixtures/langsmith-openapi/bulk-exports.yml with the overlay of
 * test/support/langsmith-openapi.ts) must parse.
 *
 * Required here, and why:
 * - Destination: `id` (every tool addresses a destination by it), `display_name` (names are
 *   resolved and shown), `config` (bucket, prefix, endpoint are the point of a destination).
 *   All three are required by the spec too. Every config field may be absent or null
 *   (`bucket_name` is nullable in the newer spec).
 * - BulkExport: `id`, `status`, `bulk_export_destination_id` (the destination it writes to),
 *   `start_time` (the range), `created_at` (ordering, elapsed time). `session_id` is present but
 *   null for "all experiments" exports; it is read as nullish.
 * - BulkExportRun: `id`, `status`, and `metadata.start_time`/`metadata.end_time` (the UTC day
 *   partition every run stands for). `errors` values are any JSON (strings, objects, numbers);
 *   `metadata.result` may be null and its `pending_upload` is an object.
 */
import { z } from "zod";

const nullishString = z.string().nullish();

export const DestinationConfigSchema = z.looseObject({
  bucket_name: nullishString,
  prefix: nullishString,
  region: nullishString,
  endpoint_url: nullishString,
  include_bucket_in_prefix: z.boolean().nullish(),
  aws_role_arn: nullishString,
  config_kwargs_s3: z.looseObject({ addressing_style: nullishString }).nullish(),
});

export const DestinationSchema = z.looseObject({
  id: z.string(),
  tenant_id: nullishString,
  /** The spec defaults it to "s3" and does not require it. */
  destination_type: nullishString,
  display_name: z.string(),
  config: DestinationConfigSchema,
  credentials_keys: z.array(z.string()).nullish(),
  created_at: nullishString,
  updated_at: nullishString,
});
export type Destination = z.infer<typeof DestinationSchema>;
export const DestinationListSchema = z.array(DestinationSchema);

export const BulkExportSchema = z.looseObject({
  id: z.string(),
  tenant_id: nullishString,
  bulk_export_destination_id: z.string(),
  /** Null for an export of all experiments of the workspace (no project). */
  session_id: nullishString,
  start_time: z.string(),
  end_time: nullishString,
  filter: nullishString,
  format: nullishString,
  format_version: nullishString,
  compression: nullishString,
  interval_hours: z.number().nullish(),
  export_fields: z.array(z.string()).nullish(),
  status: z.string(),
  created_at: z.string(),
  updated_at: nullishString,
  finished_at: nullishString,
  source_bulk_export_id: nullishString,
});
export type BulkExport = z.infer<typeof BulkExportSchema>;
export const BulkExportListSchema = z.array(BulkExportSchema);

/** The spec's PendingUpload: a file upload in progress or still to be verified. */
export const PendingUploadSchema = z.looseObject({
  target_cursor: nullishString,
  file_path: nullishString,
  rows_count: z.number().nullish(),
});

export const BulkExportRunSchema = z.looseObject({
  id: z.string(),
  bulk_export_id: nullishString,
  status: z.string(),
  retry_number: z.number().nullish(),
  /** `{"retry_0": …}`: one entry per failed attempt; values are any JSON (text, objects, numbers). */
  errors: z.record(z.string(), z.unknown()).nullish(),
  metadata: z.looseObject({
    prefix: nullishString,
    start_time: z.string(),
    end_time: z.string(),
    execution_backend: nullishString,
    result: z
      .looseObject({
        rows_written: z.number().nullish(),
        exported_files: z.array(z.string()).nullish(),
        export_path: nullishString,
        latest_cursor: nullishString,
        // Not read by any tool: kept as LangSmith sent it, whatever its shape.
        pending_upload: z.unknown().optional(),
      })
      .nullish(),
  }),
  start_time: nullishString,
  end_time: nullishString,
  created_at: nullishString,
  updated_at: nullishString,
  finished_at: nullishString,
});
export type BulkExportRun = z.infer<typeof BulkExportRunSchema>;
export const BulkExportRunListSchema = z.array(BulkExportRunSchema);

/* Statuses stay plain strings here; their table (spellings, terminal or not) is src/exports/statuses.ts. */
export const EXPORT_COMPRESSIONS = ["none", "gzip", "snappy", "zstandard"] as const;
export const EXPORT_FORMAT_VERSIONS = ["v1", "v2_beta"] as const;

export interface DestinationCredentials {
  access_key_id: string;
  secret_access_key: string;
  session_token?: string;
}

export interface CreateDestinationRequest {
  destination_type: "s3";
  display_name: string;
  config: {
    bucket_name: string;
    prefix?: string;
    region?: string;
    endpoint_url?: string;
    include_bucket_in_prefix?: boolean;
    aws_role_arn?: string;
    config_kwargs_s3?: { addressing_style?: "auto" | "virtual" | "path" };
  };
  /** Omitted only on self-hosted installs using environment credentials (IRSA). */
  credentials?: DestinationCredentials;
}

export interface CreateExportRequest {
  bulk_export_destination_id: string;
  session_id: string;
  start_time: string;
  end_time?: string;
  filter?: string;
  format?: "Parquet";
  format_version?: (typeof EXPORT_FORMAT_VERSIONS)[number];
  compression?: (typeof EXPORT_COMPRESSIONS)[number];
  interval_hours?: number;
  export_fields?: string[];
}
