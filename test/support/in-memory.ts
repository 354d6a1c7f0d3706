import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { loadConfig } from "../../src/config.js";
import { LangSmithClient, type LangSmithClientOptions } from "../../src/langsmith/index.js";
import { openSqliteLedger } from "../../src/ledger/index.js";
import { silentLogger } from "../../src/log.js";
import { buildServer, type ServerDeps } from "../../src/server.js";
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../src/simulator/index.js";

export interface InMemoryStack {
  sim: RunningSimulator;
  api: LangSmithClient;
  client: Client;
  call: (name: string, args?: Record<string, unknown>) => Promise<CallToolResult>;
  close: () => Promise<void>;
}

/**
 * The server under test in process: the simulator over loopback HTTP, `buildServer` with a
 * real LangSmithClient, and the SDK's Client linked through InMemoryTransport. No build needed.
 */
export async function startInMemoryStack(
  options: { sim?: SimulatorOptions; env?: Record<string, string>; client?: Partial<LangSmithClientOptions>; server?: Pick<ServerDeps, "callBudgetMs"> } = {},
): Promise<InMemoryStack> {
  const sim = await startSimulator({ port: 0, ...options.sim });
  const api = new LangSmithClient({ endpoint: sim.url, apiKey: sim.apiKey, ...options.client });
  const config = loadConfig([], { LANGSMITH_API_KEY: sim.apiKey, LANGSMITH_ENDPOINT: sim.url, LANGSMITH_MCP_LEDGER: ":memory:", ...options.env });
  const ledger = openSqliteLedger(":memory:");
  const server = buildServer({ client: api, config, logger: silentLogger(), secrets: [sim.apiKey], ledger, ...options.server });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "in-memory-test", version: "1.0.0" });
  await client.connect(clientSide);
  return {
    sim,
    api,
    client,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await server.close();
      await api.close();
      ledger.close();
      await sim.close();
    },
  };
}
