import { describe, expect, it } from "vitest";
import { anyOf } from "./any-of.js";

describe("anyOf", () => {
  it("matches what the single alternation matched, with its flags", () => {
    const joined = anyOf("i", /\bECONNRESET\b|Broken pipe/, /\bEPIPE\b/);
    expect(joined.flags).toBe("i");
    expect(joined.test("write EPIPE")).toBe(true);
    expect(joined.test("broken PIPE")).toBe(true);
    expect(joined.test("connection refused")).toBe(false);
  });
  it("keeps groups whole: a part's own alternation stays inside it", () => {
    const joined = anyOf("", /a(?:b|c)d/, /x/);
    expect(joined.source).toBe("a(?:b|c)d|x");
    expect(joined.test("acd")).toBe(true);
    expect(joined.test("ab")).toBe(false);
  });
});
