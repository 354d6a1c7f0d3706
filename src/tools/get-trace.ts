import { z } from "zod";
import { LangSmithIdSchema } from "./schemas.js";
import { UserInputError } from "../errors.js";
import {
  costUsd,
  isLangSmithApiError,
  isRunNotFound,
  openTrace,
  orphanNote,
  type LangSmithClient,
  type RunSelectField,
  type RunV2,
  type TraceReader,
} from "../langsmith/index.js";
import { apiTimeMs, apiTimestamp } from "../api-time.js";
import { defineTool } from "./define-tool.js";
import { countPayloadTokens, fitItems, truncateText } from "./output-budget.js";
import { PAGE_AIM, runsToAsk, tokensPerRunFromSelects, tokensPerRunMeasured } from "./page-estimate.js";
import { noteLines, num, seconds, usd } from "./render.js";
import type { RunView } from "./run-fields.js";
import { RunTableSchema, tabulateRuns } from "./run-table.js";

const ERROR_PREVIEW_CHARS = 200;

/** What get_trace asks LangSmith for, per node of the tree (the benchmark measures the same). */
export const NODE_SELECTS: readonly RunSelectField[] = [
  "ID",
  "NAME",
  "RUN_TYPE",
  "STATUS",
  "START_TIME",
  "END_TIME",
  "LATENCY_SECONDS",
  "TOTAL_TOKENS",
  "TOTAL_COST",
  "ERROR_PREVIEW",
  "PARENT_RUN_IDS",
  "DOTTED_ORDER",
];

const inputSchema = z.object({
  trace_id: LangSmithIdSchema.optional().describe("The trace's id (the id of its root run)."),
  run_id: LangSmithIdSchema.optional().describe("Any run in the trace; its whole trace is shown. Give this or trace_id."),
  max_nodes: z.number().int().min(1).max(5_000).default(300).describe("Show at most this many runs, in tree order (default 300)."),
});

/** One run of the tree: the fields its line shows, plus where it hangs. */
interface TraceNode {
  id: string;
  /** Absent for the root. */
  parent_run_id?: string;
  depth: number;
  name?: string;
  run_type?: string;
  status?: string;
  start_time?: string;
  latency_seconds?: number;
  total_tokens?: number;
  total_cost?: number;
  error_preview?: string;
}

const outputSchema = z.object({
  trace_id: z.string(),
  project_id: z.string(),
  run_count: z.number().int().describe("Runs in the trace."),
  error_count: z.number().int(),
  total_tokens: z.number().optional().describe("Absent when no run of the trace recorded tokens."),
  total_cost: z.number().optional().describe("USD; absent when no run recorded a cost."),
  nodes: RunTableSchema.describe(
    "Runs in tree order (by dotted_order), as a table read like query_runs' runs; columns include depth (0: the root) and parent_run_id " +
      "(absent for the root).",
  ),
  truncated: z.boolean(),
  notes: z.array(z.string()).optional(),
});

/**
 * A finished run may lack latency_seconds (every RunResponse field is optional): it is then
 * derived from start and end, or left unknown. "Running" comes from the status (pending,
 * running, queued), or from the absence of both a status and an end time; never from a
 * missing latency alone.
 */
function latencyOf(run: RunV2): number | null {
  if (typeof run.latency_seconds === "number") return run.latency_seconds;
  const start = run.start_time ? apiTimeMs(run.start_time) : NaN;
  const end = run.end_time ? apiTimeMs(run.end_time) : NaN;
  return Number.isFinite(start) && Number.isFinite(end) ? (end - start) / 1000 : null;
}

function toNode(run: RunV2): TraceNode {
  const parents = run.parent_run_ids ?? [];
  return {
    id: run.id,
    parent_run_id: parents.length ? parents[parents.length - 1]! : undefined,
    depth: parents.length,
    name: run.name ?? undefined,
    run_type: run.run_type?.toLowerCase(),
    status: run.status?.toLowerCase(),
    start_time: apiTimestamp(run.start_time) ?? run.start_time ?? undefined,
    latency_seconds: latencyOf(run) ?? undefined,
    total_tokens: run.total_tokens ?? undefined,
    total_cost: run.total_cost ?? undefined,
    error_preview: run.error_preview ? truncateText(run.error_preview.replace(/\s+/g, " "), ERROR_PREVIEW_CHARS).text : undefined,
  };
}

export const getTrace = defineTool({
  name: "get_trace",
  title: "Get a trace tree",
  description:
    "Show a LangSmith trace as a run tree with status, latency, tokens and errors per run, from the trace id or any run id in it. " +
    "Use it to see where in a chain or agent a failure started. " +
    "Next: get_run for one node's payloads.",
  toolset: "runs",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, { client, config, signal, now }) {
    const givenId = args.trace_id ?? args.run_id;
    if (!givenId || (args.trace_id && args.run_id)) {
      throw new UserInputError(
        args.trace_id ? "run_id" : "trace_id",
        "give exactly one of trace_id or run_id.",
        "Pass the trace id, or the id of any run in the trace.",
      );
    }
    const field = args.trace_id ? "trace_id" : "run_id";
    let trace: TraceReader;
    try {
      trace = await openTrace(client, givenId, { selects: NODE_SELECTS, now: now() }, signal);
    } catch (error) {
      if (isRunNotFound(error)) {
        throw new UserInputError(field, `no run ${givenId} in this workspace.`, "Check the id; query_runs lists run and trace ids.");
      }
      throw error;
    }
    const budget = config.maxOutputTokens;

    // Runs in start order: every prefix is a tree from the root down, so reading stops once the output is full.
    const runs: RunV2[] = [];
    let totals: TraceTotals | undefined;
    /** The result showing the first `count` runs read (by start), in tree order. */
    const render = (count: number) => renderTrace(trace, runs, count, totals, args.max_nodes, budget);

    let tokensPerNode = tokensPerRunFromSelects(NODE_SELECTS);
    for (let reads = 0; runs.length < args.max_nodes && !trace.done && reads < MAX_TRACE_READS; reads++) {
      let ask = runsToAsk(args.max_nodes - runs.length, budget, tokensPerNode);
      if (runs.length) {
        const counted = await countPayloadTokens(render(runs.length));
        const load = Math.max(counted.text, counted.structured) / budget;
        tokensPerNode = tokensPerRunMeasured(load, budget, runs.length);
        ask = Math.min(args.max_nodes - runs.length, Math.floor(((PAGE_AIM - load) * budget) / tokensPerNode));
        if (ask < 1) break;
      }
      runs.push(...(await trace.next(ask)));
    }
    if (runs.length === 0) {
      throw new UserInputError(
        field,
        `trace ${trace.rootId} has no runs in its project's query results.`,
        "It may have been deleted; query_runs with trace_id shows what remains.",
      );
    }
    // Totals of the runs not read come from LangSmith's stats for the trace (one request).
    if (!trace.done) totals = await traceTotals(client, trace, signal);
    return (await fitItems(runs.length, render, budget)).payload;
  },
});

/** Reads of a trace's runs for one result at most (each sized to what is left of the budget). */
const MAX_TRACE_READS = 6;

/** The whole trace's figures, when not every run was read. */
interface TraceTotals {
  run_count: number;
  error_count?: number;
  total_tokens?: number;
  total_cost?: number;
}

/** `POST /api/v1/runs/stats` on the trace; undefined when this LangSmith cannot say (the result then says "at least"). */
async function traceTotals(client: LangSmithClient, trace: TraceReader, signal: AbortSignal): Promise<TraceTotals | undefined> {
  try {
    const stats = await client.runStats(
      {
        session: [trace.projectId],
        trace: trace.traceId,
        start_time: trace.window.minStartTime,
        end_time: trace.window.maxStartTime,
        select: ["run_count", "error_rate", "total_tokens", "total_cost"],
      },
      signal,
    );
    if (typeof stats.run_count !== "number") return undefined;
    return {
      run_count: stats.run_count,
      ...(typeof stats.error_rate === "number" && { error_count: Math.round(stats.error_rate * stats.run_count) }),
      ...(typeof stats.total_tokens === "number" && { total_tokens: stats.total_tokens }),
      ...(costUsd(stats.total_cost) !== null && { total_cost: costUsd(stats.total_cost)! }),
    };
  } catch (error) {
    if (isLangSmithApiError(error) && error.status < 500 && error.status !== 429) return undefined;
    throw error;
  }
}

/**
 * The result for the first `count` of `read` (start order) shown as a tree. Counts and totals
 * are the whole trace's: from the runs read when they are all of it, else from `totals`.
 */
function renderTrace(
  trace: TraceReader,
  read: readonly RunV2[],
  count: number,
  totals: TraceTotals | undefined,
  maxNodes: number,
  budget: number,
) {
  const shownRuns = read.slice(0, count);
  const all = read.map(toNode);
  const nodes = [...shownRuns].sort((a, b) => (a.dotted_order ?? "").localeCompare(b.dotted_order ?? "")).map(toNode);
  const rootNode = all.find((node) => node.id === trace.rootId) ?? all[0]!;
  const orphans = orphanNote(trace.done ? read : shownRuns, trace.rootId, NODE_SELECTS);
  const readAll = trace.done;
  const runCount = readAll ? all.length : (totals?.run_count ?? all.length);
  const notes: string[] = [...orphans, ...trace.notes];
  if (orphans.length) notes.push(`LangSmith gave the trace's runs in part; totals count the ${all.length} read.`);
  if (!readAll && !totals) notes.push(`This LangSmith gave no run count for the trace: it has at least ${all.length} runs.`);
  if (nodes.length < runCount) {
    const hidden = read[count] ?? shownRuns.at(-1);
    const from = apiTimestamp(hidden?.start_time) ?? hidden?.start_time ?? trace.window.minStartTime;
    const reason = nodes.length >= maxNodes ? `max_nodes ${maxNodes}` : `the ${budget.toLocaleString("en-US")}-token result budget`;
    notes.push(
      `Showing the first ${nodes.length} of ${runCount} runs by start time, as a tree (${reason}). The other ` +
        `${runCount - nodes.length}: query_runs with trace_id "${trace.traceId}", start_time "${from}", ` +
        `end_time "${trace.window.maxStartTime}", sort_order "asc" (fields "detailed" adds parent_run_ids); get_run shows one in full.`,
    );
  }
  const figures = readAll || !totals ? undefined : totals;
  const structured = {
    trace_id: trace.traceId,
    project_id: trace.projectId,
    run_count: runCount,
    error_count: figures?.error_count ?? all.filter((node) => node.status === "error").length,
    // Totals only when some run recorded them: 0 tokens / $0 would claim a measurement. The root's are the trace's.
    total_tokens:
      rootNode.total_tokens ??
      figures?.total_tokens ??
      (all.some((n) => n.total_tokens !== undefined) ? sum(all.map((n) => n.total_tokens)) : undefined),
    total_cost:
      rootNode.total_cost ??
      figures?.total_cost ??
      (all.some((n) => n.total_cost !== undefined) ? sum(all.map((n) => n.total_cost)) : undefined),
    nodes: tabulateRuns(nodes as unknown as RunView[]),
    truncated: nodes.length < runCount || orphans.length > 0,
    notes,
  };
  // The root is the first node (tree order), so it is not repeated on its own.
  const header =
    `Trace ${structured.trace_id} in project ${structured.project_id}: ${structured.run_count} runs, ${structured.error_count} ` +
    `errored, ` +
    `${structured.total_tokens !== undefined ? `total_tokens ${num(structured.total_tokens)}, ` : ""}` +
    `${structured.total_cost !== undefined ? `total_cost ${usd(structured.total_cost)}` : "no tokens or cost recorded"}${
      structured.truncated ? " (partial: see " + "notes)" : ""
    }.`;
  return {
    structured,
    text: [header, ...nodes.map(nodeLine), ...noteLines(notes)].join("\n"),
  };
}

const sum = (values: (number | undefined)[]): number => values.reduce<number>((total, v) => total + (v ?? 0), 0);

/** One run of the tree: indented by depth, then every fact its node holds, with units. */
function nodeLine(node: TraceNode): string {
  const facts = [
    node.run_type,
    node.status,
    node.latency_seconds !== undefined ? seconds(node.latency_seconds) : node.status ? "" : "running",
    node.total_tokens !== undefined ? `${num(node.total_tokens)} tokens` : "",
    node.total_cost !== undefined ? usd(node.total_cost) : "",
  ].filter(Boolean);
  const started = node.start_time ? ` started ${node.start_time}` : "";
  const error = node.error_preview ? ` — error: ${node.error_preview}` : "";
  return (
    `${"  ".repeat(node.depth)}${node.depth ? "└ " : ""}${node.name ?? "(unnamed)"} [${facts.join(", ")}] ` + `${node.id}${started}${error}`
  );
}
