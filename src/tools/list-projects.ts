import { z } from "zod";
import type { Project } from "../langsmith/index.js";
import { apiTimestamp } from "../api-time.js";
import { defineTool } from "./define-tool.js";

const inputSchema = z.object({
  name_contains: z.string().min(1).optional().describe('Only projects whose name contains this text, e.g. "bot".'),
  limit: z.number().int().min(1).max(100).default(50).describe("At most this many projects (1–100, default 50)."),
  offset: z.number().int().min(0).default(0).describe("Skip this many projects (for paging past limit)."),
  include_stats: z.boolean().default(true).describe("Include run counts, error rate, tokens and cost (default true)."),
});

const ProjectViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  start_time: z.string().nullable(),
  reference_dataset_id: z.string().nullable(),
  run_count: z.number().nullable().optional().describe("Traces (root runs) in the project, as LangSmith counts them."),
  last_run_start_time: z.string().nullable().optional(),
  error_rate: z.number().nullable().optional(),
  total_tokens: z.number().nullable().optional(),
  total_cost: z.number().nullable().optional(),
});

const outputSchema = z.object({
  projects: z.array(ProjectViewSchema),
  count: z.number().int(),
  has_more: z.boolean().describe("True when there may be more projects past offset + limit."),
  notes: z.array(z.string()),
});

function toView(project: Project, includeStats: boolean): z.infer<typeof ProjectViewSchema> {
  const view: z.infer<typeof ProjectViewSchema> = {
    id: project.id,
    name: project.name,
    description: project.description ?? null,
    start_time: apiTimestamp(project.start_time),
    reference_dataset_id: project.reference_dataset_id ?? null,
  };
  if (!includeStats) return view;
  // The API sends total_cost as a decimal string; agents compare numbers.
  const cost = project.total_cost === null || project.total_cost === undefined ? null : Number(project.total_cost);
  return {
    ...view,
    run_count: project.run_count ?? null,
    last_run_start_time: apiTimestamp(project.last_run_start_time),
    error_rate: project.error_rate ?? null,
    total_tokens: project.total_tokens ?? null,
    total_cost: cost !== null && Number.isFinite(cost) ? cost : null,
  };
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
    const lines = projects.map((p) => {
      const stats =
        p.run_count !== undefined && p.run_count !== null
          ? ` — ${p.run_count} traces, error rate ${((p.error_rate ?? 0) * 100).toFixed(1)}%, last run ${p.last_run_start_time ?? "never"}`
          : "";
      return `${p.name} (${p.id})${stats}`;
    });
    return {
      structured: { projects, count: projects.length, has_more: hasMore, notes },
      text: [`${projects.length} project${projects.length === 1 ? "" : "s"}:`, ...lines, ...notes.map((n) => `Note: ${n}`)].join("\n"),
    };
  },
});
