import { describe, expect, it } from "vitest";
import { runsQueryV2ResponseSchemaFor } from "./schemas.js";

describe("runs query pages are checked for the fields they selected", () => {
  const id = "4f7a1b2c-8d9e-4a0b-9c1d-2e3f4a5b6c7d";

  it("rejects a selected field of the wrong type (seed 004: start_time is a string)", () => {
    const page = { items: [{ id, start_time: 12 }] };
    expect(runsQueryV2ResponseSchemaFor(["ID", "START_TIME"]).safeParse(page).success).toBe(false);
  });

  it("passes fields it did not select as sent, and reads absent items as none", () => {
    const schema = runsQueryV2ResponseSchemaFor(["ID", "NAME"]);
    expect(schema.parse({ items: [{ id, name: "a", start_time: 12 }] }).items).toEqual([{ id, name: "a", start_time: 12 }]);
    expect(schema.parse({ next_cursor: null }).items).toEqual([]);
  });

  it("still requires every run's id", () => {
    expect(runsQueryV2ResponseSchemaFor(["NAME"]).safeParse({ items: [{ name: "a" }] }).success).toBe(false);
  });

  it("gives one schema per select set, in any order", () => {
    expect(runsQueryV2ResponseSchemaFor(["ID", "NAME"])).toBe(runsQueryV2ResponseSchemaFor(["NAME", "ID"]));
  });
});
