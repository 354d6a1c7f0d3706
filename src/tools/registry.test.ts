import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { toolListing } from "./listing.js";
import { TOOLS } from "./index.js";

const TOOLS_DIR = fileURLToPath(new URL(".", import.meta.url));
const SNAPSHOT = fileURLToPath(new URL("../../test/fixtures/tool-schemas.json", import.meta.url));

describe("tool registry", () => {
  it("has unique tool names in snake_case", () => {
    const names = TOOLS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z_]*[a-z]$/);
  });

  it.each(TOOLS.map((t) => [t.name, t] as const))("%s lives in a file named after it", (name) => {
    expect(existsSync(`${TOOLS_DIR}/${name.replace(/_/g, "-")}.ts`)).toBe(true);
  });

  it.each(TOOLS.map((t) => [t.name, t] as const))("%s declares all four annotation hints, consistently", (_name, tool) => {
    const hints = tool.annotations;
    for (const key of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
      expect(typeof hints[key]).toBe("boolean");
    }
    expect(hints.readOnlyHint && hints.destructiveHint).toBe(false);
  });

  it.each(TOOLS.map((t) => [t.name, t] as const))(
    "%s has a title and a description that says when to use it and what next",
    (_name, tool) => {
      expect(tool.title.length).toBeGreaterThan(3);
      expect(tool.description.length).toBeGreaterThan(80);
      expect(tool.description.length).toBeLessThan(600);
      expect(tool.description).toMatch(/Next:|Use it/);
    },
  );

  it.each(TOOLS.map((t) => [t.name, t] as const))("%s lists JSON Schema 2020-12 input and output schemas that compile", (_name, tool) => {
    const listing = toolListing(tool);
    const ajv = new Ajv2020({ strict: true, allErrors: true, strictRequired: false });
    addFormats.default(ajv);
    for (const schema of [listing.inputSchema, listing.outputSchema!]) {
      expect(schema.$schema, "2020-12 is the default dialect; Gemini refuses $schema").toBeUndefined();
      expect(schema.type).toBe("object");
      expect(ajv.validateSchema(schema)).toBe(true);
      expect(() => ajv.compile(schema)).not.toThrow();
    }
  });

  it.each(TOOLS.map((t) => [t.name, t] as const))("%s describes every input parameter for the agent", (_name, tool) => {
    const properties = toolListing(tool).inputSchema.properties as Record<string, { description?: string }>;
    for (const [param, schema] of Object.entries(properties)) {
      expect(schema.description, `${tool.name}.${param}`).toBeTruthy();
    }
  });

  it("matches the committed schema snapshot (regenerate with UPDATE_TOOL_SCHEMAS=1)", () => {
    const current = `${JSON.stringify(Object.fromEntries(TOOLS.map((t) => [t.name, toolListing(t)])), null, 2)}\n`;
    if (process.env.UPDATE_TOOL_SCHEMAS === "1") writeFileSync(SNAPSHOT, current);
    expect(existsSync(SNAPSHOT), "no snapshot yet: run UPDATE_TOOL_SCHEMAS=1 npx vitest run src/tools").toBe(true);
    expect(current).toBe(readFileSync(SNAPSHOT, "utf8"));
  });
});
