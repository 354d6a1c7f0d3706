import { Client, InMemoryTransport, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import type { CallToolResult, ClientOptions } from "@modelcontextprotocol/client";
import { createMcpHandler } from "@modelcontextprotocol/server";
import { loadConfig } from "../../src/config.js";
import { LangSmithClient, type LangSmithClientOptions } from "../../src/langsmith/index.js";
import { openSqliteLedger, type Ledger } from "../../src/ledger/index.js";
import { createLogger, type LogLevel } from "../../src/log.js";
import { buildServer, type ServerDeps } from "../../src/server.js";
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../src/simulator/index.js";
import { TaskStore } from "../../src/tasks/index.js";
import { ConfirmationTokens } from "../../src/tools/confirmation.js";

import { clientProtocolOptions, type Protocol } from "./protocols.js";

export { PROTOCOLS, type Protocol } from "./protocols.js";

export interface InMemoryStack {
  sim: RunningSimulator;
  api: LangSmithClient;
  client: Client;
  ledger: Ledger;
  /** The server's log lines so far, as main.ts would write them to stderr (empty unless `logLevel` is set). */
  logs: () => string;
  call: (name: string, args?: Record<string, unknown>) => Promise<CallToolResult>;
  close: () => Promise<void>;
}

export interface InMemoryOptions {
  sim?: SimulatorOptions;
  env?: Record<string, string>;
  /** Command-line flags for loadConfig (`--read-only`, …), besides `env`. */
  args?: string[];
  client?: Partial<LangSmithClientOptions>;
  protocol?: Protocol;
  /** Options of the SDK Client (capabilities, …); its protocol comes from `protocol`. */
  clientOptions?: ClientOptions;
  /** Runs on the Client before it connects (request handlers for elicitation, …). */
  setup?: (client: Client) => void;
  server?: Partial<ServerDeps>;
  /** Secrets the server holds besides the simulator's key (never in its output or its log). */
  secrets?: string[];
  /** Log at this level (as LANGSMITH_MCP_LOG_LEVEL would) into `logs()`; silent by default. */
  logLevel?: LogLevel;
}

/**
 * The server under test in process: the simulator over loopback HTTP, `buildServer` with a
 * real LangSmithClient, and the SDK's Client. 2025-11-25: linked through InMemoryTransport
 * (initialize, one server for the connection). 2026-07-28: the SDK has no in-memory entry for
 * it, so the Client's Streamable HTTP transport calls createMcpHandler's fetch directly (no
 * socket): a server per request, as over HTTP. No build needed.
 */
export async function startInMemoryStack(options: InMemoryOptions = {}): Promise<InMemoryStack> {
  const sim = await startSimulator({ port: 0, ...options.sim });
  // One logger family for the server and its LangSmith client, with the key as a secret: as main.ts wires them.
  let logs = "";
  const secrets = [sim.apiKey, ...(options.secrets ?? [])];
  const logger = createLogger({ level: options.logLevel ?? "silent", secrets, name: "langsmith-mcp", sink: (line) => void (logs += line) });
  const api = new LangSmithClient({ endpoint: sim.url, apiKey: sim.apiKey, logger: logger.child("langsmith"), ...options.client });
  const config = loadConfig(options.args ?? [], {
    LANGSMITH_API_KEY: sim.apiKey,
    LANGSMITH_ENDPOINT: sim.url,
    LANGSMITH_MCP_LEDGER: ":memory:",
    ...options.env,
  });
  const ledger = openSqliteLedger(":memory:");
  const confirmations = new ConfirmationTokens();
  // Shared like the confirmation key: at 2026-07-28 every request gets a server of its own.
  const tasks = new TaskStore();
  const build = () =>
    buildServer({ client: api, config, logger, secrets, ledger, confirmations, tasks, checkOutputs: true, ...options.server });
  const client = new Client(
    { name: "in-memory-test", version: "1.0.0" },
    {
      ...options.clientOptions,
      ...clientProtocolOptions(options.protocol),
    },
  );
  options.setup?.(client);
  let closeServer: () => Promise<void>;
  if (options.protocol === "2026-07-28") {
    const handler = createMcpHandler(build, { legacy: "reject" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL("http://in-memory.test/mcp"), {
        fetch: (url, init) => handler.fetch(new Request(url, init)),
      }),
    );
    closeServer = () => handler.close();
  } else {
    const server = build();
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    closeServer = () => server.close();
  }
  return {
    sim,
    api,
    client,
    ledger,
    logs: () => logs,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await closeServer();
      await api.close();
      ledger.close();
      await sim.close();
    },
  };
}
