import { z } from "zod";
import { LangSmithIdSchema } from "./schemas.js";
import {
  classifyErrorText,
  destinationErrorEntry,
  diagnoseExport as diagnose,
  EXPORT_FAILURE_MODE_NAMES,
  failureModeEntry,
  quoteErrorText,
  specificAdvice,
  type ExportDiagnosis,
  type PlannedExport,
} from "../diagnosis/index.js";
import { UserInputError } from "../errors.js";
import { isLangSmithApiError, type LangSmithClient } from "../langsmith/index.js";
import { defineTool } from "./define-tool.js";
import {
  checkCompleteness,
  CompletenessSchema,
  exportState,
  ExportProgressSchema,
  readRuns,
  statsRunCounter,
  statusKey,
} from "../exports/index.js";
import { completenessLine, getExportOrExplain, progressLines } from "./export-shared.js";

/** Replacement exports listed in one answer; the plan's summary says how many there are. */
const MAX_PLANNED_EXPORTS = 60;

const inputSchema = z.object({
  export_id: LangSmithIdSchema.optional().describe("Diagnose this bulk export."),
  project: z
    .string()
    .min(1)
    .optional()
    .describe("Diagnose the latest failed or timed-out export of this project (name or id), or its latest export if none failed."),
  error_text: z
    .string()
    .min(1)
    .max(20_000)
    .optional()
    .describe("Classify a pasted error message instead: a run's errors.retry_N text, a bucket error, a log line."),
});

const CreateExportArgsSchema = z.object({
  project: z.string().optional().describe("Absent when the export covered all experiments (no project): see all_experiments."),
  all_experiments: z
    .boolean()
    .optional()
    .describe(
      "True for an export of all experiments of the workspace: POST /api/v1/bulk-exports with all_experiments: true (create_export " +
        "takes one project).",
    ),
  destination: z.string(),
  start_time: z.string(),
  end_time: z.string(),
  filter: z.string().optional(),
  export_fields: z.array(z.string()).optional(),
  format_version: z.string().optional(),
  compression: z.string().optional(),
});

const outputSchema = z.object({
  source: z.enum(["export", "error_text"]),
  export_id: z.string().optional(),
  status: z.string().optional(),
  failure_mode: z.enum(EXPORT_FAILURE_MODE_NAMES),
  verdict: z.string(),
  confidence: z.enum(["high", "medium", "low"]),
  retried_automatically: z
    .boolean()
    .describe("Whether LangSmith retries this by itself (the documented failure table); false for text it does not describe."),
  evidence: z.array(z.string()).optional(),
  remediation: z.array(z.string()).optional(),
  runs: z
    .array(
      z.object({
        run_id: z.string(),
        partition: z.object({ start: z.string(), end: z.string() }),
        status: z.string(),
        failure_mode: z.enum(EXPORT_FAILURE_MODE_NAMES),
        retry_number: z.number().int(),
        retries_left: z.number().int(),
        decisive_error: z.string().optional(),
      }),
    )
    .optional()
    .describe("Failed or struggling runs, worst first."),
  runs_omitted: z.number().int().optional().describe("Absent for error_text, which has no runs."),
  progress: ExportProgressSchema.optional(),
  completeness: CompletenessSchema.optional().describe(
    "For an export with completed partitions: rows written against the runs LangSmith holds for them.",
  ),
  retry_plan: z
    .object({
      kind: z.string(),
      summary: z.string(),
      create_export_calls: z
        .array(CreateExportArgsSchema)
        .optional()
        .describe("Exact create_export arguments, in order (for an all-experiments export, the same ranges with all_experiments: true)."),
      create_export_calls_omitted: z.number().int(),
      destination_fixes: z.array(z.object({ field: z.string(), why: z.string() })).optional(),
      pre_retry_check: z.string().optional(),
      field_reduction: z.object({ drop: z.array(z.string()), export_fields: z.array(z.string()), why: z.string() }).optional(),
      notes: z.array(z.string()).optional(),
    })
    .optional(),
  documented_values: z.array(z.string()).optional(),
  matched_signature: z
    .object({ pattern: z.string(), source: z.string(), hint: z.string(), destination_error: z.string().optional() })
    .optional(),
});
type Output = z.infer<typeof outputSchema>;

const toCreateExportArgs = (planned: PlannedExport): z.infer<typeof CreateExportArgsSchema> => ({
  project: planned.session_id ?? undefined,
  ...(planned.all_experiments && { all_experiments: true }),
  destination: planned.bulk_export_destination_id,
  start_time: planned.start_time,
  end_time: planned.end_time,
  ...(planned.filter !== undefined && { filter: planned.filter }),
  ...(planned.export_fields !== undefined && { export_fields: planned.export_fields }),
  ...(planned.format_version !== undefined && { format_version: planned.format_version }),
  ...(planned.compression !== undefined && { compression: planned.compression }),
});

function fromDiagnosis(d: ExportDiagnosis): Output {
  const planned = d.retry_plan?.exports ?? [];
  return {
    source: "export",
    export_id: d.export_id,
    status: d.status,
    failure_mode: d.failure_mode,
    verdict: d.verdict,
    confidence: d.confidence,
    retried_automatically: d.retried_automatically,
    evidence: d.evidence,
    remediation: d.remediation,
    runs: d.runs.map((r) => ({
      run_id: r.run_id,
      partition: r.partition,
      status: r.status,
      failure_mode: r.failure_mode,
      retry_number: r.retry_number,
      retries_left: r.retries_left,
      decisive_error: r.decisive_error ?? undefined,
    })),
    runs_omitted: d.runs_omitted,
    progress: { ...d.progress },
    retry_plan: d.retry_plan
      ? {
          kind: d.retry_plan.kind,
          summary: d.retry_plan.summary,
          create_export_calls: planned.slice(0, MAX_PLANNED_EXPORTS).map(toCreateExportArgs),
          create_export_calls_omitted: Math.max(0, planned.length - MAX_PLANNED_EXPORTS),
          ...(d.retry_plan.destination_fixes && { destination_fixes: d.retry_plan.destination_fixes }),
          ...(d.retry_plan.pre_retry_check && { pre_retry_check: d.retry_plan.pre_retry_check }),
          ...(d.retry_plan.field_reduction && { field_reduction: d.retry_plan.field_reduction }),
          notes: d.retry_plan.notes,
        }
      : undefined,
    documented_values: d.documented_values,
  };
}

/** A pasted error message, classified the same way as the errors of an export's runs. */
function fromErrorText(text: string, secrets: readonly string[]): Output {
  const classification = classifyErrorText(text);
  const entry = failureModeEntry(classification.mode);
  const destination = classification.matched?.destinationError ? destinationErrorEntry(classification.matched.destinationError) : undefined;
  const quote = quoteErrorText(text, secrets);
  const specific = specificAdvice(text);
  const verdict =
    classification.mode === "unknown"
      ? "Unknown: this text matches none of the documented export failure modes; nothing here says whether LangSmith will retry it."
      : `${entry.title} (cause: ${entry.cause}). Automatic retry: ${entry.retryNote} Action required: ` +
        `${entry.actionRequired}${specific ? ` ${specific.lead}` : ""}`;
  return {
    source: "error_text",
    failure_mode: classification.mode,
    verdict,
    confidence: classification.confidence,
    retried_automatically: entry.retriedAutomatically,
    evidence: [
      `Text: ${quote}`,
      ...(classification.matched
        ? [`Matched ${classification.matched.pattern} (${classification.matched.source}): ${classification.matched.hint}`]
        : ["No known signature matched."]),
      ...(destination ? [`Destination error "${destination.phrase}": ${destination.description}`] : []),
    ],
    remediation: [
      ...(specific ? [specific.lead, ...specific.steps] : []),
      ...(destination ? [`Check ${destination.fieldsToCheck.join(", ")}; likely: ${destination.likelyCauses.join("; ")}.`] : []),
      ...entry.remediation,
    ],
    runs: [],
    documented_values: [],
    matched_signature: classification.matched
      ? {
          pattern: classification.matched.pattern,
          source: classification.matched.source,
          hint: classification.matched.hint,
          ...(classification.matched.destinationError && { destination_error: classification.matched.destinationError }),
        }
      : undefined,
  };
}

async function latestExportOf(client: LangSmithClient, projectId: string, projectName: string, signal: AbortSignal): Promise<string> {
  const exports = (await client.listExports(signal))
    .filter((e) => e.session_id === projectId)
    .sort((a, b) => b.created_at.localeCompare(a.created_at));
  const failed = exports.find((e) => {
    const key = statusKey(e.status);
    return key === "failed" || key === "timedout";
  });
  const chosen = failed ?? exports[0];
  if (!chosen)
    throw new UserInputError(
      "project",
      `project ${projectName} has no bulk exports.`,
      "list_exports shows the workspace's exports; pass export_id to diagnose one.",
    );
  return chosen.id;
}

export const diagnoseExport = defineTool({
  name: "diagnose_export",
  title: "Diagnose a bulk export",
  description:
    "Explain why a LangSmith bulk export failed or struggles, against the documented failure table: failure_mode, evidence (runs, " +
    "retries, the decisive error), whether LangSmith retries by itself, remediation, and a retry plan of exact create_export " +
    "arguments. " +
    "Use it by export_id, by project (its latest failed export), or on pasted error_text. " +
    "Changes nothing. " +
    "Next: the plan's create_export calls.",
  toolset: "diagnosis",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  // The completeness check sends one stats request per completed partition: long for a long export.
  task: true,
  async handler(args, { client, projects, config, signal }) {
    const given = [args.export_id, args.project, args.error_text].filter((v) => v !== undefined).length;
    if (given !== 1) {
      throw new UserInputError(
        undefined,
        "give exactly one of export_id, project or error_text.",
        "export_id diagnoses one export; project its latest failed export; error_text classifies a pasted message.",
      );
    }
    let structured: Output;
    if (args.error_text !== undefined) {
      structured = fromErrorText(args.error_text, [config.apiKey]);
    } else {
      const id =
        args.export_id ??
        (await (async () => {
          const project = await projects.resolve(args.project!, "project", signal);
          return latestExportOf(client, project.id, project.name, signal);
        })());
      const exp = await getExportOrExplain(client, id, signal);
      const [runs, workspaceExports, destination] = await Promise.all([
        readRuns(client, exp, signal),
        client.listExports(signal),
        client.getDestination(exp.bulk_export_destination_id, signal).catch((error: unknown) => {
          // A deleted destination is itself evidence; the diagnosis works without its config.
          if (isLangSmithApiError(error) && error.status === 404) return null;
          throw error;
        }),
      ]);
      structured = fromDiagnosis(
        diagnose({ export: exp, runs, destination, now: client.serverNow(), workspaceExports, secrets: [config.apiKey] }),
      );
      const state = exportState({ export: exp, runs, now: client.serverNow(), workspaceExports });
      if (state.progress.partitions_completed > 0) {
        // A healthy-looking export is checked against the data it should contain.
        const completeness = await checkCompleteness(exp, state, statsRunCounter(client), { signal });
        structured.completeness = completeness;
        if (completeness.verdict === "short") {
          structured.verdict = `${structured.verdict} But the data is incomplete: ${completeness.summary}.`;
          structured.remediation = [
            ...(structured.remediation ?? []),
            `Re-export the short partitions (${(completeness.short ?? []).map((p) => p.start.slice(0, 10)).join(", ")}) with ` +
              `create_export, one day each, and report the shortfall to LangSmith support with the export id.`,
          ];
        } else structured.verdict = `${structured.verdict} Completeness: ${completeness.summary}.`;
      }
    }
    return { structured, text: renderText(structured) };
  },
});

/** No failure is "healthy" only when the data is not known to be short. */
function headline(d: Output): string {
  if (d.failure_mode !== "none") return `failure_mode: ${d.failure_mode}`;
  return d.completeness?.verdict === "short" ? "Incomplete: failure_mode none, but rows are missing" : "Healthy: failure_mode none";
}

/** Every fact of the diagnosis, in reading order: verdict, evidence, what to do, the plan. */
function renderText(d: Output): string {
  const plan = d.retry_plan;
  const calls = plan?.create_export_calls ?? [];
  const first = calls[0];
  return [
    `${headline(d)} (${d.confidence} confidence` +
      `; source ${d.source}${d.export_id ? `: export ${d.export_id}${d.status ? ` is ${d.status}` : ""}` : " (the pasted text)"}` +
      `; ${
        d.retried_automatically
          ? "LangSmith retries this by itself"
          : d.failure_mode === "none"
            ? "nothing failed, so LangSmith " + "does not retry this by itself"
            : d.failure_mode === "unknown"
              ? "the docs do not " +
                "describe this text, so it is not claimed to be retried (LangSmith does not retry this by itself, as far as documented)"
              : "LangSmith does not " + "retry this by itself"
      }).`,
    d.verdict,
    ...(d.progress ? progressLines(d.progress) : []),
    ...(d.completeness ? [completenessLine(d.completeness)] : []),
    ...(d.evidence?.length ? ["Evidence:", ...d.evidence.map((e) => `- ${e}`)] : []),
    ...(d.matched_signature
      ? [
          `Matched signature ${d.matched_signature.pattern} (${d.matched_signature.source}): ` +
            `${d.matched_signature.hint}` +
            `${d.matched_signature.destination_error ? `; destination error "${d.matched_signature.destination_error}"` : ""}.`,
        ]
      : []),
    ...(d.runs?.length
      ? [
          `Failed or struggling runs, worst first${d.runs_omitted ? ` (${d.runs_omitted} more not listed)` : ""}:`,
          ...d.runs.map(
            (r) =>
              `- ${r.run_id} ${r.partition.start} → ${r.partition.end} ${r.status}, failure_mode ${r.failure_mode}, retry_number ` +
              `${r.retry_number}, retries_left ${r.retries_left}` +
              (r.decisive_error ? ` — ${r.decisive_error}` : ""),
          ),
        ]
      : d.runs_omitted
        ? [`${d.runs_omitted} failed or struggling run(s) not listed.`]
        : []),
    ...(d.remediation?.length ? ["Do:", ...d.remediation.map((step, i) => `${i + 1}. ${step}`)] : []),
    ...(plan
      ? [
          `Retry plan (${plan.kind}): ${plan.summary}`,
          ...(first && calls.every((c) => createExportCommon(c) === createExportCommon(first))
            ? [
                `- ${calls.length} create_export call(s), each with ${createExportCommon(first)}, over: ` +
                  `${calls.map((c) => `${c.start_time} → ${c.end_time}`).join(", ")}.`,
              ]
            : calls.map((c) => `- create_export ${createExportCommon(c)}, start_time ${c.start_time}, end_time ${c.end_time}`)),
          ...(plan.create_export_calls_omitted
            ? [`- … and ${plan.create_export_calls_omitted} more create_export call(s) not listed.`]
            : []),
          ...(plan.destination_fixes ?? []).map((fix) => `- Destination fix, ${fix.field}: ${fix.why}`),
          ...(plan.field_reduction
            ? [
                `- Fewer fields: drop ${plan.field_reduction.drop.join(", ")}; export_fields ` +
                  `${plan.field_reduction.export_fields.join(", ")} (${plan.field_reduction.why})`,
              ]
            : []),
          ...(plan.pre_retry_check ? [`Before retrying: ${plan.pre_retry_check}`] : []),
          ...(plan.notes ?? []).map((note) => `- ${note}`),
        ]
      : []),
    ...(d.documented_values?.length ? [`Documented limits: ${d.documented_values.join(" ")}`] : []),
  ].join("\n");
}

/** The arguments a plan's create_export calls share, as `key value` pairs (start and end vary). */
function createExportCommon(call: z.infer<typeof CreateExportArgsSchema>): string {
  return Object.entries(call)
    .filter(([key]) => key !== "start_time" && key !== "end_time")
    .map(([key, value]) => `${key} ${Array.isArray(value) ? value.join(", ") : String(value)}`)
    .join(", ");
}
