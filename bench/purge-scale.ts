/**
 * Purge at scale: 100,000 traces over 5 projects, planned, queued and verified through the
 * MCP tools, with the simulator enforcing LangSmith's documented rate limits (runs/query 15
 * per 10 s, default 1000 per 10 s).
 *
 * Subject: queue_deletion (all_projects, metadata user_id) plan and confirmation, then
 * verify_deletion after the weekend batch, in process: the SDK Client ↔ buildServer in memory
 * ↔ the simulator over loopback HTTP. The simulator's clock is frozen and the LangSmith
 * client's waits (Retry-After of a 429) advance it instead of sleeping, so "simulated time" is
 * exactly the time the rate limits impose on a real LangSmith (requests themselves counted as
 * instantaneous), and the run takes seconds of real time.
 * Baseline: the fewest requests the API allows for the same work (one 1000-id page per 1000
 * traces to find them, one delete per 1000 ids and project, one 1000-id query per 1000 ids to
 * verify); requests are counted from the simulator's responses, not self-reported.
 * Memory: the process's peak RSS and heap over the purge, beside the same after seeding (the
 * simulator's 100,000 runs live in this process too; the difference is the purge's cost).
 *
 *   node dist/bench/purge-scale.js   (writes bench/results/purge-scale.json)
 */
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../src/config.js";
import { LangSmithClient } from "../src/langsmith/index.js";
import { openSqliteLedger } from "../src/ledger/index.js";
import { silentLogger } from "../src/log.js";
import { buildServer } from "../src/server.js";
import { startSimulator, type RunningSimulator } from "../src/simulator/index.js";
import type { SimRun } from "../src/simulator/model.js";
import { oneRunTrace } from "../src/simulator/seed.js";
import { round, type BenchmarkResult } from "./measure.js";

const START = "2026-03-04T10:00:00.000Z"; // a Wednesday: the weekend batch is days away
const PROJECTS = 5;
const TRACES_PER_PROJECT = 20_000;
const USER = "bench-user-7";
const DAY = 86_400_000;

/** Five projects of single-run traces of one user, spread over the last 30 days. */
function seedPurgeTargets(sim: RunningSimulator): void {
  const now = sim.clock.now();
  for (let p = 0; p < PROJECTS; p++) {
    const project = {
      id: randomUUID(),
      tenant_id: sim.workspaceId,
      name: `purge-bench-${p + 1}`,
      description: null,
      start_time: now - 40 * DAY,
      end_time: null,
      reference_dataset_id: null,
      extra: null,
      conversational: false,
    };
    const runs: SimRun[] = [];
    for (let i = 0; i < TRACES_PER_PROJECT; i++) {
      const start = now - 30 * DAY + Math.floor(((i + 0.5) / TRACES_PER_PROJECT) * 29 * DAY);
      runs.push(
        oneRunTrace(randomUUID(), { tenantId: sim.workspaceId, projectId: project.id, startMs: start, metadata: { user_id: USER } }),
      );
    }
    sim.store.addProject(project, runs);
  }
}

interface Phase {
  requests: number;
  byPath: Record<string, number>;
  rateLimited: number;
  simulatedSeconds: number;
  realSeconds: number;
}

export async function runPurgeScale(): Promise<BenchmarkResult> {
  const started = performance.now();
  const counts = { byPath: new Map<string, number>(), limited: 0 };
  const sim = await startSimulator({
    port: 0,
    scale: 0.05,
    now: START,
    rateLimits: true,
    onResponse: (info) => {
      const key = `${info.method} ${info.path}`;
      counts.byPath.set(key, (counts.byPath.get(key) ?? 0) + 1);
      if (info.status === 429) counts.limited++;
    },
  });
  sim.clock.setRate(0);
  seedPurgeTargets(sim);
  const seeded = process.memoryUsage();
  // Waits advance the frozen simulator clock instead of sleeping (see the header).
  const api = new LangSmithClient({ endpoint: sim.url, apiKey: sim.apiKey, sleep: async (ms) => sim.clock.advance(ms) });
  const ledger = openSqliteLedger(":memory:");
  const config = loadConfig([], { LANGSMITH_API_KEY: sim.apiKey, LANGSMITH_ENDPOINT: sim.url, LANGSMITH_MCP_LEDGER: ":memory:" });
  const server = buildServer({
    client: api,
    config,
    logger: silentLogger(),
    secrets: [sim.apiKey],
    ledger,
    now: () => new Date(sim.clock.now()),
    callBudgetMs: 3_600_000,
  });
  const client = new Client({ name: "purge-bench", version: "1.0.0" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  await client.connect(a);

  let peakRss = seeded.rss;
  let peakHeap = seeded.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);

  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await client.callTool({ name, arguments: args }, { timeout: 600_000 })) as CallToolResult;
    if (result.isError) throw new Error(`${name}: ${result.content.map((c) => (c.type === "text" ? c.text : "")).join("")}`);
    return result.structuredContent as Record<string, unknown>;
  };
  const phase = async <T>(run: () => Promise<T>): Promise<{ value: T; figures: Phase }> => {
    counts.byPath.clear();
    counts.limited = 0;
    const sim0 = sim.clock.now();
    const real0 = performance.now();
    const value = await run();
    const byPath = Object.fromEntries(counts.byPath);
    const requests = Object.values(byPath).reduce((n, v) => n + v, 0);
    return {
      value,
      figures: {
        requests,
        byPath,
        rateLimited: counts.limited,
        simulatedSeconds: round((sim.clock.now() - sim0) / 1000, 1),
        realSeconds: round((performance.now() - real0) / 1000, 1),
      },
    };
  };

  try {
    const criteria = { all_projects: true, metadata: [`user_id=${USER}`] };
    const plan = await phase(() => call("queue_deletion", criteria));
    const planned = plan.value["plan"] as { trace_count: number; batches: unknown[]; projects: { name: string; traces: number }[] };
    const total = PROJECTS * TRACES_PER_PROJECT;
    if (planned.trace_count !== total) throw new Error(`planned ${planned.trace_count} traces, not ${total}`);
    const queue = await phase(() => call("queue_deletion", { ...criteria, confirmation_token: plan.value["confirmation_token"] }));
    const purge = queue.value["purge"] as { purge_id: string; expected_completion_window: { end: string } };
    if (queue.value["status"] !== "queued") throw new Error(`queue_deletion answered ${String(queue.value["status"])}`);
    sim.clock.set(Date.parse(purge.expected_completion_window.end) + 3_600_000);
    const verify = await phase(() => call("verify_deletion", { purge_id: purge.purge_id }));
    if (verify.value["verdict"] !== "verified") throw new Error(`verify_deletion answered ${String(verify.value["verdict"])}`);
    clearInterval(sampler);

    const minimum = {
      plan: Math.ceil(TRACES_PER_PROJECT / 1000) * PROJECTS,
      queue: planned.batches.length,
      verify: Math.ceil(total / 1000),
    };
    const subject = plan.figures.requests + queue.figures.requests + verify.figures.requests;
    const baseline = minimum.plan + minimum.queue + minimum.verify;
    const mb = (bytes: number) => round(bytes / 2 ** 20, 0);
    const simulated = plan.figures.simulatedSeconds + queue.figures.simulatedSeconds + verify.figures.simulatedSeconds;
    return {
      name: "purge-scale",
      seconds: round((performance.now() - started) / 1000),
      rows: [
        {
          benchmark: `purge of ${total.toLocaleString("en-US")} traces over ${PROJECTS} projects (rate limits on)`,
          subject: `plan ${plan.figures.requests} + queue ${queue.figures.requests} + verify ${verify.figures.requests} HTTP requests; ${simulated} s on the simulator clock (${plan.figures.rateLimited + queue.figures.rateLimited + verify.figures.rateLimited} answered 429 and retried after Retry-After); peak RSS ${mb(peakRss)} MB (${mb(seeded.rss)} MB after seeding)`,
          subject_value: subject,
          baseline: `the API's minimum: ${minimum.plan} discovery pages + ${minimum.queue} deletes + ${minimum.verify} verification queries`,
          baseline_value: baseline,
          unit: "requests",
          ratio: round(subject / baseline, 2),
          ratio_meaning: "of the minimum request count; lower is better",
          spread: `one run; real time ${round(plan.figures.realSeconds + queue.figures.realSeconds + verify.figures.realSeconds, 1)} s`,
        },
      ],
      details: {
        traces: total,
        projects: planned.projects,
        phases: { plan: plan.figures, queue: queue.figures, verify: verify.figures },
        simulated_seconds: simulated,
        memory_mb: { seeded_rss: mb(seeded.rss), peak_rss: mb(peakRss), seeded_heap: mb(seeded.heapUsed), peak_heap: mb(peakHeap) },
      },
    };
  } finally {
    clearInterval(sampler);
    await client.close();
    await server.close();
    await api.close();
    ledger.close();
    await sim.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runPurgeScale()
    .then((result) => {
      const dir = fileURLToPath(new URL("../../bench/results/", import.meta.url));
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${dir}purge-scale.json`, `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`purge-scale failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
