/**
 * `exports://{id}/runs`: the runs (one per UTC day partition) of one bulk export as LangSmith
 * returns them, with their per-attempt errors. Error texts are redacted like diagnose_export's
 * evidence: storage errors echo access key ids and signatures.
 */
import { redactErrorText } from "../diagnosis/redact-error-text.js";
import type { BulkExportRun, LangSmithClient } from "../langsmith/index.js";
import { redactStrings } from "../redact.js";

export const EXPORT_RUNS_TEMPLATE = "exports://{id}/runs";
export const exportRunsUri = (exportId: string): string => `exports://${exportId}/runs`;

export async function readExportRuns(client: LangSmithClient, exportId: string, secrets: readonly string[], signal?: AbortSignal): Promise<unknown> {
  const runs = await client.listExportRuns(exportId, signal);
  const byStatus: Record<string, number> = {};
  for (const run of runs) byStatus[run.status] = (byStatus[run.status] ?? 0) + 1;
  const view = {
    export_id: exportId,
    run_count: runs.length,
    runs_by_status: byStatus,
    runs: runs.map((run) => withRedactedErrors(run, secrets)),
    next: "diagnose_export {export_id} classifies the errors against the failure table; export_status shows progress.",
  };
  return redactStrings(view, secrets);
}

function withRedactedErrors(run: BulkExportRun, secrets: readonly string[]): BulkExportRun {
  if (!run.errors) return run;
  return { ...run, errors: Object.fromEntries(Object.entries(run.errors).map(([attempt, value]) => [attempt, redactDeep(value, secrets)])) };
}

/** Error values are any JSON (text, `{"message", "type", …}`, numbers): every string in them is redacted, the shape kept. */
function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return redactErrorText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)]));
  return value;
}
