/**
 * `npm run bench`: benchmarks against the simulator on loopback, reported as ratios to a
 * baseline measured in the same run. Writes bench/results/latest.json and latest.md.
 *
 * Measured here: tool-call overhead (query_runs through MCP vs the same request made directly
 * with undici) and output compactness (bytes an agent receives vs the raw API JSON).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport, getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { startSimulator, type RunningSimulator } from "../src/simulator/index.js";

const SERVER = fileURLToPath(new URL("../src/main.js", import.meta.url));
const RESULTS = fileURLToPath(new URL("../../bench/results/", import.meta.url));
const ITERATIONS = 40;
const WARMUP = 5;

interface Row {
  benchmark: string;
  subject: string;
  baseline: string;
  subject_value: number;
  baseline_value: number;
  unit: string;
  ratio: number;
  spread: string;
}

function stats(samples: number[]): { median: number; p10: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9) };
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

const COMPACT_SELECTS = ["ID", "NAME", "RUN_TYPE", "STATUS", "START_TIME", "END_TIME", "LATENCY_SECONDS", "TOTAL_TOKENS", "TOTAL_COST", "ERROR_PREVIEW", "TRACE_ID", "IS_ROOT"];

async function directQuery(sim: RunningSimulator, body: Record<string, unknown>): Promise<string> {
  const response = await request(`${sim.url}/api/v2/runs/query`, {
    method: "POST",
    headers: { "x-api-key": sim.apiKey, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.body.text();
}

const resultBytes = (result: CallToolResult): number =>
  Buffer.byteLength(JSON.stringify(result.structuredContent)) +
  result.content.reduce((n, c) => n + (c.type === "text" ? Buffer.byteLength(c.text) : 0), 0);

async function main(): Promise<void> {
  const sim = await startSimulator({ port: 0, seed: 42 });
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [SERVER],
      env: { ...getDefaultEnvironment(), LANGSMITH_API_KEY: sim.apiKey, LANGSMITH_ENDPOINT: sim.url, LANGSMITH_MCP_LOG_LEVEL: "warn" },
      stderr: "inherit",
    }),
  );
  const rows: Row[] = [];
  const project = sim.store.projectByName(sim.workspaceId, "support-bot")!;
  const now = new Date(sim.clock.now());
  const window = { min_start_time: new Date(now.getTime() - 2 * 86_400_000).toISOString(), max_start_time: now.toISOString() };
  const toolArgs = { project: "support-bot", start_time: window.min_start_time, end_time: window.max_start_time, page_size: 100 };

  // 1. Tool-call overhead: the same 100 runs through MCP (stdio, validation, shaping) and directly.
  const viaMcp = stats(await time(() => client.callTool({ name: "query_runs", arguments: toolArgs })));
  const direct = stats(await time(() => directQuery(sim, { project_ids: [project.id], ...window, selects: COMPACT_SELECTS, page_size: 100 })));
  rows.push({
    benchmark: "tool-call overhead: query_runs, 100 runs",
    subject: "MCP over stdio",
    baseline: "direct undici POST /api/v2/runs/query",
    subject_value: viaMcp.median,
    baseline_value: direct.median,
    unit: "ms (median)",
    ratio: viaMcp.median / direct.median,
    spread: `p10–p90 ${viaMcp.p10.toFixed(1)}–${viaMcp.p90.toFixed(1)} vs ${direct.p10.toFixed(1)}–${direct.p90.toFixed(1)}`,
  });

  // 2. Output compactness: what an agent reads vs the API's full JSON for the same runs.
  const toolResult = (await client.callTool({ name: "query_runs", arguments: toolArgs })) as CallToolResult;
  const rawFull = await directQuery(sim, { project_ids: [project.id], ...window, selects: ["ID", "NAME", "RUN_TYPE", "STATUS", "START_TIME", "END_TIME", "LATENCY_SECONDS", "ERROR", "INPUTS", "OUTPUTS", "METADATA", "EXTRA", "EVENTS", "TOTAL_TOKENS", "TOTAL_COST", "TRACE_ID", "TAGS"], page_size: 100 });
  const bytes = resultBytes(toolResult);
  const rawBytes = Buffer.byteLength(rawFull);
  rows.push({
    benchmark: "output size: query_runs, 100 runs",
    subject: "query_runs result (text + structured)",
    baseline: "raw API JSON with payload fields",
    subject_value: bytes,
    baseline_value: rawBytes,
    unit: "bytes",
    ratio: bytes / rawBytes,
    spread: `≈${Math.round(bytes / 4)} vs ≈${Math.round(rawBytes / 4)} tokens (4 bytes/token)`,
  });

  const traceRoot = sim.store.runsOfProject(project.id).filter((r) => r.parent_run_id === null).sort((a, b) => sim.store.runsOfTrace(b.id).length - sim.store.runsOfTrace(a.id).length)[0]!;
  const trace = (await client.callTool({ name: "get_trace", arguments: { trace_id: traceRoot.id } })) as CallToolResult;
  const rawTrace = await directQuery(sim, {
    project_ids: [project.id],
    trace_id: traceRoot.id,
    min_start_time: new Date(traceRoot.start_time).toISOString(),
    max_start_time: now.toISOString(),
    selects: ["ID", "NAME", "RUN_TYPE", "STATUS", "START_TIME", "END_TIME", "LATENCY_SECONDS", "ERROR", "INPUTS", "OUTPUTS", "METADATA", "TOTAL_TOKENS", "TOTAL_COST", "PARENT_RUN_IDS", "DOTTED_ORDER"],
    page_size: 1000,
  });
  rows.push({
    benchmark: `output size: get_trace, ${sim.store.runsOfTrace(traceRoot.id).length} runs`,
    subject: "get_trace result",
    baseline: "raw API JSON of the trace's runs",
    subject_value: resultBytes(trace),
    baseline_value: Buffer.byteLength(rawTrace),
    unit: "bytes",
    ratio: resultBytes(trace) / Buffer.byteLength(rawTrace),
    spread: "",
  });

  await client.close();
  await sim.close();

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const table = [
    `Benchmarks (${new Date().toISOString()}, ${machine}; ${ITERATIONS} iterations after ${WARMUP} warm-up)`,
    "",
    "| benchmark | subject | baseline | subject | baseline | ratio | spread |",
    "|---|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.benchmark} | ${r.subject} | ${r.baseline} | ${r.subject_value.toFixed(r.unit === "bytes" ? 0 : 2)} ${r.unit} | ${r.baseline_value.toFixed(r.unit === "bytes" ? 0 : 2)} ${r.unit} | ${r.ratio.toFixed(2)}× | ${r.spread} |`),
  ].join("\n");
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}latest.json`, JSON.stringify({ at: new Date().toISOString(), machine, rows }, null, 2) + "\n");
  writeFileSync(`${RESULTS}latest.md`, table + "\n");
  console.log(table);
}

main().catch((error: unknown) => {
  console.error("bench failed:", error);
  process.exit(1);
});
