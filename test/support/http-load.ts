/**
 * Load on the HTTP transport: N concurrent MCP clients (SDK Client over Streamable HTTP), each
 * making M tool calls against the built server (spawned by http-stack.ts) on the simulator,
 * loopback only. Reports failed calls, throughput, latency percentiles and the server's
 * resident memory after each round (equal rounds should leave it flat: nothing per request
 * may outlive the request).
 *
 * The short load test in test/e2e/http-tools.test.ts calls `runHttpLoad()`; the benchmark
 * (bench/http-load.ts) runs it at full size. Benchmarks use the test harness, never the other
 * way round.
 */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { readFileSync } from "node:fs";
import { startSimulator } from "../../src/simulator/index.js";
import { spawnHttpServer } from "./http-stack.js";

export interface HttpLoadOptions {
  /** Concurrent MCP clients. */
  sessions: number;
  /** Tool calls each client makes per round, one after another. */
  callsPerSession: number;
  /** Server mode: a fresh server per request (default) or --sessions. */
  mode?: "stateless" | "sessions";
  /** Equal rounds run back to back; memory is sampled after each. */
  rounds?: number;
}

export interface HttpLoadResult {
  mode: "stateless" | "sessions";
  sessions: number;
  calls: number;
  failed: number;
  firstFailure?: string;
  seconds: number;
  callsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Server RSS in MB: after warm-up, then after each round (Linux; empty elsewhere). */
  rssMb: number[];
}

function rssMb(pid: number | undefined): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

const percentile = (sorted: number[], q: number): number =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;

/**
 * The load's call mix: client `session`'s `i`-th call, list_projects, query_runs and get_run in
 * turn (shifted per client), get_run over `runIds` (support-bot runs). The short load test and
 * the benchmark (bench/http-load.ts, clients in another process) send the same mix.
 */
export function loadCall(session: number, i: number, runIds: readonly string[]): { name: string; arguments: Record<string, unknown> } {
  switch ((session + i) % 3) {
    case 0:
      return { name: "list_projects", arguments: { limit: 5 } };
    case 1:
      return { name: "query_runs", arguments: { project: "support-bot", start_time: "24h", page_size: 10 } };
    default:
      return { name: "get_run", arguments: { run_id: runIds[(session * 7 + i) % runIds.length] } };
  }
}

export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const mode = options.mode ?? "stateless";
  const rounds = options.rounds ?? 1;
  const sim = await startSimulator({ port: 0, seed: 42, rateLimits: false });
  try {
    const server = await spawnHttpServer(mode === "sessions" ? ["--sessions", "--max-sessions", String(options.sessions * 2)] : [], {
      LANGSMITH_API_KEY: sim.apiKey,
      LANGSMITH_ENDPOINT: sim.url,
      // Not debug: a line per request would cost the server time inside what is measured.
      LANGSMITH_MCP_LOG_LEVEL: "info",
    });
    try {
      const project = sim.store.projectByName(sim.workspaceId, "support-bot")!;
      const runIds = sim.store
        .runsOfProject(project.id)
        .slice(0, 50)
        .map((r) => r.id);
      const callFor = (session: number, i: number) => loadCall(session, i, runIds);

      const clients = await Promise.all(
        Array.from({ length: options.sessions }, async () => {
          const client = new Client({ name: "http-load", version: "1.0.0" });
          await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
          return client;
        }),
      );

      const latencies: number[] = [];
      let failed = 0;
      let firstFailure: string | undefined;
      const round = async (calls: number, record: boolean) => {
        await Promise.all(
          clients.map(async (client, session) => {
            for (let i = 0; i < calls; i++) {
              const started = performance.now();
              try {
                const result = (await client.callTool(callFor(session, i))) as CallToolResult;
                if (result.isError) throw new Error(JSON.stringify(result.content).slice(0, 300));
              } catch (error) {
                if (record) failed++;
                firstFailure ??= error instanceof Error ? error.message : String(error);
              }
              if (record) latencies.push(performance.now() - started);
            }
          }),
        );
      };

      await round(Math.min(10, options.callsPerSession), false);
      const memory = [rssMb(server.child.pid)];
      const started = performance.now();
      for (let r = 0; r < rounds; r++) {
        await round(options.callsPerSession, true);
        memory.push(rssMb(server.child.pid));
      }
      const seconds = (performance.now() - started) / 1000;
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));

      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        mode,
        sessions: options.sessions,
        calls: latencies.length,
        failed,
        ...(firstFailure !== undefined && { firstFailure }),
        seconds: Math.round(seconds * 100) / 100,
        callsPerSecond: Math.round(latencies.length / seconds),
        latencyMs: {
          p50: percentile(sorted, 0.5),
          p95: percentile(sorted, 0.95),
          p99: percentile(sorted, 0.99),
          max: percentile(sorted, 1),
        },
        rssMb: memory.filter((m): m is number => m !== undefined),
      };
    } finally {
      await server.stop();
    }
  } finally {
    await sim.close();
  }
}

export function formatHttpLoad(result: HttpLoadResult): string {
  const { latencyMs: l } = result;
  return (
    `HTTP load (${result.mode}): ${result.sessions} clients, ${result.calls} tool calls, ${result.failed} failed, ` +
    `${result.seconds} s, ${result.callsPerSecond} calls/s; latency p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms, max ${l.max} ms; ` +
    `server RSS MB after warm-up and each round: ${result.rssMb.join(" → ") || "n/a"}`
  );
}
