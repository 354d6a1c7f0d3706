import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KEYWORDS, type FilterCall, type FilterNode } from "./ast.js";
import { checkFilter } from "./check.js";
import { FilterError } from "./error.js";
import { evaluateFilter } from "./evaluate.js";
import { parseFilter } from "./parser.js";
import { printFilter } from "./printer.js";
import type { FilterableRun } from "./subject.js";

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/).filter((s) => !KEYWORDS.has(s));

const scalar = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom("", '"', "'", "\\", "\n\t\r\b\f", "\u0000\u001f\u007f", "é🚀"),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

const { call: anyCall } = fc.letrec<{ node: FilterNode; call: FilterCall; leaf: FilterNode; list: FilterNode }>((tie) => ({
  leaf: fc.oneof(
    identifier.map((name): FilterNode => ({ type: "attribute", name })),
    scalar.map((value): FilterNode => ({ type: "literal", value })),
  ),
  call: fc.record({
    type: fc.constant("call" as const),
    op: identifier,
    args: fc.array(tie("node"), { maxLength: 4 }),
  }),
  list: fc.record({ type: fc.constant("list" as const), items: fc.array(tie("node"), { maxLength: 4 }) }),
  node: fc.oneof({ maxDepth: 6 }, tie("leaf"), tie("call"), tie("list")),
}));

describe("printing and parsing are inverses", () => {
  it("parseFilter(printFilter(e)) deep-equals e for any tree", () => {
    fc.assert(
      fc.property(anyCall, (expr) => {
        expect(parseFilter(printFilter(expr))).toEqual(expr);
      }),
      { numRuns: 500 },
    );
  });

  it("printing is canonical: print(parse(print(e))) === print(e)", () => {
    fc.assert(
      fc.property(anyCall, (expr) => {
        const printed = printFilter(expr);
        expect(printFilter(parseFilter(printed))).toBe(printed);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps negative zero and extreme numbers", () => {
    for (const value of [-0, 5e-324, Number.MAX_VALUE, -1e21, 0.1 + 0.2]) {
      const expr: FilterCall = { type: "call", op: "eq", args: [{ type: "literal", value }] };
      expect(parseFilter(printFilter(expr))).toEqual(expr);
    }
  });

  it("refuses to print trees no text can denote", () => {
    expect(() => printFilter({ type: "call", op: "true", args: [] })).toThrow(FilterError);
    expect(() => printFilter({ type: "call", op: "eq", args: [{ type: "attribute", name: "a b" }] })).toThrow(FilterError);
    expect(() => printFilter({ type: "call", op: "gt", args: [{ type: "literal", value: Number.NaN }] })).toThrow(FilterError);
  });
});

const VALID_FILTERS = [
  'and(eq(run_type, "llm"), gt(latency, 5))',
  'or(has(tags, "production"), search("refund"))',
  'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))',
  "in(status, [\"error\", 'pending'])",
  'and(gte(start_time, "2024-05-01T00:00:00Z"), lt(latency, "2.5m"), neq(error, null))',
  'not(and(eq(feedback_key, "correctness"), gte(feedback_score, 0.5)))',
  'search(input_value, "caf\\u00e9 \\"quoted\\"")',
];

/** Characters that matter to the grammar, so mutations hit the interesting paths. */
const SYNTAX_CHARS = fc.constantFrom(..."()[],\"'\\ \n-.e5aZ_🚀");

const mutation = fc.record({
  base: fc.constantFrom(...VALID_FILTERS),
  edits: fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 3 }), insert: fc.array(SYNTAX_CHARS, { maxLength: 3 }) }), {
    minLength: 1,
    maxLength: 4,
  }),
});

function mutate({ base, edits }: { base: string; edits: { at: number; remove: number; insert: string[] }[] }): string {
  let text = base;
  for (const edit of edits) {
    const at = edit.at % (text.length + 1);
    text = text.slice(0, at) + edit.insert.join("") + text.slice(at + edit.remove);
  }
  return text;
}

const SAMPLE_RUN: FilterableRun = {
  id: "r",
  trace_id: "t",
  name: "n",
  run_type: "llm",
  status: "success",
  start_time: 0,
  end_time: 1000,
  latency: 1,
  first_token_time: null,
  total_tokens: 10,
  prompt_tokens: 5,
  completion_tokens: 5,
  total_cost: 0.1,
  prompt_cost: 0.04,
  completion_cost: 0.06,
  error: null,
  execution_order: 1,
  thread_id: null,
  is_root: true,
  parent_run_id: null,
  reference_example_id: null,
  tags: ["a"],
  metadata: { user_id: "123" },
  feedback: { correctness: 1 },
  feedback_values: { verdict: ["pass"] },
  inputs: { q: "x" },
  outputs: { a: { nested: [1, 2] } },
};

function expectPositioned(e: unknown, text: string, kind: FilterError["kind"]): void {
  if (!(e instanceof FilterError)) throw e;
  expect(e.kind).toBe(kind);
  expect(e.position).toBeGreaterThanOrEqual(0);
  expect(e.position).toBeLessThanOrEqual(text.length);
  expect(e.column).toBeGreaterThanOrEqual(1);
}

/**
 * The checker refuses only what does not parse (a syntax FilterError with a position); what
 * parses comes back with positioned issues. The evaluator then either answers a boolean or,
 * exactly when an issue is blocking, throws a semantic FilterError with a position.
 */
function onlyFilterErrors(text: string): void {
  let checked;
  try {
    checked = checkFilter(text);
  } catch (e) {
    expectPositioned(e, text, "syntax");
    return;
  }
  for (const issue of checked.issues) {
    expect(issue.position).toBeGreaterThanOrEqual(0);
    expect(issue.position).toBeLessThanOrEqual(text.length);
    expect(issue.column).toBeGreaterThanOrEqual(1);
  }
  const blocking = checked.issues.some((i) => i.blocking);
  let verdict: unknown;
  try {
    verdict = evaluateFilter(checked.expr, SAMPLE_RUN);
  } catch (e) {
    expectPositioned(e, text, "semantic");
    expect(blocking).toBe(true);
    return;
  }
  expect(typeof verdict).toBe("boolean");
  expect(blocking).toBe(false);
}

describe("arbitrary input never breaks the parser or checker", () => {
  it("throws nothing but FilterError on random strings", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 80 }), onlyFilterErrors), { numRuns: 1000 });
  });

  it("throws nothing but FilterError on random edits of valid filters", () => {
    fc.assert(fc.property(mutation.map(mutate), onlyFilterErrors), { numRuns: 2000 });
  });

  it("throws nothing but FilterError on printed random trees", () => {
    fc.assert(fc.property(anyCall.map(printFilter), onlyFilterErrors), { numRuns: 500 });
  });

  it("never refuses a filter that parses, whatever its operators and attributes", () => {
    fc.assert(
      fc.property(anyCall, (tree) => {
        const text = printFilter(tree);
        expect(() => checkFilter(text)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

const DIRECT_COMPARISONS = [
  'eq(run_type, "LLM")',
  'eq(status, "error")',
  'eq(name, "a")',
  "gt(latency, 2)",
  'lt(latency, "500ms")',
  "eq(is_root, true)",
  "neq(error, null)",
  'has(tags, "x")',
  "gte(total_tokens, 100)",
  'gt(start_time, "1970-01-01T00:00:05Z")',
  'search("b")',
  "eq(thread_id, null)",
  'like(name, "a%")',
  'like(error, "%err_r")',
  `has(metadata, '{"k1": "v1"}')`,
  'exists(metadata, "k2")',
  "lt(prompt_cost, 0.05)",
];

const randomRun: fc.Arbitrary<FilterableRun> = fc
  .record({
    name: fc.constantFrom("a", "b", "ab"),
    run_type: fc.constantFrom("llm", "tool", "chain", "LLM"),
    status: fc.constantFrom("success", "error", "pending"),
    start_time: fc.integer({ min: 0, max: 10_000 }),
    latency: fc.option(fc.double({ min: 0, max: 5, noNaN: true })),
    total_tokens: fc.option(fc.integer({ min: 0, max: 200 })),
    error: fc.option(fc.constantFrom("boom", "b-error")),
    thread_id: fc.option(fc.constantFrom("t1", "t2")),
    is_root: fc.boolean(),
    tags: fc.subarray(["x", "y", "b"]),
    metadata: fc.dictionary(fc.constantFrom("k1", "k2", "k3"), fc.oneof(fc.constantFrom("v1", "v2"), fc.integer({ min: 1, max: 2 }))),
    prompt_cost: fc.option(fc.constantFrom(0.01, 0.05, 0.1)),
    feedback: fc.dictionary(fc.constantFrom("f1", "f2"), fc.option(fc.constantFrom(0, 0.5, 1))),
  })
  .map((r) => ({ ...SAMPLE_RUN, ...r }));

describe("evaluation follows boolean logic", () => {
  const pick = fc.constantFrom(...DIRECT_COMPARISONS);

  it("and/or/not over non-pair comparisons agree with &&, || and !", () => {
    fc.assert(
      fc.property(pick, pick, randomRun, (a, b, run) => {
        const ea = evaluateFilter(checkFilter(a).expr, run);
        const eb = evaluateFilter(checkFilter(b).expr, run);
        expect(evaluateFilter(checkFilter(`and(${a}, ${b})`).expr, run)).toBe(ea && eb);
        expect(evaluateFilter(checkFilter(`or(${a}, ${b})`).expr, run)).toBe(ea || eb);
        expect(evaluateFilter(checkFilter(`not(${a})`).expr, run)).toBe(!ea);
      }),
      { numRuns: 300 },
    );
  });

  it("in(attr, [a, b]) equals or(eq(attr, a), eq(attr, b)) and neq equals not(eq)", () => {
    const cases = fc.constantFrom(
      ["run_type", '"llm"', '"TOOL"'],
      ["status", '"error"', '"Pending"'],
      ["thread_id", "null", '"t1"'],
      ["total_tokens", "0", "100"],
      ["tags", '"x"', '"b"'],
      ["parent_run_id", "null", '"p1"'],
      ["metadata_key", '"k1"', '"k2"'],
      ["metadata_value", '"v1"', '"2"'],
    );
    fc.assert(
      fc.property(cases, randomRun, ([name, a, b], run) => {
        const verdict = (text: string): boolean => evaluateFilter(checkFilter(text).expr, run);
        expect(verdict(`in(${name}, [${a}, ${b}])`)).toBe(verdict(`or(eq(${name}, ${a}), eq(${name}, ${b}))`));
        expect(verdict(`neq(${name}, ${a})`)).toBe(!verdict(`eq(${name}, ${a})`));
      }),
      { numRuns: 300 },
    );
  });

  it("a paired key/value matches exactly when one metadata entry carries both", () => {
    fc.assert(
      fc.property(fc.constantFrom("k1", "k2", "k3"), fc.constantFrom("v1", "1", "2"), randomRun, (key, value, run) => {
        const text = `and(eq(metadata_key, "${key}"), eq(metadata_value, "${value}"))`;
        const expected = Object.hasOwn(run.metadata, key) && String(run.metadata[key]) === value;
        expect(evaluateFilter(checkFilter(text).expr, run)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("a positive key with a negated value means: the key is there and its value differs", () => {
    fc.assert(
      fc.property(fc.constantFrom("k1", "k2", "k3"), fc.constantFrom("v1", "1", "2"), randomRun, (key, value, run) => {
        const text = `and(eq(metadata_key, "${key}"), neq(metadata_value, "${value}"))`;
        const expected = Object.hasOwn(run.metadata, key) && String(run.metadata[key]) !== value;
        expect(evaluateFilter(checkFilter(text).expr, run)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("has(metadata, json) of one pair agrees with the key/value pair when the value is a string", () => {
    fc.assert(
      fc.property(fc.constantFrom("k1", "k2", "k3"), fc.constantFrom("v1", "v2"), randomRun, (key, value, run) => {
        const verdict = (text: string): boolean => evaluateFilter(checkFilter(text).expr, run);
        expect(verdict(`has(metadata, '${JSON.stringify({ [key]: value })}')`)).toBe(
          verdict(`and(eq(metadata_key, "${key}"), eq(metadata_value, "${value}"))`),
        );
      }),
      { numRuns: 300 },
    );
  });
});
