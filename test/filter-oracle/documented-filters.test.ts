/**
 * The filter evaluator against LangSmith's own documented examples. Each case quotes a
 * filter from the docs (page named) and lists, written by hand from ORACLE_RUNS, the runs a
 * reader of those docs expects it to select. Nothing here is computed by src/filter: a wrong
 * expectation is a misreading of the docs, to fix here; a wrong answer is a bug in the
 * evaluator.
 *
 * Sources (docs.langchain.com/langsmith/…):
 *   QS  trace-query-syntax (comparators table, logical operators, quick reference examples)
 *   ET  export-traces ("Query traces using the SDK": filter query language examples)
 *   DE  data-export (bulk export: the create-export filter)
 *   DS  manage-datasets-programmatically (example filters: has/exists on metadata, not)
 *   FT  filter-traces-in-application (the UI's "copy filter" example)
 * "adapted" = the documented shape with values that occur in our runs (the doc's literal
 * values would select nothing here and so test nothing).
 *
 * Readings taken where the docs are silent:
 * - like is SQL LIKE and so case-sensitive (ClickHouse `like`; `ilike` is the
 *   case-insensitive one). like(input_value, "%a%") therefore misses "ACME".
 * - metadata_value compares as text: the number 47461 (r11) equals "47461", since the docs
 *   type metadata_value as a string. has(metadata, '{…}') is JSON containment, where
 *   types matter, so there r11 does not match "47461".
 * - feedback keys compare exactly: "Correctness" is not "correctness".
 * - input_key paths join nested keys with dots and skip array indexes: DE filters
 *   eq(input_key, "messages.content") for inputs {"messages": [{"content": …}]}.
 * - search("…") looks in every string field, ignoring case (the terms below are chosen so
 *   that neither choice changes the answer).
 * - gt/lt on start_time are strict: r07 starts exactly at 2026-03-10T12:00:00Z.
 * - parent_run_id and reference_example_id are filter *arguments* in QS; we read them as
 *   filter-language fields too, as LangSmith's Run object names them.
 */
import { describe, expect, it } from "vitest";
import { checkFilter, compileFilter, type FilterableRun } from "../../src/filter/index.js";
import { ORACLE_RUNS, type OracleRun } from "./runs.js";

interface DocumentedFilter {
  readonly source: string;
  readonly filter: string;
  readonly expected: readonly string[];
}

const CASES: readonly DocumentedFilter[] = [
  // Comparators on run fields.
  { source: "QS comparators: eq", filter: 'eq(run_type, "llm")', expected: ["r02", "r06", "r09", "r12"] },
  {
    source: "QS comparators: neq",
    filter: 'neq(status, "error")',
    expected: ["r01", "r02", "r03", "r04", "r07", "r08", "r09", "r10", "r11", "r12", "r13"],
  },
  { source: "QS comparators: gt / ET", filter: 'gt(latency, "5s")', expected: ["r01", "r02", "r05", "r06", "r12"] },
  {
    source: "QS comparators: gte",
    filter: "gte(latency, 1.5)",
    expected: ["r01", "r02", "r05", "r06", "r07", "r08", "r09", "r10", "r12"],
  },
  { source: "QS quick reference: runs faster than 1 second", filter: 'lt(latency, "1s")', expected: ["r03", "r04", "r13", "r14"] },
  { source: "QS comparators: lte", filter: "lte(feedback_score, 0.5)", expected: ["r05", "r08"] },
  { source: "ET: total_tokens greater than 5000", filter: "gt(total_tokens, 5000)", expected: ["r01", "r02"] },
  {
    source: "ET (older edition): chain runs over 10 s with more than 5000 tokens",
    filter: 'and(eq(run_type, "chain"), gt(latency, 10), gt(total_tokens, 5000))',
    expected: ["r01"],
  },
  { source: "QS quick reference: filter by run name (adapted)", filter: 'eq(name, "extractor")', expected: ["r07", "r08"] },
  {
    source: 'QS comparators: in (adapted from eq(run_type, …)); the form in(run_type, ["llm", "chain"]) is from a docs edition',
    filter: 'in(run_type, ["llm", "chain"])',
    expected: ["r01", "r02", "r05", "r06", "r07", "r08", "r09", "r10", "r11", "r12"],
  },
  { source: "ET: error not equal to null", filter: "neq(error, null)", expected: ["r05", "r06", "r14"] },
  { source: "QS quick reference: runs that errored", filter: 'eq(status, "error")', expected: ["r05", "r06", "r14"] },
  {
    source: "QS quick reference: runs that did not error",
    filter: 'eq(status, "success")',
    expected: ["r01", "r02", "r03", "r04", "r07", "r08", "r09", "r10", "r12", "r13"],
  },

  // Costs (Run fields of the run data format).
  { source: "run data format: total_cost", filter: "gt(total_cost, 0.05)", expected: ["r01", "r02"] },
  { source: "run data format: prompt_cost", filter: "gte(prompt_cost, 0.04)", expected: ["r01", "r12"] },
  {
    source: "run data format: completion_cost",
    filter: "lte(completion_cost, 0.002)",
    expected: ["r05", "r06", "r07", "r09", "r10", "r13"],
  },

  // Time.
  {
    source: "ET: start_time greater than a specific timestamp",
    filter: 'gt(start_time, "2023-07-15T12:34:56Z")',
    expected: ORACLE_RUNS.map((r) => r.id),
  },
  {
    source: "ET: start_time greater than a specific timestamp (adapted)",
    filter: 'gt(start_time, "2026-03-10T12:00:00Z")',
    expected: ["r08", "r09", "r11", "r12", "r13", "r14"],
  },
  {
    source: "QS quick reference: filter by time range (adapted)",
    filter: 'and(gt(start_time, "2026-01-01T00:00:00Z"), lt(start_time, "2026-03-06T00:00:00Z"))',
    expected: ["r01", "r02", "r03", "r04", "r05", "r06"],
  },
  { source: "QS comparators: lt on start_time (adapted)", filter: 'lt(start_time, "2026-01-01T00:00:00Z")', expected: ["r10"] },
  {
    source: "QS quick reference: errors that started after a specific time",
    filter: 'and(gt(start_time, "2024-06-01T00:00:00Z"), eq(status, "error"))',
    expected: ["r05", "r06", "r14"],
  },

  // Tags.
  { source: "ET: tagged with the git hash", filter: 'has(tags, "2aa1cf4")', expected: ["r01"] },
  {
    source: "QS quick reference: multiple tags (any match)",
    filter: 'or(has(tags, "production"), has(tags, "staging"))',
    expected: ["r01", "r02", "r05", "r11", "r12"],
  },
  {
    source: "ET: tags include experimental or beta and latency over 2 seconds",
    filter: 'and(or(has(tags, "experimental"), has(tags, "beta")), gt(latency, 2))',
    expected: ["r05", "r06"],
  },

  // Full-text search.
  { source: "ET: search trace trees by full text", filter: 'search("image classification")', expected: ["r10"] },
  {
    source: 'ET: runs that contain the string "substring" (adapted)',
    filter: 'search("refund")',
    expected: ["r01", "r02", "r03", "r04", "r11"],
  },

  // Metadata.
  {
    source: "ET / QS: runs with a user_id metadata key",
    filter: "eq(metadata_key, 'user_id')",
    expected: ["r01", "r02", "r03", "r05", "r06", "r10", "r11"],
  },
  {
    source: "ET / QS: runs with a specific user ID value (adapted); r11 holds the number 47461",
    filter: 'and(eq(metadata_key, "user_id"), eq(metadata_value, "47461"))',
    expected: ["r01", "r02", "r03", "r10", "r11"],
  },
  {
    source: "QS has (\"metadata json blob\") / DS has(metadata, '{…}') (adapted); JSON containment, so not r11's number",
    filter: `has(metadata, '{"user_id": "47461"}')`,
    expected: ["r01", "r02", "r03", "r10"],
  },
  {
    source: "ET / QS: runs from the production environment",
    filter: "and(eq(metadata_key, 'environment'), eq(metadata_value, 'production'))",
    expected: ["r01", "r07", "r08", "r11", "r12"],
  },
  {
    source: "ET / QS: filter by conversation or thread ID (adapted)",
    filter: 'and(in(metadata_key, ["session_id", "conversation_id", "thread_id"]), eq(metadata_value, "a1b2c3d4-e5f6-7890"))',
    expected: ["r01", "r10", "r14"],
  },
  {
    source: "ET negative filtering: metadata does not contain a conversation_id key",
    filter: "and(neq(metadata_key, 'conversation_id'))",
    expected: ["r02", "r03", "r04", "r06", "r07", "r08", "r09", "r11", "r12", "r13", "r14"],
  },
  {
    source: 'ET negative filtering: the conversation_id in metadata is not "a1b2c3d4-e5f6-7890"',
    filter: "and(eq(metadata_key, 'conversation_id'), neq(metadata_value, 'a1b2c3d4-e5f6-7890'))",
    expected: ["r05"],
  },
  {
    source: "ET negative filtering: no conversation_id key and the value is not present",
    filter: "and(neq(metadata_key, 'conversation_id'), neq(metadata_value, 'a1b2c3d4-e5f6-7890'))",
    expected: ["r02", "r03", "r04", "r06", "r07", "r08", "r09", "r11", "r12", "r13"],
  },
  {
    source: "ET negative filtering: the conversation_id key is not present but the value is",
    filter: "and(neq(metadata_key, 'conversation_id'), eq(metadata_value, 'a1b2c3d4-e5f6-7890'))",
    expected: ["r14"],
  },
  {
    source: "ET: combine multiple filters (adapted: SupportAgent for ChatOpenAI)",
    filter: "and(eq(name, 'SupportAgent'), eq(metadata_key, 'conversation_id'), eq(metadata_value, 'a1b2c3d4-e5f6-7890'))",
    expected: ["r01", "r10"],
  },
  { source: 'DS: exists(metadata, "tenant_id") (adapted)', filter: 'exists(metadata, "conversation_id")', expected: ["r01", "r05", "r10"] },
  {
    source: 'DS: and(not(has(metadata, \'{"foo": "bar"}\')), exists(metadata, "tenant_id")) (adapted)',
    filter: `and(not(has(metadata, '{"environment": "production"}')), exists(metadata, "user_id"))`,
    expected: ["r02", "r03", "r05", "r06", "r10"],
  },

  // Inputs and outputs.
  {
    source: "DE: bulk export filter on a nested input (adapted: %refund% for %messages.content%)",
    filter: 'and(eq(run_type, "llm"), eq(name, "ChatOpenAI"), eq(input_key, "messages.content"), like(input_value, "%refund%"))',
    expected: ["r02"],
  },
  {
    source: 'issue "Work unchanged against real LangSmith": like(input_value, "%a%"), refused before',
    filter: 'like(input_value, "%a%")',
    expected: ["r05", "r06", "r10", "r12"],
  },
  { source: 'a docs edition: like(name, "%Chat%")', filter: 'like(name, "%Chat%")', expected: ["r02", "r06", "r09", "r12"] },

  // Feedback.
  {
    source: "ET: star_rating key whose score is greater than 4",
    filter: 'and(eq(feedback_key, "star_rating"), gt(feedback_score, 4))',
    expected: ["r01", "r13"],
  },
  {
    source: "ET / QS: user_score feedback of 1",
    filter: 'and(eq(feedback_key, "user_score"), eq(feedback_score, 1))',
    expected: ["r01", "r07"],
  },
  {
    source: "FT: the copied filter of a root-run feedback view",
    filter: 'and(eq(is_root, true), and(eq(feedback_key, "user_score"), eq(feedback_score, 1)))',
    expected: ["r01", "r07"],
  },
  {
    source: "QS quick reference: correctness score below 0.5",
    filter: 'and(eq(feedback_key, "correctness"), lt(feedback_score, 0.5))',
    expected: ["r08"],
  },
  {
    source: "ET / QS: started after a timestamp and either errored or scored 0 on Correctness",
    filter:
      'and(gt(start_time, "2023-07-15T12:34:56Z"), or(neq(error, null), and(eq(feedback_key, "Correctness"), eq(feedback_score, 0.0))))',
    expected: ["r05", "r06", "r14"],
  },
  {
    source: "QS logical operators: errors or a low score",
    filter: 'or(eq(status, "error"), and(eq(feedback_key, "score"), lt(feedback_score, 0.5)))',
    expected: ["r05", "r06", "r14"],
  },
  {
    source: "QS quick reference: slow runs with low correctness feedback",
    filter: 'and(gt(latency, "10s"), eq(feedback_key, "correctness"), lt(feedback_score, 0.5))',
    expected: [],
  },
  {
    source: 'not on the docs pages; reported accepted by the runs API: eq(feedback_value, "halted")',
    filter: 'and(eq(feedback_key, "verdict"), eq(feedback_value, "halted"))',
    expected: ["r14"],
  },
  {
    source: "feedback_value under a scored key (same reading)",
    filter: 'and(eq(feedback_key, "correctness"), eq(feedback_value, "wrong_vendor"))',
    expected: ["r08"],
  },

  // Tree position and datasets.
  {
    source: "QS logical operators: slow LLM runs",
    filter: 'and(eq(run_type, "llm"), gt(latency, "2s"))',
    expected: ["r02", "r06", "r09", "r12"],
  },
  { source: "QS filter argument parent_run_id, as a field", filter: 'eq(parent_run_id, "r01")', expected: ["r02", "r03", "r04"] },
  { source: "QS filter argument reference_example_id, as a field", filter: 'eq(reference_example_id, "ex-2")', expected: ["r08"] },
  {
    source: "QS filter argument reference_example_id: runs tied to an example",
    filter: "neq(reference_example_id, null)",
    expected: ["r07", "r08"],
  },
];

/** The plain table as the evaluator's view of a run. */
function view(run: OracleRun): FilterableRun {
  const start = Date.parse(run.start_time);
  const feedback: Record<string, number | null> = {};
  const feedbackValues: Record<string, string[]> = {};
  for (const f of run.feedback) {
    feedback[f.key] = f.score;
    feedbackValues[f.key] = f.value === undefined ? [] : [f.value];
  }
  return {
    id: run.id,
    trace_id: run.trace_id,
    name: run.name,
    run_type: run.run_type,
    status: run.status,
    start_time: start,
    end_time: run.latency === null ? null : start + run.latency * 1000,
    latency: run.latency,
    first_token_time: null,
    total_tokens: run.total_tokens,
    prompt_tokens: null,
    completion_tokens: null,
    total_cost: run.total_cost,
    prompt_cost: run.prompt_cost,
    completion_cost: run.completion_cost,
    error: run.error,
    execution_order: run.execution_order,
    thread_id: run.thread_id,
    is_root: run.parent_run_id === null,
    parent_run_id: run.parent_run_id,
    reference_example_id: run.reference_example_id,
    tags: run.tags,
    metadata: run.metadata,
    feedback,
    feedback_values: feedbackValues,
    inputs: run.inputs,
    outputs: run.outputs,
  };
}

const VIEWS = ORACLE_RUNS.map((run) => ({ id: run.id, trace: run.trace_id, root: run.parent_run_id === null, view: view(run) }));

function selected(filter: string): string[] {
  const predicate = compileFilter(checkFilter(filter).expr);
  return VIEWS.filter((r) => predicate(r.view)).map((r) => r.id);
}

describe("the oracle table", () => {
  it("has 14 hand-written runs with distinct ids", () => {
    expect(new Set(ORACLE_RUNS.map((r) => r.id)).size).toBe(14);
  });
});

describe("documented filters select the runs a reader of the docs expects", () => {
  it.each(CASES.map((c) => [c.filter, c.source, c.expected] as const))("%s (%s)", (filter, _source, expected) => {
    expect(selected(filter)).toEqual([...expected].sort());
  });

  it.each(CASES.map((c) => [c.filter] as const))("the client sends %s without a blocking warning", (filter) => {
    expect(checkFilter(filter).issues.filter((i) => i.blocking)).toEqual([]);
  });
});

describe("filter, trace_filter and tree_filter together", () => {
  // ET "Tree filter": runs named RetrieveDocs whose root run has a user_score of 1 and
  // whose trace has a run named ExpandQuery.
  it("selects r03 for the documented RetrieveDocs / user_score / ExpandQuery query", () => {
    const filter = compileFilter(checkFilter('eq(name, "RetrieveDocs")').expr);
    const traceFilter = compileFilter(checkFilter('and(eq(feedback_key, "user_score"), eq(feedback_score, 1))').expr);
    const treeFilter = compileFilter(checkFilter('eq(name, "ExpandQuery")').expr);
    const ids = VIEWS.filter(
      (r) =>
        filter(r.view) &&
        VIEWS.some((root) => root.trace === r.trace && root.root && traceFilter(root.view)) &&
        VIEWS.some((other) => other.trace === r.trace && treeFilter(other.view)),
    ).map((r) => r.id);
    expect(ids).toEqual(["r03"]);
  });
});
