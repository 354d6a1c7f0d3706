import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { SETTINGS } from "../../src/settings.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const SCHEMA_FILE = "test/fixtures/mcp-registry/server.schema.2025-12-11.json";

interface EnvironmentVariable {
  name: string;
  isRequired?: boolean;
  isSecret?: boolean;
  default?: string;
  format?: string;
}
interface ServerJson {
  $schema: string;
  name: string;
  version: string;
  packages: {
    registryType: string;
    identifier: string;
    version: string;
    transport: { type: string };
    environmentVariables: EnvironmentVariable[];
  }[];
}

const serverJson = JSON.parse(read("server.json")) as ServerJson;
const schema = JSON.parse(read(SCHEMA_FILE)) as { $id: string };
const pkg = JSON.parse(read("package.json")) as { name: string; version: string; license: string; mcpName: string };

describe("server.json for the MCP registry", () => {
  it("uses the vendored copy of the published schema, unchanged", () => {
    expect(createHash("sha256").update(read(SCHEMA_FILE)).digest("hex")).toBe(
      "3fba09590c99f61735d234822279f4223fab9e300c0a81e81c91ab62a4114de0",
    );
    expect(serverJson.$schema).toBe(schema.$id);
  });

  it("validates against the registry's schema", () => {
    // strict off: the schema carries OpenAPI's `example` keyword, which Ajv does not know.
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(serverJson), ajv.errorsText(validate.errors)).toBe(true);
  });

  it("fails that validation when a field breaks the schema, so the check has teeth", () => {
    const ajv = new Ajv({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate({ ...serverJson, name: "no-slash" })).toBe(false);
    expect(validate({ ...serverJson, description: "x".repeat(101) })).toBe(false);
    expect(validate({ ...serverJson, packages: [{ ...serverJson.packages[0], version: "latest" }] })).toBe(false);
  });

  it("names the npm package and version this checkout builds, and the mcpName the registry checks", () => {
    expect(serverJson.version).toBe(pkg.version);
    expect(serverJson.name).toBe(pkg.mcpName);
    const [npm] = serverJson.packages;
    expect(npm).toMatchObject({ registryType: "npm", identifier: pkg.name, version: pkg.version, transport: { type: "stdio" } });
  });

  it("lists only variables the server reads, with the key required and secret", () => {
    const known = new Set(SETTINGS.map((s) => s.env));
    const variables = serverJson.packages[0]!.environmentVariables;
    for (const v of variables) expect(known, v.name).toContain(v.name);
    expect(variables.find((v) => v.name === "LANGSMITH_API_KEY")).toMatchObject({ isRequired: true, isSecret: true });
    expect(variables.filter((v) => v.isRequired).map((v) => v.name)).toEqual(["LANGSMITH_API_KEY"]);
  });

  it("gives defaults the server reads as documented", () => {
    const env = Object.fromEntries(
      serverJson.packages[0]!.environmentVariables.filter((v) => v.default !== undefined).map((v) => [v.name, v.default!]),
    );
    const config = loadConfig([], { LANGSMITH_API_KEY: "lsv2_pt_test", ...env });
    expect(config.readOnly).toBe(false);
    expect(config.endpoint).toBe("https://api.smith.langchain.com");
  });
});

describe("LICENSE", () => {
  it("is the MIT licence package.json declares, held by the contributors", () => {
    const license = read("LICENSE");
    expect(pkg.license).toBe("MIT");
    expect(license.startsWith("MIT License\n")).toBe(true);
    expect(license).toMatch(/^Copyright \(c\) \d{4} langsmith-mcp contributors$/m);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });
});
