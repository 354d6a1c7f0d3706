/**
 * Response schemas (zod 4) and request types of the LangSmith endpoints the client speaks.
 * Lenient on purpose: unknown fields pass through (z.looseObject), fields the API may send as
 * null are nullish, enums stay strings so a new value upstream does not break every tool.
 * Strict only where the client depends on a field (ids, pagination).
 */
import { z } from "zod";

const nullishString = z.string().nullish();
const nullishNumber = z.number().nullish();
const nullishBoolean = z.boolean().nullish();
const jsonObject = z.record(z.string(), z.unknown());
const nullishJsonObject = jsonObject.nullish();
const nullishJsonObjects = z.array(jsonObject).nullish();
const nullishStrings = z.array(z.string()).nullish();
/** Costs are decimal strings in v1 and some v1 session stats; numbers in v2. Accept both. */
const decimal = z.union([z.number(), z.string()]).nullish();

/* ---------------------------------------------------------------- projects (contract §2) */

export const ProjectSchema = z.looseObject({
  id: z.string(),
  tenant_id: nullishString,
  name: z.string(),
  description: nullishString,
  start_time: nullishString,
  end_time: nullishString,
  reference_dataset_id: nullishString,
  extra: jsonObject.nullish(),
  /** Stats: present only with `include_stats=true`. */
  run_count: nullishNumber,
  last_run_start_time: nullishString,
  error_rate: nullishNumber,
  total_tokens: nullishNumber,
  prompt_tokens: nullishNumber,
  completion_tokens: nullishNumber,
  total_cost: decimal,
  prompt_cost: decimal,
  completion_cost: decimal,
  latency_p50: nullishNumber,
  latency_p99: nullishNumber,
  first_token_p50: nullishNumber,
  first_token_p99: nullishNumber,
  feedback_stats: jsonObject.nullish(),
});
export type Project = z.infer<typeof ProjectSchema>;

export const ProjectListSchema = z.array(ProjectSchema);

/* ---------------------------------------------------------------- runs v2 (seeds 002, 004) */

/** The `selects` enum of seed 002 (`RunSelectField`), in the seed's order. */
export const RUN_SELECT_FIELDS = [
  "ID",
  "NAME",
  "RUN_TYPE",
  "STATUS",
  "START_TIME",
  "END_TIME",
  "LATENCY_SECONDS",
  "FIRST_TOKEN_TIME",
  "ERROR",
  "ERROR_PREVIEW",
  "EXTRA",
  "METADATA",
  "EVENTS",
  "INPUTS",
  "INPUTS_PREVIEW",
  "OUTPUTS",
  "OUTPUTS_PREVIEW",
  "MANIFEST",
  "PARENT_RUN_IDS",
  "PROJECT_ID",
  "TRACE_ID",
  "THREAD_ID",
  "DOTTED_ORDER",
  "IS_ROOT",
  "REFERENCE_EXAMPLE_ID",
  "REFERENCE_DATASET_ID",
  "TOTAL_TOKENS",
  "PROMPT_TOKENS",
  "COMPLETION_TOKENS",
  "TOTAL_COST",
  "PROMPT_COST",
  "COMPLETION_COST",
  "PROMPT_TOKEN_DETAILS",
  "COMPLETION_TOKEN_DETAILS",
  "PROMPT_COST_DETAILS",
  "COMPLETION_COST_DETAILS",
  "PRICE_MODEL_ID",
  "TAGS",
  "APP_PATH",
  "ATTACHMENTS",
  "THREAD_EVALUATION_TIME",
  "IS_IN_DATASET",
  "SHARE_URL",
  "FEEDBACK_STATS",
] as const;
export type RunSelectField = (typeof RUN_SELECT_FIELDS)[number];

/** `run_type` of the v2 API (upper case; v1 uses the same words lower case). */
export const RUN_TYPES_V2 = ["TOOL", "CHAIN", "LLM", "RETRIEVER", "EMBEDDING", "PROMPT", "PARSER"] as const;
export type RunTypeV2 = (typeof RUN_TYPES_V2)[number];

export const RUN_STATUSES_V2 = ["SUCCESS", "ERROR", "PENDING"] as const;
export const SORT_ORDERS = ["ASC", "DESC"] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** `*_details` fields are `{"raw": {…}}` (seed 004). */
const detailsObject = z.looseObject({ raw: jsonObject.nullish() }).nullish();

/** Every field of seed 004 optional except `id`: the API returns only what `selects` asked for. */
export const RunV2Schema = z.looseObject({
  id: z.string(),
  name: nullishString,
  run_type: nullishString,
  status: nullishString,
  start_time: nullishString,
  end_time: nullishString,
  latency_seconds: nullishNumber,
  first_token_time: nullishString,
  error: nullishString,
  error_preview: nullishString,
  extra: nullishJsonObject,
  metadata: nullishJsonObject,
  events: nullishJsonObjects,
  inputs: nullishJsonObject,
  inputs_preview: nullishString,
  outputs: nullishJsonObject,
  outputs_preview: nullishString,
  manifest: nullishJsonObject,
  parent_run_ids: nullishStrings,
  project_id: nullishString,
  trace_id: nullishString,
  thread_id: nullishString,
  dotted_order: nullishString,
  is_root: nullishBoolean,
  reference_example_id: nullishString,
  reference_dataset_id: nullishString,
  total_tokens: nullishNumber,
  prompt_tokens: nullishNumber,
  completion_tokens: nullishNumber,
  total_cost: nullishNumber,
  prompt_cost: nullishNumber,
  completion_cost: nullishNumber,
  prompt_token_details: detailsObject,
  completion_token_details: detailsObject,
  prompt_cost_details: detailsObject,
  completion_cost_details: detailsObject,
  price_model_id: nullishString,
  tags: nullishStrings,
  app_path: nullishString,
  attachments: nullishJsonObject,
  thread_evaluation_time: nullishString,
  is_in_dataset: nullishBoolean,
  /** A secret (seed 004): never log it; tools return it only when asked. */
  share_url: nullishString,
  feedback_stats: nullishJsonObject,
});
export type RunV2 = z.infer<typeof RunV2Schema>;

/** A list the spec does not mark required: absent or null reads as empty. */
const runItems = z
  .array(RunV2Schema)
  .nullish()
  .transform((items) => items ?? []);

/**
 * `query.QueryRunsResponseBody`: no field is required. `has_more` is not in seed 002 and the
 * official SDKs page on `next_cursor` alone, so it is informational here.
 */
export const RunsQueryV2ResponseSchema = z.looseObject({
  items: runItems,
  has_more: nullishBoolean,
  next_cursor: nullishString,
});
export type RunsQueryV2Response = z.infer<typeof RunsQueryV2ResponseSchema>;

/** What the client needs of a response schema: zod's safeParse. */
export type ResponseReader<T> = Pick<z.ZodType<T>, "safeParse">;

/** Select sets seen so far and their readers; bounded, since callers may choose fields freely. */
const pageSchemas = new Map<string, ResponseReader<RunsQueryV2Response>>();
const MAX_PAGE_SCHEMAS = 64;

/**
 * RunsQueryV2ResponseSchema checking, in each run, only `id` and the fields `selects` asked
 * for: a run holds only those, and checking all 47 optional fields of every run of a
 * 1000-run page cost more than the rest of reading it. Other fields pass as sent, unchecked
 * (tolerant reader); nothing reads a field it did not select. Every select set when undefined.
 *
 * A page whose selected fields are all of the kinds in FIELD_CHECKS is first checked by those
 * plain type tests, which give zod's verdict for them without zod's copy of every run (most of
 * a page's reading cost): the page is then used as parsed, fields in the order LangSmith sent
 * them. Any other page, and any page failing a test, goes through zod, whose issues name the field.
 */
export function runsQueryV2ResponseSchemaFor(selects: readonly string[] | undefined): ResponseReader<RunsQueryV2Response> {
  if (!selects) return RunsQueryV2ResponseSchema;
  const key = [...selects].sort().join(",");
  let reader = pageSchemas.get(key);
  if (!reader) {
    const fields: Partial<Record<keyof typeof RunV2Schema.shape, true>> = { id: true };
    for (const select of selects) {
      const field = select.toLowerCase();
      if (field in RunV2Schema.shape) fields[field as keyof typeof RunV2Schema.shape] = true;
    }
    const run = RunV2Schema.pick(fields);
    // Typed as the full schema: the picked fields are a subset with the same types, and runs are loose objects.
    const schema = z.looseObject({
      items: z
        .array(run)
        .nullish()
        .transform((items) => items ?? []),
      has_more: nullishBoolean,
      next_cursor: nullishString,
    }) as unknown as typeof RunsQueryV2ResponseSchema;
    const checks = Object.keys(fields).map((field) => [
      field,
      FIELD_CHECKS.get(RunV2Schema.shape[field as keyof typeof RunV2Schema.shape]),
    ]);
    reader = checks.every(([, check]) => check !== undefined)
      ? withPlainChecks(schema, checks as Array<[string, (value: unknown) => boolean]>)
      : schema;
    if (pageSchemas.size >= MAX_PAGE_SCHEMAS) pageSchemas.clear();
    pageSchemas.set(key, reader);
  }
  return reader;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Plain type tests that accept exactly what the field's zod schema accepts, for JSON.parse
 * output (no Dates, Maps or class instances): by schema identity, so a field whose schema
 * changes leaves the fast path rather than being tested wrongly. `id` is required.
 */
const FIELD_CHECKS: ReadonlyMap<unknown, (value: unknown) => boolean> = new Map<unknown, (value: unknown) => boolean>([
  [RunV2Schema.shape.id, (value) => typeof value === "string"],
  [nullishString, (value) => value === undefined || value === null || typeof value === "string"],
  // zod 4's number refuses NaN and ±Infinity (JSON.parse reads 1e400 as Infinity).
  [nullishNumber, (value) => value === undefined || value === null || (typeof value === "number" && Number.isFinite(value))],
  [nullishBoolean, (value) => value === undefined || value === null || typeof value === "boolean"],
  [nullishJsonObject, (value) => value === undefined || value === null || isObject(value)],
  [nullishStrings, (value) => value === undefined || value === null || (Array.isArray(value) && value.every((s) => typeof s === "string"))],
  [nullishJsonObjects, (value) => value === undefined || value === null || (Array.isArray(value) && value.every(isObject))],
]);

/** `schema`, with the page first tested by `checks` (field, test) and used as parsed when every run passes. */
function withPlainChecks(
  schema: typeof RunsQueryV2ResponseSchema,
  checks: ReadonlyArray<[string, (value: unknown) => boolean]>,
): ResponseReader<RunsQueryV2Response> {
  const passes = (page: unknown): page is RunsQueryV2Response => {
    if (!isObject(page)) return false;
    const { items, has_more: hasMore, next_cursor: nextCursor } = page;
    if (!(hasMore === undefined || hasMore === null || typeof hasMore === "boolean")) return false;
    if (!(nextCursor === undefined || nextCursor === null || typeof nextCursor === "string")) return false;
    if (items === undefined || items === null) return true;
    if (!Array.isArray(items)) return false;
    for (const run of items) {
      if (!isObject(run)) return false;
      for (const [field, check] of checks) if (!check(run[field])) return false;
    }
    return true;
  };
  return {
    safeParse: (value) =>
      passes(value)
        ? { success: true, data: value.items === undefined || value.items === null ? { ...value, items: [] } : value }
        : schema.safeParse(value),
  } as ResponseReader<RunsQueryV2Response>;
}

/** `query.QueryTraceResponseBody` of `GET /api/v2/traces/{trace_id}/runs`: one unpaged list. */
export const TraceRunsResponseSchema = z.looseObject({ items: runItems });
export type TraceRunsResponse = z.infer<typeof TraceRunsResponseSchema>;

/** Body of `POST /api/v2/runs/query` (contract §3.1), exact API names. */
export interface RunsQueryV2Request {
  /** Exactly one of `project_ids` and `reference_dataset_id`. */
  project_ids?: readonly string[];
  reference_dataset_id?: string;
  /** RFC 3339; default now − 1 day. */
  min_start_time?: string;
  /** RFC 3339; default now. */
  max_start_time?: string;
  filter?: string;
  trace_filter?: string;
  tree_filter?: string;
  ai_query?: string;
  has_error?: boolean;
  ids?: readonly string[];
  is_root?: boolean;
  reference_examples?: readonly string[];
  run_type?: RunTypeV2;
  trace_id?: string;
  /** Omitted → only `id` is returned. */
  selects?: readonly RunSelectField[];
  /**
   * Default DESC. Left out of the official SDKs' v2 spec in 2026-06 (the vendored spec still
   * lists it): the client sends it only for ASC and retries without it if it is refused.
   */
  sort_order?: SortOrder;
  /** 1..1000, default 100. */
  page_size?: number;
  cursor?: string;
}

/* ---------------------------------------------------------------- server info */

/** `InfoGetResponse` of `GET /api/v1/info`: only `version` is read (self-hosted installs report their release). */
export const ServerInfoSchema = z.looseObject({ version: nullishString });
export type ServerInfo = z.infer<typeof ServerInfoSchema>;

/* ---------------------------------------------------------------- runs v1 (contract §3.3) */

export const RUN_TYPES_V1 = ["tool", "chain", "llm", "retriever", "embedding", "prompt", "parser"] as const;
export type RunTypeV1 = (typeof RUN_TYPES_V1)[number];

export const RunV1Schema = z.looseObject({
  id: z.string(),
  name: nullishString,
  run_type: nullishString,
  trace_id: nullishString,
  dotted_order: nullishString,
  status: nullishString,
  session_id: nullishString,
  app_path: nullishString,
  parent_run_id: nullishString,
  parent_run_ids: z.array(z.string()).nullish(),
  child_run_ids: z.array(z.string()).nullish(),
  inputs: jsonObject.nullish(),
  outputs: jsonObject.nullish(),
  extra: jsonObject.nullish(),
  error: nullishString,
  events: z.array(jsonObject).nullish(),
  tags: z.array(z.string()).nullish(),
  feedback_stats: jsonObject.nullish(),
  start_time: nullishString,
  end_time: nullishString,
  total_tokens: nullishNumber,
  prompt_tokens: nullishNumber,
  completion_tokens: nullishNumber,
  total_cost: decimal,
  prompt_cost: decimal,
  completion_cost: decimal,
  first_token_time: nullishString,
  reference_example_id: nullishString,
  thread_id: nullishString,
});
export type RunV1 = z.infer<typeof RunV1Schema>;

export const RunsQueryV1ResponseSchema = z.looseObject({
  runs: z.array(RunV1Schema),
  cursors: z
    .looseObject({ next: nullishString, prev: nullishString })
    .nullish()
    .transform((c) => ({ next: c?.next ?? null, prev: c?.prev ?? null })),
});
export type RunsQueryV1Response = z.infer<typeof RunsQueryV1ResponseSchema>;

/** Body of `POST /api/v1/runs/query` (contract §3.3). */
export interface RunsQueryV1Request {
  id?: readonly string[];
  trace?: string;
  parent_run?: string;
  run_type?: RunTypeV1;
  session?: readonly string[];
  reference_example?: readonly string[];
  start_time?: string;
  end_time?: string;
  error?: boolean;
  filter?: string;
  trace_filter?: string;
  tree_filter?: string;
  is_root?: boolean;
  cursor?: string;
  /** 1..100, default 100. */
  limit?: number;
  select?: readonly string[];
  order?: "asc" | "desc";
}
