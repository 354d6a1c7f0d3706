/**
 * A LangSmith made of hand-written answers in the published spec's shapes: undici's MockAgent
 * as the client's dispatcher, the real server behind an in-memory MCP client. The expectations
 * of the runs-* tests come from the spec and the official SDK, never from our simulator.
 */
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { MockAgent } from "undici";
import { loadConfig } from "../../src/config.js";
import { LangSmithClient } from "../../src/langsmith/index.js";
import { silentLogger } from "../../src/log.js";
import { buildServer } from "../../src/server.js";

export const ORIGIN = "https://langsmith.example.com";
export const API_KEY = "lsv2_pt_00112233445566778899aabbccddeeff_0123456789";
export const NOW = new Date("2026-11-29T12:00:00Z");

export interface SentRequest {
  method: string;
  path: string;
  /** Query parameters, repeated ones as arrays. */
  query: Record<string, string | string[]>;
  body: unknown;
}

export interface MockLangSmith {
  agent: MockAgent;
  pool: ReturnType<MockAgent["get"]>;
  call: (name: string, args?: Record<string, unknown>) => Promise<CallToolResult>;
  sent: () => SentRequest[];
  close: () => Promise<void>;
}

export async function startMockLangSmith(): Promise<MockLangSmith> {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  const api = new LangSmithClient({ endpoint: ORIGIN, apiKey: API_KEY, dispatcher: agent, sleep: async () => {} });
  const config = loadConfig([], { LANGSMITH_API_KEY: API_KEY, LANGSMITH_ENDPOINT: ORIGIN, LANGSMITH_MCP_LEDGER: ":memory:" });
  const server = buildServer({ client: api, config, logger: silentLogger(), secrets: [API_KEY], now: () => NOW });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "runs-fidelity", version: "1.0.0" });
  await client.connect(clientSide);
  return {
    agent,
    pool: agent.get(ORIGIN),
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    sent: () =>
      (agent.getCallHistory()?.calls() ?? []).map((c) => {
        const query: Record<string, string | string[]> = {};
        for (const [key, value] of new URL(c.fullUrl).searchParams) {
          const prev = query[key];
          query[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
        }
        return { method: c.method, path: c.path, query, body: c.body ? JSON.parse(c.body) : undefined };
      }),
    close: async () => {
      await client.close();
      await server.close();
      await api.close();
      await agent.close();
    },
  };
}

export const text = (r: CallToolResult): string => r.content.map((b) => (b.type === "text" ? b.text : "")).join("\n");
