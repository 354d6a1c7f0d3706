/**
 * The one way to spawn an MCP server over stdio and connect the SDK's Client to it. The e2e
 * stack (stack.ts), the README-snippet test, the benchmarks and the demo all start processes
 * through it.
 */
import type { ChildProcess } from "node:child_process";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { Client } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { clientProtocolOptions, type Protocol } from "./protocols.js";

/** Keep only the end of a child's stderr by default: enough to explain a failure, bounded in memory. */
const DEFAULT_STDERR_TAIL_CHARS = 64_000;

export interface StdioProcess {
  client: Client;
  /** The server process id (null once it has exited). */
  pid: () => number | null;
  /** Resolves with the server's exit code (null when a signal ended it) once it has exited. */
  exited: Promise<number | null>;
  /** The last `stderrTailChars` characters the server wrote to stderr. */
  stderr: () => string;
  /** tools/call; a `timeoutMs` overrides the SDK's 60 s request timeout (benchmarks use it). */
  call: (name: string, args?: Record<string, unknown>, options?: { timeoutMs?: number }) => Promise<CallToolResult>;
  close: () => Promise<void>;
}

export interface SpawnStdioOptions {
  command: string;
  args: string[];
  /** The child's whole environment (nothing is inherited beyond what is passed). */
  env: Record<string, string>;
  clientName?: string;
  /** Protocol revision the client speaks (default 2025-11-25, with the initialize handshake). */
  protocol?: Protocol;
  stderrTailChars?: number;
  /** Also hands each stderr chunk here as it arrives (the demo echoes the server's warnings). */
  onStderr?: (text: string) => void;
}

/** Spawns `command args` with `env`, connects a Client (handshake or not, per `protocol`). */
export async function spawnStdio(options: SpawnStdioOptions): Promise<StdioProcess> {
  const tail = options.stderrTailChars ?? DEFAULT_STDERR_TAIL_CHARS;
  const transport = new StdioClientTransport({ command: options.command, args: options.args, env: options.env, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    stderr = (stderr + text).slice(-tail);
    options.onStderr?.(text);
  });
  const client = new Client(
    { name: options.clientName ?? "langsmith-mcp-test", version: "1.0.0" },
    clientProtocolOptions(options.protocol),
  );
  try {
    await client.connect(transport);
  } catch (error) {
    await transport.close().catch(() => undefined);
    throw new Error(
      `${options.command} ${options.args.join(" ")} did not start: ${error instanceof Error ? error.message : String(error)}\n${stderr}`,
    );
  }
  // The SDK transport keeps its child private and reports no exit code; the child is read once
  // here, right after connect, when it certainly exists.
  const child = (transport as unknown as { _process?: ChildProcess })._process;
  const exited = new Promise<number | null>((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) resolve(child?.exitCode ?? null);
    else child.once("exit", (code) => resolve(code));
  });
  return {
    client,
    pid: () => transport.pid,
    exited,
    stderr: () => stderr,
    call: async (name, args = {}, callOptions = {}) =>
      (await client.callTool(
        { name, arguments: args },
        callOptions.timeoutMs ? { timeout: callOptions.timeoutMs } : undefined,
      )) as CallToolResult,
    close: () => client.close().catch(() => undefined),
  };
}
