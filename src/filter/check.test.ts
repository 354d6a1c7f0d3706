import { describe, expect, it } from "vitest";
import { attr, call, lit } from "./ast.js";
import { FILTER_ATTRIBUTES } from "./attributes.js";
import { NOT_WARNING, SENT_AS_WRITTEN, assertEvaluable, checkFilter, reviewFilter, validateFilter, type FilterIssue } from "./check.js";
import { FilterError } from "./error.js";

/** The first issue found in a filter that parses: the checker never throws for these. */
function issueOf(text: string): FilterIssue {
  const { issues } = checkFilter(text);
  const [first] = issues;
  if (!first) throw new Error(`expected an issue in ${JSON.stringify(text)}`);
  return first;
}

describe("checkFilter accepts well-formed filters", () => {
  it.each([
    'and(eq(run_type, "llm"), gt(latency, 5))',
    'eq(run_type, "LLM")',
    'eq(status, "Error")',
    'in(run_type, ["llm", "TOOL"])',
    'gt(latency, "5s")',
    "gt(latency, 0.5)",
    "eq(latency, null)",
    'gte(start_time, "2024-05-01T00:00:00Z")',
    'lt(end_time, "2024-05-01T12:30:00.123+02:00")',
    'gt(first_token_time, "2024-05-01")',
    "neq(error, null)",
    "eq(error, null)",
    'search(error, "timeout")',
    'search("refund")',
    'has(tags, "production")',
    'eq(tags, "production")',
    'in(tags, ["a", "b"])',
    "eq(is_root, true)",
    "gt(total_tokens, 1000)",
    'gt(total_cost, "0.01")',
    "eq(execution_order, 1)",
    'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))',
    "eq(metadata_value, 123)",
    'and(eq(feedback_key, "correctness"), gte(feedback_score, 0.5))',
    "eq(feedback_score, null)",
    'and(eq(input_key, "question"), search(input_value, "refund"))',
    'eq(output_key, "answer")',
    'eq(thread_id, "t-1")',
    "eq(thread_id, null)",
    'neq(id, "00000000-0000-0000-0000-000000000000")',
    `has(metadata, '{"user_id": "47461"}')`,
    `has(metadata, '{"user": {"tier": "pro"}, "ids": [1]}')`,
    'exists(metadata, "tenant_id")',
    'like(input_value, "%a%")',
    'like(name, "Chat_penAI")',
    'like(error, "%timeout%")',
    'like(tags, "prod%")',
    'and(eq(feedback_key, "verdict"), eq(feedback_value, "halted"))',
    "gt(prompt_cost, 0.01)",
    'lte(completion_cost, "0.5")',
    'eq(parent_run_id, "00000000-0000-0000-0000-000000000000")',
    "eq(parent_run_id, null)",
    'eq(reference_example_id, "00000000-0000-0000-0000-000000000000")',
    'eq(trace_id, "abc")',
    'eq(name, "ChatOpenAI")',
    'or(eq(status, "pending"))',
  ])("accepts %s with no warning", (text) => {
    expect(checkFilter(text).warnings).toEqual([]);
  });

  it("accepts not(...) with a warning that it is documented for dataset filters only", () => {
    const { expr, warnings } = checkFilter('and(not(eq(name, "a")), not(eq(name, "b")))');
    expect(expr.op).toBe("and");
    expect(warnings).toEqual([NOT_WARNING]);
  });

  it("knows every attribute of the contract", () => {
    expect(FILTER_ATTRIBUTES.map((a) => a.name).sort()).toEqual(
      [
        "id",
        "trace_id",
        "name",
        "run_type",
        "status",
        "start_time",
        "end_time",
        "latency",
        "first_token_time",
        "total_tokens",
        "prompt_tokens",
        "completion_tokens",
        "total_cost",
        "error",
        "execution_order",
        "tags",
        "metadata_key",
        "metadata_value",
        "feedback_key",
        "feedback_score",
        "input_key",
        "input_value",
        "output_key",
        "output_value",
        "thread_id",
        "is_root",
        // Beyond contract §6; each names its document source in the table.
        "metadata",
        "feedback_value",
        "parent_run_id",
        "reference_example_id",
        "prompt_cost",
        "completion_cost",
      ].sort(),
    );
  });
});

describe("checkFilter warns, pointing at the token, and leaves the verdict to LangSmith", () => {
  it("names an unknown attribute and suggests the closest one, as a warning", () => {
    const checked = checkFilter('and(eq(run_type, "llm"), gt(lantency, 5))');
    expect(checked.issues).toEqual([
      {
        message: 'unknown attribute "lantency" at column 29 (did you mean "latency"?)',
        position: 28,
        line: 1,
        column: 29,
        blocking: true,
      },
    ]);
    expect(checked.warnings).toEqual([`unknown attribute "lantency" at column 29 (did you mean "latency"?); ${SENT_AS_WRITTEN}`]);
  });

  it("suggests the right case for an attribute written in another case", () => {
    expect(issueOf('eq(Run_Type, "llm")').message).toContain('(did you mean "run_type"?)');
  });

  it("does not suggest anything for a name far from every attribute", () => {
    expect(issueOf('eq(zzzzzzzz, "x")').message).toBe('unknown attribute "zzzzzzzz" at column 4');
  });

  it("names an unknown operator and suggests the closest one", () => {
    const error = issueOf('and(eqq(name, "x"))');
    expect(error).toMatchObject({ column: 5 });
    expect(error.message).toBe('unknown operator "eqq" at column 5 (did you mean "eq"?)');
    expect(issueOf('contains(name, "x")').message).toBe('unknown operator "contains" at column 1');
  });

  it("rejects gt on a list and says what to use", () => {
    const error = issueOf("gt(tags, 1)");
    expect(error.column).toBe(4);
    expect(error.message).toBe('gt does not apply to tags (a list) at column 4; use has(tags, "x")');
  });

  it.each([
    ['gt(name, "a")', "gt does not apply to name"],
    ['has(name, "a")', "has does not apply to name"],
    ['lt(metadata_value, "5")', "lt does not apply to metadata_value"],
    ['search(latency, "5")', "search does not apply to latency"],
    ['search(feedback_score, "1")', "search does not apply to feedback_score"],
    ["gt(is_root, true)", "gt does not apply to is_root"],
  ])("rejects %s", (text, message) => {
    expect(issueOf(text).message).toContain(message);
  });

  it("requires ISO timestamps for time attributes", () => {
    const error = issueOf('gt(start_time, "yesterday")');
    expect(error).toMatchObject({ column: 16 });
    expect(error.message).toBe('start_time expects an ISO timestamp such as "2024-05-01T00:00:00Z" at column 16, found "yesterday"');
    expect(issueOf("gt(start_time, 1714521600000)").message).toContain("ISO timestamp");
    expect(issueOf('gt(end_time, "2024-02-30T00:00:00Z")').blocking).toBe(true);
  });

  it("flags malformed durations but accepts seconds", () => {
    expect(issueOf('gt(latency, "5 parsecs")').message).toContain('seconds, as a number or a string such as "5s"');
    expect(issueOf("gt(latency, true)").blocking).toBe(true);
  });

  it("warns that LangSmith documents only the s suffix, and gives the seconds", () => {
    expect(issueOf('lt(latency, "1h")')).toMatchObject({
      message: 'LangSmith documents only seconds for latency ("5s" or 5); "1h" at column 13 may be refused: write "3600s"',
      blocking: false,
    });
    expect(issueOf('lte(latency, "500ms")').message).toContain('write "0.5s"');
    expect(issueOf('gt(latency, "2.5m")').message).toContain('write "150s"');
  });

  it("checks enum values, ignoring case, and suggests the closest", () => {
    expect(issueOf('eq(run_type, "lmm")').message).toBe(
      'run_type expects one of tool, chain, llm, retriever, embedding, prompt, parser at column 14, found "lmm" (did you mean "llm"?)',
    );
    expect(issueOf('eq(status, "failed")').message).toContain("success, error, pending");
    // A value outside the enum still has a meaning (it matches nothing): not blocking.
    expect(issueOf('eq(status, "failed")').blocking).toBe(false);
    expect(issueOf('in(run_type, ["llm", "agent"])').column).toBe(22);
  });

  it.each([
    ["eq(name, 5)", "name expects a string"],
    ['eq(is_root, "true")', "is_root expects true or false"],
    ['gt(total_tokens, "many")', "total_tokens expects a number"],
    ['gt(feedback_score, "good")', "feedback_score expects a number"],
    ["has(tags, 1)", "tags expects a string"],
    ["eq(metadata_key, 1)", "metadata_key expects a string"],
  ])("rejects the value type in %s", (text, message) => {
    expect(issueOf(text).message).toContain(message);
  });

  it("only compares nullable attributes with null, and only with eq, neq or in", () => {
    expect(issueOf("eq(name, null)").message).toBe("name is never null at column 10; expected a string");
    expect(issueOf("gt(latency, null)").message).toContain("null only compares with eq, neq or in");
    expect(checkFilter('in(thread_id, [null, "t"])').warnings).toEqual([]);
  });

  it("checks arity, pointing at the surplus argument or the closing parenthesis", () => {
    expect(issueOf('eq(name, "a", "b")')).toMatchObject({ column: 15, blocking: true });
    expect(issueOf("eq(name)").message).toBe("eq takes 2 arguments, as in eq(attribute, value); found 1 at column 8");
    expect(issueOf("and()").message).toContain("and takes at least 1 argument");
    expect(issueOf('not(eq(name, "a"), eq(name, "b"))').message).toContain("not takes 1 argument");
    expect(issueOf('search(name, "a", "b")').message).toContain("search takes 1 or 2 arguments");
  });

  it("requires an attribute first and says when it was quoted", () => {
    const error = issueOf('eq("name", "a")');
    expect(error).toMatchObject({ column: 4, blocking: true });
    expect(error.message).toContain("attribute names are written without quotes: name");
  });

  it("requires filters as the arguments of and/or/not", () => {
    expect(issueOf("and(true)").message).toBe("expected a comparator such as eq(...) at column 5, found true");
    expect(issueOf("or(name)").message).toContain("found the attribute name");
  });

  it("requires a value, not an attribute, list or call, as the second argument", () => {
    expect(issueOf("eq(name, trace_id)").message).toContain("found the attribute trace_id");
    expect(issueOf('eq(name, ["a"])').message).toContain("lists go in in(attribute, [...])");
    expect(issueOf('eq(name, lower("a"))').blocking).toBe(true);
  });

  it("requires a list for in and a string for search", () => {
    expect(issueOf('in(name, "a")').message).toContain('in(...) expects a list such as ["a", "b"]');
    expect(issueOf("search(5)").message).toContain("search expects the text to find as a string");
    expect(issueOf("search(name, 5)").column).toBe(14);
  });

  it("reports on hand-built trees too, at column 1 since they have no source", () => {
    expect(validateFilter(call("gt", attr("tags"), lit(1)))).toEqual([
      `gt does not apply to tags (a list) at column 1; use has(tags, "x"); ${SENT_AS_WRITTEN}`,
    ]);
    expect(validateFilter(call("eq", attr("name"), lit("x")))).toEqual([]);
  });

  it("caps the nesting of hand-built trees as the parser does", () => {
    let deep = call("eq", attr("name"), lit("x"));
    for (let i = 0; i < 10_000; i++) deep = call("not", deep);
    expect(reviewFilter(deep)).toContainEqual(
      expect.objectContaining({ message: "filter nests deeper than 64 levels at column 1", blocking: true }),
    );
  });

  it("passes syntax errors through unchanged", () => {
    expect(() => checkFilter("eq(name")).toThrow(expect.objectContaining({ kind: "syntax" }));
  });
});

describe("checkFilter catches slips and shows the fix", () => {
  it('warns that neq(error, "null") compares with the text "null"', () => {
    expect(issueOf('neq(error, "null")')).toEqual({
      message:
        'neq(error, "null") compares error with the text "null" at column 12; write neq(error, null) without quotes to compare with null',
      position: 11,
      line: 1,
      column: 12,
      blocking: false,
    });
    expect(issueOf("and(eq(thread_id, 'NULL'))").message).toContain("write eq(thread_id, null)");
  });

  it("refuses infix comparisons, which do not parse, and gives the prefix call", () => {
    expect(() => checkFilter('run_type == "llm"')).toThrow(
      expect.objectContaining({
        kind: "syntax",
        column: 10,
        message: 'expected "(" at column 10, found "=" (filters are prefix calls: write eq(run_type, "llm"))',
      }),
    );
    expect(() => checkFilter('and(latency >= 5, eq(name, "x"))')).toThrow(/write gte\(latency, 5\)/);
  });

  it("flags has(metadata, ...) without a JSON object, and exists without a key", () => {
    expect(issueOf("has(metadata, 'user_id=47461')").message).toBe(
      `has(metadata, ...) expects a JSON object in a string at column 15, as in has(metadata, '{"user_id": "47461"}'), found ` +
        `"user_id=47461"`,
    );
    expect(issueOf("exists(metadata)").message).toBe('exists takes 2 arguments, as in exists(metadata, "key"); found 1 at column 16');
    expect(issueOf('exists(tags, "x")').message).toContain("exists does not apply to tags");
    expect(issueOf('eq(metadata, "x")').message).toContain(`use has(metadata, '{"key": "value"}') or exists(metadata, "key")`);
  });
});

describe("assertEvaluable is the strict reading for the evaluator and the simulator", () => {
  it("throws a positioned semantic FilterError at the first blocking issue", () => {
    const { expr } = checkFilter('and(eq(name, "a"), frob(lantency, 1))');
    expect(() => assertEvaluable(expr)).toThrow(
      expect.objectContaining({ kind: "semantic", column: 20, message: 'unknown operator "frob" at column 20' }),
    );
  });

  it('lets advice through: not(...), text "null", enum values outside the list', () => {
    for (const text of ['not(eq(name, "a"))', 'neq(error, "null")', 'eq(run_type, "agent")', 'gt(latency, "1h")']) {
      expect(() => assertEvaluable(checkFilter(text).expr)).not.toThrow();
    }
  });

  it("is a FilterError like any other", () => {
    expect(() => assertEvaluable(checkFilter("eq(x, 1)").expr)).toThrow(FilterError);
  });
});
