import { describe, expect, it } from "vitest";
import { attr, call, list, lit, MAX_NESTING_DEPTH } from "./ast.js";
import { FilterError } from "./error.js";
import { parseFilter } from "./parser.js";
import { printFilter } from "./printer.js";

function syntaxError(text: string): FilterError {
  try {
    parseFilter(text);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterError);
    const error = e as FilterError;
    expect(error.kind).toBe("syntax");
    return error;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
}

describe("parseFilter accepts the trace query syntax", () => {
  it("parses the contract's example into calls, attributes and literals", () => {
    expect(parseFilter('and(eq(run_type, "llm"), gt(latency, 5))')).toEqual(
      call("and", call("eq", attr("run_type"), lit("llm")), call("gt", attr("latency"), lit(5))),
    );
  });

  it("allows whitespace (spaces, tabs, newlines) between any two tokens", () => {
    expect(parseFilter(' \n and (\teq ( name ,\n"x" ) , has( tags,"t"))  \n')).toEqual(
      call("and", call("eq", attr("name"), lit("x")), call("has", attr("tags"), lit("t"))),
    );
  });

  it("reads and/or with any number of arguments, including one and none", () => {
    expect(parseFilter('or(eq(name, "a"))')).toEqual(call("or", call("eq", attr("name"), lit("a"))));
    expect(parseFilter("and()")).toEqual(call("and"));
  });

  it.each([
    [`"double"`, "double"],
    [`'single'`, "single"],
    [`"it's"`, "it's"],
    [`'say "hi"'`, 'say "hi"'],
    [`"a\\"b"`, 'a"b'],
    [`'a\\'b'`, "a'b"],
    [`"back\\\\slash"`, "back\\slash"],
    [`"line\\nbreak\\ttab\\rcr"`, "line\nbreak\ttab\rcr"],
    [`"\\u00e9t\\u00C9"`, "étÉ"],
    [`"\\/"`, "/"],
    [`""`, ""],
    [`"ünïcödé 🚀"`, "ünïcödé 🚀"],
  ])("decodes the string %s", (source, value) => {
    expect(parseFilter(`eq(name, ${source})`).args[1]).toEqual(lit(value));
  });

  it.each([
    ["5", 5],
    ["0", 0],
    ["-3", -3],
    ["2.5", 2.5],
    ["-0.25", -0.25],
    [".5", 0.5],
    ["1e3", 1000],
    ["1.5E-2", 0.015],
    ["-2e+2", -200],
  ])("reads the number %s", (source, value) => {
    expect(parseFilter(`gt(latency, ${source})`).args[1]).toEqual(lit(value));
  });

  it("reads true, false and null as literals, not attributes", () => {
    expect(parseFilter("eq(is_root, true)").args[1]).toEqual(lit(true));
    expect(parseFilter("eq(is_root, false)").args[1]).toEqual(lit(false));
    expect(parseFilter("neq(error, null)").args[1]).toEqual(lit(null));
  });

  it("reads lists, empty or not, with mixed values", () => {
    expect(parseFilter("in(run_type, [\"llm\", 'tool'])").args[1]).toEqual(list(lit("llm"), lit("tool")));
    expect(parseFilter("in(total_tokens, [])").args[1]).toEqual(list());
    expect(parseFilter("in(x, [1, null, true])").args[1]).toEqual(list(lit(1), lit(null), lit(true)));
  });

  it("leaves operator and attribute names unchecked (that is checkFilter's job)", () => {
    expect(parseFilter("frobnicate(lantency, 1)")).toEqual(call("frobnicate", attr("lantency"), lit(1)));
  });
});

describe("parseFilter reports where and what it expected", () => {
  it("points at the end of input when the last parenthesis is missing", () => {
    const text = 'and(eq(run_type, "llm"), gt(latency, 5)';
    const error = syntaxError(text);
    expect(error.position).toBe(text.length);
    expect(error.column).toBe(40);
    expect(error.expected).toBe('"," or ")"');
    expect(error.message).toBe('expected "," or ")" at column 40, found end of input');
  });

  it("points at the opening quote of an unterminated string", () => {
    const error = syntaxError('eq(name, "abc)');
    expect(error.position).toBe(9);
    expect(error.column).toBe(10);
    expect(error.expected).toBe('a closing "');
    expect(error.message).toBe('unterminated string starting at column 10: expected a closing ", found end of input');
  });

  it("names the quote style an unterminated single-quoted string needs", () => {
    expect(syntaxError("eq(name, 'abc\")").expected).toBe("a closing '");
  });

  it("rejects an unknown escape, pointing at the backslash", () => {
    const error = syntaxError('eq(name, "C:\\path")');
    expect(error.column).toBe(13);
    expect(error.message).toContain('invalid escape "\\\\p"');
  });

  it("rejects trailing junk after a complete filter", () => {
    const error = syntaxError('eq(name, "x") extra');
    expect(error).toMatchObject({ position: 14, column: 15, expected: "end of input" });
    expect(error.message).toBe('expected end of input at column 15, found "extra"');
  });

  it("rejects empty and blank input", () => {
    expect(syntaxError("").message).toBe("expected a comparator such as eq(...) at column 1, found end of input");
    expect(syntaxError("   ").column).toBe(4);
  });

  it("requires a call at the top", () => {
    expect(syntaxError('"llm"').message).toBe('expected a comparator such as eq(...) at column 1, found "\\"llm\\""');
    expect(syntaxError("latency").message).toBe('expected "(" at column 8, found end of input');
    expect(syntaxError("true").expected).toBe("a comparator such as eq(...)");
  });

  it("rejects a trailing comma, an empty argument and a missing comma", () => {
    expect(syntaxError('eq(name, "x",)')).toMatchObject({ column: 14, expected: "an attribute name, a value or a call" });
    expect(syntaxError("and(, eq(a, 1))")).toMatchObject({ column: 5 });
    expect(syntaxError('eq(name "x")')).toMatchObject({ column: 9, expected: '"," or ")"' });
  });

  it("explains that a duration needs quotes", () => {
    expect(syntaxError("gt(latency, 5s)").message).toBe('expected "," or ")" at column 14, found "s" (durations are strings: write "5s")');
  });

  it("names a stray character", () => {
    const error = syntaxError('eq(name, "a") && eq(name, "b")');
    expect(error.message).toBe('expected end of input at column 15, found "&"');
    expect(syntaxError("eq(name, @)").message).toContain('found "@"');
    expect(syntaxError("eq(name, 🚀)").message).toContain('found "🚀"');
  });

  it("reports line and column on a multi-line filter", () => {
    const error = syntaxError('and(\n  eq(name, "x"),\n  gt(latency 5)\n)');
    expect(error).toMatchObject({ line: 3, column: 14 });
    expect(error.message).toBe('expected "," or ")" at line 3, column 14, found "5"');
  });

  it("shortens long tokens in the message", () => {
    const error = syntaxError(`eq(name, "x") ${"y".repeat(200)}`);
    expect(error.message.length).toBeLessThan(100);
  });
});

describe("parseFilter stays bounded", () => {
  const nested = (depth: number): string => `${"not(".repeat(depth - 1)}eq(name, "x")${")".repeat(depth - 1)}`;

  it(`accepts nesting up to ${MAX_NESTING_DEPTH} levels`, () => {
    expect(() => parseFilter(nested(MAX_NESTING_DEPTH))).not.toThrow();
  });

  it("rejects deeper nesting with a FilterError instead of overflowing the stack", () => {
    const error = syntaxError(nested(MAX_NESTING_DEPTH + 1));
    expect(error.message).toMatch(/nests deeper than 64 levels at column \d+/);
    expect(syntaxError("not(".repeat(100_000)).expected).toBe("at most 64 levels of nesting");
    expect(syntaxError(`in(name, ${"[".repeat(1000)}`).kind).toBe("syntax");
  });

  it("parses a 10,000-character filter", () => {
    const clauses: string[] = [];
    for (let i = 0; clauses.join(", ").length < 10_000; i++) clauses.push(`eq(metadata_value, "value-${i}")`);
    const text = `or(${clauses.join(", ")})`;
    expect(text.length).toBeGreaterThan(10_000);
    const expr = parseFilter(text);
    expect(expr.args).toHaveLength(clauses.length);
    expect(printFilter(expr)).toBe(text);
  });
});
