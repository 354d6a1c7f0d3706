/**
 * Bulk export and destination shapes (contract §4, seeds 000 and 001). Lenient like the run
 * schemas: statuses stay strings (the API writes `Running`, the docs `RUNNING`), unknown fields
 * pass through. Destinations never carry credential values, only `credentials_keys`.
 */
import { z } from "zod";

const nullishString = z.string().nullish();

export const DestinationConfigSchema = z.looseObject({
  bucket_name: z.string(),
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
  destination_type: z.string(),
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
  session_id: z.string(),
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

export const BulkExportRunSchema = z.looseObject({
  id: z.string(),
  bulk_export_id: z.string(),
  status: z.string(),
  retry_number: z.number().int().nullish(),
  errors: z.record(z.string(), z.string()).nullish(),
  metadata: z.looseObject({
    prefix: nullishString,
    start_time: z.string(),
    end_time: z.string(),
    result: z
      .looseObject({
        rows_written: z.number().nullish(),
        exported_files: z.array(z.string()).nullish(),
        export_path: nullishString,
        latest_cursor: nullishString,
        pending_upload: z.unknown().optional(),
      })
      .nullish(),
  }),
  start_time: nullishString,
  end_time: nullishString,
  created_at: z.string(),
  updated_at: nullishString,
  finished_at: nullishString,
});
export type BulkExportRun = z.infer<typeof BulkExportRunSchema>;
export const BulkExportRunListSchema = z.array(BulkExportRunSchema);

/** Statuses as the API spells them (contract §4.2); compare case-insensitively. */
export const EXPORT_STATUSES = ["Created", "Running", "Completed", "Failed", "Cancelled", "TimedOut", "IntervalScheduled"] as const;
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
