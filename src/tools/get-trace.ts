import { z } from "zod";
import { LangSmithIdSchema } from "./schemas.js";
import { UserInputError } from "../errors.js";
import { isRunNotFound, readTrace, type ReadTrace, type RunSelectField, type RunV2 } from "../langsmith/index.js";
import { apiTimeMs, apiTimestamp } from "../api-time.js";
import { defineTool } from "./define-tool.js";
import { fitItems, truncateText } from "./output-budget.js";
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
    let trace: ReadTrace;
    try {
      trace = await readTrace(client, givenId, { selects: NODE_SELECTS, now: now() }, signal);
    } catch (error) {
      if (isRunNotFound(error)) {
        throw new UserInputError(field, `no run ${givenId} in this workspace.`, "Check the id; query_runs lists run and trace ids.");
      }
      throw error;
    }
    const { runs, complete } = trace;
    const root = { id: trace.rootId };
    runs.sort((a, b) => (a.dotted_order ?? "").localeCompare(b.dotted_order ?? ""));
    const all = runs.map(toNode);
    const rootNode = all.find((node) => node.id === root.id) ?? all[0];
    if (!rootNode) {
      throw new UserInputError(
        field,
        `trace ${root.id} has no runs in its project's query results.`,
        "It may have been deleted; query_runs with trace_id shows what remains.",
      );
    }

    const capped = all.slice(0, args.max_nodes);
    /** The result showing the first `count` nodes in tree order. */
    const render = (count: number) => {
      const nodes = capped.slice(0, count);
      const notes: string[] = [...trace.notes];
      if (!complete) notes.push(`LangSmith gave the trace's runs in part; totals count the first ${all.length}.`);
      if (nodes.length < all.length) {
        notes.push(
          `Showing the first ${nodes.length} of ${all.length} runs in tree order` +
            (nodes.length < capped.length
              ? ` (cut to the ${config.maxOutputTokens.toLocaleString("en-US")}-token result budget).`
              : ` (max_nodes ${args.max_nodes}).`) +
            " query_runs with trace_id and a filter finds specific runs.",
        );
      }
      const structured = {
        trace_id: trace.traceId,
        project_id: trace.projectId,
        run_count: all.length,
        error_count: all.filter((node) => node.status === "error").length,
        // Totals only when some run recorded them: 0 tokens / $0 would claim a measurement.
        total_tokens: all.some((n) => n.total_tokens !== undefined)
          ? (rootNode.total_tokens ?? sum(all.map((n) => n.total_tokens)))
          : undefined,
        total_cost: all.some((n) => n.total_cost !== undefined) ? (rootNode.total_cost ?? sum(all.map((n) => n.total_cost))) : undefined,
        nodes: tabulateRuns(nodes as unknown as RunView[]),
        truncated: nodes.length < all.length || !complete,
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
    };
    return (await fitItems(capped.length, render, config.maxOutputTokens)).payload;
  },
});

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
