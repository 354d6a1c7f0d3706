import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { GEMINI, geminiProblems, openAiStrictProblems, strictRewrite } from "./client-schema-subsets.js";

type Schema = Record<string, unknown>;

/**
 * What tools/list hands an agent client must be accepted by the model APIs behind it. The
 * listings are read through a real MCP client, as Gemini CLI, the OpenAI Agents SDK or LibreChat
 * would read them, and held to each API's documented subset (client-schema-subsets.ts).
 */
describe("listed tool schemas that every major client accepts", () => {
  let stack: InMemoryStack;
  let tools: { name: string; inputSchema: Schema; outputSchema?: Schema }[];

  beforeAll(async () => {
    stack = await startInMemoryStack();
    tools = (await stack.client.listTools()).tools as typeof tools;
  });
  afterAll(() => stack?.close());

  it("lists every tool (the checks below cover all of them)", () => {
    expect(tools.map((t) => t.name)).toHaveLength(18);
  });

  it("declares no $schema: 2020-12 is MCP's default dialect, and Gemini refuses the keyword", () => {
    for (const tool of tools) {
      expect(tool.inputSchema.$schema, tool.name).toBeUndefined();
      expect(tool.outputSchema?.$schema, tool.name).toBeUndefined();
    }
  });

  it("fits Gemini's function-declaration Schema for every tool: names, fields, one type, no uuid/uri formats", () => {
    for (const tool of tools) {
      expect(tool.name, "function name").toMatch(GEMINI.functionName);
      expect(geminiProblems(tool.inputSchema), tool.name).toEqual([]);
    }
  });

  it("catches what Gemini refuses (the checker is not vacuous)", () => {
    expect(geminiProblems({ $schema: "https://json-schema.org/draft/2020-12/schema", type: "object", properties: {} })).toHaveLength(1);
    expect(geminiProblems({ type: "object", properties: { id: { type: "string", format: "uuid" } } })).toEqual([
      'parameters.id: format "uuid" is not supported for type string',
    ]);
    expect(
      geminiProblems({ type: "object", properties: { url: { type: "string", format: "uri" } }, additionalProperties: false }),
    ).toHaveLength(2);
    expect(geminiProblems({ type: "object", properties: { x: { type: ["string", "null"] } } })).toHaveLength(1);
  });

  it("compiles every input and output schema under Ajv 2020 strict mode, with no format it would have to know", () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    for (const tool of tools) {
      for (const schema of [tool.inputSchema, tool.outputSchema!]) {
        expect(() => ajv.compile(schema), tool.name).not.toThrow();
      }
    }
  });

  it("expresses ids and create_destination's endpoint_url as patterns", () => {
    const inputs = Object.fromEntries(tools.map((t) => [t.name, t.inputSchema.properties as Record<string, Schema>]));
    expect(inputs.get_run!.run_id).toMatchObject({ type: "string", pattern: expect.any(String) });
    expect(inputs.cancel_export!.export_id).toMatchObject({ type: "string", pattern: expect.any(String) });
    expect(inputs.create_destination!.endpoint_url).toMatchObject({ type: "string", pattern: expect.any(String) });
    expect(inputs.create_destination!.endpoint_url!.format).toBeUndefined();
    const url = new RegExp(String(inputs.create_destination!.endpoint_url!.pattern));
    expect(url.test("https://storage.googleapis.com")).toBe(true);
    expect(url.test("http://minio.local:9000")).toBe(true);
    expect(url.test("storage.googleapis.com")).toBe(false);
  });

  /**
   * OpenAI strict mode. No listing is strict as it stands (optional properties, open objects),
   * and none can be without breaking Gemini (type lists and additionalProperties). Strict clients
   * rewrite the schema (required + nullable, closed objects); after that rewrite these keywords
   * still block strict mode, read off the committed snapshot by hand. Such clients fall back to
   * non-strict for those tools.
   */
  const STRICT_BLOCKERS: Record<string, string[]> = {
    list_projects: ["default", "minLength"],
    query_runs: ["default", "minLength"],
    get_run: ["default"],
    get_trace: ["default"],
    list_destinations: [],
    create_destination: ["default", "maxLength", "minLength"],
    rotate_destination_credentials: ["minLength"],
    create_export: ["minLength"],
    list_exports: ["default"],
    export_status: ["default"],
    cancel_export: [],
    diagnose_export: ["maxLength", "minLength"],
    queue_deletion: ["minLength"],
    verify_deletion: ["default", "minLength"],
    list_deletions: ["default"],
    run_stats: ["default", "minLength"],
    list_threads: ["default", "minLength"],
    deletion_report: ["default", "minLength"],
  };

  it("is not OpenAI-strict as listed: optional properties and open objects", () => {
    for (const tool of tools) {
      const problems = openAiStrictProblems(tool.inputSchema);
      expect(problems, tool.name).toContain("parameters: additionalProperties is not false");
    }
  });

  it("after the strict rewrite, only list_destinations and cancel_export fit OpenAI's strict subset", () => {
    const blockers = Object.fromEntries(
      tools.map((tool) => {
        const keywords = openAiStrictProblems(strictRewrite(tool.inputSchema)).map((p) => /"([^"]+)" is not supported/.exec(p)?.[1] ?? p);
        return [tool.name, [...new Set(keywords)].sort()];
      }),
    );
    expect(blockers).toEqual(STRICT_BLOCKERS);
  });
});
