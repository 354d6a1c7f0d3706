import { describe, expect, it } from "vitest";
import { decodePageCursor, encodePageCursor, type PageCursor } from "./page-cursor.js";

const position: PageCursor = {
  v: 1,
  f: "ofM9OGJmgcgJEK2n",
  p: { id: "5f881175-49c1-444f-9a18-0242fd96ddfe", name: "support-bot" },
  w: ["2026-11-28T20:54:21.883Z", "2026-11-30T20:54:21.883Z"],
  c: null,
  s: 3,
};

describe("query_runs page cursor", () => {
  it("reads back what it wrote, with or without LangSmith's cursor (which may hold dots)", () => {
    for (const c of [null, "c1", "eyJhcGkiOiJ2MiJ9.Pm66Yg_GE4a5C9mxSo9Rbv", "a.b.c"]) {
      expect(decodePageCursor(encodePageCursor({ ...position, c }))).toEqual({ ...position, c });
    }
  });

  it("carries LangSmith's cursor as is, not encoded a second time", () => {
    const langsmith = "eyJhcGkiOiJ2MiJ9.Pm66Yg_GE4a5C9mxSo9Rbv";
    expect(encodePageCursor({ ...position, c: langsmith }).endsWith(`.${langsmith}`)).toBe(true);
  });

  it("still reads a cursor of the earlier form, LangSmith's cursor inside the JSON", () => {
    const earlier = Buffer.from(JSON.stringify({ ...position, c: "c1" }), "utf8").toString("base64url");
    expect(decodePageCursor(earlier)).toEqual({ ...position, c: "c1" });
  });

  it("carries the previous page's tokens per run, and reads a cursor issued before it had one", () => {
    expect(decodePageCursor(encodePageCursor({ ...position, c: "c1", e: 61 }))).toEqual({ ...position, c: "c1", e: 61 });
    const withoutEstimate = encodePageCursor({ ...position, c: "c1" });
    expect(decodePageCursor(withoutEstimate).e).toBeUndefined();
  });

  it("refuses an estimate that is not a positive whole number of tokens", () => {
    for (const e of [0, -3, 1.5, "61"]) {
      const head = Buffer.from(JSON.stringify({ ...position, c: undefined, e }), "utf8").toString("base64url");
      expect(() => decodePageCursor(`${head}.c1`)).toThrow(/cursor/);
    }
  });

  it("refuses a cursor it did not write, naming the argument", () => {
    expect(() => decodePageCursor("not-a-cursor.x")).toThrow(/cursor/);
  });
});
