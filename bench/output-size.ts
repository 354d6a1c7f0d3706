/**
 * Output compactness, in o200k tokens (gpt-tokenizer, the tokenizer the result budget counts
 * with): what a model reads of a tool's result against LangSmith's own v2 JSON for the same
 * runs with the same selects (never a richer select that would flatter the tool). The text
 * content and the JSON of structuredContent are reported separately (a client shows one or the
 * other, or both, also reported). Measured for a page of runs per select set, the largest trace
 * of get_trace, and the tool definitions a client puts in the model's context (name,
 * description, inputSchema as tools/list gives them). Payload fields in a listing are cut to
 * 600 characters by the tool (and say so), so "full" shows less than the raw JSON holds. Sizes
 * are deterministic for a seed: one measurement each, no spread applies.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import { startSimulator, type RunningSimulator } from "../src/simulator/index.js";
import { countTokens } from "../src/tokens.js";
import { NODE_SELECTS } from "../src/tools/get-trace.js";
import { RUN_FIELD_PRESETS } from "../src/tools/run-fields.js";
import { expandRunTable, type RunTable } from "../src/tools/run-table.js";
import { round, type BenchmarkResult, type ResultRow } from "./measure.js";
import { connectServer, rawRunsQuery, supportBotLastTwoDays, type StdioServer } from "./stack.js";

/** The goal of issue #14: a page of runs costs the model at most half the raw JSON's tokens, in each view a client may show. */
const PAGE_TOKEN_GOAL = 0.5;
/** The goal of issue #14 for every tool definition together. */
const DEFINITIONS_TOKEN_GOAL = 6_000;

const PAGE = 100;
/** What get_trace asks LangSmith for. */
const TRACE_NODE_SELECTS = NODE_SELECTS;

async function rawQuery(sim: RunningSimulator, body: Record<string, unknown>): Promise<string> {
  return (await rawRunsQuery(sim, JSON.stringify(body))).body.text();
}

export async function runOutputSize(): Promise<BenchmarkResult> {
  const started = performance.now();
  const sim = await startSimulator({ port: 0, seed: 42 });
  const server = await connectServer(sim);
  try {
    const { projectId, window } = supportBotLastTwoDays(sim);

    // The largest trace of the project: where a compact tree view matters most.
    const root = sim.store
      .runsOfProject(projectId)
      .filter((r) => r.parent_run_id === null)
      .sort((a, b) => sim.store.runsOfTrace(b.id).length - sim.store.runsOfTrace(a.id).length)[0]!;
    const traceRuns = sim.store.runsOfTrace(root.id).length;
    const trace = await server.call("get_trace", { trace_id: root.id });
    // The same trace in tokens, against raw JSON with the selects get_trace itself reads.
    const rawTraceSame = await rawQuery(sim, {
      project_ids: [projectId],
      trace_id: root.id,
      min_start_time: new Date(root.start_time).toISOString(),
      max_start_time: window.max_start_time,
      selects: TRACE_NODE_SELECTS,
      page_size: 1000,
    });
    const traceRawTokens = await countTokens(rawTraceSame);
    const traceRow = (subject: string, tokens: number): ResultRow => ({
      benchmark: `tokens: get_trace, ${traceRuns} runs`,
      subject,
      subject_value: tokens,
      baseline: "raw v2 API JSON of the trace's runs, get_trace's selects",
      baseline_value: traceRawTokens,
      unit: "tokens",
      ratio: round(tokens / traceRawTokens, 3),
      ratio_meaning: `of the raw JSON's tokens; goal ≤ ${PAGE_TOKEN_GOAL}`,
      spread: "o200k tokens; deterministic, one measurement",
    });
    const traceTokens = [
      traceRow("text content", await countTokens(textOf(trace))),
      traceRow("structuredContent JSON", await countTokens(JSON.stringify(trace.structuredContent ?? {}))),
    ];
    const pageTokens = await runPageTokens(sim, server, projectId, window);
    const definitions = await definitionTokens(server);
    return {
      name: "output-size",
      seconds: round((performance.now() - started) / 1000),
      rows: [...pageTokens.rows, ...traceTokens, definitions.row],
      details: {
        page_tokens: pageTokens.details,
        definition_tokens: definitions.details,
        get_trace: {
          trace_id: root.id,
          runs: traceRuns,
          text_bytes: textBytes(trace),
          structured_bytes: Buffer.byteLength(JSON.stringify(trace.structuredContent ?? {})),
          raw_bytes: Buffer.byteLength(rawTraceSame),
          raw_tokens: traceRawTokens,
        },
      },
    };
  } finally {
    await server.close();
    await sim.close();
  }
}

const textBytes = (result: CallToolResult): number =>
  result.content.reduce((n, c) => n + (c.type === "text" ? Buffer.byteLength(c.text) : 0), 0);

const textOf = (result: CallToolResult): string => result.content.map((c) => (c.type === "text" ? c.text : "")).join("");

/**
 * Select sets a page of runs is measured with: the three presets, and one heavy in payloads
 * (inputs and outputs as LangSmith stored them, cut like any listing's payloads).
 */
const PAGE_SELECT_SETS: Record<string, { fields: string | string[]; selects: readonly string[] }> = {
  compact: { fields: "compact", selects: RUN_FIELD_PRESETS.compact },
  detailed: { fields: "detailed", selects: RUN_FIELD_PRESETS.detailed },
  full: { fields: "full", selects: RUN_FIELD_PRESETS.full },
  "inputs/outputs": {
    fields: ["name", "status", "start_time", "inputs", "outputs", "error"],
    selects: ["ID", "NAME", "STATUS", "START_TIME", "INPUTS", "OUTPUTS", "ERROR"],
  },
};

/**
 * A page of runs in tokens, per select set: the text, the structured JSON, and both (a client
 * may show either or both), each against the raw v2 JSON of the same runs with the same selects.
 */
async function runPageTokens(
  sim: RunningSimulator,
  server: StdioServer,
  projectId: string,
  window: { min_start_time: string; max_start_time: string },
): Promise<{ rows: ResultRow[]; details: Record<string, unknown> }> {
  const rows: ResultRow[] = [];
  const details: Record<string, unknown> = {};
  for (const [set, { fields, selects }] of Object.entries(PAGE_SELECT_SETS)) {
    const result = await server.call("query_runs", {
      project: "support-bot",
      start_time: window.min_start_time,
      end_time: window.max_start_time,
      page_size: PAGE,
      fields,
    });
    const table = (result.structuredContent as { runs?: RunTable }).runs;
    const ids = table ? expandRunTable(table).map((r) => r.id) : [];
    // The raw baseline holds exactly the runs shown (a page may be cut to the token budget).
    const raw = JSON.parse(await rawQuery(sim, { project_ids: [projectId], ...window, selects, page_size: PAGE })) as {
      runs?: Array<{ id: string }>;
      items?: Array<{ id: string }>;
    };
    const rawRuns = (raw.runs ?? raw.items ?? []).filter((r) => ids.includes(r.id));
    const rawTokens = await countTokens(JSON.stringify({ ...raw, ...(raw.runs ? { runs: rawRuns } : { items: rawRuns }) }));
    const text = await countTokens(textOf(result));
    const structured = await countTokens(JSON.stringify(result.structuredContent ?? {}));
    details[set] = { runs: ids.length, text_tokens: text, structured_tokens: structured, raw_tokens: rawTokens };
    const tokenRow = (subject: string, tokens: number, goal: string): ResultRow => ({
      benchmark: `tokens: query_runs page, ${ids.length} runs, fields ${typeof fields === "string" ? `"${fields}"` : set}`,
      subject,
      subject_value: tokens,
      baseline: "raw v2 API JSON, same runs and selects",
      baseline_value: rawTokens,
      unit: "tokens",
      ratio: round(tokens / rawTokens, 3),
      ratio_meaning: `of the raw JSON's tokens; ${goal}`,
      spread: "o200k tokens; deterministic, one measurement",
    });
    rows.push(
      tokenRow("text content", text, `goal ≤ ${PAGE_TOKEN_GOAL}`),
      tokenRow("structuredContent JSON", structured, `goal ≤ ${PAGE_TOKEN_GOAL}`),
      tokenRow("text + structured (a client showing both)", text + structured, "for reference"),
    );
  }
  return { rows, details };
}

/** The model-facing tool definitions: name, description and inputSchema of each listed tool. */
async function definitionTokens(server: StdioServer): Promise<{ row: ResultRow; details: Record<string, number> }> {
  const { tools } = await server.client.listTools();
  const details: Record<string, number> = {};
  for (const tool of tools)
    details[tool.name] = await countTokens(
      JSON.stringify({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema }),
    );
  const total = Object.values(details).reduce((a, b) => a + b, 0);
  return {
    row: {
      benchmark: `tokens: tool definitions (${tools.length} tools)`,
      subject: "name + description + inputSchema, as tools/list gives them",
      subject_value: total,
      baseline: "goal",
      baseline_value: DEFINITIONS_TOKEN_GOAL,
      unit: "tokens",
      ratio: round(total / DEFINITIONS_TOKEN_GOAL, 3),
      ratio_meaning: "of the goal; ≤ 1 meets it",
      spread: `o200k tokens; largest: ${Object.entries(details)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([name, n]) => `${name} ${n}`)
        .join(", ")}`,
    },
    details,
  };
}
