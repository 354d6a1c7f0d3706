/**
 * The HTTP transport end to end: the simulator over loopback, the built server spawned with
 * `--transport http --port 0`, and SDK Clients over StreamableHTTPClientTransport. Shared by
 * the HTTP suites and the load driver (http-load.ts), which the benchmarks run too.
 */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { spawn, type ChildProcess } from "node:child_process";
import { request } from "undici";
import { builtServer } from "./built-server.js";
import { clientProtocolOptions, type Protocol } from "./protocols.js";
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../src/simulator/index.js";

export { BUILT_SERVER } from "./built-server.js";

export interface HttpServerProcess {
  /** http://127.0.0.1:<port>/mcp */
  url: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  child: ChildProcess;
  stderr: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Spawns the built server in HTTP mode; resolves once it logs its URL. */
export async function spawnHttpServer(args: string[], env: Record<string, string>): Promise<HttpServerProcess> {
  const { PATH, HOME } = process.env;
  const child = spawn(process.execPath, [builtServer(), "--transport", "http", "--port", "0", ...args], {
    // An in-memory ledger: tests never touch the user's own under their data directory.
    env: { PATH: PATH ?? "", HOME: HOME ?? "", LANGSMITH_MCP_LOG_LEVEL: "debug", LANGSMITH_MCP_LEDGER: ":memory:", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const match = /serving MCP over HTTP at (\S+)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${stderr}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    stderr: () => stderr + (stdout ? `\n[stdout!] ${stdout}` : ""),
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface HttpStack {
  sim: RunningSimulator;
  server: HttpServerProcess;
  /** A connected SDK client; `headers` are sent on every request; `protocol` 2025-11-25 by default. */
  connect: (headers?: Record<string, string>, options?: { protocol?: Protocol }) => Promise<Client>;
  close: () => Promise<void>;
}

/** Simulator + built server in HTTP mode. `ownKey: false` starts the server without LANGSMITH_API_KEY. */
export async function startHttpStack(
  options: { sim?: SimulatorOptions; args?: string[]; env?: Record<string, string>; ownKey?: boolean } = {},
): Promise<HttpStack> {
  const sim = await startSimulator({ port: 0, ...options.sim });
  const server = await spawnHttpServer(options.args ?? [], {
    ...(options.ownKey === false ? {} : { LANGSMITH_API_KEY: sim.apiKey }),
    LANGSMITH_ENDPOINT: sim.url,
    ...options.env,
  });
  const clients: Client[] = [];
  return {
    sim,
    server,
    connect: async (headers = {}, { protocol } = {}) => {
      const client = new Client({ name: "http-e2e", version: "1.0.0" }, clientProtocolOptions(protocol));
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers } }));
      clients.push(client);
      return client;
    },
    close: async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await server.stop();
      await sim.close();
    },
  };
}

/** A raw request to the server, for what an SDK client would never send (undici lets us set Host). */
export async function rawRequest(
  url: string,
  options: { method?: "GET" | "POST" | "DELETE" | "PUT" | "OPTIONS"; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; json: () => any }> {
  const res = await request(url, {
    method: options.method ?? "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...options.headers },
    ...(options.body !== undefined && { body: options.body }),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}

export const rawPost = (url: string, body: string, headers: Record<string, string> = {}) => rawRequest(url, { body, headers });

export const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});

export const callTool = async (client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;
