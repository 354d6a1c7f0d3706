/**
 * Output compactness: the bytes an agent reads from `query_runs` and `get_trace` (text content
 * plus structured content, both of which a client may forward to the model) against the raw
 * API JSON for the same runs with the fields a caller needs to answer the same questions
 * (inputs, outputs, error, metadata), and tokens estimated at 4 bytes per token. Sizes are
 * deterministic for a seed, so one measurement each is the figure; no spread applies.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import { startSimulator, type RunningSimulator } from "../src/simulator/index.js";
import { bytesToTokens, round, type BenchmarkResult } from "./measure.js";
import { connectServer, rawRunsQuery, supportBotLastTwoDays } from "./stack.js";

const PAGE = 100;
const RAW_RUN_SELECTS = ["ID", "NAME", "RUN_TYPE", "STATUS", "START_TIME", "END_TIME", "LATENCY_SECONDS", "ERROR", "INPUTS", "OUTPUTS", "METADATA", "EXTRA", "EVENTS", "TOTAL_TOKENS", "TOTAL_COST", "TRACE_ID", "TAGS"];
const RAW_TRACE_SELECTS = ["ID", "NAME", "RUN_TYPE", "STATUS", "START_TIME", "END_TIME", "LATENCY_SECONDS", "ERROR", "INPUTS", "OUTPUTS", "METADATA", "TOTAL_TOKENS", "TOTAL_COST", "PARENT_RUN_IDS", "DOTTED_ORDER"];

async function rawQuery(sim: RunningSimulator, body: Record<string, unknown>): Promise<string> {
  return (await rawRunsQuery(sim, JSON.stringify(body))).body.text();
}

const resultBytes = (result: CallToolResult): number =>
  Buffer.byteLength(JSON.stringify(result.structuredContent ?? {})) + result.content.reduce((n, c) => n + (c.type === "text" ? Buffer.byteLength(c.text) : 0), 0);

export async function runOutputSize(): Promise<BenchmarkResult> {
  const started = performance.now();
  const sim = await startSimulator({ port: 0, seed: 42 });
  const server = await connectServer(sim);
  try {
    const { projectId, window } = supportBotLastTwoDays(sim);

    const runs = await server.call("query_runs", { project: "support-bot", start_time: window.min_start_time, end_time: window.max_start_time, page_size: PAGE });
    const rawRuns = await rawQuery(sim, { project_ids: [projectId], ...window, selects: RAW_RUN_SELECTS, sort_order: "DESC", page_size: PAGE });

    // The largest trace of the project: where a compact tree view matters most.
    const root = sim.store
      .runsOfProject(projectId)
      .filter((r) => r.parent_run_id === null)
      .sort((a, b) => sim.store.runsOfTrace(b.id).length - sim.store.runsOfTrace(a.id).length)[0]!;
    const traceRuns = sim.store.runsOfTrace(root.id).length;
    const trace = await server.call("get_trace", { trace_id: root.id });
    const rawTrace = await rawQuery(sim, {
      project_ids: [projectId],
      trace_id: root.id,
      min_start_time: new Date(root.start_time).toISOString(),
      max_start_time: window.max_start_time,
      selects: RAW_TRACE_SELECTS,
      page_size: 1000,
    });

    const row = (benchmark: string, subject: string, baseline: string, bytes: number, rawBytes: number) => ({
      benchmark,
      subject,
      subject_value: bytes,
      baseline,
      baseline_value: rawBytes,
      unit: "bytes",
      ratio: round(bytes / rawBytes, 3),
      ratio_meaning: "of the raw JSON's size; lower is better",
      spread: `≈${bytesToTokens(bytes)} vs ≈${bytesToTokens(rawBytes)} tokens (4 bytes/token); deterministic, one measurement`,
    });
    return {
      name: "output-size",
      seconds: round((performance.now() - started) / 1000),
      rows: [
        row(`output size: query_runs, ${PAGE} runs`, "query_runs result (text + structured)", "raw v2 API JSON with payload fields", resultBytes(runs), Buffer.byteLength(rawRuns)),
        row(`output size: get_trace, ${traceRuns} runs`, "get_trace result (text + structured)", "raw v2 API JSON of the trace's runs", resultBytes(trace), Buffer.byteLength(rawTrace)),
      ],
      details: {
        query_runs: { text_bytes: textBytes(runs), structured_bytes: Buffer.byteLength(JSON.stringify(runs.structuredContent ?? {})), raw_bytes: Buffer.byteLength(rawRuns) },
        get_trace: { trace_id: root.id, runs: traceRuns, text_bytes: textBytes(trace), structured_bytes: Buffer.byteLength(JSON.stringify(trace.structuredContent ?? {})), raw_bytes: Buffer.byteLength(rawTrace) },
      },
    };
  } finally {
    await server.close();
    await sim.close();
  }
}

const textBytes = (result: CallToolResult): number => result.content.reduce((n, c) => n + (c.type === "text" ? Buffer.byteLength(c.text) : 0), 0);
