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

const DAY = 86_400_000;
const utcMidnight = (daysAgo: number) => new Date(Math.floor(Date.now() / DAY) * DAY - daysAgo * DAY).toISOString();

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
    const deps = { client: api, config, logger: silentLogger(), secrets: [sim.apiKey], ledger };
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
  const runFlow = once(async () => {
    await call("list_projects", {});
    const { runs } = await call<{ runs: { id: string; trace_id?: string }[] }>("query_runs", { project: "checkout-bot", start_time: "7d", page_size: 5 });
    expect(runs.length).toBeGreaterThan(0);
    await call("get_run", { run_id: runs[0]!.id });
    await call("get_trace", { run_id: runs[0]!.id });
  });
  const exportFlow = once(async () => {
    const { fullAccess, rotation } = sim.storage.credentials;
    const created = await call<{ destination: { id: string } }>("create_destination", {
      display_name: "schema check",
      bucket_name: sim.storage.buckets.traces,
      prefix: "schema-check",
      region: "eu-west-1",
      access_key_id: fullAccess.access_key_id,
      secret_access_key: fullAccess.secret_access_key,
    });
    const destination = created.destination.id;
    await call("list_destinations", {});

    const rotate = { destination, access_key_id: rotation.access_key_id, secret_access_key: rotation.secret_access_key };
    const plan = await call<{ confirmation_token: string }>("rotate_destination_credentials", rotate);
    await call("rotate_destination_credentials", { ...rotate, confirmation_token: plan.confirmation_token });

    const { export: started } = await call<{ export: { id: string } }>("create_export", {
      project: "checkout-bot",
      destination,
      start_time: utcMidnight(3),
      end_time: utcMidnight(1),
    });
    await call("list_exports", {});
    await call("export_status", { export_id: started.id });
    await call("diagnose_export", { export_id: started.id });
    await call("diagnose_export", { error_text: "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied" });

    const cancel = await call<{ confirmation_token: string }>("cancel_export", { export_id: started.id });
    await call("cancel_export", { export_id: started.id, confirmation_token: cancel.confirmation_token });
  });
  const deletionFlow = once(async () => {
    const { runs } = await call<{ runs: { id: string }[] }>("query_runs", { project: "support-bot", start_time: "30d", is_root: true, page_size: 3 });
    const purge = { project: "support-bot", trace_ids: runs.map((run) => run.id) };
    const plan = await call<{ confirmation_token: string }>("queue_deletion", purge);
    const queued = await call<{ status: string; purge: { purge_id: string } }>("queue_deletion", { ...purge, confirmation_token: plan.confirmation_token });
    expect(queued.status).toBe("queued");
    await call("verify_deletion", { purge_id: queued.purge.purge_id });
    await call("list_deletions", {});
  });

  it("run tools: list_projects, query_runs, get_run, get_trace", () => runFlow());
  it("export tools: destinations, exports, status, diagnosis, rotation and cancellation with their confirmation tokens", () => exportFlow());
  it("deletion tools: plan, queue with the token, verify, list", () => deletionFlow());

  it("validated a successful result of every tool", async () => {
    await runFlow();
    await exportFlow();
    await deletionFlow();
    expect([...validated].sort()).toEqual([...listed.keys()].sort());
  });

  it.each(TOOLS.map((tool) => [tool.name, tool] as const))("%s says what to call next, naming a real tool", (_name, tool) => {
    const next = /Next:([^]*)$/.exec(tool.description)?.[1] ?? "";
    const named = TOOLS.map((t) => t.name).filter((name) => next.includes(name));
    expect(named.length, `${tool.name}: "${next.trim()}"`).toBeGreaterThan(0);
  });
});
