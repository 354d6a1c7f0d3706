import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { LangSmithClient } from "../../src/langsmith/index.js";
import { openSqliteLedger } from "../../src/ledger/index.js";
import { silentLogger } from "../../src/log.js";
import { buildServer } from "../../src/server.js";
import { startSimulator, type RunningSimulator } from "../../src/simulator/index.js";

// Wednesday 2026-11-25 15:30 UTC, for the server and (frozen) for the simulator alike.
const NOW = new Date("2026-11-25T15:30:00Z");

let sim: RunningSimulator;
let client: Client;
let close: () => Promise<void>;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, now: NOW });
  sim.clock.setRate(0);
  const api = new LangSmithClient({ endpoint: sim.url, apiKey: sim.apiKey });
  const config = loadConfig([], { LANGSMITH_API_KEY: sim.apiKey, LANGSMITH_ENDPOINT: sim.url, LANGSMITH_MCP_LEDGER: ":memory:" });
  const ledger = openSqliteLedger(":memory:");
  const server = buildServer({ client: api, config, logger: silentLogger(), secrets: [sim.apiKey], ledger, now: () => new Date(NOW) });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  client = new Client({ name: "phrases-test", version: "1.0.0" });
  await client.connect(clientSide);
  close = async () => {
    await client.close();
    await server.close();
    await api.close();
    ledger.close();
    await sim.close();
  };
});
afterAll(() => close());

const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
const text = (result: CallToolResult) => result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("tools read the times people type and echo the absolute window", () => {
  it("query_runs reads yesterday … today as the whole of yesterday in UTC", async () => {
    const result = await call("query_runs", { project: "checkout-bot", start_time: "yesterday", end_time: "today", page_size: 1 });
    expect(result.isError, text(result)).toBeFalsy();
    expect((result.structuredContent as { window: unknown }).window).toEqual({
      start_time: "2026-11-24T00:00:00.000Z",
      end_time: "2026-11-25T00:00:00.000Z",
    });
    expect(text(result)).toContain("2026-11-24T00:00:00");
  });

  it('query_runs reads "2 hours ago" from the server\'s clock', async () => {
    const result = await call("query_runs", { project: "checkout-bot", start_time: "2 hours ago", page_size: 1 });
    expect(result.isError, text(result)).toBeFalsy();
    expect((result.structuredContent as { window: unknown }).window).toEqual({
      start_time: "2026-11-25T13:30:00.000Z",
      end_time: "2026-11-25T15:30:00.000Z",
    });
  });

  it("create_export refuses 2024-02-31 naming the field instead of rolling over to March", async () => {
    const result = await call("create_export", {
      project: "checkout-bot",
      destination: "no-such-destination",
      start_time: "2024-02-01",
      end_time: "2024-02-31",
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("Invalid `end_time`");
    expect(text(result)).toContain("2024-02 has 29 days");
  });

  it('queue_deletion\'s plan says which trace-start window "since Monday" became', async () => {
    const result = await call("queue_deletion", {
      project: "checkout-bot",
      start_time: "since Monday",
      end_time: "today",
      filter: 'eq(status, "error")',
    });
    expect(result.isError, text(result)).toBeFalsy();
    const structured = result.structuredContent as { status: string; plan?: { time_window?: unknown } };
    if (structured.status === "nothing_to_delete") {
      expect(text(result)).toContain("that started 2026-11-23T00:00:00.000Z … 2026-11-25T00:00:00.000Z");
    } else {
      expect(structured.plan?.time_window).toEqual({ start_time: "2026-11-23T00:00:00.000Z", end_time: "2026-11-25T00:00:00.000Z" });
      expect(text(result)).toContain("that started 2026-11-23T00:00:00.000Z … 2026-11-25T00:00:00.000Z");
    }
  });

  it("verify_deletion by criteria echoes the window it re-queried", async () => {
    const result = await call("verify_deletion", { project: "checkout-bot", start_time: "2026-11-24", end_time: "2026-11-24T12:00" });
    expect(result.isError, text(result)).toBeFalsy();
    expect((result.structuredContent as { time_window?: unknown }).time_window).toEqual({
      start_time: "2026-11-24T00:00:00.000Z",
      end_time: "2026-11-24T12:00:00.000Z",
    });
  });
});
