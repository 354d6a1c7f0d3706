import type { CallToolResult } from "@modelcontextprotocol/client";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { isUserInputError } from "../../src/errors.js";
import { parseArguments, withoutNullOptionals } from "../../src/tools/arguments.js";
import type { AnyToolDefinition } from "../../src/tools/define-tool.js";
import { TOOLS } from "../../src/tools/index.js";
import { toolListing } from "../../src/tools/listing.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";

type Schema = {
  type?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
};

/** Values the listed JSON Schema allows: what a client generating arguments from tools/list would send. */
function arbitraryOf(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(arbitraryOf));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case "string": {
      const length = { minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 24, 24) };
      return schema.pattern ? fc.stringMatching(new RegExp(schema.pattern)) : fc.string(length);
    }
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1000, max: Math.min(schema.maximum ?? 1000, 100_000) });
    case "number":
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(arbitraryOf(schema.items ?? {}), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function listed(tool: AnyToolDefinition) {
  const schema = toolListing(tool).inputSchema;
  const properties = schema.properties as Record<string, Schema>;
  const required = new Set(schema.required ?? []);
  return { properties, required: [...required], optional: Object.keys(properties).filter((name) => !required.has(name)) };
}

/** A valid argument set (per the listing, and accepted by the tool) plus a subset of its optional fields. */
function argumentsAndOptionals(tool: AnyToolDefinition) {
  const { properties, required, optional } = listed(tool);
  const args = fc
    .record(Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, arbitraryOf(schema)])), { requiredKeys: required })
    .filter((candidate) => tool.inputSchema.safeParse(candidate).success);
  return fc.tuple(args, fc.subarray(optional));
}

const withKeys = (args: Record<string, unknown>, keys: readonly string[], value: unknown) => ({
  ...args,
  ...Object.fromEntries(keys.map((k) => [k, value])),
});
const withoutKeys = (args: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(Object.entries(args).filter(([k]) => !keys.includes(k)));

describe("null means not given (GPT-5.x, OpenAI strict mode, LibreChat, CrewAI)", () => {
  it.each(TOOLS.map((tool) => [tool.name, tool] as const))(
    "%s: nulls for any optional fields parse as if they were left out",
    (_name, tool) => {
      fc.assert(
        fc.property(argumentsAndOptionals(tool), ([args, nulled]) => {
          const omitted = parseArguments(tool, withoutKeys(args, nulled));
          expect(parseArguments(tool, withKeys(args, nulled, null))).toEqual(omitted);
        }),
        { numRuns: 80 },
      );
    },
  );

  it.each(TOOLS.filter((tool) => listed(tool).required.length).map((tool) => [tool.name, tool] as const))(
    "%s: a null for a required field stays an error naming that field",
    (_name, tool) => {
      fc.assert(
        fc.property(argumentsAndOptionals(tool), fc.constantFrom(...listed(tool).required), ([args], field) => {
          let error: unknown;
          try {
            parseArguments(tool, withKeys(args, [field], null));
          } catch (e) {
            error = e;
          }
          expect(isUserInputError(error) && error.field).toBe(field);
          expect(isUserInputError(error) && error.agentMessage).toMatch(/is required and cannot be null/);
        }),
        { numRuns: 20 },
      );
    },
  );

  it("reads nested optional fields the same way, and keeps null where null is a value", () => {
    const schema = z.object({
      window: z.object({ start: z.string(), end: z.string().optional(), step: z.number().default(1) }).optional(),
      targets: z.array(z.object({ id: z.string(), label: z.string().optional() })).optional(),
      parent: z.string().nullable().optional(),
    });
    const args = { window: { start: "a", end: null, step: null }, targets: [{ id: "x", label: null }], parent: null };
    expect(withoutNullOptionals(schema, args)).toEqual({ window: { start: "a" }, targets: [{ id: "x" }], parent: null });
    expect(schema.parse(withoutNullOptionals(schema, args))).toEqual({
      window: { start: "a", step: 1 },
      targets: [{ id: "x" }],
      parent: null,
    });
    expect(withoutNullOptionals(schema, { window: { start: null } })).toEqual({ window: { start: null } });
  });

  describe("through an MCP client, as a strict-mode client sends them (every optional argument null)", () => {
    let stack: InMemoryStack;
    beforeAll(async () => {
      stack = await startInMemoryStack();
    });
    afterAll(() => stack?.close());

    /** Required arguments each tool needs, hand-written; every other listed argument is sent as null. */
    const REQUIRED: Record<string, Record<string, unknown>> = {
      query_runs: { project: "checkout-bot" },
      get_run: { run_id: "018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327" },
      create_destination: { display_name: "null test", bucket_name: "acme-traces" },
      rotate_destination_credentials: { destination: "nowhere", access_key_id: "AKIAEXAMPLE", secret_access_key: "example-secret" },
      create_export: { project: "checkout-bot", destination: "nowhere", start_time: "24h" },
      export_status: { export_id: "018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327" },
      cancel_export: { export_id: "018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327" },
    };

    it.each(TOOLS.map((tool) => [tool.name, tool] as const))("%s accepts null for every optional argument", async (name, tool) => {
      const { optional } = listed(tool);
      const result = (await stack.call(name, {
        ...REQUIRED[name],
        ...Object.fromEntries(optional.map((k) => [k, null])),
      })) as CallToolResult;
      const text = result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");
      // Other failures (an id that does not exist, a destination never created) are fine here.
      expect(text).not.toMatch(/cannot be null|received null|expected \w+, got null/);
    });

    it("list_projects with nulls answers exactly as with the arguments left out", async () => {
      const nulls = await stack.call("list_projects", { name_contains: null, limit: null, offset: null, include_stats: null });
      const omitted = await stack.call("list_projects", {});
      expect(nulls.isError).toBeFalsy();
      expect(nulls.structuredContent).toEqual(omitted.structuredContent);
    });
  });
});
