import { getDefaultEnvironment } from "@modelcontextprotocol/client/stdio";
import type { Client, CallToolResult } from "@modelcontextprotocol/client";
import { builtServer } from "./built-server.js";
import type { Protocol } from "./protocols.js";
import { spawnStdio } from "./stdio.js";
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
export async function startStack(
  options: { sim?: SimulatorOptions; env?: Record<string, string>; args?: string[]; protocol?: Protocol } = {},
): Promise<Stack> {
  const server = builtServer();
  const sim = await startSimulator({ port: 0, ...options.sim });
  const child = await spawnStdio({
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
    clientName: "e2e-test",
    protocol: options.protocol,
    stderrTailChars: Number.POSITIVE_INFINITY,
  }).catch(async (error: unknown) => {
    await sim.close();
    throw error;
  });
  return {
    sim,
    client: child.client,
    stderr: child.stderr,
    pid: child.pid,
    call: (name, args = {}) => child.call(name, args),
    close: async () => {
      await child.close();
      await sim.close();
    },
  };
}

/** The text content of a tool result. */
export const textOf = (result: CallToolResult): string =>
  result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");
