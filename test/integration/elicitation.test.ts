import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import type { CallToolResult, ElicitResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { LangSmithClient } from "../../src/langsmith/index.js";
import { openSqliteLedger, type Ledger } from "../../src/ledger/index.js";
import { silentLogger } from "../../src/log.js";
import { buildServer } from "../../src/server.js";
import { startSimulator, type RunningSimulator } from "../../src/simulator/index.js";
import { control } from "../../src/simulator/testing.js";

const DAY = 86_400_000;
const utcMidnight = (daysAgo: number) => new Date(Math.floor(Date.now() / DAY) * DAY - daysAgo * DAY).toISOString();

/**
 * Where the client can ask its user (MCP elicitation), destructive tools put the plan in front
 * of the human, and act or not on their answer in the same call; the agent cannot answer for
 * them. Clients without elicitation keep the token path (the e2e suites use that).
 */
describe("confirmation through the client's dialog (elicitation)", () => {
  let sim: RunningSimulator;
  let api: LangSmithClient;
  let client: Client;
  let ledger: Ledger;
  let answer: ElicitResult;
  const asked: string[] = [];

  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    const text = result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");
    expect(result.isError, text).toBeFalsy();
    return { structured: result.structuredContent as Record<string, unknown>, text };
  };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    api = new LangSmithClient({ endpoint: sim.url, apiKey: sim.apiKey });
    ledger = openSqliteLedger(":memory:");
    const config = loadConfig([], { LANGSMITH_API_KEY: sim.apiKey, LANGSMITH_ENDPOINT: sim.url, LANGSMITH_MCP_LEDGER: ":memory:" });
    const server = buildServer({ client: api, config, logger: silentLogger(), secrets: [sim.apiKey], ledger });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: "elicitation", version: "1.0.0" }, { capabilities: { elicitation: {} } });
    client.setRequestHandler("elicitation/create", (request) => {
      asked.push(String(request.params.message));
      return answer;
    });
    await client.connect(clientSide);
  });
  beforeEach(() => {
    asked.length = 0;
  });
  afterAll(async () => {
    await client?.close();
    await api?.close();
    ledger?.close();
    await sim?.close();
  });

  const purgeArgs = { project: "support-bot", start_time: "30d", filter: 'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))' };

  it("a declined purge queues and records nothing, and hands the agent no token", async () => {
    answer = { action: "decline" };
    const { structured, text } = await call("queue_deletion", purgeArgs);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/permanently delete \d+ trace\(s\) .* from support-bot/);
    expect(structured.status).toBe("declined");
    expect(structured.confirmation_token).toBeUndefined();
    expect(text).toMatch(/declined/);
    expect(await ledger.listPurges()).toHaveLength(0);
  });

  it("an unticked box counts as a no", async () => {
    answer = { action: "accept", content: { confirm: false } };
    const { structured } = await call("queue_deletion", purgeArgs);
    expect(structured.status).toBe("declined");
    expect(await ledger.listPurges()).toHaveLength(0);
  });

  it("an accepted purge is queued in the same call and recorded in the ledger", async () => {
    answer = { action: "accept", content: { confirm: true } };
    const { structured } = await call("queue_deletion", purgeArgs);
    expect(asked).toHaveLength(1);
    expect(structured.status).toBe("queued");
    const purge = structured.purge as { purge_id: string; trace_count: number };
    expect((await ledger.getPurge(purge.purge_id))?.batches.every((b) => b.state === "queued")).toBe(true);
    expect(purge.trace_count).toBeGreaterThan(0);
  });

  it("cancel_export: declined keeps the export running; accepted cancels it", async () => {
    const { fullAccess } = sim.storage.credentials;
    const dest = await call("create_destination", {
      display_name: "dialog test",
      bucket_name: sim.storage.buckets.traces,
      region: "eu-west-1",
      access_key_id: fullAccess.access_key_id,
      secret_access_key: fullAccess.secret_access_key,
    });
    await control(sim, "POST", "config", { exports: { rows_per_second: 1 } });
    const created = await call("create_export", {
      project: "checkout-bot",
      destination: (dest.structured.destination as { id: string }).id,
      start_time: utcMidnight(3),
      end_time: utcMidnight(1),
    });
    const exportId = (created.structured.export as { id: string }).id;

    answer = { action: "cancel" };
    const kept = await call("cancel_export", { export_id: exportId });
    expect(kept.structured).toMatchObject({ cancelled: false });
    expect(kept.structured.confirmation_token).toBeUndefined();
    expect(asked[0]).toMatch(/cannot be restarted/);

    answer = { action: "accept", content: { confirm: true } };
    const cancelled = await call("cancel_export", { export_id: exportId });
    expect(cancelled.structured).toMatchObject({ cancelled: true, export: { status: "Cancelled" } });
  });

  it("a server that could not see the answer (stateless HTTP) never asks, and returns a token instead", async () => {
    const config = loadConfig([], { LANGSMITH_API_KEY: sim.apiKey, LANGSMITH_ENDPOINT: sim.url, LANGSMITH_MCP_LEDGER: ":memory:" });
    const server = buildServer({ client: api, config, logger: silentLogger(), secrets: [sim.apiKey], ledger, elicitation: false });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const other = new Client({ name: "elicitation-stateless", version: "1.0.0" }, { capabilities: { elicitation: {} } });
    other.setRequestHandler("elicitation/create", (request) => {
      asked.push(String(request.params.message));
      return { action: "accept", content: { confirm: true } };
    });
    await other.connect(clientSide);
    try {
      const result = (await other.callTool({ name: "queue_deletion", arguments: { ...purgeArgs, start_time: "60d" } })) as CallToolResult;
      expect(asked).toHaveLength(0);
      expect(result.structuredContent).toMatchObject({ status: "plan" });
      expect((result.structuredContent as { confirmation_token?: string }).confirmation_token).toBeTruthy();
    } finally {
      await other.close();
    }
  });
});
