/**
 * Load on two replicas sharing one Postgres ledger, as a team deployment runs: an embedded
 * Postgres (test/support/postgres.ts), the simulator as LangSmith, two built servers in
 * stateless HTTP mode with one ledger URL and one confirmation secret, and the MCP clients in
 * a separate process (this file with `--drive`), so the clients' own work does not share an
 * event loop with what is measured. Each client holds a connection to both replicas and sends
 * its calls to them in turn; the mix has read tools, a ledger read (list_deletions) and a purge
 * planned on one replica and confirmed on the other (a ledger write: the purge, its claim, its
 * queued state, each chained). Reports calls/s, p99 and failed calls (must be 0), as medians
 * over repeats with their spread.
 *
 *   node dist/bench/replicas-load.js [clients] [calls] [repeats]     (default 20 × 60 × 3)
 */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { startSimulator } from "../src/simulator/index.js";
import { spawnHttpServer } from "../test/support/http-stack.js";
import { startPostgres } from "../test/support/postgres.js";
import { type BenchmarkResult, round, spreadOf, summarize } from "./measure.js";

const START = "2026-03-04T10:00:00.000Z"; // a Wednesday: purged traces stay until the weekend batch
const PURGE_PROJECT = "support-bot";

export interface ReplicasLoadOptions {
  clients: number;
  callsPerClient: number;
  repeats: number;
}

/** What one driver run (one repeat) reports. */
interface DriveResult {
  calls: number;
  failed: number;
  firstFailure?: string;
  seconds: number;
  latenciesMs: number[];
  /** Median latency per call kind (ms), to see which part of the mix a slow run spent its time in. */
  medianByTool: Record<string, number>;
  purges: number;
}

interface DriveInput {
  urls: [string, string];
  clients: number;
  callsPerClient: number;
  /** Root trace ids each purge takes one of (distinct per call). */
  traceIds: string[];
  runIds: string[];
}

const percentile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** The client side: runs in its own process (`--drive`), reads its input on stdin, writes its result on stdout. */
async function drive(input: DriveInput): Promise<DriveResult> {
  const connect = async (url: string) => {
    const client = new Client({ name: "replicas-load", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return client;
  };
  const pairs = await Promise.all(Array.from({ length: input.clients }, async () => Promise.all(input.urls.map(connect))));
  let nextTrace = 0;
  const latencies: number[] = [];
  const byTool = new Map<string, number[]>();
  let failed = 0;
  let purges = 0;
  let firstFailure: string | undefined;

  const call = async (client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> => {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content).slice(0, 300)}`);
    return result;
  };

  const run = async (calls: number, record: boolean) => {
    await Promise.all(
      pairs.map(async (pair, c) => {
        let token: { args: Record<string, unknown>; token: string } | undefined;
        for (let i = 0; i < calls; i++) {
          // Calls alternate between the replicas: a plan (step 4) and its confirmation (step 5) land on different ones.
          const client = pair[(c + i) % 2]!;
          const started = performance.now();
          try {
            switch (i % 6) {
              case 0:
                await call(client, "list_projects", { limit: 5 });
                break;
              case 1:
                await call(client, "query_runs", { project: PURGE_PROJECT, start_time: "24h", page_size: 10 });
                break;
              case 2:
                await call(client, "get_run", { run_id: input.runIds[(c * 7 + i) % input.runIds.length] });
                break;
              case 3:
                await call(client, "list_deletions", { limit: 5 });
                break;
              case 4: {
                const args = { project: PURGE_PROJECT, trace_ids: [input.traceIds[nextTrace++ % input.traceIds.length]] };
                const plan = (await call(client, "queue_deletion", args)).structuredContent as { confirmation_token?: string };
                if (!plan.confirmation_token) throw new Error("queue_deletion: no confirmation token in the plan");
                token = { args, token: plan.confirmation_token };
                break;
              }
              default: {
                if (!token) break;
                const queued = (await call(client, "queue_deletion", { ...token.args, confirmation_token: token.token }))
                  .structuredContent as { status?: string };
                if (queued.status !== "queued") throw new Error(`queue_deletion: ${queued.status}`);
                token = undefined;
                if (record) purges++;
              }
            }
          } catch (error) {
            if (record) failed++;
            firstFailure ??= error instanceof Error ? error.message : String(error);
          }
          if (record) {
            const ms = performance.now() - started;
            latencies.push(ms);
            const kind = ["list_projects", "query_runs", "get_run", "list_deletions", "plan", "confirm"][i % 6]!;
            byTool.set(kind, [...(byTool.get(kind) ?? []), ms]);
          }
        }
      }),
    );
  };

  await run(6, false); // warm-up: connections, the servers' first ledger queries
  const started = performance.now();
  await run(input.callsPerClient, true);
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(pairs.flat().map((client) => client.close().catch(() => undefined)));
  const medianByTool = Object.fromEntries(
    [...byTool].map(([kind, ms]) => [
      kind,
      Math.round(
        percentile(
          [...ms].sort((x, y) => x - y),
          0.5,
        ),
      ),
    ]),
  );
  return {
    calls: latencies.length,
    failed,
    ...(firstFailure !== undefined && { firstFailure }),
    seconds,
    latenciesMs: latencies,
    medianByTool,
    purges,
  };
}

/** Starts the driver process with `input`; resolves with what it reports. */
async function driveInChildProcess(input: DriveInput): Promise<DriveResult> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--drive"], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  child.stdin.end(JSON.stringify(input));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`replicas-load driver exited with ${code}: ${out.slice(0, 500)}`);
  return JSON.parse(out) as DriveResult;
}

export interface ReplicasLoadResult {
  clients: number;
  callsPerClient: number;
  repeats: {
    calls: number;
    failed: number;
    callsPerSecond: number;
    p50: number;
    p99: number;
    purges: number;
    medianByTool: Record<string, number>;
    firstFailure?: string;
  }[];
}

export async function runReplicasLoad(options: ReplicasLoadOptions): Promise<ReplicasLoadResult> {
  const [pg, sim] = await Promise.all([startPostgres(), startSimulator({ port: 0, seed: 42, rateLimits: false, now: START })]);
  try {
    const ledgerUrl = await pg.database("replicas_load");
    const env = {
      LANGSMITH_API_KEY: sim.apiKey,
      LANGSMITH_ENDPOINT: sim.url,
      LANGSMITH_MCP_LEDGER_URL: ledgerUrl,
      LANGSMITH_MCP_CONFIRMATION_SECRET: randomBytes(32).toString("hex"),
      // Not debug: a line per request would cost the servers time inside what is measured (info
      // is the least that still logs the "serving" line spawnHttpServer waits for).
      LANGSMITH_MCP_LOG_LEVEL: "info",
    };
    const replicas = await Promise.all([spawnHttpServer([], env), spawnHttpServer([], env)]);
    try {
      const project = sim.store.projectByName(sim.workspaceId, PURGE_PROJECT)!;
      const runs = sim.store.runsOfProject(project.id);
      const roots = runs.filter((r) => r.parent_run_id === null).map((r) => r.id);
      const runIds = runs.slice(0, 50).map((r) => r.id);
      const perRepeat = Math.ceil((options.clients * (options.callsPerClient + 6)) / 6) + options.clients;
      const repeats: ReplicasLoadResult["repeats"] = [];
      for (let r = 0; r < options.repeats; r++) {
        // Each repeat purges traces no earlier repeat touched.
        const traceIds = roots.slice(r * perRepeat, (r + 1) * perRepeat);
        const result = await driveInChildProcess({
          urls: [replicas[0].url, replicas[1].url],
          clients: options.clients,
          callsPerClient: options.callsPerClient,
          traceIds: traceIds.length > 0 ? traceIds : roots,
          runIds,
        });
        const sorted = [...result.latenciesMs].sort((a, b) => a - b);
        repeats.push({
          calls: result.calls,
          failed: result.failed,
          callsPerSecond: round(result.calls / result.seconds, 0),
          p50: round(percentile(sorted, 0.5)),
          p99: round(percentile(sorted, 0.99)),
          purges: result.purges,
          medianByTool: result.medianByTool,
          ...(result.firstFailure !== undefined && { firstFailure: result.firstFailure }),
        });
      }
      return { clients: options.clients, callsPerClient: options.callsPerClient, repeats };
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
    }
  } finally {
    await sim.close();
    await pg.stop();
  }
}

/** bench/run.ts's entry: 20 clients × 60 calls, 3 repeats. */
export async function runReplicasLoadBenchmark(): Promise<BenchmarkResult> {
  const started = performance.now();
  const result = await runReplicasLoad({ clients: 20, callsPerClient: 60, repeats: 3 });
  const failed = result.repeats.reduce((n, r) => n + r.failed, 0);
  if (failed > 0)
    throw new Error(`replicas load: ${failed} calls failed; first: ${result.repeats.find((r) => r.firstFailure)?.firstFailure}`);
  const rate = summarize(result.repeats.map((r) => r.callsPerSecond));
  const p99 = summarize(result.repeats.map((r) => r.p99));
  const calls = result.repeats[0]?.calls ?? 0;
  const purges = result.repeats[0]?.purges ?? 0;
  return {
    name: "replicas-load",
    seconds: round((performance.now() - started) / 1000),
    rows: [
      {
        benchmark: `Two replicas, one Postgres ledger: ${result.clients} clients (another process) × ${result.callsPerClient} calls, alternating replicas`,
        subject: `${calls} calls a repeat (reads, list_deletions, ${purges} purges planned on one replica and confirmed on the other), 0 failed`,
        subject_value: rate.median,
        baseline: "none (absolute figures)",
        baseline_value: null,
        unit: "calls/s",
        ratio: null,
        ratio_meaning: "",
        spread: `calls/s ${spreadOf(rate, 0)}; p99 latency median ${p99.median} ms, ${spreadOf(p99)}`,
      },
    ],
    details: { ...result },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] === "--drive") {
    let text = "";
    for await (const chunk of process.stdin) text += String(chunk);
    process.stdout.write(JSON.stringify(await drive(JSON.parse(text) as DriveInput)));
  } else {
    const [clients = "20", calls = "60", repeats = "3"] = process.argv.slice(2);
    const result = await runReplicasLoad({ clients: Number(clients), callsPerClient: Number(calls), repeats: Number(repeats) });
    for (const r of result.repeats) {
      process.stdout.write(
        `${r.calls} calls, ${r.failed} failed, ${r.callsPerSecond} calls/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.purges} purges; ` +
          `median ms by call: ${JSON.stringify(r.medianByTool)}` +
          `${r.firstFailure ? `; first failure: ${r.firstFailure}` : ""}\n`,
      );
    }
    if (result.repeats.some((r) => r.failed > 0)) process.exitCode = 1;
  }
}
