import { z } from "zod";
import { LangSmithIdSchema } from "./schemas.js";
import { UserInputError } from "../errors.js";
import { isRunNotFound, readTrace, type ReadTrace, type RunSelectField, type RunV2 } from "../langsmith/index.js";
import { apiTimeMs, apiTimestamp } from "../api-time.js";
import { defineTool } from "./define-tool.js";
import { countThatFits, jsonBytes, truncateText } from "./output-budget.js";

const ENVELOPE_BYTES = 3_000;
const ERROR_PREVIEW_CHARS = 200;

const NODE_SELECTS: RunSelectField[] = [
  "ID", "NAME", "RUN_TYPE", "STATUS", "START_TIME", "END_TIME", "LATENCY_SECONDS",
  "TOTAL_TOKENS", "TOTAL_COST", "ERROR_PREVIEW", "PARENT_RUN_IDS", "DOTTED_ORDER",
];

const inputSchema = z.object({
  trace_id: LangSmithIdSchema.optional().describe("The trace's id (the id of its root run)."),
  run_id: LangSmithIdSchema.optional().describe("Any run in the trace; its whole trace is shown. Give this or trace_id."),
  max_nodes: z.number().int().min(1).max(5_000).default(300).describe("Show at most this many runs of the tree, in tree order (default 300)."),
});

const NodeSchema = z.object({
  id: z.string(),
  parent_run_id: z.string().nullable(),
  depth: z.number().int(),
  name: z.string(),
  run_type: z.string(),
  status: z.string(),
  start_time: z.string(),
  latency_seconds: z.number().nullable(),
  total_tokens: z.number().nullable(),
  total_cost: z.number().nullable(),
  error_preview: z.string().nullable(),
});
type TraceNode = z.infer<typeof NodeSchema>;

const outputSchema = z.object({
  trace_id: z.string(),
  project_id: z.string(),
  root: NodeSchema,
  run_count: z.number().int().describe("Runs in the trace."),
  error_count: z.number().int(),
  total_tokens: z.number(),
  total_cost: z.number(),
  nodes: z.array(NodeSchema).describe("Runs in tree order (by dotted_order); depth 0 is the root."),
  truncated: z.boolean(),
  notes: z.array(z.string()),
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
    parent_run_id: parents.length ? parents[parents.length - 1]! : null,
    depth: parents.length,
    name: run.name ?? "",
    run_type: (run.run_type ?? "").toLowerCase(),
    status: (run.status ?? "").toLowerCase(),
    start_time: apiTimestamp(run.start_time) ?? run.start_time ?? "",
    latency_seconds: latencyOf(run),
    total_tokens: run.total_tokens ?? null,
    total_cost: run.total_cost ?? null,
    error_preview: run.error_preview ? truncateText(run.error_preview.replace(/\s+/g, " "), ERROR_PREVIEW_CHARS).text : null,
  };
}

export const getTrace = defineTool({
  name: "get_trace",
  title: "Get a trace tree",
  description:
    "Show the run tree of a LangSmith trace, indented by nesting, with status, latency, tokens and errors per run. " +
    "Give the trace id or any run id in it. Use it to see where in a chain or agent a failure started. Next: get_run for one node's payloads.",
  toolset: "runs",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, { client, config, signal, now }) {
    const givenId = args.trace_id ?? args.run_id;
    if (!givenId || (args.trace_id && args.run_id)) {
      throw new UserInputError(args.trace_id ? "run_id" : "trace_id", "give exactly one of trace_id or run_id.", "Pass the trace id, or the id of any run in the trace.");
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
      throw new UserInputError(field, `trace ${root.id} has no runs in its project's query results.`, "It may have been deleted; query_runs with trace_id shows what remains.");
    }

    const capped = all.slice(0, args.max_nodes);
    const sizes = capped.map((node) => jsonBytes(node) + nodeLine(node).length + 2);
    const nodes = capped.slice(0, countThatFits(sizes, config.maxOutputBytes - ENVELOPE_BYTES));
    const notes: string[] = [...trace.notes];
    if (!complete) notes.push(`LangSmith gave the trace's runs in part; totals count the first ${all.length}.`);
    if (nodes.length < all.length) {
      notes.push(
        `Showing the first ${nodes.length} of ${all.length} runs in tree order` +
          (nodes.length < capped.length ? " (cut to the result size budget)." : ` (max_nodes ${args.max_nodes}).`) +
          " query_runs with trace_id and a filter finds specific runs.",
      );
    }

    const structured = {
      trace_id: trace.traceId,
      project_id: trace.projectId,
      root: rootNode,
      run_count: all.length,
      error_count: all.filter((node) => node.status === "error").length,
      total_tokens: rootNode.total_tokens ?? sum(all.map((n) => n.total_tokens)),
      total_cost: rootNode.total_cost ?? sum(all.map((n) => n.total_cost)),
      nodes,
      truncated: nodes.length < all.length || !complete,
      notes,
    };
    // Totals only when some run recorded them: 0 tokens / $0.0000 would claim a measurement.
    const tokens = all.some((n) => n.total_tokens !== null) ? `, ${structured.total_tokens} tokens` : "";
    const cost = all.some((n) => n.total_cost !== null) ? `, $${structured.total_cost.toFixed(4)}` : "";
    const header = `Trace ${structured.trace_id}: ${structured.run_count} runs, ${structured.error_count} errored${tokens}${cost}.`;
    return {
      structured,
      text: [header, ...nodes.map(nodeLine), ...notes.map((note) => `Note: ${note}`)].join("\n"),
    };
  },
});

const sum = (values: (number | null)[]): number => values.reduce<number>((total, v) => total + (v ?? 0), 0);

function nodeLine(node: TraceNode): string {
  const facts = [
    node.run_type,
    node.status,
    node.latency_seconds !== null ? `${node.latency_seconds.toFixed(2)}s` : node.status === "" ? "running" : "",
    node.total_tokens ? `${node.total_tokens} tok` : "",
  ].filter(Boolean);
  const error = node.error_preview ? ` — ${node.error_preview}` : "";
  return `${"  ".repeat(node.depth)}${node.depth ? "└ " : ""}${node.name} [${facts.join(", ")}] ${node.id}${error}`;
}
