/**
 * The v1 runs API read as if it were v2, for installs older than LangSmith 0.16: the v2
 * `selects` turned into v1 `select` fields, a v2 query into a v1 body, and a RunV1 (contract
 * §3.3) into the v2 Run of seed 004, so tools give the same output on old and new installs.
 * Pure functions, no I/O.
 */
import { apiTimeMicros, apiTimestamp, exactApiTime } from "../api-time.js";
import type { RunSelectField, RunsQueryV1Request, RunsQueryV2Request, RunTypeV1, RunV1, RunV2 } from "./schemas.js";

type V1Field = string;

/** The v1 fields each v2 select is made from (names of the spec's `RunSelect`); null: v1 has no equivalent. */
export const V1_FIELDS_FOR: Readonly<Record<RunSelectField, readonly V1Field[] | null>> = Object.freeze({
  ID: ["id"],
  NAME: ["name"],
  RUN_TYPE: ["run_type"],
  STATUS: ["status"],
  START_TIME: ["start_time"],
  END_TIME: ["end_time"],
  LATENCY_SECONDS: ["start_time", "end_time"],
  FIRST_TOKEN_TIME: ["first_token_time"],
  ERROR: ["error"],
  ERROR_PREVIEW: ["error"],
  EXTRA: ["extra"],
  METADATA: ["extra"],
  EVENTS: ["events"],
  INPUTS: ["inputs"],
  INPUTS_PREVIEW: ["inputs_preview"],
  OUTPUTS: ["outputs"],
  OUTPUTS_PREVIEW: ["outputs_preview"],
  MANIFEST: ["manifest"],
  PARENT_RUN_IDS: ["parent_run_ids", "parent_run_id"],
  PROJECT_ID: ["session_id"],
  TRACE_ID: ["trace_id"],
  THREAD_ID: ["thread_id"],
  DOTTED_ORDER: ["dotted_order"],
  IS_ROOT: ["parent_run_id"],
  REFERENCE_EXAMPLE_ID: ["reference_example_id"],
  REFERENCE_DATASET_ID: ["reference_dataset_id"],
  TOTAL_TOKENS: ["total_tokens"],
  PROMPT_TOKENS: ["prompt_tokens"],
  COMPLETION_TOKENS: ["completion_tokens"],
  TOTAL_COST: ["total_cost"],
  PROMPT_COST: ["prompt_cost"],
  COMPLETION_COST: ["completion_cost"],
  PROMPT_TOKEN_DETAILS: ["prompt_token_details"],
  COMPLETION_TOKEN_DETAILS: ["completion_token_details"],
  PROMPT_COST_DETAILS: ["prompt_cost_details"],
  COMPLETION_COST_DETAILS: ["completion_cost_details"],
  PRICE_MODEL_ID: ["price_model_id"],
  TAGS: ["tags"],
  // v2 `app_path` is the code location that produced the run (spec RunResponse); v1's
  // `app_path` is the run's page in the LangSmith UI, a different thing of the same name.
  APP_PATH: null,
  ATTACHMENTS: null,
  THREAD_EVALUATION_TIME: null,
  IS_IN_DATASET: ["in_dataset"],
  SHARE_URL: null,
  FEEDBACK_STATS: ["feedback_stats"],
});

/** v2 previews are short plain-text snippets; v1 has none for errors, so one is cut the same way. */
const PREVIEW_CHARS = 150;

export function v1Select(selects: readonly RunSelectField[]): { select: V1Field[]; unavailable: RunSelectField[] } {
  const select = new Set<V1Field>(["id"]);
  const unavailable: RunSelectField[] = [];
  for (const field of selects) {
    const from = V1_FIELDS_FOR[field];
    if (from) for (const name of from) select.add(name);
    else unavailable.push(field);
  }
  return { select: [...select], unavailable };
}

/** Whatever the spec allows for a v1 cost (decimal string or null) as the v2 number. */
const costNumber = (value: number | string | null | undefined): number | null => {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : null;
};

const details = (value: unknown): { raw: Record<string, unknown> } | null => {
  if (value === null || value === undefined) return { raw: {} };
  if (typeof value === "object" && value !== null && "raw" in value) return value as { raw: Record<string, unknown> };
  return { raw: value as Record<string, unknown> };
};

/** Ancestors from the root down to the direct parent, as v2 lists them, whichever way v1 ordered them. */
function ancestors(run: RunV1): string[] | null {
  const ids = run.parent_run_ids ?? null;
  if (!ids) return run.parent_run_id ? [run.parent_run_id] : run.parent_run_id === null ? [] : null;
  if (ids.length > 1 && run.parent_run_id && ids[0] === run.parent_run_id) return [...ids].reverse();
  return [...ids];
}

/** The v2 value of one select, read from a RunV1; undefined when v1 cannot give it. */
function v2Value(run: RunV1, field: RunSelectField): unknown {
  switch (field) {
    case "ID":
      return run.id;
    case "NAME":
      return run.name ?? null;
    case "RUN_TYPE":
      return run.run_type ? run.run_type.toUpperCase() : null;
    case "STATUS":
      return run.status ? run.status.toUpperCase() : null;
    case "START_TIME":
      return apiTimestamp(run.start_time);
    case "END_TIME":
      return apiTimestamp(run.end_time);
    case "LATENCY_SECONDS": {
      const start = apiTimeMicros(run.start_time);
      const end = apiTimeMicros(run.end_time);
      return Number.isFinite(start) && Number.isFinite(end) ? (end - start) / 1e6 : null;
    }
    case "FIRST_TOKEN_TIME":
      return apiTimestamp(run.first_token_time);
    case "ERROR":
      return run.error ?? null;
    case "ERROR_PREVIEW":
      return run.error == null ? null : run.error.length > PREVIEW_CHARS ? `${run.error.slice(0, PREVIEW_CHARS)}...` : run.error;
    case "EXTRA":
      return run.extra ?? null;
    case "METADATA": {
      const metadata = run.extra?.["metadata"];
      return metadata && typeof metadata === "object" ? metadata : null;
    }
    case "PARENT_RUN_IDS":
      return ancestors(run);
    case "PROJECT_ID":
      return run.session_id ?? null;
    case "IS_ROOT":
      return run.parent_run_id === undefined ? undefined : run.parent_run_id === null;
    case "TOTAL_COST":
      return costNumber(run.total_cost);
    case "PROMPT_COST":
      return costNumber(run.prompt_cost);
    case "COMPLETION_COST":
      return costNumber(run.completion_cost);
    case "PROMPT_TOKEN_DETAILS":
    case "COMPLETION_TOKEN_DETAILS":
    case "PROMPT_COST_DETAILS":
    case "COMPLETION_COST_DETAILS":
      return details(run[field.toLowerCase()]);
    case "IS_IN_DATASET":
      return run["in_dataset"] ?? null;
    // v2 types feedback stats as a map (spec `query.RunFeedbackStats`), empty when there is none.
    case "FEEDBACK_STATS":
      return run.feedback_stats ?? {};
    case "ATTACHMENTS":
    case "APP_PATH":
    case "THREAD_EVALUATION_TIME":
    case "SHARE_URL":
      return undefined;
    default: {
      const value = run[field.toLowerCase()];
      return value === undefined ? null : value;
    }
  }
}

/** A RunV1 as the v2 Run with exactly the selected fields (plus `id`), as a v2 answer would have them. */
export function runV1ToV2(run: RunV1, selects: readonly RunSelectField[]): RunV2 {
  const out: RunV2 = { id: run.id };
  for (const field of selects) {
    const value = v2Value(run, field);
    if (value !== undefined) (out as Record<string, unknown>)[field.toLowerCase()] = value;
  }
  return out;
}

/** `lte(start_time, "…")`: v1's `end_time` parameter is not documented as a bound on start time, a filter is. */
const startsBy = (max: string): string => `lte(start_time, ${JSON.stringify(exactApiTime(max))})`;

/**
 * The v1 body asking what a v2 query asks (without cursor and limit).
 * @returns null fields v1 cannot express (`reference_dataset_id`, `ai_query`) in `unsupported`.
 */
export function v1QueryFor(query: RunsQueryV2Request): { body: RunsQueryV1Request; unsupported: string[] } {
  const unsupported: string[] = [];
  if (query.reference_dataset_id !== undefined) unsupported.push("reference_dataset_id");
  if (query.ai_query !== undefined) unsupported.push("ai_query");
  const filter =
    query.max_start_time === undefined
      ? query.filter
      : query.filter === undefined
        ? startsBy(query.max_start_time)
        : `and(${query.filter}, ${startsBy(query.max_start_time)})`;
  const body: RunsQueryV1Request = {
    ...(query.project_ids && { session: query.project_ids }),
    ...(query.min_start_time !== undefined && { start_time: exactApiTime(query.min_start_time) }),
    ...(filter !== undefined && { filter }),
    ...(query.trace_filter !== undefined && { trace_filter: query.trace_filter }),
    ...(query.tree_filter !== undefined && { tree_filter: query.tree_filter }),
    ...(query.has_error !== undefined && { error: query.has_error }),
    ...(query.ids && { id: query.ids }),
    ...(query.is_root !== undefined && { is_root: query.is_root }),
    ...(query.run_type !== undefined && { run_type: query.run_type.toLowerCase() as RunTypeV1 }),
    ...(query.trace_id !== undefined && { trace: query.trace_id }),
    ...(query.reference_examples && { reference_example: query.reference_examples }),
    select: v1Select(query.selects ?? ["ID"]).select,
    order: query.sort_order === "ASC" ? "asc" : "desc",
  };
  return { body, unsupported };
}
