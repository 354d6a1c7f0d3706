/**
 * The bulk export engine's limits, as data (seed 000 "Automatic retry behavior" and
 * "Concurrency and rate limits"; contract §4.4 for the contradicting values). All of them are
 * settable through `POST /_sim/config {"exports": {...}}` so tests can shrink hours to minutes.
 */
export interface ExportLimits {
  /** Running runs per export; more wait as Created (seed 000: 45; its troubleshooting says 5). */
  max_runs_per_export: number;
  /** Running exports per workspace; more wait as Created (seed 000: 15; troubleshooting says 3). */
  max_exports_per_workspace: number;
  /** From the export's start to TimedOut (seed 000: 72 h; its status table says 48 h). */
  workflow_timeout_hours: number;
  /** One attempt of a run (Temporal StartToClose). */
  run_timeout_hours: number;
  /** Retries after the first attempt of a run. */
  max_retries: number;
  /** Fixed delay between attempts, no backoff. */
  retry_delay_seconds: number;
  /** Export throughput of one run; a partition's duration is its rows over this rate. */
  rows_per_second: number;
  /** Rows per Parquet file; each file is a checkpoint. */
  rows_per_file: number;
}

export const DEFAULT_EXPORT_LIMITS: Readonly<ExportLimits> = Object.freeze({
  max_runs_per_export: 45,
  max_exports_per_workspace: 15,
  workflow_timeout_hours: 72,
  run_timeout_hours: 4,
  max_retries: 20,
  retry_delay_seconds: 30,
  rows_per_second: 50,
  rows_per_file: 1_000,
});

/** Validation per field: integers where a count, positive where a rate or duration. */
export const EXPORT_LIMIT_RULES: Readonly<Record<keyof ExportLimits, { integer: boolean; min: number }>> = {
  max_runs_per_export: { integer: true, min: 1 },
  max_exports_per_workspace: { integer: true, min: 1 },
  workflow_timeout_hours: { integer: false, min: 0.001 },
  run_timeout_hours: { integer: false, min: 0.001 },
  max_retries: { integer: true, min: 0 },
  retry_delay_seconds: { integer: false, min: 0 },
  rows_per_second: { integer: false, min: 0.0001 },
  rows_per_file: { integer: true, min: 1 },
};

/** Applies a partial update; returns an error text for the first invalid field. */
export function updateExportLimits(limits: ExportLimits, patch: Record<string, unknown>): string | null {
  for (const [field, value] of Object.entries(patch)) {
    if (!Object.hasOwn(EXPORT_LIMIT_RULES, field))
      return `exports.${field} is not a known limit; known: ${Object.keys(EXPORT_LIMIT_RULES).join(", ")}`;
    const rule = EXPORT_LIMIT_RULES[field as keyof ExportLimits];
    if (typeof value !== "number" || !Number.isFinite(value) || value < rule.min || (rule.integer && !Number.isInteger(value))) {
      return `exports.${field} must be ${rule.integer ? "an integer" : "a number"} >= ${rule.min}`;
    }
  }
  Object.assign(limits, patch);
  return null;
}
