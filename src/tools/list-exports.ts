import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { apiSpelling, sameStatus } from "../exports/index.js";
import { exportSettingsLine, exportView, ExportViewSchema } from "./export-shared.js";

const inputSchema = z.object({
  status: z
    .string()
    .optional()
    .describe(
      "Only exports in this status: Created, Running, Completed, Failed, Cancelled, TimedOut, or any other status LangSmith reports " +
        "(case-insensitive).",
    ),
  project: z.string().optional().describe("Only exports of this project (name or id); exports of all experiments have no project."),
  limit: z.number().int().min(1).max(200).default(20).describe("At most this many, newest first (default 20)."),
});

const outputSchema = z.object({
  exports: z.array(ExportViewSchema).optional(),
  count: z.number().int(),
  total_matching: z.number().int(),
  counts_by_status: z.record(z.string(), z.number().int()).optional().describe("Over all exports of the workspace."),
});

export const listExports = defineTool({
  name: "list_exports",
  title: "List bulk exports",
  description:
    "List the workspace's bulk exports, newest first, optionally by status or project, with counts per status. " +
    "Use it to find last night's export or every failed one. " +
    "Next: export_status or diagnose_export on one.",
  toolset: "exports",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, { client, projects, signal }) {
    const projectId = args.project ? (await projects.resolve(args.project, "project", signal)).id : undefined;
    const all = await client.listExports(signal);
    const counts: Record<string, number> = {};
    for (const e of all) counts[apiSpelling(e.status)] = (counts[apiSpelling(e.status)] ?? 0) + 1;
    const matching = all
      .filter((e) => !args.status || sameStatus(e.status, args.status))
      .filter((e) => !projectId || e.session_id === projectId)
      .sort((a, b) => b.created_at.localeCompare(a.created_at));
    const exports = matching.slice(0, args.limit).map(exportView);
    return {
      structured: { exports, count: exports.length, total_matching: matching.length, counts_by_status: counts },
      text: [
        `${matching.length} export(s) match${matching.length > exports.length ? `, showing the newest ${exports.length}` : ""}. ` +
          `All exports of the workspace by status: ${
            Object.entries(counts)
              .map(([s, n]) => `${n} ${s}`)
              .join(", ") || "none"
          }.`,
        ...exports.map((e) => `- ${e.id} ${e.status}${e.status_known ? "" : " (status unknown to this server)"}: ${exportSettingsLine(e)}`),
      ].join("\n"),
    };
  },
});
