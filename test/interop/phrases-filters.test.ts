import { describe, expect, it } from "vitest";
import { checkFilter, isFilterError } from "../../src/filter/index.js";

/** The agent-facing text of a refused filter, or its warnings when it parses. */
function verdict(text: string): string {
  try {
    return checkFilter(text).warnings.join("\n");
  } catch (error) {
    if (isFilterError(error)) return error.message;
    throw error;
  }
}

/** The first suggested filter in a message: after "write ", up to " or has(" or the closing ")". */
function suggested(message: string): string {
  const m = /write (.+?)(?: or has\(|\)$)/.exec(message);
  if (!m) throw new Error(`no suggestion in: ${message}`);
  return m[1]!.endsWith(")") ? m[1]! : `${m[1]!})`;
}

describe("common filter slips get the fix in the message", () => {
  it.each([
    ['run_type == "llm"', 'eq(run_type, "llm")'],
    ['run_type != "llm"', 'neq(run_type, "llm")'],
    ['metadata.user_id == "123"', 'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))'],
    ['eq(metadata.user_id, "123")', 'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))'],
    ["eq(metadata['user_id'], 'abc')", 'and(eq(metadata_key, "user_id"), eq(metadata_value, "abc"))'],
    ['outputs.answer == "x"', 'and(eq(output_key, "answer"), eq(output_value, "x"))'],
    ["eq(feedback.correctness, 1)", 'and(eq(feedback_key, "correctness"), eq(feedback_score, 1))'],
  ])("%s → %s", (slip, fix) => {
    const message = verdict(slip);
    expect(message).toContain(`write ${fix}`);
    // The fix itself reads clean.
    expect(verdict(suggested(message))).toBe("");
  });

  it("offers has(metadata, json) for a dotted metadata key, in the documented form", () => {
    expect(verdict('metadata.user_id == "47461"')).toContain(`has(metadata, '{"user_id": "47461"}')`);
    expect(verdict("metadata.user_id")).toContain(`eq(metadata_value, "…")`);
    expect(verdict(`has(metadata, '{"user_id": "47461"}')`)).toBe("");
  });

  it("says and/or are prefix calls too", () => {
    expect(verdict('eq(run_type, "llm") and eq(status, "error")')).toContain("combine filters with and(filter, filter, ...)");
    expect(verdict('eq(run_type, "llm") or eq(status, "error")')).toContain("combine filters with or(filter, filter, ...)");
  });

  it('warns that neq(error, "null") compares with the text', () => {
    expect(verdict('neq(error, "null")')).toContain('compares error with the text "null"');
    expect(verdict('neq(error, "null")')).toContain("neq(error, null) without quotes");
  });

  it("leaves key access on something that is not a collection to the plain syntax error", () => {
    expect(verdict("foo.bar == 1")).toBe('expected "(" at column 4, found "."');
  });
});
