/**
 * The oracle's runs: a small support-bot project written by hand as plain data, so that a
 * reader can work out which runs a documented filter selects without running any code here.
 *
 * Traces: t1 = r01 (root) → r02 r03 r04; t2 = r05 → r06; t3 = r07; t4 = r08 → r09;
 * t5 = r10; t6 = r11 (still running); t7 = r12; t8 = r13; t9 = r14.
 */

export interface OracleFeedback {
  readonly key: string;
  readonly score: number | null;
  /** Categorical value, when the feedback has one. */
  readonly value?: string;
}

export interface OracleRun {
  readonly id: string;
  readonly trace_id: string;
  readonly parent_run_id: string | null;
  readonly execution_order: number;
  readonly name: string;
  readonly run_type: "llm" | "chain" | "tool" | "retriever" | "embedding";
  readonly status: "success" | "error" | "pending";
  readonly error: string | null;
  readonly start_time: string;
  /** Seconds; null while running. */
  readonly latency: number | null;
  readonly total_tokens: number | null;
  readonly total_cost: number | null;
  readonly prompt_cost: number | null;
  readonly completion_cost: number | null;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly feedback: readonly OracleFeedback[];
  readonly reference_example_id: string | null;
  readonly thread_id: string | null;
}

export const ORACLE_RUNS: readonly OracleRun[] = [
  {
    id: "r01", trace_id: "t1", parent_run_id: null, execution_order: 1,
    name: "SupportAgent", run_type: "chain", status: "success", error: null,
    start_time: "2026-03-02T10:00:00Z", latency: 12.4,
    total_tokens: 5400, total_cost: 0.054, prompt_cost: 0.04, completion_cost: 0.014,
    tags: ["production", "2aa1cf4"],
    metadata: { user_id: "47461", environment: "production", conversation_id: "a1b2c3d4-e5f6-7890" },
    inputs: { question: "Where is my refund?" },
    outputs: { answer: "Your refund was issued on Monday." },
    feedback: [{ key: "user_score", score: 1 }, { key: "star_rating", score: 5 }],
    reference_example_id: null, thread_id: null,
  },
  {
    id: "r02", trace_id: "t1", parent_run_id: "r01", execution_order: 2,
    name: "ChatOpenAI", run_type: "llm", status: "success", error: null,
    start_time: "2026-03-02T10:00:01Z", latency: 6.2,
    total_tokens: 5200, total_cost: 0.052, prompt_cost: 0.039, completion_cost: 0.013,
    tags: ["production"],
    metadata: { user_id: "47461", ls_model_name: "gpt-4o" },
    inputs: { messages: [{ role: "user", content: "Where is my refund?" }] },
    outputs: { content: "Let me check the refund status." },
    feedback: [],
    reference_example_id: null, thread_id: null,
  },
  {
    id: "r03", trace_id: "t1", parent_run_id: "r01", execution_order: 3,
    name: "RetrieveDocs", run_type: "retriever", status: "success", error: null,
    start_time: "2026-03-02T10:00:08Z", latency: 0.8,
    total_tokens: null, total_cost: null, prompt_cost: null, completion_cost: null,
    tags: [],
    metadata: { user_id: "47461" },
    inputs: { query: "refund policy" },
    outputs: { documents: ["Refunds take 5 days."] },
    feedback: [],
    reference_example_id: null, thread_id: null,
  },
  {
    id: "r04", trace_id: "t1", parent_run_id: "r01", execution_order: 4,
    name: "ExpandQuery", run_type: "tool", status: "success", error: null,
    start_time: "2026-03-02T10:00:09Z", latency: 0.3,
    total_tokens: null, total_cost: null, prompt_cost: null, completion_cost: null,
    tags: ["beta"],
    metadata: {},
    inputs: { query: "refund" },
    outputs: { queries: ["refund status", "refund policy"] },
    feedback: [],
    reference_example_id: null, thread_id: null,
  },
  {
    id: "r05", trace_id: "t2", parent_run_id: null, execution_order: 1,
    name: "SupportAgent", run_type: "chain", status: "error", error: "TimeoutError: upstream model timed out after 30s",
    start_time: "2026-03-05T08:00:00Z", latency: 31,
    total_tokens: 1200, total_cost: 0.012, prompt_cost: 0.01, completion_cost: 0.002,
    tags: ["production", "experimental"],
    metadata: { user_id: "10001", environment: "staging", conversation_id: "ffff0000-1111" },
    inputs: { question: "Cancel my order" },
    outputs: {},
    feedback: [{ key: "Correctness", score: 0 }],
    reference_example_id: null, thread_id: null,
  },
  {
    id: "r06", trace_id: "t2", parent_run_id: "r05", execution_order: 2,
    name: "ChatOpenAI", run_type: "llm", status: "error", error: "TimeoutError: upstream model timed out after 30s",
    start_time: "2026-03-05T08:00:01Z", latency: 30,
    total_tokens: 1200, total_cost: 0.012, prompt_cost: 0.01, completion_cost: 0.002,
    tags: ["experimental"],
    metadata: { user_id: "10001", ls_model_name: "gpt-4o-mini" },
    inputs: { messages: [{ role: "user", content: "Cancel my order" }] },
    outputs: {},
    feedback: [],
    reference_example_id: null, thread_id: null,
  },
  {
    id: "r07", trace_id: "t3", parent_run_id: null, execution_order: 1,
    name: "extractor", run_type: "chain", status: "success", error: null,
    start_time: "2026-03-10T12:00:00Z", latency: 2,
    total_tokens: 800, total_cost: 0.008, prompt_cost: 0.006, completion_cost: 0.002,
    tags: ["eval"],
    metadata: { environment: "production" },
    inputs: { text: "Invoice #123 from ACME" },
    outputs: { vendor: "ACME", total: 120 },
    feedback: [{ key: "user_score", score: 1 }, { key: "correctness", score: 1, value: "exact" }],
    reference_example_id: "ex-1", thread_id: null,
  },
  {
    id: "r08", trace_id: "t4", parent_run_id: null, execution_order: 1,
    name: "extractor", run_type: "chain", status: "success", error: null,
    start_time: "2026-03-10T12:05:00Z", latency: 4.5,
    total_tokens: 950, total_cost: 0.0095, prompt_cost: 0.007, completion_cost: 0.0025,
    tags: ["eval"],
    metadata: { environment: "production" },
    inputs: { text: "Receipt from Globex" },
    outputs: { vendor: "Initech" },
    feedback: [{ key: "correctness", score: 0, value: "wrong_vendor" }],
    reference_example_id: "ex-2", thread_id: null,
  },
  {
    id: "r09", trace_id: "t4", parent_run_id: "r08", execution_order: 2,
    name: "ChatAnthropic", run_type: "llm", status: "success", error: null,
    start_time: "2026-03-10T12:05:01Z", latency: 4,
    total_tokens: 900, total_cost: 0.009, prompt_cost: 0.007, completion_cost: 0.002,
    tags: [],
    metadata: { ls_model_name: "claude" },
    inputs: { messages: [{ role: "user", content: "Who issued this receipt? Globex" }] },
    outputs: { content: "Initech" },
    feedback: [],
    reference_example_id: null, thread_id: null,
  },
  {
    id: "r10", trace_id: "t5", parent_run_id: null, execution_order: 1,
    name: "SupportAgent", run_type: "chain", status: "success", error: null,
    start_time: "2025-12-20T09:00:00Z", latency: 1.5,
    total_tokens: 300, total_cost: 0.003, prompt_cost: 0.002, completion_cost: 0.001,
    tags: ["beta"],
    metadata: { user_id: "47461", conversation_id: "a1b2c3d4-e5f6-7890" },
    inputs: { question: "image classification of receipts?" },
    outputs: { answer: "Use the image classification endpoint." },
    feedback: [{ key: "star_rating", score: 4 }],
    reference_example_id: null, thread_id: null,
  },
  {
    id: "r11", trace_id: "t6", parent_run_id: null, execution_order: 1,
    name: "SupportAgent", run_type: "chain", status: "pending", error: null,
    start_time: "2026-03-12T15:00:00Z", latency: null,
    total_tokens: null, total_cost: null, prompt_cost: null, completion_cost: null,
    tags: ["production"],
    // A number, not the string "47461": see the metadata readings in the test.
    metadata: { user_id: 47461, environment: "production" },
    inputs: { question: "Is the refund done?" },
    outputs: {},
    feedback: [],
    reference_example_id: null, thread_id: null,
  },
  {
    id: "r12", trace_id: "t7", parent_run_id: null, execution_order: 1,
    name: "ChatOpenAI", run_type: "llm", status: "success", error: null,
    start_time: "2026-03-15T00:00:00Z", latency: 10,
    total_tokens: 5000, total_cost: 0.05, prompt_cost: 0.045, completion_cost: 0.005,
    tags: ["staging"],
    metadata: { environment: "production", thread_id: "th-9" },
    inputs: { prompt: "Summarise the ACME invoice" },
    outputs: { text: "ACME invoice total is 120" },
    feedback: [],
    reference_example_id: null, thread_id: "th-9",
  },
  {
    id: "r13", trace_id: "t8", parent_run_id: null, execution_order: 1,
    name: "embed", run_type: "embedding", status: "success", error: null,
    start_time: "2026-03-15T00:00:05Z", latency: 0.1,
    total_tokens: 50, total_cost: 0.00001, prompt_cost: 0.00001, completion_cost: 0,
    tags: [],
    metadata: {},
    inputs: { input: "Hello" },
    outputs: {},
    feedback: [{ key: "star_rating", score: 5 }],
    reference_example_id: null, thread_id: null,
  },
  {
    id: "r14", trace_id: "t9", parent_run_id: null, execution_order: 1,
    name: "ToolRunner", run_type: "tool", status: "error", error: "ValueError: null input",
    start_time: "2026-03-16T07:30:00Z", latency: 0.2,
    total_tokens: null, total_cost: null, prompt_cost: null, completion_cost: null,
    tags: [],
    metadata: { session_id: "a1b2c3d4-e5f6-7890" },
    inputs: { path: "/tmp/x" },
    outputs: {},
    feedback: [{ key: "verdict", score: null, value: "halted" }],
    reference_example_id: null, thread_id: null,
  },
];
