/**
 * The HTTP shapes of a stored run and project: v2 (seed 004: upper-case enums, numeric
 * costs, `{"raw": …}` details, RFC3339 times), v1 RunV1 (contract §3.3: lower-case enums,
 * string costs, naive UTC timestamps with microseconds as FastAPI serialises them) and the
 * v1 TracerSession. Field tables are data: a select maps to one renderer.
 */
import type { SimProject, SimRun } from "./model.js";
import type { ProjectStats, SimStore } from "./store.js";

const micros = (ms: number, us: number): string => `${new Date(ms).toISOString().slice(0, 23)}${String(us).padStart(3, "0")}`;

/** `2024-01-15T10:30:00.123456Z`: the v2 API writes RFC 3339 with microseconds and `Z`. */
export const rfc3339 = (ms: number | null, us = 0): string | null => (ms === null ? null : `${micros(ms, us)}Z`);

/** `2024-01-15T10:30:00.123456`: v1 (FastAPI) writes naive UTC datetimes with microseconds. */
export const naiveUtc = (ms: number | null, us = 0): string | null => (ms === null ? null : micros(ms, us));

/** v1 serialises Decimal costs as strings, without exponent notation. */
export function decimalString(n: number | null): string | null {
  if (n === null) return null;
  const fixed = n.toFixed(10).replace(/0+$/, "");
  return fixed.endsWith(".") ? `${fixed}0` : fixed;
}

const PREVIEW_CHARS = 150;

/** A plain-text preview: the most telling string of a payload, truncated. */
export function previewOf(value: Record<string, unknown> | null | undefined): string {
  if (!value) return "";
  const text = mostTellingText(value) ?? JSON.stringify(value);
  return truncate(text);
}

export function truncate(text: string, chars = PREVIEW_CHARS): string {
  return text.length > chars ? `${text.slice(0, chars)}...` : text;
}

function mostTellingText(value: Record<string, unknown>): string | undefined {
  for (const key of ["input", "question", "query", "output", "answer"]) {
    const v = value[key];
    if (typeof v === "string") return v;
  }
  const msgs = value["messages"];
  const flat = Array.isArray(msgs) ? (Array.isArray(msgs[0]) ? (msgs[0] as unknown[]) : msgs) : undefined;
  const last = flat?.[flat.length - 1] as { content?: unknown } | undefined;
  if (typeof last?.content === "string") return last.content;
  const gens = value["generations"] as Array<Array<{ text?: unknown }>> | undefined;
  const text = gens?.[0]?.[0]?.text;
  if (typeof text === "string") return text;
  const docs = value["documents"] as Array<{ page_content?: unknown }> | undefined;
  if (Array.isArray(docs)) return docs.map((d) => String(d.page_content ?? "")).join("\n");
  return undefined;
}

export function shareUrl(token: string): string {
  return `https://smith.langchain.com/public/${token}/r`;
}

type V2Renderer = (run: SimRun) => unknown;

const raw = (details: Record<string, number> | null): { raw: Record<string, number> } => ({ raw: details ?? {} });

/** Seed 002/004 `RunSelectField` → how the field is rendered. SHARE_URL is handled apart. */
export const V2_FIELDS = {
  ID: (r) => r.id,
  NAME: (r) => r.name,
  RUN_TYPE: (r) => r.run_type.toUpperCase(),
  STATUS: (r) => r.status.toUpperCase(),
  START_TIME: (r) => rfc3339(r.start_time, r.start_us),
  END_TIME: (r) => rfc3339(r.end_time, r.start_us),
  LATENCY_SECONDS: (r) => (r.end_time === null ? null : (r.end_time - r.start_time) / 1000),
  FIRST_TOKEN_TIME: (r) => rfc3339(r.first_token_time, r.start_us),
  ERROR: (r) => r.error,
  ERROR_PREVIEW: (r) => (r.error === null ? null : truncate(r.error)),
  EXTRA: (r) => ({ metadata: r.metadata, runtime: r.runtime }),
  METADATA: (r) => r.metadata,
  EVENTS: (r) => r.events,
  INPUTS: (r) => r.inputs,
  INPUTS_PREVIEW: (r) => previewOf(r.inputs),
  OUTPUTS: (r) => r.outputs,
  OUTPUTS_PREVIEW: (r) => previewOf(r.outputs),
  MANIFEST: (r) => r.manifest,
  PARENT_RUN_IDS: (r) => r.parent_run_ids,
  PROJECT_ID: (r) => r.project_id,
  TRACE_ID: (r) => r.trace_id,
  THREAD_ID: (r) => r.thread_id,
  DOTTED_ORDER: (r) => r.dotted_order,
  IS_ROOT: (r) => r.parent_run_id === null,
  REFERENCE_EXAMPLE_ID: (r) => r.reference_example_id,
  REFERENCE_DATASET_ID: (r) => r.reference_dataset_id,
  TOTAL_TOKENS: (r) => r.total_tokens,
  PROMPT_TOKENS: (r) => r.prompt_tokens,
  COMPLETION_TOKENS: (r) => r.completion_tokens,
  TOTAL_COST: (r) => r.total_cost,
  PROMPT_COST: (r) => r.prompt_cost,
  COMPLETION_COST: (r) => r.completion_cost,
  PROMPT_TOKEN_DETAILS: (r) => raw(r.prompt_token_details),
  COMPLETION_TOKEN_DETAILS: (r) => raw(r.completion_token_details),
  PROMPT_COST_DETAILS: (r) => raw(r.prompt_cost_details),
  COMPLETION_COST_DETAILS: (r) => raw(r.completion_cost_details),
  PRICE_MODEL_ID: (r) => r.price_model_id,
  TAGS: (r) => r.tags,
  APP_PATH: (r) => r.code_path,
  ATTACHMENTS: () => ({}),
  THREAD_EVALUATION_TIME: () => null,
  IS_IN_DATASET: (r) => r.in_dataset || r.reference_example_id !== null,
  SHARE_URL: (r) => (r.share_token ? shareUrl(r.share_token) : undefined),
  FEEDBACK_STATS: (r) => v2FeedbackStats(r.feedback_stats),
} as const satisfies Record<string, V2Renderer>;

export type V2Select = keyof typeof V2_FIELDS;
export const V2_SELECTS = Object.keys(V2_FIELDS) as V2Select[];
export const isV2Select = (s: unknown): s is V2Select => typeof s === "string" && Object.hasOwn(V2_FIELDS, s);

/**
 * The v2 Run object with only the selected fields (plus `id`, always). A selected field
 * without a value is omitted, as the Go service's `omitempty` does and as the spec's
 * non-nullable types require; `end_time` alone is written as null while the run is pending
 * (the spec's own description: "JSON null if the run has not finished yet").
 */
export function toV2(run: SimRun, selects: readonly V2Select[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: run.id };
  for (const select of selects) {
    const value = V2_FIELDS[select](run);
    // share_url is a secret: absent unless the run is shared, never an empty placeholder.
    if (value === undefined || (value === null && select !== "END_TIME")) continue;
    out[select.toLowerCase()] = value;
  }
  return out;
}

/** `query.RunFeedbackStat`: numbers without nulls (an unknown statistic is left out). */
function v2FeedbackStats(stats: SimRun["feedback_stats"]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, stat] of Object.entries(stats ?? {})) {
    out[key] = Object.fromEntries(Object.entries(stat).filter(([, v]) => v !== null));
  }
  return out;
}

type V1Renderer = (run: SimRun, store: SimStore) => unknown;

/** RunV1 (contract §3.3) field → renderer; the v1 `select` list names these keys. */
export const V1_FIELDS = {
  id: (r) => r.id,
  name: (r) => r.name,
  start_time: (r) => naiveUtc(r.start_time, r.start_us),
  run_type: (r) => r.run_type,
  end_time: (r) => naiveUtc(r.end_time, r.start_us),
  extra: (r) => ({ metadata: r.metadata, runtime: r.runtime }),
  error: (r) => r.error,
  serialized: () => null,
  events: (r) => r.events,
  inputs: (r) => r.inputs,
  outputs: (r) => r.outputs,
  reference_example_id: (r) => r.reference_example_id,
  parent_run_id: (r) => r.parent_run_id,
  tags: (r) => r.tags,
  attachments: () => ({}),
  session_id: (r) => r.project_id,
  child_run_ids: (r) => r.child_run_ids,
  child_runs: () => null,
  feedback_stats: (r) => r.feedback_stats,
  app_path: (r) =>
    `/o/${r.tenant_id}/projects/p/${r.project_id}/r/${r.id}?trace_id=${r.trace_id}&start_time=${naiveUtc(r.start_time, r.start_us)}`,
  manifest_id: () => null,
  manifest: (r) => r.manifest,
  status: (r) => r.status,
  prompt_tokens: (r) => r.prompt_tokens ?? 0,
  completion_tokens: (r) => r.completion_tokens ?? 0,
  total_tokens: (r) => r.total_tokens ?? 0,
  prompt_token_details: (r) => r.prompt_token_details,
  completion_token_details: (r) => r.completion_token_details,
  first_token_time: (r) => naiveUtc(r.first_token_time, r.start_us),
  total_cost: (r) => decimalString(r.total_cost),
  prompt_cost: (r) => decimalString(r.prompt_cost),
  completion_cost: (r) => decimalString(r.completion_cost),
  prompt_cost_details: (r) => decimalMap(r.prompt_cost_details),
  completion_cost_details: (r) => decimalMap(r.completion_cost_details),
  parent_run_ids: (r) => r.parent_run_ids,
  trace_id: (r) => r.trace_id,
  dotted_order: (r) => r.dotted_order,
  in_dataset: (r) => r.in_dataset || r.reference_example_id !== null,
  thread_id: (r) => r.thread_id,
  inputs_preview: (r) => previewOf(r.inputs),
  outputs_preview: (r) => previewOf(r.outputs),
  execution_order: (r) => r.execution_order,
  trace_first_received_at: (r, store) => {
    const root = store.rootOf(r) ?? r;
    return naiveUtc(root.start_time, root.start_us);
  },
  price_model_id: (r) => r.price_model_id,
} as const satisfies Record<string, V1Renderer>;

export type V1Field = keyof typeof V1_FIELDS;
export const V1_FIELD_NAMES = Object.keys(V1_FIELDS) as V1Field[];
export const isV1Field = (s: unknown): s is V1Field => typeof s === "string" && Object.hasOwn(V1_FIELDS, s);

/**
 * The values v1 `select` takes: the spec's `RunSelect` enum, copied from
 * test/fixtures/langsmith-openapi/run.yml (`components.schemas.RunSelect`, api-evangelist/langsmith
 * commit 7dee9cd); test/breaker/old-install.test.ts sends the spec's list to keep this in step.
 * Values the simulator keeps no data for render as null (a tolerant reader must take that).
 */
export const V1_SELECT = [
  "id",
  "name",
  "run_type",
  "start_time",
  "end_time",
  "status",
  "error",
  "extra",
  "events",
  "inputs",
  "inputs_preview",
  "inputs_s3_urls",
  "inputs_or_signed_url",
  "outputs",
  "outputs_preview",
  "outputs_s3_urls",
  "outputs_or_signed_url",
  "s3_urls",
  "error_or_signed_url",
  "events_or_signed_url",
  "extra_or_signed_url",
  "serialized_or_signed_url",
  "parent_run_id",
  "manifest_id",
  "manifest_s3_id",
  "manifest",
  "session_id",
  "serialized",
  "reference_example_id",
  "reference_dataset_id",
  "total_tokens",
  "prompt_tokens",
  "prompt_token_details",
  "completion_tokens",
  "completion_token_details",
  "total_cost",
  "prompt_cost",
  "prompt_cost_details",
  "completion_cost",
  "completion_cost_details",
  "price_model_id",
  "first_token_time",
  "trace_id",
  "dotted_order",
  "last_queued_at",
  "feedback_stats",
  "child_run_ids",
  "parent_run_ids",
  "tags",
  "in_dataset",
  "app_path",
  "share_token",
  "trace_tier",
  "trace_first_received_at",
  "ttl_seconds",
  "trace_upgrade",
  "thread_id",
  "trace_min_max_start_time",
  "messages",
  "inserted_at",
] as const;
export type V1Select = (typeof V1_SELECT)[number];
const V1_SELECT_SET: ReadonlySet<string> = new Set(V1_SELECT);
export const isV1Select = (s: unknown): s is V1Select => typeof s === "string" && V1_SELECT_SET.has(s);

/** How a selected value the simulator keeps no data for is rendered: signed-URL forms as the value itself. */
const OR_SIGNED_URL: Partial<Record<V1Select, V1Field>> = {
  inputs_or_signed_url: "inputs",
  outputs_or_signed_url: "outputs",
  error_or_signed_url: "error",
  events_or_signed_url: "events",
  extra_or_signed_url: "extra",
  serialized_or_signed_url: "serialized",
};

/** RunSchema's required fields: present even when `select` names fewer. */
const V1_REQUIRED: readonly V1Field[] = ["id", "name", "run_type", "trace_id", "dotted_order", "status", "session_id", "app_path"];

export function toV1(run: SimRun, store: SimStore, select?: readonly V1Select[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields: readonly string[] = select && select.length > 0 ? [...new Set([...V1_REQUIRED, ...select])] : V1_FIELD_NAMES;
  for (const f of fields) {
    if (isV1Field(f)) out[f] = V1_FIELDS[f](run, store);
    else {
      const from = OR_SIGNED_URL[f as V1Select];
      out[f] = from ? V1_FIELDS[from](run, store) : null;
    }
  }
  return out;
}

/** v1 cost breakdowns are Decimal maps: each value a decimal string, like the totals. */
function decimalMap(details: Record<string, number> | null): Record<string, string> | null {
  if (details === null) return null;
  return Object.fromEntries(Object.entries(details).map(([k, v]) => [k, decimalString(v) as string]));
}

/** TracerSession; stats only when asked for (`include_stats=true`). */
export function toSession(project: SimProject, stats: ProjectStats | null): Record<string, unknown> {
  const session: Record<string, unknown> = {
    id: project.id,
    tenant_id: project.tenant_id,
    name: project.name,
    description: project.description,
    start_time: naiveUtc(project.start_time),
    end_time: naiveUtc(project.end_time),
    extra: project.extra,
    reference_dataset_id: project.reference_dataset_id,
    default_dataset_id: null,
    trace_tier: "longlived",
  };
  if (stats) {
    Object.assign(session, {
      run_count: stats.run_count,
      last_run_start_time: naiveUtc(stats.last_run_start_time),
      last_run_start_time_live: naiveUtc(stats.last_run_start_time),
      error_rate: stats.error_rate,
      latency_p50: stats.latency_p50,
      latency_p99: stats.latency_p99,
      first_token_p50: stats.first_token_p50,
      first_token_p99: stats.first_token_p99,
      total_tokens: stats.total_tokens,
      prompt_tokens: stats.prompt_tokens,
      completion_tokens: stats.completion_tokens,
      total_cost: decimalString(stats.total_cost),
      prompt_cost: decimalString(stats.prompt_cost),
      completion_cost: decimalString(stats.completion_cost),
      streaming_rate: stats.streaming_rate,
      feedback_stats: stats.feedback_stats,
      session_feedback_stats: {},
      run_facets: null,
      test_run_number: null,
    });
  }
  return session;
}
