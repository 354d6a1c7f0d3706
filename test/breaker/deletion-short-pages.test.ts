/**
 * Breaker: the deletion tools read one v2 page per chunk of ids and never follow next_cursor.
 * The issue: "v2 query `has_more` absent → page on `next_cursor`"; a page may come back short
 * (query_runs itself pages across short pages). LangSmith is a hand-written MockAgent here.
 */
import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { MockAgent } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { LangSmithClient } from "../../src/langsmith/index.js";
import { openSqliteLedger, type Ledger } from "../../src/ledger/index.js";
import { silentLogger } from "../../src/log.js";
import { buildServer } from "../../src/server.js";

const ORIGIN = "https://langsmith.example.com";
const API_KEY = "lsv2_pt_00112233445566778899aabbccddeeff_0123456789";
const PROJECT = "018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327";
const SESSION = { id: PROJECT, name: "support-bot", start_time: "2026-01-01T00:00:00.000001" };
const A = "4bf92f35-77b3-4da6-a3ce-929d0e0e4736";
const B = "f47ac10b-58cc-4372-a567-0e02b2c3d479";
const runA = { id: A, name: "a", start_time: "2026-11-20T10:00:00.123456Z", trace_id: A };
const runB = { id: B, name: "b", start_time: "2026-11-20T11:00:00.654321Z", trace_id: B };

const textOf = (r: CallToolResult): string => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("breaker: deletion tools across a short v2 page (next_cursor, no has_more)", () => {
  let agent: MockAgent;
  let api: LangSmithClient;
  let ledger: Ledger;
  let client: Client;
  let close: () => Promise<void>;
  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
  const pool = () => agent.get(ORIGIN);
  /** LangSmith answers the id query in two pages: A with a cursor, then B. */
  const twoPages = () => {
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(200, { items: [runA], next_cursor: "c2" });
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(200, { items: [runB] });
  };

  beforeEach(async () => {
    agent = new MockAgent();
    agent.disableNetConnect();
    api = new LangSmithClient({ endpoint: ORIGIN, apiKey: API_KEY, dispatcher: agent, sleep: async () => {} });
    ledger = openSqliteLedger(":memory:");
    const config = loadConfig([], { LANGSMITH_API_KEY: API_KEY, LANGSMITH_ENDPOINT: ORIGIN, LANGSMITH_MCP_LEDGER: ":memory:" });
    const server = buildServer({
      client: api,
      config,
      logger: silentLogger(),
      secrets: [API_KEY],
      ledger,
      now: () => new Date("2026-11-29T12:00:00Z"),
    });
    const [c, s] = InMemoryTransport.createLinkedPair();
    await server.connect(s);
    client = new Client({ name: "breaker", version: "1.0.0" });
    await client.connect(c);
    pool().intercept({ path: "/api/v1/info", method: "GET" }).reply(200, { version: "0.16.2" }).persist();
    pool()
      .intercept({ path: (p) => p.startsWith("/api/v1/sessions"), method: "GET" })
      .reply(200, (o) => (o.path.startsWith("/api/v1/sessions?") ? [SESSION] : SESSION))
      .persist();
    close = async () => {
      await client.close();
      await server.close();
      await api.close();
      ledger.close();
      await agent.close();
    };
  });
  afterEach(async () => close());

  it("queue_deletion with explicit trace ids finds a trace that LangSmith returns on the second page", async () => {
    twoPages();
    const result = await call("queue_deletion", { project: "support-bot", trace_ids: [A, B] });
    expect(result.isError, textOf(result)).toBeFalsy();
    const plan = (result.structuredContent as { plan: { trace_count: number; not_found?: { ids: string[] } } }).plan;
    expect(plan.not_found?.ids ?? []).toEqual([]);
    expect(plan.trace_count).toBe(2);
  });

  it("verify_deletion counts a still-visible trace that LangSmith returns on the second page", async () => {
    // Plan and queue A and B (one page each time), then verify against a two-page answer.
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(200, { items: [runA, runB] });
    const plan = await call("queue_deletion", { project: "support-bot", trace_ids: [A, B] });
    const token = (plan.structuredContent as { confirmation_token: string }).confirmation_token;
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(200, { items: [runA, runB] });
    pool().intercept({ path: "/api/v1/runs/delete", method: "POST" }).reply(200, {});
    const queued = await call("queue_deletion", { project: "support-bot", trace_ids: [A, B], confirmation_token: token });
    expect(queued.isError, textOf(queued)).toBeFalsy();
    const purgeId = (queued.structuredContent as { purge: { purge_id: string } }).purge.purge_id;

    twoPages();
    const verified = await call("verify_deletion", { purge_id: purgeId });
    expect(verified.isError, textOf(verified)).toBeFalsy();
    expect((verified.structuredContent as { remaining_count: number }).remaining_count).toBe(2);
  });
  it("verify_deletion does not call a purge verified when LangSmith's first page is empty but carries a next_cursor", async () => {
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(200, { items: [runA, runB] });
    const plan = await call("queue_deletion", { project: "support-bot", trace_ids: [A, B] });
    const token = (plan.structuredContent as { confirmation_token: string }).confirmation_token;
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(200, { items: [runA, runB] });
    pool().intercept({ path: "/api/v1/runs/delete", method: "POST" }).reply(200, {});
    const queued = await call("queue_deletion", { project: "support-bot", trace_ids: [A, B], confirmation_token: token });
    const purgeId = (queued.structuredContent as { purge: { purge_id: string } }).purge.purge_id;

    pool().intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, { items: [], next_cursor: "c2" });
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(200, { items: [runA, runB] });
    const verified = await call("verify_deletion", { purge_id: purgeId });
    const out = verified.structuredContent as { verdict: string; remaining_count: number };
    expect(out.verdict, textOf(verified)).not.toBe("verified");
    expect(out.remaining_count).toBe(2);
  });
  it("queue_deletion plans a purge of 6,000 traces (under its 200,000 limit) that LangSmith answers in pages of 100", async () => {
    const hex = (n: number) => n.toString(16).padStart(12, "0");
    for (let p = 0; p < 60; p++) {
      const items = Array.from({ length: 100 }, (_, i) => {
        const id = `0190a1b2-c3d4-7ef0-a5b6-${hex(p * 100 + i)}`;
        return { id, trace_id: id, name: "t", start_time: "2026-11-20T10:00:00.123456Z" };
      });
      pool()
        .intercept({ path: "/api/v2/runs/query", method: "POST" })
        .reply(200, { items, ...(p < 59 && { next_cursor: `c${p + 1}` }) });
    }
    const result = await call("queue_deletion", {
      project: "support-bot",
      filter: 'eq(metadata_key, "user_id")',
      start_time: "2026-11-01T00:00:00Z",
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect((result.structuredContent as { plan: { trace_count: number } }).plan.trace_count).toBe(6000);
  });
});
