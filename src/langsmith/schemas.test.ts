import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { RUN_SELECT_FIELDS, RunV2Schema, runsQueryV2ResponseSchemaFor } from "./schemas.js";

describe("runs query pages are checked for the fields they selected", () => {
  const id = "4f7a1b2c-8d9e-4a0b-9c1d-2e3f4a5b6c7d";

  it("rejects a selected field of the wrong type (seed 004: start_time is a string)", () => {
    const page = { items: [{ id, start_time: 12 }] };
    expect(runsQueryV2ResponseSchemaFor(["ID", "START_TIME"]).safeParse(page).success).toBe(false);
  });

  it("passes fields it did not select as sent, and reads absent items as none", () => {
    const schema = runsQueryV2ResponseSchemaFor(["ID", "NAME"]);
    expect(schema.safeParse({ items: [{ id, name: "a", start_time: 12 }] }).data?.items).toEqual([{ id, name: "a", start_time: 12 }]);
    expect(schema.safeParse({ next_cursor: null }).data?.items).toEqual([]);
  });

  it("still requires every run's id", () => {
    expect(runsQueryV2ResponseSchemaFor(["NAME"]).safeParse({ items: [{ name: "a" }] }).success).toBe(false);
  });

  it("gives zod's own verdict and runs, whether a page takes the plain type tests or zod", () => {
    // What JSON.parse can give a field (Infinity: 1e400), each kind some field schema accepts or refuses.
    const candidates: unknown[] = [
      ...[null, undefined, "", "a", 0, 1.5, Number.POSITIVE_INFINITY, true, false, [], ["a"], [1], [{}], [null]],
      ...[{}, { a: 1 }, { raw: null }, { raw: 1 }, { raw: { a: 1 } }],
    ];
    const shape = RunV2Schema.shape as Record<string, z.ZodType>;
    // Mostly values the field's own schema accepts (so whole pages pass and the runs are compared), now and then any.
    const valueFor = (field: string) => {
      const valid = candidates.filter((v) => shape[field]?.safeParse(v).success);
      return fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...(valid.length ? valid : candidates)) }, fc.constantFrom(...candidates));
    };
    const fields = RUN_SELECT_FIELDS.map((select) => select.toLowerCase()).filter((f) => f !== "id");
    const run = fc
      .oneof({ weight: 12, arbitrary: fc.subarray([...fields, "unselected"], { maxLength: 8 }) }, fc.constant(["id-missing"]))
      .chain((keys) =>
        fc.tuple(valueFor("id"), ...keys.map(valueFor)).map(([runId, ...values]) => ({
          ...(keys[0] !== "id-missing" && { id: runId }),
          ...Object.fromEntries(keys.map((key, i) => [key, values[i]])),
        })),
      );
    const page = fc.record(
      {
        items: fc.oneof({ weight: 12, arbitrary: fc.array(run, { maxLength: 4 }) }, fc.constantFrom(null, undefined, "items", [null])),
        has_more: fc.oneof({ weight: 6, arbitrary: fc.boolean() }, fc.constantFrom(...candidates)),
        next_cursor: fc.oneof({ weight: 6, arbitrary: fc.string() }, fc.constantFrom(...candidates)),
      },
      { requiredKeys: [] },
    );
    // Every field with every candidate, one at a time: the edges a random page meets rarely (Infinity in a number field).
    for (const field of fields) {
      for (const v of candidates) {
        const body = { items: [{ id, [field]: v }] };
        const expected = z
          .looseObject({
            items: z.array(RunV2Schema.pick({ id: true, [field]: true } as Partial<Record<keyof typeof RunV2Schema.shape, true>>)),
          })
          .safeParse(body).success;
        expect([field, v, runsQueryV2ResponseSchemaFor(["ID", field.toUpperCase()]).safeParse(body).success]).toEqual([field, v, expected]);
      }
    }
    let passed = 0;
    fc.assert(
      fc.property(fc.subarray(fields), page, (chosen, body) => {
        const picked = Object.fromEntries(["id", ...chosen].map((field) => [field, true as const])) as Partial<
          Record<keyof typeof RunV2Schema.shape, true>
        >;
        const zodOnly = z.looseObject({
          items: z.array(RunV2Schema.pick(picked)).nullish(),
          has_more: z.boolean().nullish(),
          next_cursor: z.string().nullish(),
        });
        const expected = zodOnly.safeParse(body);
        const actual = runsQueryV2ResponseSchemaFor(["ID", ...chosen.map((f) => f.toUpperCase())]).safeParse(body);
        expect(actual.success).toBe(expected.success);
        if (expected.success) {
          passed++;
          expect(actual.data?.items).toEqual(expected.data.items ?? []);
        }
      }),
      { numRuns: 3000 },
    );
    // The comparison above means something only if many pages pass.
    expect(passed).toBeGreaterThan(300);
  });

  it("gives one schema per select set, in any order", () => {
    expect(runsQueryV2ResponseSchemaFor(["ID", "NAME"])).toBe(runsQueryV2ResponseSchemaFor(["NAME", "ID"]));
  });
});
