/**
 * `exports://{id}/runs`: the runs (one per UTC day partition) of one bulk export as LangSmith
 * returns them, with their per-attempt errors. Error texts are redacted like diagnose_export's
 * evidence: storage errors echo access key ids and signatures.
 */
import { redactErrorText } from "../diagnosis/redact-error-text.js";
import { apiSpelling, readRuns } from "../exports/index.js";
import type { BulkExportRun, LangSmithClient } from "../langsmith/index.js";
import { redactStrings } from "../redact.js";
import { fitItems } from "../tools/output-budget.js";

export const EXPORT_RUNS_TEMPLATE = "exports://{id}/runs";
export const exportRunsUri = (exportId: string): string => `exports://${exportId}/runs`;

/**
 * The export's runs as compact JSON text, as many as fit `budgetTokens` (at least one), in
 * LangSmith's order; when some are left out, `runs_omitted` and `more` say which and where the
 * rest can be read.
 */
export async function readExportRuns(
  client: LangSmithClient,
  exportId: string,
  secrets: readonly string[],
  budgetTokens: number,
  signal?: AbortSignal,
): Promise<string> {
  // Through the export reader: a finished export's runs are not downloaded again.
  const runs = await readRuns(client, await client.getExport(exportId, signal), signal);
  const byStatus: Record<string, number> = {};
  for (const run of runs) byStatus[apiSpelling(run.status)] = (byStatus[apiSpelling(run.status)] ?? 0) + 1;
  const withErrorsRedacted = runs.map((run) => withRedactedErrors(run, secrets));
  const render = (count: number) => {
    const omitted = runs.length - count;
    const view = {
      export_id: exportId,
      run_count: runs.length,
      runs_by_status: byStatus,
      runs: withErrorsRedacted.slice(0, count),
      ...(omitted > 0 && {
        runs_omitted: omitted,
        more:
          `The first ${count} of ${runs.length} runs are shown, to stay within the ${budgetTokens.toLocaleString("en-US")}-token ` +
          `result budget. ` +
          `export_status ${exportId} with runs_offset ${count} lists the rest (last error each); diagnose_export reads every run's errors.`,
      }),
      next: "diagnose_export {export_id} classifies the errors against the failure table; export_status shows progress.",
    };
    return { text: JSON.stringify(redactStrings(view, secrets)), structured: null };
  };
  return (await fitItems(runs.length, render, budgetTokens)).payload.text;
}

function withRedactedErrors(run: BulkExportRun, secrets: readonly string[]): BulkExportRun {
  if (!run.errors) return run;
  return {
    ...run,
    errors: Object.fromEntries(Object.entries(run.errors).map(([attempt, value]) => [attempt, redactDeep(value, secrets)])),
  };
}

/** Error values are any JSON (text, `{"message", "type", …}`, numbers): every string in them is redacted, the shape kept. */
function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return redactErrorText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)]));
  return value;
}
