import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import type { CallToolResult, Tool } from "@modelcontextprotocol/client";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { LangSmithClient } from "../../src/langsmith/index.js";
import { openSqliteLedger } from "../../src/ledger/index.js";
import { silentLogger } from "../../src/log.js";
import { buildServer } from "../../src/server.js";
import { startSimulator, type RunningSimulator } from "../../src/simulator/index.js";
import { TOOLS } from "../../src/tools/index.js";
import * as flows from "../support/tool-flows.js";

/**
 * Every tool, called for real against the simulator through the SDK client: each successful
 * result's structuredContent must validate against the output schema the tool lists, under a
 * strict JSON Schema 2020-12 validator (the dialect MCP 2025-11-25 makes the default).
 */
describe("tool results match their listed output schemas (SDK client ↔ server ↔ simulator)", () => {
  let sim: RunningSimulator;
  let api: LangSmithClient;
  let client: Client;
  const ledger = openSqliteLedger(":memory:");
  const validators = new Map<string, ValidateFunction>();
  const listed = new Map<string, Tool>();
  /** Tools with at least one successful, validated call. */
  const validated = new Set<string>();

  /** Calls a tool, expects success, validates structuredContent strictly; returns it. */
  async function call<T = Record<string, unknown>>(name: string, args: Record<string, unknown>): Promise<T> {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    const text = result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");
    expect(result.isError, `${name}: ${text}`).toBeFalsy();
    const validate = validators.get(name)!;
    expect(validate(result.structuredContent), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    validated.add(name);
    return result.structuredContent as T;
  }

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    api = new LangSmithClient({ endpoint: sim.url, apiKey: sim.apiKey });
    const config = loadConfig([], { LANGSMITH_API_KEY: sim.apiKey, LANGSMITH_ENDPOINT: sim.url, LANGSMITH_MCP_LEDGER: ":memory:" });
    const deps = { client: api, config, logger: silentLogger(), secrets: [sim.apiKey], ledger, checkOutputs: true };
    const server = buildServer(deps);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: "tool-quality", version: "1.0.0" });
    await client.connect(clientSide);

    const ajv = new Ajv2020({ strict: true, allErrors: true, strictRequired: false });
    addFormats.default(ajv);
    for (const tool of (await client.listTools()).tools) {
      listed.set(tool.name, tool);
      validators.set(tool.name, ajv.compile(tool.outputSchema!));
    }
  });
  afterAll(async () => {
    await client?.close();
    await api?.close();
    await sim?.close();
    ledger.close();
  });

  it("lists every registered tool with an output schema", () => {
    expect([...listed.keys()]).toEqual(TOOLS.map((tool) => tool.name));
    for (const tool of listed.values()) expect(tool.outputSchema?.type, tool.name).toBe("object");
  });

  /** Each flow runs once, whichever test asks first, so any single test (`-t`) passes on its own. */
  const once = <T>(fn: () => Promise<T>): (() => Promise<T>) => {
    let started: Promise<T> | undefined;
    return () => (started ??= fn());
  };
  const runFlow = once(() => flows.runFlow(call));
  const exportFlow = once(() => flows.exportFlow(call, sim));
  const deletionFlow = once(() => flows.deletionFlow(call));
  const analyticsFlow = once(() => flows.analyticsFlow(call));

  it("run tools: list_projects, query_runs, get_run, get_trace", () => runFlow());
  it("export tools: destinations, exports, status, diagnosis, rotation and cancellation with their confirmation tokens", () =>
    exportFlow());
  it("deletion tools: plan, queue with the token, verify, list", () => deletionFlow());
  it("analytics tools: run_stats with a group and top runs, list_threads and one thread", () => analyticsFlow());

  it("validated a successful result of every tool", async () => {
    await runFlow();
    await exportFlow();
    await deletionFlow();
    await analyticsFlow();
    expect([...validated].sort()).toEqual([...listed.keys()].sort());
  });

  it.each(TOOLS.map((tool) => [tool.name, tool] as const))("%s says what to call next, naming a real tool", (_name, tool) => {
    const next = /Next:([\s\S]*)$/.exec(tool.description)?.[1] ?? "";
    const named = TOOLS.map((t) => t.name).filter((name) => next.includes(name));
    expect(named.length, `${tool.name}: "${next.trim()}"`).toBeGreaterThan(0);
  });
});
