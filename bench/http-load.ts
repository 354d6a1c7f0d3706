/**
 * The HTTP load benchmark, three processes apart so none measures another's work: the
 * simulator (bench/simulator-process.ts), the built server in HTTP mode (stateless by
 * default), and the clients (this file run with `--clients`: N SDK Clients over Streamable
 * HTTP, each making calls one after another, the mix of test/support/http-load.ts:
 * list_projects, query_runs of 10 runs, get_run). The clients run ROUNDS equal rounds on the
 * parent's signal, so the server's RSS is read between rounds, while nothing runs.
 *
 * Reported: calls per second per round (median and min–max over the rounds), latency
 * percentiles over every call, server RSS after warm-up and after each round (equal rounds
 * should leave it flat). There is no baseline server to divide by; the figures stand alone.
 *
 *   node dist/bench/http-load.js [clients] [calls per client per round] [stateless|sessions]
 */
import { Client, StreamableHTTPClientTransport, type CallToolResult } from "@modelcontextprotocol/client";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { apiCall } from "../src/simulator/testing.js";
import { loadCall } from "../test/support/http-load.js";
import { spawnHttpServer } from "../test/support/http-stack.js";
import { processMemory, quantile, round, summarize, type BenchmarkResult } from "./measure.js";
import { baseEnv, builtBench, startSimulatorProcess } from "./stack.js";

const CLIENTS = 50;
const CALLS_PER_ROUND = 40;
const ROUNDS = 5;
const WARMUP_CALLS = 5;

interface LoadConfig {
  url: string;
  clients: number;
  calls: number;
  rounds: number;
  warmup: number;
  runIds: string[];
}

/** What the clients process writes per round (one JSON line each). */
interface RoundReport {
  round: number;
  seconds: number;
  calls: number;
  failed: number;
  firstFailure?: string;
  latenciesMs: number[];
}

export interface HttpLoadFigures {
  mode: "stateless" | "sessions";
  clients: number;
  calls: number;
  failed: number;
  firstFailure?: string;
  callsPerSecond: ReturnType<typeof summarize>;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  rssMb: number[];
}

/** Simulator, server and clients in three processes; rounds driven from here. */
export async function runHttpLoad(options: { clients: number; calls: number; rounds: number; mode: "stateless" | "sessions" }) {
  const sim = await startSimulatorProcess({ scale: 1 });
  try {
    const projects = await apiCall<{ id: string }[]>(sim.target, "GET", "/api/v1/sessions?name=support-bot");
    const page = await apiCall<{ items: { id: string }[] }>(sim.target, "POST", "/api/v2/runs/query", {
      project_ids: [projects.body[0]!.id],
      min_start_time: new Date(Date.parse(sim.info.now) - 86_400_000).toISOString(),
      page_size: 50,
    });
    const server = await spawnHttpServer(options.mode === "sessions" ? ["--sessions", "--max-sessions", String(options.clients * 2)] : [], {
      LANGSMITH_API_KEY: sim.target.apiKey,
      LANGSMITH_ENDPOINT: sim.target.url,
      // Info, not debug: a line per request would cost the server time inside what is measured (and it says its URL at info).
      LANGSMITH_MCP_LOG_LEVEL: "info",
    });
    try {
      const config: LoadConfig = {
        url: server.url,
        clients: options.clients,
        calls: options.calls,
        rounds: options.rounds,
        warmup: WARMUP_CALLS,
        runIds: page.body.items.map((r) => r.id),
      };
      const child = spawn(process.execPath, [builtBench("http-load.js"), "--clients", JSON.stringify(config)], {
        env: baseEnv(),
        stdio: ["pipe", "pipe", "inherit"],
      });
      const lines = createInterface({ input: child.stdout! });
      const rss: number[] = [];
      const reports: RoundReport[] = [];
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      for await (const line of lines) {
        // "ready" after warm-up, then one report per round; the next round starts on our newline.
        if (line !== "ready") reports.push(JSON.parse(line) as RoundReport);
        rss.push(processMemory(server.child.pid)?.rssMb ?? Number.NaN);
        if (reports.length === options.rounds) break;
        child.stdin!.write("\n");
      }
      child.stdin!.end();
      if ((await exited) !== 0 || reports.length !== options.rounds)
        throw new Error(`the clients process failed (${reports.length} rounds)`);
      const latencies = reports.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
      const failed = reports.reduce((n, r) => n + r.failed, 0);
      const firstFailure = reports.find((r) => r.firstFailure)?.firstFailure;
      const figures: HttpLoadFigures = {
        mode: options.mode,
        clients: options.clients,
        calls: latencies.length,
        failed,
        ...(firstFailure !== undefined && { firstFailure }),
        callsPerSecond: summarize(reports.map((r) => r.calls / r.seconds)),
        latencyMs: {
          p50: round(quantile(latencies, 0.5)),
          p95: round(quantile(latencies, 0.95)),
          p99: round(quantile(latencies, 0.99)),
          max: round(latencies.at(-1) ?? Number.NaN),
        },
        rssMb: rss,
      };
      return figures;
    } finally {
      await server.stop();
    }
  } finally {
    await sim.close();
  }
}

/** The suite's view: 50 clients × 40 calls × 5 rounds, stateless. */
export async function runHttpLoadBenchmark(): Promise<BenchmarkResult> {
  const started = performance.now();
  const result = await runHttpLoad({ clients: CLIENTS, calls: CALLS_PER_ROUND, rounds: ROUNDS, mode: "stateless" });
  if (result.failed > 0) throw new Error(`HTTP load: ${result.failed} of ${result.calls} calls failed; first: ${result.firstFailure}`);
  const { latencyMs: l, callsPerSecond: c } = result;
  return {
    name: "http-load",
    seconds: round((performance.now() - started) / 1000),
    rows: [
      {
        benchmark: `HTTP load: ${result.clients} concurrent clients × ${CALLS_PER_ROUND} calls × ${ROUNDS} rounds (${result.mode}; clients, server, simulator in 3 processes)`,
        subject: `${result.calls} tool calls (list_projects, query_runs, get_run), ${result.failed} failed`,
        subject_value: Math.round(c.median),
        baseline: "none (absolute figures)",
        baseline_value: null,
        unit: "calls/s",
        ratio: null,
        ratio_meaning: "",
        spread:
          `median of ${c.n} rounds, min–max ${Math.round(c.min)}–${Math.round(c.max)} calls/s; latency p50 ${l.p50} ms, p95 ${l.p95} ms, ` +
          `p99 ${l.p99} ms, max ${l.max} ms; server RSS ${result.rssMb.join(" → ")} MB (after warm-up, then each round)`,
      },
    ],
    details: { ...result },
  };
}

/** The clients process: connect, warm up, then one round per newline on stdin, a JSON report each. */
async function clientsProcess(config: LoadConfig): Promise<void> {
  const callFor = (session: number, i: number) => loadCall(session, i, config.runIds);
  const clients = await Promise.all(
    Array.from({ length: config.clients }, async () => {
      const client = new Client({ name: "http-load", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(config.url)));
      return client;
    }),
  );
  const runRound = async (calls: number, offset: number) => {
    const latenciesMs: number[] = [];
    let failed = 0;
    let firstFailure: string | undefined;
    const started = performance.now();
    await Promise.all(
      clients.map(async (client, session) => {
        for (let i = 0; i < calls; i++) {
          const t0 = performance.now();
          try {
            const result = (await client.callTool(callFor(session, offset + i))) as CallToolResult;
            if (result.isError) throw new Error(JSON.stringify(result.content).slice(0, 300));
          } catch (error) {
            failed++;
            firstFailure ??= error instanceof Error ? error.message : String(error);
          }
          latenciesMs.push(round(performance.now() - t0, 2));
        }
      }),
    );
    return { seconds: (performance.now() - started) / 1000, calls: latenciesMs.length, failed, firstFailure, latenciesMs };
  };
  await runRound(config.warmup, 0);
  process.stdout.write("ready\n");
  const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  for (let r = 0; r < config.rounds; r++) {
    if ((await stdin.next()).done) break;
    const report = await runRound(config.calls, config.warmup + r * config.calls);
    process.stdout.write(`${JSON.stringify({ round: r + 1, ...report })}\n`);
  }
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] === "--clients") {
    await clientsProcess(JSON.parse(process.argv[3]!) as LoadConfig);
    process.exit(0);
  }
  const [clients = String(CLIENTS), calls = String(CALLS_PER_ROUND), mode = "stateless"] = process.argv.slice(2);
  const result = await runHttpLoad({
    clients: Number(clients),
    calls: Number(calls),
    rounds: ROUNDS,
    mode: mode as "stateless" | "sessions",
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (result.failed > 0) process.exitCode = 1;
}
