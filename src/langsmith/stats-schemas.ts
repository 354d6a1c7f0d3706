/**
 * Run statistics (`POST /api/v1/runs/stats`, spec run.yml `RunStatsQueryParams` → `RunStats`,
 * or `{<group value>: RunStats}` with `group_by`). Tolerant reader: every figure is nullish
 * (LangSmith writes null for a figure with no data, and only the selected figures with
 * `select`), unknown keys pass, costs are decimal strings or numbers.
 */
import { z } from "zod";
import type { RunTypeV1 } from "./schemas.js";

const n = z.number().nullish();
const decimal = z.union([z.number(), z.string()]).nullish();

export const RunStatsSchema = z.looseObject({
  run_count: n,
  error_rate: n,
  streaming_rate: n,
  /** Seconds. */
  latency_p50: n,
  latency_p99: n,
  /** Not in spec `RunStats` but selectable (`RunStatsSelect.latency_avg`). */
  latency_avg: n,
  first_token_p50: n,
  first_token_p99: n,
  total_tokens: n,
  prompt_tokens: n,
  completion_tokens: n,
  median_tokens: n,
  tokens_p99: n,
  /** USD. */
  total_cost: decimal,
  prompt_cost: decimal,
  completion_cost: decimal,
  cost_p50: decimal,
  cost_p99: decimal,
  last_run_start_time: z.string().nullish(),
  feedback_stats: z.record(z.string(), z.unknown()).nullish(),
});
export type RunStats = z.infer<typeof RunStatsSchema>;

/** Figures only an ungrouped `RunStats` has at its top level (a grouped answer has group names there). */
const TOP_LEVEL_FIGURES = ["run_count", "error_rate", "latency_p50", "latency_p99", "total_tokens", "total_cost"] as const;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * `{<group value>: RunStats}`. The spec answers `RunStats | {<group>: RunStats}` whatever was
 * asked, so an ungrouped answer to a grouped request (a server that ignores `group_by`) reads as
 * no groups, and a group whose value is not a RunStats object is left out.
 */
export const GroupedRunStatsSchema = z.record(z.string(), z.unknown()).transform((body): Record<string, RunStats> => {
  if (TOP_LEVEL_FIGURES.some((key) => key in body && !isObject(body[key]))) return {};
  const groups: Record<string, RunStats> = {};
  for (const [name, value] of Object.entries(body)) {
    const parsed = isObject(value) ? RunStatsSchema.safeParse(value) : undefined;
    if (parsed?.success) groups[name] = parsed.data;
  }
  return groups;
});
export type GroupedRunStats = z.infer<typeof GroupedRunStatsSchema>;

/** Spec `RunStatsSelect` (request side; strings so a newer value can be sent). */
export type RunStatsSelectField =
  | "run_count"
  | "latency_p50"
  | "latency_p99"
  | "latency_avg"
  | "first_token_p50"
  | "first_token_p99"
  | "total_tokens"
  | "prompt_tokens"
  | "completion_tokens"
  | "median_tokens"
  | "completion_tokens_p50"
  | "prompt_tokens_p50"
  | "tokens_p99"
  | "completion_tokens_p99"
  | "prompt_tokens_p99"
  | "last_run_start_time"
  | "feedback_stats"
  | "thread_feedback_stats"
  | "run_facets"
  | "error_rate"
  | "streaming_rate"
  | "total_cost"
  | "prompt_cost"
  | "completion_cost"
  | "cost_p50"
  | "cost_p99"
  | "session_feedback_stats"
  | "all_run_stats"
  | "all_token_stats"
  | "prompt_token_details"
  | "completion_token_details"
  | "prompt_cost_details"
  | "completion_cost_details";

/** Spec `RunStatsGroupBy.attribute`. */
export const RUN_STATS_GROUP_ATTRIBUTES = ["name", "run_type", "tag", "metadata"] as const;
export type RunStatsGroupAttribute = (typeof RUN_STATS_GROUP_ATTRIBUTES)[number];

/** Spec `RunStatsGroupBy`: `path` is the metadata key (required for `metadata`); `max_groups` defaults to 5. */
export interface RunStatsGroupByRequest {
  attribute: RunStatsGroupAttribute;
  path?: string;
  max_groups?: number;
}

/**
 * Spec `RunStatsQueryParams`, the fields the client sends. Runs are selected as by `POST
 * /api/v1/runs/query`: `session` (project ids), `start_time` bounds the run's start from below.
 * To count a half-open window [a, b) exactly, send `start_time: a` and put `lt(start_time, "b")`
 * in `filter` rather than relying on `end_time` (whose meaning LangSmith documents loosely).
 */
export interface RunStatsRequest {
  session: readonly string[];
  id?: readonly string[];
  trace?: string;
  run_type?: RunTypeV1;
  start_time?: string;
  end_time?: string;
  error?: boolean;
  is_root?: boolean;
  filter?: string;
  trace_filter?: string;
  tree_filter?: string;
  select?: readonly RunStatsSelectField[];
}

/** A cost figure as a number of USD: v1 writes Decimals as strings; null when absent or not a number. */
export function costUsd(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}
