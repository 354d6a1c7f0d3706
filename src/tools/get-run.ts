import { z } from "zod";
import { UserInputError } from "../errors.js";
import { isRunNotFound, readRun } from "../langsmith/index.js";
import { defineTool } from "./define-tool.js";
import { jsonBytes } from "./output-budget.js";
import { FieldCutSchema, RunViewSchema, LangSmithIdSchema } from "./schemas.js";
import { resolveSelects, runFieldsParam, runLine, shapeRun, type FieldCut, type RunView } from "./run-fields.js";

const ENVELOPE_BYTES = 2_000;
/** Below this a payload is no longer worth showing in part. */
const MIN_FIELD_CHARS = 200;

const inputSchema = z.object({
  run_id: LangSmithIdSchema.describe("The run's id, e.g. from query_runs or get_trace."),
  project: z
    .string()
    .optional()
    .describe("Project name or id, if known: it saves a lookup; otherwise the run is located by id."),
  start_time: z
    .string()
    .optional()
    .describe("The run's exact start_time, as query_runs returned it (microseconds included), to speed up the lookup. Optional; omit it when unsure."),
  fields: runFieldsParam("full"),
  max_field_chars: z
    .number()
    .int()
    .min(MIN_FIELD_CHARS)
    .max(1_000_000)
    .default(4_000)
    .describe("Cut inputs, outputs, metadata, events and error to this many characters of JSON (default 4000). Raise it to see a payload in full, within the result budget."),
  include_share_url: z
    .boolean()
    .default(false)
    .describe("Also return the run's public share URL if it was shared. The URL lets anyone view the run: only ask when the user wants it."),
});

const outputSchema = z.object({
  run: RunViewSchema,
  project_id: z.string(),
  truncated_fields: z.array(FieldCutSchema),
  notes: z.array(z.string()),
});

export const getRun = defineTool({
  name: "get_run",
  title: "Get one run",
  description:
    "Read one LangSmith run in full: inputs, outputs, error, metadata, tokens, cost, timing. Only run_id is needed. " +
    "Use it when a listing is not enough: the exact prompt, the output, the full error. Large payloads are cut with a note saying how to see more. " +
    "Next: get_trace for the surrounding trace.",
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

      // Shrink payloads until the whole result fits the budget.
      let maxChars = args.max_field_chars;
      let cuts: FieldCut[] = [];
      let run: RunView;
      for (;;) {
        cuts = [];
        run = shapeRun(raw, maxChars, cuts, args.include_share_url);
        if (jsonBytes(run) * 2 + ENVELOPE_BYTES <= config.maxOutputBytes || maxChars <= MIN_FIELD_CHARS) break;
        maxChars = Math.max(MIN_FIELD_CHARS, Math.floor(maxChars / 2));
      }

      const notes: string[] = [...found.notes];
      if (cuts.length) {
        notes.push(
          `Shortened: ${cuts.map((c) => `${c.field} (${c.original_chars} chars)`).join(", ")}. ` +
            (maxChars < args.max_field_chars
              ? `The result budget allowed ${maxChars} characters per field; ask for one field at a time (fields: ["outputs"]) to see more.`
              : `Call again with a larger max_field_chars, or fields: ["outputs"] for one payload, to see more.`),
        );
      }
      if (args.include_share_url) {
        notes.push(run.share_url ? "share_url is a public link: anyone holding it can view this run." : "This run is not shared; it has no share_url.");
      }
      return {
        structured: { run, project_id: found.projectId, truncated_fields: cuts, notes },
        text: renderText(run, notes),
        ...(args.include_share_url && typeof run.share_url === "string" && { reveal: [run.share_url] }),
      };
    } catch (error) {
      if (isRunNotFound(error)) {
        const where = args.project ? `project ${args.project}` : "this workspace";
        throw new UserInputError(
          "run_id",
          `no run with this id was found in ${where}${args.start_time && args.project ? " (asked with and without the given start_time)" : ""}.`,
          `The id may be mistyped, in another ${args.project ? "project or " : ""}workspace (LANGSMITH_WORKSPACE_ID), or deleted; query_runs lists run ids.` +
            (args.start_time ? " start_time must be the run's exact start time, or can be left out." : ""),
        );
      }
      throw error;
    }
  },
});

function renderText(run: RunView, notes: string[]): string {
  // runLine already shows these; previews only add something when the payload was not selected.
  const shown = new Set(["id", "name", "run_type", "status", "start_time", "latency_seconds", "total_tokens", "total_cost", "error_preview"]);
  if (run.inputs !== undefined) shown.add("inputs_preview");
  if (run.outputs !== undefined) shown.add("outputs_preview");
  const details = Object.entries(run)
    .filter(([key, value]) => !shown.has(key) && value !== null && value !== undefined && value !== "")
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  return [runLine(run), ...details, ...notes.map((note) => `Note: ${note}`)].join("\n");
}
