/**
 * What the filter evaluator reads of a run. The simulator builds one of these per stored run;
 * the evaluator never sees HTTP shapes (v1 or v2), only this neutral view.
 *
 * Conventions (they match how LangSmith compares in its trace query language):
 * - `run_type` lower case (`llm`, `chain`, …); `status` lower case (`success`, `error`, `pending`).
 * - times are epoch milliseconds (UTC), `null` when absent (end_time while running).
 * - `latency` in seconds, `null` while running.
 */
export interface FilterableRun {
  id: string;
  trace_id: string;
  name: string;
  run_type: string;
  status: string;
  start_time: number;
  end_time: number | null;
  latency: number | null;
  first_token_time: number | null;
  total_tokens: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_cost: number | null;
  prompt_cost: number | null;
  completion_cost: number | null;
  error: string | null;
  execution_order: number;
  thread_id: string | null;
  is_root: boolean;
  parent_run_id: string | null;
  reference_example_id: string | null;
  tags: readonly string[];
  /** Flat string/number/boolean metadata, e.g. `{ user_id: "123", ls_model_name: "gpt-4o" }`. */
  metadata: Readonly<Record<string, unknown>>;
  /** Feedback key → score (mean when several), e.g. `{ correctness: 1 }`. */
  feedback: Readonly<Record<string, number | null>>;
  /** Feedback key → the categorical values given under it (`feedback_value`), e.g. `{ verdict: ["halted"] }`. */
  feedback_values: Readonly<Record<string, readonly string[]>>;
  inputs: Readonly<Record<string, unknown>>;
  outputs: Readonly<Record<string, unknown>>;
}
