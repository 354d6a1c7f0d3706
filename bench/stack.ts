/**
 * The processes a benchmark drives: the simulator in a child process, and the built server
 * (or any stdio MCP server) spawned over stdio with an SDK Client connected to it.
 */
import type { Client, CallToolResult } from "@modelcontextprotocol/client";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { request, type Dispatcher } from "undici";
import type { RunningSimulator } from "../src/simulator/index.js";
import { control } from "../src/simulator/testing.js";
import type { SimulatorProcessInfo } from "./simulator-process.js";
import { spawnStdio } from "../test/support/stdio.js";

/** Compiled files next to this one (dist/bench/…) and the built server: the bundle `bin` runs (dist/bundle/main.js). */
export const builtBench = (file: string): string => fileURLToPath(new URL(`./${file}`, import.meta.url));
export const BUILT_SERVER = fileURLToPath(new URL("../bundle/main.js", import.meta.url));
/** The same server as tsc compiled it, module by module (dist/src/main.js): what `bin` ran before the bundle. */
export const UNBUNDLED_SERVER = fileURLToPath(new URL("../src/main.js", import.meta.url));

/** Seconds any single tool call may take before the bench gives up on it. */
const CALL_TIMEOUT_MS = 180_000;
/** Keep only the end of a child's stderr: enough to explain a failure, bounded in memory. */
const STDERR_TAIL_CHARS = 8_000;

const tempLedgerDirs: string[] = [];
/** A ledger file of its own per server, in a temporary folder removed by removeTempLedgers(). */
export const tempLedgerPath = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "bench-ledger-"));
  tempLedgerDirs.push(dir);
  return join(dir, "ledger.sqlite");
};
export const removeTempLedgers = (): void => {
  for (const dir of tempLedgerDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
};

/** A minimal environment: PATH only, so nothing from the caller's shell changes what is measured. */
export const baseEnv = (): Record<string, string> => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir() });

export interface SimulatorProcess {
  info: SimulatorProcessInfo;
  pid: number;
  target: { url: string; apiKey: string };
  close(): Promise<void>;
}

export async function startSimulatorProcess(options: { scale: number; now?: string; seed?: number }): Promise<SimulatorProcess> {
  const args = [
    builtBench("simulator-process.js"),
    "--scale",
    String(options.scale),
    "--seed",
    String(options.seed ?? 42),
    ...(options.now ? ["--now", options.now] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "pipe"], env: baseEnv() });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-STDERR_TAIL_CHARS);
  });
  const info = await new Promise<SimulatorProcessInfo>((resolve, reject) => {
    let stdout = "";
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && line) {
        child.stdout!.off("data", onData);
        try {
          resolve(JSON.parse(line) as SimulatorProcessInfo);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`simulator process exited (${code}) before listening:\n${stderr}`)));
  });
  return {
    info,
    pid: child.pid!,
    target: { url: info.url, apiKey: info.apiKey },
    close: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const forced = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(forced);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export interface StdioServer {
  client: Client;
  pid: number | null;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  stderrTail(): string;
  close(): Promise<void>;
}

/** Spawns a stdio MCP server and connects an SDK Client to it (initialize included). */
export async function connectStdio(command: string, args: string[], env: Record<string, string>): Promise<StdioServer> {
  const child = await spawnStdio({ command, args, env, clientName: "langsmith-mcp-bench", stderrTailChars: STDERR_TAIL_CHARS });
  return {
    client: child.client,
    pid: child.pid(),
    call: async (name, callArgs = {}) => {
      const result = await child.call(name, callArgs, { timeoutMs: CALL_TIMEOUT_MS });
      if (result.isError) {
        const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
        throw new Error(`${name} failed: ${text.slice(0, 500)}`);
      }
      return result;
    },
    stderrTail: child.stderr,
    close: child.close,
  };
}

/**
 * The built server over stdio against a LangSmith endpoint (the simulator), with its own
 * ledger file. `nodeOptions` (e.g. a heap cap) go to the server's Node only, through NODE_OPTIONS;
 * `nodeArgs` on its command line (for flags NODE_OPTIONS refuses, such as --cpu-prof); `script`
 * is the bundle `bin` runs unless given (UNBUNDLED_SERVER: frames that name modules in a profile).
 */
export function connectServer(
  target: { url: string; apiKey: string },
  options: { nodeOptions?: string; nodeArgs?: string[]; script?: string } = {},
): Promise<StdioServer> {
  const script = options.script ?? BUILT_SERVER;
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build first`);
  return connectStdio(process.execPath, [...(options.nodeArgs ?? []), script, "--ledger", tempLedgerPath()], {
    ...baseEnv(),
    LANGSMITH_ENDPOINT: target.url,
    LANGSMITH_API_KEY: target.apiKey,
    LANGSMITH_MCP_LOG_LEVEL: "warn",
    ...(options.nodeOptions && { NODE_OPTIONS: options.nodeOptions }),
  });
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number | null;
  /** Response body bytes, and the runs (or array elements) it listed. */
  bytes: number;
  items: number;
}

/** Clears the simulator's request log so the next count starts at zero. */
export async function clearRequestLog(sim: { url: string }): Promise<void> {
  await control(sim, "DELETE", "requests");
}

/** API requests the simulator served since the last clear (it keeps the last 20,000). */
export async function requestLog(sim: { url: string }): Promise<LoggedRequest[]> {
  return (await control<{ requests: LoggedRequest[] }>(sim, "GET", "requests")).body.requests;
}

/** "POST /api/v2/runs/query ×10, GET /api/v1/runs/:id ×1" */
export function describeRequests(requests: readonly LoggedRequest[]): string {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const key = `${r.method} ${r.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ":id")}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${key} ×${n}`).join(", ");
}

/** The query both run benchmarks use: support-bot's runs of the last two days on the simulator's clock. */
export function supportBotLastTwoDays(sim: RunningSimulator): {
  projectId: string;
  window: { min_start_time: string; max_start_time: string };
} {
  const project = sim.store.projectByName(sim.workspaceId, "support-bot")!;
  const now = sim.clock.now();
  return {
    projectId: project.id,
    window: { min_start_time: new Date(now - 2 * 86_400_000).toISOString(), max_start_time: new Date(now).toISOString() },
  };
}

/** `POST /api/v2/runs/query` straight to the simulator with undici: the baseline a tool is measured against. */
export function rawRunsQuery(sim: { url: string; apiKey: string }, body: string): Promise<Dispatcher.ResponseData> {
  return request(`${sim.url}/api/v2/runs/query`, {
    method: "POST",
    headers: { "x-api-key": sim.apiKey, "content-type": "application/json" },
    body,
  });
}
