import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { LangSmithClient } from "../../src/langsmith/index.js";
import { openSqliteLedger } from "../../src/ledger/index.js";
import { silentLogger } from "../../src/log.js";
import { buildServer } from "../../src/server.js";
import { startSimulator, type RunningSimulator } from "../../src/simulator/index.js";
import { TOOLS } from "../../src/tools/index.js";

/**
 * Property: whatever arguments an agent sends, every tool answers with a result — a success or
 * an `isError` whose text names what is wrong — never a protocol error, a crash, a stack trace
 * or a leaked key. Arguments mix the tool's own parameter names with wrong types and junk.
 */
describe("every tool survives arbitrary arguments (SDK client ↔ server ↔ simulator, in memory)", () => {
  let sim: RunningSimulator;
  let api: LangSmithClient;
  let client: Client;
  const ledger = openSqliteLedger(":memory:");

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    api = new LangSmithClient({ endpoint: sim.url, apiKey: sim.apiKey, retryPolicy: { maxAttempts: 1 } });
    const config = loadConfig([], { LANGSMITH_API_KEY: sim.apiKey, LANGSMITH_ENDPOINT: sim.url, LANGSMITH_MCP_LEDGER: ":memory:" });
    const server = buildServer({ client: api, config, logger: silentLogger(), secrets: [sim.apiKey], ledger });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: "fuzz", version: "1.0.0" });
    await client.connect(clientSide);
  });
  afterAll(async () => {
    await client?.close();
    await api?.close();
    ledger.close();
    await sim?.close();
  });

  const junk = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom("", " ", "checkout-bot", "24h", "and(eq(run_type", "00000000-0000-4000-8000-000000000000", -1, 0, 1e12, true, null),
  );

  it.each(TOOLS.map((tool) => [tool.name, Object.keys(tool.inputSchema.shape)] as const))("%s", async (name, params) => {
    const args = fc.dictionary(fc.oneof(fc.constantFrom(...params, "wait_seconds_", "__proto__x"), fc.string({ maxLength: 8 })), junk, {
      maxKeys: 5,
    });
    await fc.assert(
      fc.asyncProperty(args, async (input) => {
        // Waiting tools would wait for real; bound them so the property stays fast.
        const safe = { ...input, ...(name === "export_status" && { wait_seconds: 0 }) };
        const result = (await client.callTool({ name, arguments: safe })) as CallToolResult;
        const text = result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");
        expect(text.length).toBeGreaterThan(0);
        expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
        expect(text).not.toContain(sim.apiKey);
        if (result.isError) expect(text).not.toMatch(/failed unexpectedly|bug in the server/);
      }),
      { numRuns: 60 },
    );
  });
});
