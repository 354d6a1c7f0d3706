import { StdioClientTransport, getDefaultEnvironment } from "@modelcontextprotocol/client/stdio";
import { Client } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { builtServer } from "./built-server.js";
import { clientProtocolOptions, type Protocol } from "./protocols.js";
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../src/simulator/index.js";

export { BUILT_SERVER } from "./built-server.js";

export interface Stack {
  sim: RunningSimulator;
  client: Client;
  /** Everything the server wrote to stderr so far. */
  stderr: () => string;
  /** The server process id (null once it has exited). */
  pid: () => number | null;
  call: (name: string, args?: Record<string, unknown>) => Promise<CallToolResult>;
  close: () => Promise<void>;
}

/**
 * The real thing end to end: the simulator over loopback HTTP, the built server spawned over
 * stdio, and the SDK's Client talking to it. `npm test` builds dist/ first.
 */
export async function startStack(options: { sim?: SimulatorOptions; env?: Record<string, string>; args?: string[]; protocol?: Protocol } = {}): Promise<Stack> {
  const server = builtServer();
  const sim = await startSimulator({ port: 0, ...options.sim });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [server, ...(options.args ?? [])],
    env: {
      ...getDefaultEnvironment(),
      LANGSMITH_API_KEY: sim.apiKey,
      LANGSMITH_ENDPOINT: sim.url,
      LANGSMITH_MCP_LOG_LEVEL: "debug",
      // Never the user's own ledger under their data directory.
      LANGSMITH_MCP_LEDGER: ":memory:",
      ...options.env,
    },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  // 2026-07-28: no initialize; every request carries the protocol version in its _meta.
  const client = new Client({ name: "e2e-test", version: "1.0.0" }, clientProtocolOptions(options.protocol));
  await client.connect(transport);
  return {
    sim,
    client,
    stderr: () => stderr,
    pid: () => transport.pid,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await sim.close();
    },
  };
}

/** The text content of a tool result. */
export const textOf = (result: CallToolResult): string =>
  result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");
