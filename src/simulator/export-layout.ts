/**
 * Where and how an export writes: one partition per UTC day of [start, end), object keys in
 * the Hive layout of contract §4.2, Parquet file names by compression, the exportable run
 * fields and an estimate of file sizes.
 */
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface Partition {
  /** Clipped to the export's range: the first and last days may be partial. */
  start: number;
  end: number;
  /** `YYYY-MM-DD` of the UTC day. */
  day: string;
}

export function dayPartitions(start: number, end: number): Partition[] {
  const out: Partition[] = [];
  for (let dayStart = Math.floor(start / DAY_MS) * DAY_MS; dayStart < end; dayStart += DAY_MS) {
    out.push({
      start: Math.max(start, dayStart),
      end: Math.min(end, dayStart + DAY_MS),
      day: new Date(dayStart).toISOString().slice(0, 10),
    });
  }
  return out;
}

export const EXPORT_COMPRESSIONS = ["none", "gzip", "snappy", "zstandard"] as const;
export type ExportCompression = (typeof EXPORT_COMPRESSIONS)[number];
export const EXPORT_FORMAT_VERSIONS = ["v1", "v2_beta"] as const;
export type ExportFormatVersion = (typeof EXPORT_FORMAT_VERSIONS)[number];

/** pyarrow/Spark style codec infixes, and a typical compressed share of the raw bytes. */
const CODECS: Readonly<Record<ExportCompression, { infix: string; ratio: number }>> = {
  none: { infix: "", ratio: 1 },
  gzip: { infix: ".gz", ratio: 0.28 },
  snappy: { infix: ".snappy", ratio: 0.45 },
  zstandard: { infix: ".zstd", ratio: 0.25 },
};

export const partFileName = (part: number, compression: ExportCompression): string =>
  `part-${String(part).padStart(5, "0")}${CODECS[compression].infix}.parquet`;

/**
 * `<prefix>/export_id=…/tenant_id=…/session_id=…/runs/year=…/month=…/day=…` (no trailing
 * slash); an export without a project ("all experiments") has no `session_id=` level.
 */
export function partitionPath(
  keyPrefix: string,
  ids: { exportId: string; tenantId: string; sessionId: string | null },
  day: string,
): string {
  const [y, m, d] = day.split("-");
  const session = ids.sessionId === null ? "" : `session_id=${ids.sessionId}/`;
  const tail = `export_id=${ids.exportId}/tenant_id=${ids.tenantId}/${session}runs/year=${y}/month=${m}/day=${d}`;
  return keyPrefix === "" ? tail : `${keyPrefix}/${tail}`;
}

/**
 * The run columns an export can write: the docs say an export holds "the fields in the Run
 * data format" (docs.langchain.com/langsmith/data-export, …/run-data-format), which are the
 * properties of the spec's `RunSchema` (run.yml), plus the export's own `tenant_id`,
 * `metadata`, `is_root` and `trace_tier` columns.
 */
export const EXPORT_FIELDS = [
  "id",
  "tenant_id",
  "session_id",
  "trace_id",
  "parent_run_id",
  "parent_run_ids",
  "child_run_ids",
  "direct_child_run_ids",
  "dotted_order",
  "is_root",
  "name",
  "run_type",
  "status",
  "start_time",
  "end_time",
  "first_token_time",
  "execution_order",
  "inputs",
  "inputs_preview",
  "outputs",
  "outputs_preview",
  "error",
  "extra",
  "metadata",
  "events",
  "tags",
  "serialized",
  "manifest_id",
  "manifest_s3_id",
  "messages",
  "feedback_stats",
  "reference_example_id",
  "reference_dataset_id",
  "in_dataset",
  "thread_id",
  "app_path",
  "share_token",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "prompt_token_details",
  "completion_token_details",
  "prompt_cost",
  "completion_cost",
  "total_cost",
  "prompt_cost_details",
  "completion_cost_details",
  "price_model_id",
  "inputs_s3_urls",
  "outputs_s3_urls",
  "s3_urls",
  "trace_tier",
  "trace_upgrade",
  "ttl_seconds",
  "trace_first_received_at",
  "trace_min_start_time",
  "trace_max_start_time",
  "last_queued_at",
] as const;

const AVERAGE_ROW_BYTES = 2_400;

/** A plausible size for a file of `rows` rows: fewer fields and better codecs make it smaller. */
export function estimateFileBytes(rows: number, compression: ExportCompression, fields: readonly string[] | null): number {
  const share = fields === null ? 1 : Math.max(0.05, fields.length / EXPORT_FIELDS.length);
  return Math.max(1_024, Math.round(rows * AVERAGE_ROW_BYTES * share * CODECS[compression].ratio) + 4_096);
}
