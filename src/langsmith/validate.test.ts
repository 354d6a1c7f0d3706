import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertUuids, isUuid } from "./validate.js";

// The rule as the docs state it (any 8-4-4-4-12 hex id, any case), written here as a regular expression.
const RULE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe("isUuid", () => {
  it("takes v4, v7 and versionless ids in any case, and nothing else of their length", () => {
    expect(isUuid("018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327")).toBe(true);
    expect(isUuid("018E4C7E-A9FB-7EF0-A5B6-6EA3A82E9327")).toBe(true);
    expect(isUuid("00000000-0000-0000-0000-000000000000")).toBe(true);
    expect(isUuid("018e4c7e-a9fb-7ef0-a5b6-6ea3a82e932g")).toBe(false);
    expect(isUuid("018e4c7e_a9fb-7ef0-a5b6-6ea3a82e9327")).toBe(false);
    expect(isUuid("018e4c7ea9fb-7ef0-a5b6-6ea3a82e93270")).toBe(false);
    expect(isUuid("018e4c7e-a9fb-7ef0-a5b6-6ea3a82e932é")).toBe(false);
    expect(isUuid(" 018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327")).toBe(false);
    expect(isUuid(42)).toBe(false);
  });

  it("agrees with the 8-4-4-4-12 hex rule on near-ids and arbitrary strings", () => {
    const near = fc
      .array(fc.constantFrom(..."0123456789abcdefABCDEF-gG_ é\u0130"), { minLength: 34, maxLength: 38 })
      .map((chars) => chars.join(""));
    const shaped = fc
      .uuid()
      .chain((id) =>
        fc.tuple(fc.nat(35), fc.constantFrom(..."0aF-gZ_ \u00ff\u0100")).map(([i, c]) => id.slice(0, i) + c + id.slice(i + 1)),
      );
    fc.assert(fc.property(fc.oneof(near, shaped, fc.uuid(), fc.string()), (s) => isUuid(s) === RULE.test(s)));
  });
});

describe("assertUuids", () => {
  const good = "018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327";
  /** The field the refusal names, or "passed". */
  const refused = (values: readonly unknown[]) => {
    try {
      assertUuids("ids", values);
      return "passed";
    } catch (error) {
      return (error as { field?: string }).field;
    }
  };
  it("names the first bad element of a list", () => {
    expect(refused([good, "nope", good])).toBe("ids[1]");
  });

  it("tests a list that can change on every call, and remembers only a frozen one", () => {
    const open = [good, good];
    expect(refused(open)).toBe("passed");
    open[1] = "not-an-id";
    expect(refused(open)).toBe("ids[1]");
    const frozen = Object.freeze([good, good]);
    expect(refused(frozen)).toBe("passed");
    expect(refused(frozen)).toBe("passed");
    expect(() => {
      (frozen as string[])[1] = "not-an-id";
    }).toThrow(TypeError);
    // A frozen list that failed is not remembered: it fails again.
    const bad = Object.freeze([good, "nope"]);
    expect(refused(bad)).toBe("ids[1]");
    expect(refused(bad)).toBe("ids[1]");
  });
});
