import { z } from "zod";
import { UserInputError } from "../errors.js";
import { isRunNotFound, readRun } from "../langsmith/index.js";
import { defineTool } from "./define-tool.js";
import { fitFieldChars } from "./output-budget.js";
import { noteLines } from "./render.js";
import { FieldCutSchema, RunViewSchema, LangSmithIdSchema } from "./schemas.js";
import { resolveSelects, runBlock, runFieldsParam, shapeRun, type FieldCut, type RunView } from "./run-fields.js";

/** Below this a payload is no longer worth showing in part. */
const MIN_FIELD_CHARS = 200;

const inputSchema = z.object({
  run_id: LangSmithIdSchema.describe("The run's id (from query_runs or get_trace)."),
  project: z.string().optional().describe("Project name or id, if known; saves a lookup."),
  start_time: z
    .string()
    .optional()
    .describe("The run's exact start_time from query_runs (microseconds included), to speed up the lookup; omit when unsure."),
  fields: runFieldsParam("full"),
  max_field_chars: z
    .number()
    .int()
    .min(MIN_FIELD_CHARS)
    .max(1_000_000)
    .default(4_000)
    .describe(
      "Cut each payload field (inputs, outputs, metadata, events, error) to this many characters of JSON (default 4000); raise it to " +
        "see more.",
    ),
  include_share_url: z
    .boolean()
    .default(false)
    .describe("Also return the run's public share URL, if shared. Anyone with it can view the run: ask only when the user wants it."),
});

const outputSchema = z.object({
  run: RunViewSchema,
  project_id: z.string().optional().describe("Absent when run.project_id already says it."),
  truncated_fields: z.array(FieldCutSchema).optional(),
  notes: z.array(z.string()).optional(),
});

export const getRun = defineTool({
  name: "get_run",
  title: "Get one run",
  description:
    "Read one LangSmith run in full: inputs, outputs, error, metadata, tokens, cost, timing. " +
    "Only run_id is needed. " +
    "Use it when a listing is not enough (the exact prompt, output or error). " +
    "Long payloads are cut with a note on how to see more. " +
    "Next: get_trace for its trace.",
  toolset: "runs",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, { client, projects, config, signal }) {
    try {
      const projectId = args.project ? (await projects.resolve(args.project, "project", signal)).id : undefined;
      const selects = resolveSelects(args.fields);
      if (args.include_share_url) selects.push("SHARE_URL");
      const found = await readRun(client, args.run_id, { projectId, startTime: args.start_time, selects }, signal);
      const raw = found.run;

      const notesFound = [...found.notes];
      /** The result with payload fields cut to `maxChars` characters of JSON. */
      const render = (maxChars: number) => {
        const cuts: FieldCut[] = [];
        const run = shapeRun(raw, maxChars, cuts, args.include_share_url);
        const notes = [...notesFound];
        if (cuts.length) {
          notes.push(
            `Shortened: ${cuts.map((c) => `${c.field} (${c.original_chars} chars)`).join(", ")}. ` +
              (maxChars < args.max_field_chars
                ? `The ${config.maxOutputTokens.toLocaleString("en-US")}-token result budget allowed ${maxChars} characters per field; ` +
                  `ask for one field at a time (fields: ["outputs"]) to see more.`
                : `Call again with a larger max_field_chars, or fields: ["outputs"] for one payload, to see more.`),
          );
        }
        if (args.include_share_url) {
          notes.push(
            run.share_url
              ? "share_url is a public link: anyone holding it can view this run."
              : "This run is not shared; it has no share_url.",
          );
        }
        return {
          structured: { run, ...(run.project_id !== found.projectId && { project_id: found.projectId }), truncated_fields: cuts, notes },
          text: renderText(run, found.projectId, notes),
          ...(args.include_share_url && typeof run.share_url === "string" && { reveal: [run.share_url] }),
        };
      };
      return (await fitFieldChars(args.max_field_chars, MIN_FIELD_CHARS, render, config.maxOutputTokens)).payload;
    } catch (error) {
      if (isRunNotFound(error)) {
        const where = args.project ? `project ${args.project}` : "this workspace";
        throw new UserInputError(
          "run_id",
          `no run with this id was found in ` +
            `${where}${args.start_time && args.project ? " (asked with and without the given start_time)" : ""}.`,
          `The id may be mistyped, in another ${args.project ? "project or " : ""}workspace (LANGSMITH_WORKSPACE_ID), or deleted; ` +
            `query_runs lists run ids.` +
            (args.start_time ? " start_time must be the run's exact start time, or can be left out." : ""),
        );
      }
      throw error;
    }
  },
});

function renderText(run: RunView, projectId: string, notes: string[]): string {
  return [runBlock(run), ...(run.project_id === projectId ? [] : [`  project_id: ${projectId}`]), ...noteLines(notes)].join("\n");
}
