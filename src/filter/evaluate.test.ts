import { describe, expect, it } from "vitest";
import { attr, call, lit } from "./ast.js";
import { checkFilter } from "./check.js";
import { FilterError } from "./error.js";
import { compileFilter, evaluateFilter } from "./evaluate.js";
import type { FilterableRun } from "./subject.js";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

function run(overrides: Partial<FilterableRun> = {}): FilterableRun {
  return {
    id: "11111111-1111-1111-1111-111111111111",
    trace_id: "22222222-2222-2222-2222-222222222222",
    name: "ChatOpenAI",
    run_type: "llm",
    status: "success",
    start_time: T0,
    end_time: T0 + 2500,
    latency: 2.5,
    first_token_time: T0 + 300,
    total_tokens: 1200,
    prompt_tokens: 1000,
    completion_tokens: 200,
    total_cost: 0.0125,
    prompt_cost: 0.01,
    completion_cost: 0.0025,
    error: null,
    execution_order: 2,
    thread_id: "thread-7",
    is_root: false,
    parent_run_id: "33333333-3333-3333-3333-333333333333",
    reference_example_id: null,
    tags: ["production", "beta"],
    metadata: { user_id: "123", ls_model_name: "gpt-4o", retries: 2, cached: true },
    feedback: { correctness: 1, helpfulness: 0.25, unrated: null },
    feedback_values: { verdict: ["halted"] },
    inputs: { question: "How do I get a refund?", history: [{ role: "user", content: "hi" }], count: 3 },
    outputs: { answer: "Refunds take 5 days.", confidence: null },
    ...overrides,
  };
}

const matches = (text: string, subject: FilterableRun = run()): boolean => evaluateFilter(checkFilter(text).expr, subject);

describe("comparators", () => {
  it.each([
    ['eq(name, "ChatOpenAI")', true],
    ['eq(name, "chatopenai")', false],
    ['neq(name, "ChatOpenAI")', false],
    ['in(name, ["Retriever", "ChatOpenAI"])', true],
    ['in(name, ["Retriever"])', false],
    ["gt(total_tokens, 1199)", true],
    ["gt(total_tokens, 1200)", false],
    ["gte(total_tokens, 1200)", true],
    ["lt(prompt_tokens, 1000)", false],
    ["lte(prompt_tokens, 1000)", true],
    ["eq(completion_tokens, 200)", true],
    ['gt(total_cost, "0.01")', true],
    ["lt(total_cost, 0.01)", false],
    ["eq(execution_order, 2)", true],
    ["eq(is_root, false)", true],
    ["eq(is_root, true)", false],
    ["neq(is_root, true)", true],
    ['eq(thread_id, "thread-7")', true],
    ['eq(id, "11111111-1111-1111-1111-111111111111")', true],
    ['eq(trace_id, "22222222-2222-2222-2222-222222222222")', true],
    ["in(total_tokens, [1, 1200])", true],
  ])("%s → %s", (text, expected) => {
    expect(matches(text)).toBe(expected);
  });
});

describe("null handling", () => {
  const errored = run({ status: "error", error: "TimeoutError: upstream took too long" });
  const running = run({ status: "pending", end_time: null, latency: null, thread_id: null, total_cost: null });

  it("neq(error, null) selects errored runs and eq(error, null) the others", () => {
    expect(matches("neq(error, null)", errored)).toBe(true);
    expect(matches("neq(error, null)")).toBe(false);
    expect(matches("eq(error, null)")).toBe(true);
    expect(matches("eq(error, null)", errored)).toBe(false);
  });

  it("compares any nullable attribute with null", () => {
    expect(matches("eq(end_time, null)", running)).toBe(true);
    expect(matches("eq(latency, null)", running)).toBe(true);
    expect(matches("eq(thread_id, null)", running)).toBe(true);
    expect(matches("neq(total_cost, null)", running)).toBe(false);
    expect(matches("in(thread_id, [null])", running)).toBe(true);
    expect(matches("eq(end_time, null)")).toBe(false);
  });

  it("never orders a null value", () => {
    expect(matches("gt(latency, 0)", running)).toBe(false);
    expect(matches("lt(latency, 1000)", running)).toBe(false);
    expect(matches('lt(end_time, "2100-01-01")', running)).toBe(false);
  });

  it("treats neq as the negation of eq, so a missing thread is not thread-7", () => {
    expect(matches('neq(thread_id, "thread-7")', running)).toBe(true);
  });
});

describe("latency", () => {
  it.each([
    ["gt(latency, 2)", true],
    ["gt(latency, 2.5)", false],
    ["gte(latency, 2.5)", true],
    ['gt(latency, "2s")', true],
    ['gt(latency, "2500ms")', false],
    ['lt(latency, "2501ms")', true],
    ['lt(latency, "0.05m")', true],
    ['lt(latency, "1h")', true],
    ['eq(latency, "2.5s")', true],
    ['gt(latency, "2")', true],
  ])("%s on a 2.5 s run → %s", (text, expected) => {
    expect(matches(text)).toBe(expected);
  });

  it("reads minutes and hours at their scale", () => {
    expect(matches('gt(latency, "1m")', run({ latency: 61 }))).toBe(true);
    expect(matches('gt(latency, "1h")', run({ latency: 3599 }))).toBe(false);
  });
});

describe("time attributes", () => {
  it.each([
    ['gte(start_time, "2024-05-01T12:00:00Z")', true],
    ['gt(start_time, "2024-05-01T12:00:00Z")', false],
    ['gt(start_time, "2024-05-01T11:59:59.999Z")', true],
    ['lt(start_time, "2024-05-01T14:00:00+02:00")', false],
    ['lte(start_time, "2024-05-01T14:00:00+02:00")', true],
    ['gt(start_time, "2024-05-01")', true],
    ['lt(start_time, "2024-05-02")', true],
    ['eq(start_time, "2024-05-01T12:00:00")', true],
    ['lt(end_time, "2024-05-01T12:00:03Z")', true],
    ['gt(first_token_time, "2024-05-01T12:00:00.299Z")', true],
    ['gt(first_token_time, "2024-05-01T12:00:00.300Z")', false],
  ])("%s → %s", (text, expected) => {
    expect(matches(text)).toBe(expected);
  });
});

describe("run_type and status ignore case", () => {
  it.each([
    ['eq(run_type, "llm")', true],
    ['eq(run_type, "LLM")', true],
    ['eq(run_type, "Llm")', true],
    ['neq(run_type, "LLM")', false],
    ['eq(run_type, "chain")', false],
    ['in(run_type, ["TOOL", "LLM"])', true],
    ['eq(status, "SUCCESS")', true],
    ['eq(status, "Success")', true],
    ['eq(status, "error")', false],
    ['in(status, ["Error", "PENDING"])', false],
    ['search(run_type, "L")', true],
  ])("%s on an llm run that succeeded → %s", (text, expected) => {
    expect(matches(text)).toBe(expected);
  });

  it("also matches a run whose stored type is upper case", () => {
    expect(matches('eq(run_type, "llm")', run({ run_type: "LLM", status: "ERROR" }))).toBe(true);
    expect(matches('eq(status, "error")', run({ run_type: "LLM", status: "ERROR" }))).toBe(true);
  });
});

describe("tags", () => {
  it.each([
    ['has(tags, "production")', true],
    ['has(tags, "Production")', false],
    ['has(tags, "staging")', false],
    ['eq(tags, "beta")', true],
    ['neq(tags, "beta")', false],
    ['neq(tags, "staging")', true],
    ['in(tags, ["staging", "beta"])', true],
    ['search(tags, "PROD")', true],
  ])("%s → %s", (text, expected) => {
    expect(matches(text)).toBe(expected);
  });

  it("finds nothing in a run without tags", () => {
    expect(matches('has(tags, "production")', run({ tags: [] }))).toBe(false);
  });
});

describe("metadata pairing: key and value inside one and(...) are the same entry", () => {
  it("matches a run whose metadata user_id is 123", () => {
    expect(matches('and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))')).toBe(true);
  });

  it("does NOT match when the key and the value belong to different entries", () => {
    // ls_model_name exists and some entry has value "123", but not ls_model_name = "123".
    expect(matches('and(eq(metadata_key, "ls_model_name"), eq(metadata_value, "123"))')).toBe(false);
    expect(matches('and(eq(metadata_key, "user_id"), eq(metadata_value, "gpt-4o"))')).toBe(false);
  });

  it('compares values as text: a number 123 matches "123" and the literal 123', () => {
    const numeric = run({ metadata: { user_id: 123 } });
    expect(matches('and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))', numeric)).toBe(true);
    expect(matches('and(eq(metadata_key, "user_id"), eq(metadata_value, 123))', numeric)).toBe(true);
    expect(matches('and(eq(metadata_key, "cached"), eq(metadata_value, "true"))')).toBe(true);
    expect(matches('and(eq(metadata_key, "retries"), eq(metadata_value, 2))')).toBe(true);
  });

  it("reads a lone key as 'has the key' and a lone value as 'some entry has the value'", () => {
    expect(matches('eq(metadata_key, "user_id")')).toBe(true);
    expect(matches('eq(metadata_key, "tenant")')).toBe(false);
    expect(matches('eq(metadata_value, "gpt-4o")')).toBe(true);
    expect(matches('eq(metadata_value, "gpt-5")')).toBe(false);
  });

  it("keeps the pairing through or(...) inside the same and", () => {
    const text = 'and(or(eq(metadata_key, "tenant"), eq(metadata_key, "user_id")), eq(metadata_value, "123"))';
    expect(matches(text)).toBe(true);
    expect(matches(text, run({ metadata: { user_id: "9", tenant: "x", other: "123" } }))).toBe(false);
  });

  it("lets separate and(...) groups each pick their own entry", () => {
    const both =
      'and(and(eq(metadata_key, "user_id"), eq(metadata_value, "123")), and(eq(metadata_key, "ls_model_name"), eq(metadata_value, ' +
      '"gpt-4o")))';
    expect(matches(both)).toBe(true);
    // Two different keys on one entry can never hold.
    expect(matches('and(eq(metadata_key, "user_id"), eq(metadata_key, "ls_model_name"))')).toBe(false);
  });

  it("combines with other conditions in the same and", () => {
    expect(matches('and(eq(run_type, "llm"), eq(metadata_key, "user_id"), eq(metadata_value, "123"))')).toBe(true);
    expect(matches('and(eq(run_type, "tool"), eq(metadata_key, "user_id"), eq(metadata_value, "123"))')).toBe(false);
  });

  // docs.langchain.com/langsmith/export-traces, "Negative filtering on key-value pairs".
  it("reads neq on a key as 'no such key', as LangSmith's negative-filtering examples do", () => {
    expect(matches('neq(metadata_key, "user_id")')).toBe(false);
    expect(matches('neq(metadata_key, "tenant")')).toBe(true);
    expect(matches('and(neq(metadata_key, "user_id"))')).toBe(false);
    expect(matches('neq(metadata_key, "user_id")')).toBe(matches('not(eq(metadata_key, "user_id"))'));
  });

  it("reads a positive key with a negated value as 'the key is there with another value'", () => {
    expect(matches('and(eq(metadata_key, "user_id"), neq(metadata_value, "123"))')).toBe(false);
    expect(matches('and(eq(metadata_key, "user_id"), neq(metadata_value, "999"))')).toBe(true);
    expect(matches('and(eq(metadata_key, "tenant"), neq(metadata_value, "999"))')).toBe(false);
  });

  it("reads a negated key beside a value as 'no such key, and some entry has the value'", () => {
    expect(matches('and(neq(metadata_key, "tenant"), eq(metadata_value, "123"))')).toBe(true);
    expect(matches('and(neq(metadata_key, "user_id"), eq(metadata_value, "123"))')).toBe(false);
    expect(matches('and(neq(metadata_key, "tenant"), neq(metadata_value, "123"))')).toBe(false);
    expect(matches('and(neq(metadata_key, "tenant"), neq(metadata_value, "456"))')).toBe(true);
  });

  it("supports in and search on keys and values", () => {
    expect(matches('and(in(metadata_key, ["user_id", "tenant"]), in(metadata_value, ["123", "456"]))')).toBe(true);
    expect(matches('and(search(metadata_key, "MODEL"), search(metadata_value, "gpt"))')).toBe(true);
    expect(matches('and(search(metadata_key, "user"), search(metadata_value, "gpt"))')).toBe(false);
  });

  it("matches nothing on a run without metadata", () => {
    const bare = run({ metadata: {} });
    expect(matches('eq(metadata_key, "user_id")', bare)).toBe(false);
    expect(matches('and(eq(run_type, "llm"), eq(metadata_value, "x"))', bare)).toBe(false);
    // ...while "has no key x" holds for it.
    expect(matches('and(eq(run_type, "llm"), neq(metadata_key, "x"))', bare)).toBe(true);
  });
});

describe("feedback pairing", () => {
  it("compares the score of the named key numerically", () => {
    expect(matches('and(eq(feedback_key, "correctness"), gte(feedback_score, 1))')).toBe(true);
    expect(matches('and(eq(feedback_key, "helpfulness"), gte(feedback_score, 0.5))')).toBe(false);
    expect(matches('and(eq(feedback_key, "helpfulness"), lt(feedback_score, "0.5"))')).toBe(true);
  });

  it("does NOT match a score that belongs to another key", () => {
    expect(matches('and(eq(feedback_key, "helpfulness"), eq(feedback_score, 1))')).toBe(false);
  });

  it("finds unscored feedback with null", () => {
    expect(matches('and(eq(feedback_key, "unrated"), eq(feedback_score, null))')).toBe(true);
    expect(matches('and(eq(feedback_key, "correctness"), eq(feedback_score, null))')).toBe(false);
    expect(matches('and(eq(feedback_key, "unrated"), gt(feedback_score, -1))')).toBe(false);
  });
});

describe("input and output pairing over top-level keys", () => {
  it("matches a scalar value under its key, as text", () => {
    expect(matches('and(eq(input_key, "question"), search(input_value, "REFUND"))')).toBe(true);
    expect(matches('and(eq(input_key, "count"), eq(input_value, "3"))')).toBe(true);
    expect(matches('and(eq(input_key, "question"), eq(input_value, "3"))')).toBe(false);
    expect(matches('and(eq(output_key, "answer"), search(output_value, "5 days"))')).toBe(true);
    expect(matches('and(eq(output_key, "confidence"), eq(output_value, null))')).toBe(true);
  });

  it("compares objects and arrays as their compact JSON text", () => {
    expect(matches('and(eq(input_key, "history"), eq(input_value, "[{\\"role\\":\\"user\\",\\"content\\":\\"hi\\"}]"))')).toBe(true);
    expect(matches('and(eq(input_key, "history"), search(input_value, "role"))')).toBe(true);
  });

  it("reads a lone key as 'has the key'", () => {
    expect(matches('eq(output_key, "answer")')).toBe(true);
    expect(matches('eq(output_key, "question")')).toBe(false);
  });
});

describe("search", () => {
  it.each([
    ['search("chatopenai")', true],
    ['search("REFUND")', true],
    ['search("5 days")', true],
    ['search("gpt-4o")', true],
    ['search("beta")', true],
    ['search("content")', false],
    ['search("hi")', true],
    ['search("nowhere to be found")', false],
  ])("%s searches name, error, tags, inputs, outputs and metadata values → %s", (text, expected) => {
    expect(matches(text)).toBe(expected);
  });

  it("searches error text, and one attribute when named", () => {
    const errored = run({ error: "RateLimitError: slow down" });
    expect(matches('search("ratelimit")', errored)).toBe(true);
    expect(matches('search(error, "SLOW")', errored)).toBe(true);
    expect(matches('search(error, "slow")')).toBe(false);
    expect(matches('search(name, "openai")')).toBe(true);
    expect(matches('search(name, "refund")')).toBe(false);
  });
});

describe("logical operators", () => {
  it.each([
    ['and(eq(run_type, "llm"), gt(latency, 2))', true],
    ['and(eq(run_type, "llm"), gt(latency, 5))', false],
    ['or(eq(run_type, "tool"), gt(latency, 2))', true],
    ['or(eq(run_type, "tool"), gt(latency, 5))', false],
    ['and(eq(run_type, "llm"))', true],
    ['not(eq(run_type, "llm"))', false],
    ['and(or(has(tags, "x"), has(tags, "beta")), not(neq(error, null)))', true],
  ])("%s → %s", (text, expected) => {
    expect(matches(text)).toBe(expected);
  });
});

describe("evaluating trees directly", () => {
  it("evaluates a hand-built tree", () => {
    expect(evaluateFilter(call("eq", attr("run_type"), lit("LLM")), run())).toBe(true);
  });

  it("rejects an invalid hand-built tree with a FilterError", () => {
    expect(() => evaluateFilter(call("gt", attr("tags"), lit(1)), run())).toThrow(FilterError);
  });

  it("compiles once into a predicate usable over many runs", () => {
    const predicate = compileFilter(checkFilter('gt(latency, "2s")').expr);
    const runs = [run({ latency: 1 }), run({ latency: 3 }), run({ latency: null })];
    expect(runs.map(predicate)).toEqual([false, true, false]);
  });
});

describe("like", () => {
  it.each([
    ['like(name, "Chat%")', true],
    ['like(name, "chat%")', false],
    ['like(name, "Chat_penAI")', true],
    ['like(name, "Chat_AI")', false],
    ['like(name, "%OpenAI")', true],
    ['like(name, "OpenAI")', false],
    ['like(input_value, "%refund%")', true],
    ['like(input_value, "%Refund%")', false],
    ['like(output_value, "Refunds%")', true],
    ['like(tags, "prod%")', true],
    ['like(error, "%")', false],
    // A backslash in the pattern (written \\ inside the filter's string) makes % and _ literal.
    ['like(metadata_key, "ls\\\\_%")', true],
    ['like(metadata_key, "user\\\\%")', false],
  ])("%s is %s (SQL LIKE, case-sensitive)", (text, expected) => {
    expect(matches(text)).toBe(expected);
  });

  it("treats regular-expression characters in the pattern as themselves", () => {
    expect(matches('like(name, "a.c")', run({ name: "abc" }))).toBe(false);
    expect(matches('like(name, "a.c")', run({ name: "a.c" }))).toBe(true);
    expect(matches('like(name, "(x)[y]*")', run({ name: "(x)[y]*" }))).toBe(true);
  });
});

describe("has(metadata, json) and exists(metadata, key)", () => {
  const nested = run({ metadata: { user_id: "47461", tier: { plan: "pro", seats: 3 }, langs: ["en", "fr"], retries: 2 } });

  it.each([
    [`has(metadata, '{"user_id": "47461"}')`, true],
    [`has(metadata, '{"user_id": 47461}')`, false],
    [`has(metadata, '{"user_id": "47461", "retries": 2}')`, true],
    [`has(metadata, '{"user_id": "47461", "retries": 3}')`, false],
    [`has(metadata, '{"tier": {"plan": "pro"}}')`, true],
    [`has(metadata, '{"langs": ["fr"]}')`, true],
    [`has(metadata, '{"langs": ["de"]}')`, false],
    [`has(metadata, '{}')`, true],
    ['exists(metadata, "tier")', true],
    ['exists(metadata, "plan")', false],
  ])("%s is %s", (text, expected) => {
    expect(matches(text, nested)).toBe(expected);
  });
});

describe("feedback_value", () => {
  it("matches a categorical value given under the paired key", () => {
    expect(matches('and(eq(feedback_key, "verdict"), eq(feedback_value, "halted"))')).toBe(true);
    expect(matches('and(eq(feedback_key, "correctness"), eq(feedback_value, "halted"))')).toBe(false);
    expect(matches('eq(feedback_value, "passed")')).toBe(false);
  });
});

describe("nested input and output paths", () => {
  const chat = run({ inputs: { messages: [{ role: "user", content: "where is my refund?" }] } });

  it("enters nested leaves at dotted paths, array items at their array's path", () => {
    expect(matches('and(eq(input_key, "messages.content"), like(input_value, "%refund%"))', chat)).toBe(true);
    expect(matches('and(eq(input_key, "messages.role"), eq(input_value, "user"))', chat)).toBe(true);
    expect(matches('and(eq(input_key, "messages.role"), like(input_value, "%refund%"))', chat)).toBe(false);
  });
});

describe("run fields beyond the contract", () => {
  it("compares parent_run_id, reference_example_id and the split costs", () => {
    expect(matches('eq(parent_run_id, "33333333-3333-3333-3333-333333333333")')).toBe(true);
    expect(matches("eq(parent_run_id, null)")).toBe(false);
    expect(matches("eq(reference_example_id, null)")).toBe(true);
    expect(matches("gt(prompt_cost, 0.005)")).toBe(true);
    expect(matches("lt(completion_cost, 0.002)")).toBe(false);
  });
});
