/**
 * The simulator's records: what LangSmith stores, before any API shape (v1, v2, filter view)
 * is derived from it. Times are epoch milliseconds plus a run's sub-millisecond part (`start_us`):
 * the filter view works in milliseconds, the APIs render microseconds.
 */

export type RunType = "llm" | "chain" | "tool" | "retriever" | "embedding" | "prompt" | "parser";
export type RunStatus = "success" | "error" | "pending";

export interface SimOrganization {
  id: string;
  name: string;
}

export interface SimWorkspace {
  id: string;
  organization_id: string;
  name: string;
  created_at: number;
}

export interface SimProject {
  id: string;
  tenant_id: string;
  name: string;
  description: string | null;
  start_time: number;
  end_time: number | null;
  reference_dataset_id: string | null;
  extra: Record<string, unknown> | null;
  /** Conversational projects group traces into threads. */
  conversational: boolean;
}

export interface TokenDetails {
  [category: string]: number;
}

export interface FeedbackStat {
  n: number;
  avg: number | null;
  stdev: number | null;
  errors: number;
  values: Record<string, number>;
}

export interface SimRun {
  id: string;
  tenant_id: string;
  project_id: string;
  trace_id: string;
  name: string;
  run_type: RunType;
  status: RunStatus;
  start_time: number;
  /**
   * The sub-millisecond part of every time of the run (start, end, first token), 0–999 µs.
   * LangSmith stores microseconds; `start_time * 1000 + start_us` is the exact start.
   */
  start_us: number;
  end_time: number | null;
  first_token_time: number | null;
  /** Root → direct parent. */
  parent_run_ids: string[];
  parent_run_id: string | null;
  child_run_ids: string[];
  dotted_order: string;
  /** 1 for the root, increasing in start order inside the trace. */
  execution_order: number;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown> | null;
  error: string | null;
  tags: string[];
  metadata: Record<string, unknown>;
  /** Runtime info the SDK attaches under `extra.runtime`; shared between runs. */
  runtime: Record<string, unknown>;
  events: Array<{ name: string; time: string; kwargs?: Record<string, unknown> }>;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  prompt_cost: number | null;
  completion_cost: number | null;
  total_cost: number | null;
  prompt_token_details: TokenDetails | null;
  completion_token_details: TokenDetails | null;
  prompt_cost_details: TokenDetails | null;
  completion_cost_details: TokenDetails | null;
  price_model_id: string | null;
  feedback_stats: Record<string, FeedbackStat> | null;
  reference_example_id: string | null;
  reference_dataset_id: string | null;
  thread_id: string | null;
  /** Code location that produced the run (the v2 `app_path`). */
  code_path: string | null;
  in_dataset: boolean;
  manifest: Record<string, unknown> | null;
  /** Public share token when the run's trace was shared; the share_url is derived from it. */
  share_token: string | null;
}

export const isRoot = (run: SimRun): boolean => run.parent_run_id === null;

/** A run's exact start in epoch microseconds (a safe integer until the year 2255). */
export const startMicros = (run: SimRun): number => run.start_time * 1000 + run.start_us;
