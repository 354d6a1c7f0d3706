import { z } from "zod";
import { readStats, topRuns, TOP_FIELDS, type Figures, type StatsScope, type TopRuns } from "../analytics/index.js";
import { UserInputError } from "../errors.js";
import { checkFilters, RUN_STATS_GROUP_ATTRIBUTES, type RunV2 } from "../langsmith/index.js";
import { defineTool } from "./define-tool.js";
import { fitItems } from "./output-budget.js";
import { noteLines, num, seconds, usd } from "./render.js";
import { resolveWindow } from "./time-range.js";

const RUN_TYPES = ["tool", "chain", "llm", "retriever", "embedding", "prompt", "parser"] as const;
/** Projects one call may cover (each is resolved by name first). */
const MAX_PROJECTS = 10;

const inputSchema = z.object({
  project: z.string().min(1).describe("Project name or id; several comma-separated."),
  start_time: z.string().optional().describe('As query_runs; default "24h".'),
  end_time: z.string().optional().describe('Default "now".'),
  filter: z.string().optional().describe("As query_runs."),
  trace_filter: z.string().optional().describe("As query_runs."),
  tree_filter: z.string().optional().describe("As query_runs."),
  run_type: z
    .preprocess((value) => (typeof value === "string" ? value.toLowerCase() : value), z.enum(RUN_TYPES))
    .optional()
    .describe("Only this type."),
  is_root: z.boolean().optional().describe("Default true (traces) unless run_type is set; false: child runs."),
  has_error: z.boolean().optional().describe("Only errored (true) or clean (false) runs."),
  group_by: z
    .enum(RUN_STATS_GROUP_ATTRIBUTES)
    .optional()
    .describe('Figures per group too; per model: metadata, group_key "ls_model_name".'),
  group_key: z.string().min(1).optional().describe("Metadata key, for group_by metadata."),
  max_groups: z.number().int().min(1).max(100).default(5).describe("Groups shown, 1-100 (default 5)."),
  sort_by: z.enum(["count", "cost", "errors", "p99"]).default("count").describe("Group order."),
  top_by: z.enum(["latency", "total_cost", "total_tokens"]).optional().describe("Also list the top runs by this, exactly."),
  top_n: z.number().int().min(1).max(50).default(10).describe("Runs listed, 1-50 (default 10)."),
});

const FiguresSchema = z.object({
  run_count: z.number().int(),
  error_count: z.number().int().optional(),
  error_rate: z.number().optional().describe("0..1"),
  latency_p50_s: z.number().optional(),
  latency_p99_s: z.number().optional(),
  latency_avg_s: z.number().optional(),
  first_token_p50_s: z.number().optional(),
  first_token_p99_s: z.number().optional(),
  total_tokens: z.number().optional(),
  prompt_tokens: z.number().optional(),
  completion_tokens: z.number().optional(),
  tokens_p50: z.number().optional(),
  tokens_p99: z.number().optional(),
  total_cost_usd: z.number().optional(),
  cost_p50_usd: z.number().optional(),
  cost_p99_usd: z.number().optional(),
  feedback: z.record(z.string(), z.object({ n: z.number(), avg: z.number().optional() })).optional(),
});

const TopRunSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  run_type: z.string().optional(),
  status: z.string().optional(),
  start_time: z.string().optional(),
  latency_s: z.number().optional(),
  total_tokens: z.number().optional(),
  total_cost_usd: z.number().optional(),
  trace_id: z.string().optional(),
  error: z.string().optional(),
});

const outputSchema = z.object({
  projects: z.array(z.object({ id: z.string(), name: z.string() })),
  window: z.object({ start_time: z.string(), end_time: z.string() }),
  counted: z.enum(["traces", "child runs", "runs"]).describe("What run_count counts: root runs, child runs, or every run."),
  totals: FiguresSchema,
  groups: z.array(FiguresSchema.extend({ group: z.string() })).optional(),
  top: z
    .object({
      by: z.enum(["latency", "total_cost", "total_tokens"]),
      threshold: z.number().optional().describe("Runs at or above it were read; absent: all runs were read."),
      exact: z.boolean(),
      runs: z.array(TopRunSchema),
    })
    .optional(),
  requests: z.number().int().describe("Requests made to LangSmith for the figures and top runs."),
  notes: z.array(z.string()).optional(),
});

export const runStats = defineTool({
  name: "run_stats",
  title: "Run statistics",
  description:
    "Figures for a project's runs in a window in one call: count, errors, latency p50/p99/avg (s), first token, tokens, cost (USD), " +
    "feedback; " +
    "optionally per name, run_type, tag or metadata key, and the top N runs by latency, cost or tokens. " +
    "Next: get_trace or get_run on a run.",
  toolset: "runs",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, { client, projects, signal, now, config }) {
    const notes = checkFilters(args);
    if (args.group_by === "metadata" && !args.group_key) {
      throw new UserInputError(
        "group_key",
        "is required when group_by is metadata.",
        'Give the metadata key to group by, e.g. group_key "user_id".',
      );
    }
    if (args.group_key && args.group_by !== "metadata") notes.push(`group_key is used only with group_by metadata; it was ignored.`);
    const references = [
      ...new Set(
        args.project
          .split(",")
          .map((p) => p.trim())
          .filter(Boolean),
      ),
    ];
    if (references.length === 0 || references.length > MAX_PROJECTS) {
      throw new UserInputError(
        "project",
        `names ${references.length} projects.`,
        `Give 1 to ${MAX_PROJECTS} project names or ids, comma-separated.`,
      );
    }
    const resolved = await Promise.all(references.map((ref) => projects.resolve(ref, "project", signal)));
    const window = resolveWindow(args.start_time, args.end_time, now());
    const isRoot = args.is_root ?? (args.run_type === undefined ? true : undefined);
    const scope: StatsScope = {
      projectIds: resolved.map((p) => p.id),
      start: window.start,
      end: window.end,
      endIsNow: args.end_time === undefined || args.end_time.trim().toLowerCase() === "now",
      ...(args.filter !== undefined && { filter: args.filter }),
      ...(args.trace_filter !== undefined && { traceFilter: args.trace_filter }),
      ...(args.tree_filter !== undefined && { treeFilter: args.tree_filter }),
      ...(args.run_type !== undefined && { runType: args.run_type }),
      // Traces by default: a chain's tokens and cost include its children's, so sums over every run count them twice or more.
      ...(isRoot !== undefined && { isRoot }),
      ...(args.has_error !== undefined && { hasError: args.has_error }),
    };
    const group = args.group_by
      ? {
          attribute: args.group_by,
          maxGroups: args.max_groups,
          orderBy: args.sort_by,
          ...(args.group_key !== undefined && { key: args.group_key }),
        }
      : undefined;
    const stats = await readStats(client, scope, group, signal);
    let requests = stats.requests;
    let top: TopRuns | undefined;
    if (args.top_by && stats.totals.run_count > 0) {
      top = await topRuns(client, scope, stats.totals, args.top_by, args.top_n, signal);
      requests += top.requests;
      if (!top.exact)
        notes.push(
          "The top runs are ranked over the first 10,000 runs at or above the threshold only; narrow the window or filter for an exact " +
            "ranking.",
        );
    }
    if (stats.totals.run_count === 0) notes.push("No runs matched in this window: every figure is zero or absent.");
    if (group && stats.groups?.length === 0 && stats.totals.run_count > 0) {
      notes.push(
        group.attribute === "metadata"
          ? `No matched run has metadata key "${group.key}"; check the key's spelling (get_run shows a run's metadata).`
          : `LangSmith returned no ${group.attribute} groups.`,
      );
    }

    // Group names are the user's values (a metadata value may be a whole question), so many groups
    // can outgrow the result budget: keep the first groups (in sort order) that fit, and say so.
    const allGroups = stats.groups;
    const render = (count: number) => {
      const cut = allGroups && count < allGroups.length;
      const structured = {
        projects: resolved.map((p) => ({ id: p.id, name: p.name })),
        window: { start_time: window.start.toISOString(), end_time: window.end.toISOString() },
        counted: isRoot === true ? ("traces" as const) : isRoot === false ? ("child runs" as const) : ("runs" as const),
        totals: stats.totals,
        ...(allGroups && { groups: allGroups.slice(0, count) }),
        ...(top && {
          top: {
            by: top.by,
            ...(top.threshold !== null && { threshold: top.threshold }),
            exact: top.exact,
            runs: top.runs.map(topRunView),
          },
        }),
        requests,
        notes: cut
          ? [
              ...notes,
              `Showing the first ${count} of ${allGroups.length} groups (by ${args.sort_by}) to stay within the ` +
                `${config.maxOutputTokens.toLocaleString("en-US")}-token result budget; narrow the filter or lower max_groups to see ` +
                `others.`,
            ]
          : notes,
      };
      return { structured, text: renderText(structured, top, args.group_by === "metadata" ? args.group_key : args.group_by) };
    };
    return (await fitItems(allGroups?.length ?? 0, render, config.maxOutputTokens)).payload;
  },
});

function topRunView(run: RunV2): z.input<typeof TopRunSchema> {
  return {
    id: run.id,
    name: run.name ?? undefined,
    run_type: run.run_type?.toLowerCase(),
    status: run.status?.toLowerCase(),
    start_time: run.start_time ?? undefined,
    latency_s: run.latency_seconds ?? undefined,
    total_tokens: run.total_tokens ?? undefined,
    total_cost_usd: run.total_cost ?? undefined,
    trace_id: run.trace_id ?? undefined,
    error: run.error_preview ? run.error_preview.replace(/\s+/g, " ").slice(0, 120) : undefined,
  };
}

const cell = (v: number | undefined, show: (n: number) => string = num): string => (v === undefined ? "-" : show(v));
const pct = (rate: number | undefined): string => (rate === undefined ? "-" : `${num(Math.round(rate * 10_000) / 100)}%`);

/** A group name as a table cell: a `|` or line break in the user's value would split or end the row. */
const labelCell = (label: string): string => label.replace(/\|/g, "\\|").replace(/\r?\n|\r/g, "\\n");

/** One table row: the figures a reader compares across groups. */
function row(label: string, f: Figures): string {
  return (
    `| ${labelCell(label)} | ${f.run_count} | ${cell(f.error_count)} | ${pct(f.error_rate)} | ${cell(f.latency_p50_s)} | ` +
    `${cell(f.latency_p99_s)} | ${cell(f.latency_avg_s, (v) => num(Math.round(v * 1000) / 1000))} | ${cell(f.total_tokens)} | ` +
    `${cell(f.total_cost_usd)} |`
  );
}

/** The figures of the totals the table has no column for. */
function detailLines(f: Figures): string[] {
  const pair = (a: number | undefined, b: number | undefined, show: (n: number) => string): string | undefined =>
    a === undefined && b === undefined ? undefined : `${cell(a, show)} / ${cell(b, show)}`;
  const parts = [
    ["first token p50/p99", pair(f.first_token_p50_s, f.first_token_p99_s, seconds)],
    ["tokens prompt/completion", pair(f.prompt_tokens, f.completion_tokens, num)],
    ["tokens per run p50/p99", pair(f.tokens_p50, f.tokens_p99, num)],
    ["cost per run p50/p99", pair(f.cost_p50_usd, f.cost_p99_usd, usd)],
  ].filter((p): p is [string, string] => p[1] !== undefined);
  const lines = parts.length ? [parts.map(([k, v]) => `${k}: ${v}`).join("; ")] : [];
  const feedback = Object.entries(f.feedback ?? {});
  if (feedback.length)
    lines.push(`feedback: ${feedback.map(([k, s]) => `${k} n ${s.n}${s.avg !== undefined ? ` avg ${num(s.avg)}` : ""}`).join("; ")}`);
  return lines;
}

function renderText(
  s: {
    projects: Array<{ name: string }>;
    window: { start_time: string; end_time: string };
    counted: string;
    totals: Figures;
    groups?: Array<{ group: string } & Figures>;
    requests: number;
    notes: string[];
  },
  top: TopRuns | undefined,
  groupBy: string | undefined,
): string {
  const t = s.totals;
  const lines = [
    `${s.projects.map((p) => p.name).join(", ")}, ${s.counted} started ${s.window.start_time} … ${s.window.end_time}: ${t.run_count} ` +
      `${s.counted}` +
      (t.run_count ? `, ${cell(t.error_count)} errored (${pct(t.error_rate)})` : " (no runs)") +
      ` [${s.requests} request${s.requests === 1 ? "" : "s"}].`,
  ];
  if (t.run_count > 0) {
    lines.push(
      `| ${groupBy ?? "scope"} | ${s.counted} | errors | error % | latency p50 s | p99 s | avg s | tokens | cost USD |`,
      "|---|---|---|---|---|---|---|---|---|",
    );
    lines.push(row("all", t));
    for (const g of s.groups ?? []) lines.push(row(g.group, g));
    lines.push(...detailLines(t));
  }
  if (top) {
    const unit = top.by === "latency" ? seconds : top.by === "total_cost" ? usd : num;
    lines.push(
      `Top ${top.runs.length} by ${top.by} (${top.requests} runs ` +
        `${top.requests === 1 ? "query" : "queries"}` +
        `${top.threshold !== null ? `, read runs ≥ ${unit(top.threshold)}` : ", read every run"}):`,
    );
    top.runs.forEach((r, i) => {
      const value = TOP_FIELDS[top.by].value(r);
      lines.push(
        `${i + 1}. ${value === undefined ? "-" : unit(value)} ${r.name ?? ""} (${r.run_type?.toLowerCase() ?? "?"}, ` +
          `${r.status?.toLowerCase() ?? "?"}) ${r.start_time ?? ""} id ${r.id} trace ` +
          `${r.trace_id ?? "?"}${r.error_preview ? ` error: ${r.error_preview.replace(/\s+/g, " ").slice(0, 120)}` : ""}`,
      );
    });
  }
  lines.push(...noteLines(s.notes));
  return lines.join("\n");
}
