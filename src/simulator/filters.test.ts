import { describe, expect, it } from "vitest";
import { parseFilterField } from "./filters.js";

describe("the simulator judges filters as LangSmith would", () => {
  it("accepts the operators and attributes LangSmith documents", () => {
    for (const text of [
      `has(metadata, '{"user_id": "47461"}')`,
      'like(input_value, "%a%")',
      'exists(metadata, "tenant_id")',
      'and(eq(feedback_key, "verdict"), eq(feedback_value, "halted"))',
      'eq(parent_run_id, "r1")',
      "gt(prompt_cost, 0.01)",
    ]) {
      expect(parseFilterField("filter", text)).toMatchObject({ ok: true });
    }
  });

  it("answers an unknown attribute or operator with its position and a suggestion", () => {
    expect(parseFilterField("trace_filter", "gt(lantency, 5)")).toEqual({
      ok: false,
      message: 'Invalid trace_filter: unknown attribute "lantency" at column 4 (did you mean "latency"?)',
    });
    expect(parseFilterField("filter", 'contains(name, "x")')).toEqual({
      ok: false,
      message: 'Invalid filter: unknown operator "contains" at column 1',
    });
  });

  it("still answers what does not parse, with the column", () => {
    expect(parseFilterField("filter", 'run_type == "llm"')).toEqual({
      ok: false,
      message: 'Invalid filter: expected "(" at column 10, found "=" (filters are prefix calls: write eq(run_type, "llm"))',
    });
  });

  it("accepts advice-only filters, which LangSmith evaluates", () => {
    expect(parseFilterField("filter", 'neq(error, "null")')).toMatchObject({ ok: true });
  });
});
