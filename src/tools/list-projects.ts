import { z } from "zod";
import type { Project } from "../langsmith/index.js";
import { apiTimestamp } from "../api-time.js";
import { defineTool } from "./define-tool.js";
import { noteLines, num, seconds, usd } from "./render.js";

const inputSchema = z.object({
  name_contains: z.string().min(1).optional().describe('Only projects whose name contains this text, e.g. "bot".'),
  limit: z.number().int().min(1).max(100).default(50).describe("At most this many projects (1–100, default 50)."),
  offset: z.number().int().min(0).default(0).describe("Skip this many projects (for paging past limit)."),
  include_stats: z.boolean().default(true).describe("Include run counts, error rate, tokens and cost (default true)."),
});

const ProjectViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  start_time: z.string().optional(),
  reference_dataset_id: z.string().optional(),
  run_count: z.number().optional().describe("Traces (root runs) in the project, as LangSmith counts them."),
  last_run_start_time: z.string().optional(),
  error_rate: z.number().optional(),
  latency_p50: z.number().optional().describe("Seconds."),
  latency_p99: z.number().optional().describe("Seconds."),
  total_tokens: z.number().optional(),
  total_cost: z.number().optional().describe("US dollars."),
});
type ProjectView = z.infer<typeof ProjectViewSchema>;

const outputSchema = z.object({
  projects: z.array(ProjectViewSchema).optional().describe("Absent when no project matched."),
  count: z.number().int(),
  has_more: z.boolean().describe("True when there may be more projects past offset + limit."),
  notes: z.array(z.string()).optional(),
});

function toView(project: Project, includeStats: boolean): ProjectView {
  const view: ProjectView = {
    id: project.id,
    name: project.name,
    description: project.description ?? undefined,
    start_time: apiTimestamp(project.start_time) ?? undefined,
    reference_dataset_id: project.reference_dataset_id ?? undefined,
  };
  if (!includeStats) return view;
  // The API sends total_cost as a decimal string; agents compare numbers.
  const cost = project.total_cost === null || project.total_cost === undefined ? undefined : Number(project.total_cost);
  return {
    ...view,
    run_count: project.run_count ?? undefined,
    last_run_start_time: apiTimestamp(project.last_run_start_time) ?? undefined,
    error_rate: project.error_rate ?? undefined,
    latency_p50: project.latency_p50 ?? undefined,
    latency_p99: project.latency_p99 ?? undefined,
    total_tokens: project.total_tokens ?? undefined,
    total_cost: cost !== undefined && Number.isFinite(cost) ? cost : undefined,
  };
}

/** A project for the text: name and id, then every statistic LangSmith gave, with units. */
function projectLine(p: ProjectView): string {
  const stats = [
    p.run_count !== undefined ? `${num(p.run_count)} traces` : "",
    p.error_rate !== undefined ? `error rate ${num(p.error_rate * 100)}%` : "",
    p.latency_p50 !== undefined ? `latency p50 ${seconds(p.latency_p50)}` : "",
    p.latency_p99 !== undefined ? `p99 ${seconds(p.latency_p99)}` : "",
    p.total_tokens !== undefined ? `${num(p.total_tokens)} tokens` : "",
    p.total_cost !== undefined ? `cost ${usd(p.total_cost)}` : "",
    p.last_run_start_time !== undefined ? `last run ${p.last_run_start_time}` : p.run_count !== undefined ? "no runs yet" : "",
  ].filter(Boolean);
  const about = [
    p.start_time !== undefined ? `created ${p.start_time}` : "",
    p.reference_dataset_id !== undefined ? `reference_dataset_id ${p.reference_dataset_id}` : "",
    p.description !== undefined ? `description: ${p.description.replace(/\s+/g, " ")}` : "",
  ].filter(Boolean);
  return `- ${p.name} (${p.id})${stats.length ? `: ${stats.join(", ")}` : ""}${about.length ? `; ${about.join("; ")}` : ""}`;
}

export const listProjects = defineTool({
  name: "list_projects",
  title: "List projects",
  description:
    "List LangSmith tracing projects with ids and run statistics, optionally by name fragment. " +
    "Use it to resolve a project the user names or see which are active. " +
    "Next: query_runs on a project.",
  toolset: "runs",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, { client, signal }) {
    // One more than asked tells whether another page exists without a count endpoint.
    const fetched = await client.listProjects(
      {
        ...(args.name_contains !== undefined && { nameContains: args.name_contains }),
        limit: Math.min(100, args.limit + 1),
        offset: args.offset,
        includeStats: args.include_stats,
      },
      signal,
    );
    // At the API's maximum of 100 the extra row cannot be asked for; a full page may have more.
    const hasMore = fetched.length > args.limit || (args.limit === 100 && fetched.length === 100);
    const projects = fetched.slice(0, args.limit).map((p) => toView(p, args.include_stats));
    const notes: string[] = [];
    if (hasMore) notes.push(`More projects exist: call again with offset ${args.offset + args.limit}, or narrow with name_contains.`);
    if (!projects.length) {
      notes.push(args.name_contains ? `No project name contains "${args.name_contains}".` : "This workspace has no tracing projects.");
    }
    return {
      structured: { projects, count: projects.length, has_more: hasMore, notes },
      text: [
        `${projects.length} project${projects.length === 1 ? "" : "s"}${hasMore ? " (more exist)" : ""}:`,
        ...projects.map(projectLine),
        ...noteLines(notes),
      ].join("\n"),
    };
  },
});
