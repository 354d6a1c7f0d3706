import { describe, expect, it } from "vitest";
import { attr, call, lit } from "./ast.js";
import { FILTER_ATTRIBUTES } from "./attributes.js";
import { NOT_WARNING, checkFilter, validateFilter } from "./check.js";
import { FilterError } from "./error.js";

function semanticError(text: string): FilterError {
  try {
    checkFilter(text);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterError);
    const error = e as FilterError;
    expect(error.kind).toBe("semantic");
    return error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe("checkFilter accepts well-formed filters", () => {
  it.each([
    'and(eq(run_type, "llm"), gt(latency, 5))',
    'eq(run_type, "LLM")',
    'eq(status, "Error")',
    'in(run_type, ["llm", "TOOL"])',
    'gt(latency, "5s")',
    'lte(latency, "500ms")',
    'gt(latency, "2.5m")',
    'lt(latency, "1h")',
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
        "id", "trace_id", "name", "run_type", "status", "start_time", "end_time", "latency", "first_token_time",
        "total_tokens", "prompt_tokens", "completion_tokens", "total_cost", "error", "execution_order", "tags",
        "metadata_key", "metadata_value", "feedback_key", "feedback_score", "input_key", "input_value",
        "output_key", "output_value", "thread_id", "is_root",
      ].sort(),
    );
  });
});

describe("checkFilter rejects what LangSmith would reject, pointing at the token", () => {
  it("names an unknown attribute and suggests the closest one", () => {
    const error = semanticError('and(eq(run_type, "llm"), gt(lantency, 5))');
    expect(error).toMatchObject({ position: 28, column: 29, expected: "an attribute name" });
    expect(error.message).toBe('unknown attribute "lantency" at column 29 (did you mean "latency"?)');
  });

  it("suggests the right case for an attribute written in another case", () => {
    expect(semanticError('eq(Run_Type, "llm")').message).toContain('(did you mean "run_type"?)');
  });

  it("does not suggest anything for a name far from every attribute", () => {
    expect(semanticError('eq(zzzzzzzz, "x")').message).toBe('unknown attribute "zzzzzzzz" at column 4');
  });

  it("names an unknown operator and suggests the closest one", () => {
    const error = semanticError('and(eqq(name, "x"))');
    expect(error).toMatchObject({ column: 5 });
    expect(error.message).toBe('unknown operator "eqq" at column 5 (did you mean "eq"?)');
    expect(semanticError('contains(name, "x")').expected).toContain("an operator");
  });

  it("rejects gt on a list and says what to use", () => {
    const error = semanticError("gt(tags, 1)");
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
    expect(semanticError(text).message).toContain(message);
  });

  it("requires ISO timestamps for time attributes", () => {
    const error = semanticError('gt(start_time, "yesterday")');
    expect(error).toMatchObject({ column: 16 });
    expect(error.message).toBe(
      'start_time expects an ISO timestamp such as "2024-05-01T00:00:00Z" at column 16, found "yesterday"',
    );
    expect(semanticError("gt(start_time, 1714521600000)").message).toContain("ISO timestamp");
    expect(semanticError('gt(end_time, "2024-02-30T00:00:00Z")').kind).toBe("semantic");
  });

  it("rejects malformed durations but accepts seconds", () => {
    expect(semanticError('gt(latency, "5 parsecs")').message).toContain('"500ms", "5s", "2.5m", "1h"');
    expect(semanticError("gt(latency, true)").kind).toBe("semantic");
  });

  it("checks enum values, ignoring case, and suggests the closest", () => {
    expect(semanticError('eq(run_type, "lmm")').message).toBe(
      'run_type expects one of tool, chain, llm, retriever, embedding, prompt, parser at column 14, found "lmm" (did you mean "llm"?)',
    );
    expect(semanticError('eq(status, "failed")').message).toContain("success, error, pending");
    expect(semanticError('in(run_type, ["llm", "agent"])').column).toBe(22);
  });

  it.each([
    ["eq(name, 5)", "name expects a string"],
    ['eq(is_root, "true")', "is_root expects true or false"],
    ['gt(total_tokens, "many")', "total_tokens expects a number"],
    ['gt(feedback_score, "good")', "feedback_score expects a number"],
    ["has(tags, 1)", "tags expects a string"],
    ["eq(metadata_key, 1)", "metadata_key expects a string"],
  ])("rejects the value type in %s", (text, message) => {
    expect(semanticError(text).message).toContain(message);
  });

  it("only compares nullable attributes with null, and only with eq, neq or in", () => {
    expect(semanticError("eq(name, null)").message).toBe("name is never null at column 10; expected a string");
    expect(semanticError("gt(latency, null)").message).toContain("null only compares with eq, neq or in");
    expect(checkFilter("in(thread_id, [null, \"t\"])").warnings).toEqual([]);
  });

  it("checks arity, pointing at the surplus argument or the closing parenthesis", () => {
    expect(semanticError('eq(name, "a", "b")')).toMatchObject({ column: 15, expected: "eq(attribute, value)" });
    expect(semanticError("eq(name)").message).toBe(
      "eq takes 2 arguments, as in eq(attribute, value); found 1 at column 8",
    );
    expect(semanticError("and()").message).toContain("and takes at least 1 argument");
    expect(semanticError('not(eq(name, "a"), eq(name, "b"))').message).toContain("not takes 1 argument");
    expect(semanticError('search(name, "a", "b")').message).toContain("search takes 1 or 2 arguments");
  });

  it("requires an attribute first and says when it was quoted", () => {
    const error = semanticError('eq("name", "a")');
    expect(error).toMatchObject({ column: 4, expected: "an attribute name" });
    expect(error.message).toContain("attribute names are written without quotes: name");
  });

  it("requires filters as the arguments of and/or/not", () => {
    expect(semanticError("and(true)").message).toBe("expected a comparator such as eq(...) at column 5, found true");
    expect(semanticError("or(name)").message).toContain("found the attribute name");
  });

  it("requires a value, not an attribute, list or call, as the second argument", () => {
    expect(semanticError("eq(name, trace_id)").message).toContain("found the attribute trace_id");
    expect(semanticError('eq(name, ["a"])').message).toContain("lists go in in(attribute, [...])");
    expect(semanticError('eq(name, lower("a"))').kind).toBe("semantic");
  });

  it("requires a list for in and a string for search", () => {
    expect(semanticError('in(name, "a")').message).toContain('in(...) expects a list such as ["a", "b"]');
    expect(semanticError("search(5)").message).toContain("search expects the text to find as a string");
    expect(semanticError("search(name, 5)").column).toBe(14);
  });

  it("reports on hand-built trees too, at column 1 since they have no source", () => {
    expect(() => validateFilter(call("gt", attr("tags"), lit(1)))).toThrow(FilterError);
    expect(validateFilter(call("eq", attr("name"), lit("x")))).toEqual([]);
  });

  it("caps the nesting of hand-built trees as the parser does", () => {
    let deep = call("eq", attr("name"), lit("x"));
    for (let i = 0; i < 10_000; i++) deep = call("not", deep);
    expect(() => validateFilter(deep)).toThrow(expect.objectContaining({ kind: "semantic", expected: "at most 64 levels of nesting" }));
  });

  it("passes syntax errors through unchanged", () => {
    expect(() => checkFilter("eq(name")).toThrow(expect.objectContaining({ kind: "syntax" }));
  });
});
