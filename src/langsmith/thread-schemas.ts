/**
 * Conversation threads, v2 alpha (spec threads.yml): `POST /api/v2/threads/query` →
 * `QueryThreadsResponseBody`, `GET /api/v2/threads/{thread_id}/traces` →
 * `QueryThreadTracesResponseBody`. Tolerant reader: the spec marks no field required and
 * `selects` leaves fields out, so everything is nullish; callers skip an item without the id
 * they need. `num_errored_turns` is read although only the official SDK documents it yet.
 */
import { z } from "zod";

const n = z.number().nullish();
const s = z.string().nullish();
/** The spec writes costs as numbers here; a v1-style decimal string is accepted too. */
const decimal = z.union([z.number(), z.string()]).nullish();

export const ThreadSchema = z.looseObject({
  thread_id: s,
  count: n,
  num_errored_turns: n,
  start_time: s,
  min_start_time: s,
  max_start_time: s,
  first_trace_id: s,
  last_trace_id: s,
  first_inputs: s,
  last_outputs: s,
  last_error: s,
  /** Seconds. */
  latency_p50: n,
  latency_p99: n,
  total_tokens: n,
  /** USD. */
  total_cost: decimal,
  feedback_stats: z.record(z.string(), z.unknown()).nullish(),
});
export type Thread = z.infer<typeof ThreadSchema>;

export const ThreadsPageSchema = z.looseObject({
  items: z.array(ThreadSchema).nullish(),
  has_more: z.boolean().nullish(),
  next_cursor: s,
});
export type ThreadsPage = z.infer<typeof ThreadsPageSchema>;

export const ThreadTraceSchema = z.looseObject({
  trace_id: s,
  thread_id: s,
  name: s,
  start_time: s,
  end_time: s,
  first_token_time: s,
  /** Seconds. */
  latency: n,
  inputs_preview: s,
  outputs_preview: s,
  error_preview: s,
  total_tokens: n,
  prompt_tokens: n,
  completion_tokens: n,
  total_cost: decimal,
});
export type ThreadTrace = z.infer<typeof ThreadTraceSchema>;

export const ThreadTracesPageSchema = z.looseObject({
  items: z.array(ThreadTraceSchema).nullish(),
  has_more: z.boolean().nullish(),
  next_cursor: s,
});
export type ThreadTracesPage = z.infer<typeof ThreadTracesPageSchema>;

/** Spec `threads.QueryThreadsRequestBody`. `page_size` 1..100, default 20. */
export interface ThreadsQueryRequest {
  project_id: string;
  min_start_time?: string;
  max_start_time?: string;
  filter?: string;
  page_size?: number;
  cursor?: string;
}

/** Spec `ThreadTraceSelectField`. */
export const THREAD_TRACE_SELECT_FIELDS = [
  "THREAD_ID",
  "TRACE_ID",
  "OP",
  "PROMPT_TOKENS",
  "COMPLETION_TOKENS",
  "TOTAL_TOKENS",
  "START_TIME",
  "END_TIME",
  "LATENCY",
  "FIRST_TOKEN_TIME",
  "INPUTS_PREVIEW",
  "OUTPUTS_PREVIEW",
  "PROMPT_COST",
  "COMPLETION_COST",
  "TOTAL_COST",
  "PROMPT_TOKEN_DETAILS",
  "COMPLETION_TOKEN_DETAILS",
  "PROMPT_COST_DETAILS",
  "COMPLETION_COST_DETAILS",
  "NAME",
  "ERROR_PREVIEW",
] as const;
export type ThreadTraceSelectField = (typeof THREAD_TRACE_SELECT_FIELDS)[number];

/** Query of `GET /api/v2/threads/{thread_id}/traces`. `pageSize` 1..100, default 20. */
export interface ThreadTracesQuery {
  projectId: string;
  filter?: string;
  pageSize?: number;
  cursor?: string;
  selects?: readonly ThreadTraceSelectField[];
}
