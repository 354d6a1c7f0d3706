import { z } from "zod";
import { UserInputError } from "../errors.js";
import { COMPRESSION_DEFAULT, EXPORTABLE_RUN_FIELDS } from "../diagnosis/index.js";
import {
  checkFilters,
  EXPORT_COMPRESSIONS,
  EXPORT_FORMAT_VERSIONS,
  isLangSmithApiError,
  type BulkExport,
  type CreateExportRequest,
} from "../langsmith/index.js";
import { defineTool } from "./define-tool.js";
import { ambiguousOutcome, dayPartitions, lookUp, matchingExports } from "../exports/index.js";
import {
  countRunning,
  exportSettingsLine,
  EXPORT_LIMITS,
  documentedLimit,
  exportView,
  ExportViewSchema,
  resolveDestination,
} from "./export-shared.js";
import { parseTime, TIME_DESCRIPTION } from "./time-range.js";

const inputSchema = z.object({
  project: z.string().min(1).describe('Project name or id to export (e.g. "checkout-bot").'),
  destination: z.string().min(1).describe("Destination id or display name (list_destinations shows them; create_destination makes one)."),
  start_time: z.string().describe(`First run start time to export, inclusive. ${TIME_DESCRIPTION}`),
  end_time: z
    .string()
    .optional()
    .describe("End of the range, exclusive, in the same forms. Required unless interval_hours makes this a scheduled export."),
  filter: z
    .string()
    .optional()
    .describe('Export only runs matching this LangSmith filter, e.g. `and(eq(run_type, "llm"), neq(error, null))`.'),
  export_fields: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe(`Export only these run fields (omit for all; fewer make big exports faster): ${EXPORTABLE_RUN_FIELDS.join(", ")}.`),
  format_version: z.enum(EXPORT_FORMAT_VERSIONS).optional().describe("Parquet layout: v1 (the API default) or v2_beta."),
  compression: z
    .enum(EXPORT_COMPRESSIONS)
    .optional()
    .describe(
      `Parquet compression; omit for LangSmith's default (${COMPRESSION_DEFAULT.current} on Cloud, ${COMPRESSION_DEFAULT.selfHosted} ` +
        `on self-hosted and older versions). snappy for BigQuery.`,
    ),
  interval_hours: z
    .number()
    .int()
    .min(1)
    .max(168)
    .optional()
    .describe("Make it a scheduled export running every N hours from start_time, with no end_time."),
});

const CompressionSchema = z.object({
  requested: z.string().optional().describe("What create_export was given; absent when none."),
  stored: z.string().optional().describe("What LangSmith's answer says it stored; absent when the answer does not say."),
  explanation: z.string(),
});

/** What the user gets: the compression LangSmith stored, and where it came from when none was given. */
export function describeCompression(
  requested: string | undefined,
  created: Pick<BulkExport, "compression">,
): z.infer<typeof CompressionSchema> {
  const stored = created.compression ?? undefined;
  let explanation: string;
  if (requested) {
    explanation =
      stored === undefined
        ? `Requested ${requested}; LangSmith's answer does not say which compression it stored.`
        : stored.toLowerCase() === requested.toLowerCase()
          ? `${stored}, as requested.`
          : `Requested ${requested}, but LangSmith stored ${stored}.`;
  } else {
    explanation =
      stored === undefined
        ? `No compression given, and LangSmith's answer does not say which it stored. ${COMPRESSION_DEFAULT.note}`
        : `No compression given: LangSmith stored ${stored}, its default. ${COMPRESSION_DEFAULT.note}`;
  }
  return { requested, stored, explanation };
}

const DOCUMENTED_FIELDS: ReadonlySet<string> = new Set(EXPORTABLE_RUN_FIELDS);

const outputSchema = z.object({
  export: ExportViewSchema,
  compression: CompressionSchema,
  partitions: z.number().int().describe("Day partitions, one export run each."),
  queueing: z.array(z.string()).describe("Whether runs will wait behind the concurrency limits, and why."),
  notes: z.array(z.string()).optional(),
});

export const createExport = defineTool({
  name: "create_export",
  title: "Create a bulk export",
  description:
    "Start a LangSmith bulk export of a project's runs in a time range to an S3/GCS destination as Parquet, optionally filtered or with " +
    "fewer fields. " +
    "Use it to archive traces or feed a warehouse; also runs a diagnose_export retry plan. " +
    "Says how many daily partitions it creates and whether they queue behind concurrency limits. " +
    "Next: export_status to follow it.",
  toolset: "exports",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(args, { client, projects, signal, now, budget }) {
    const notes = checkFilters({ filter: args.filter });
    // LangSmith is the judge of field names (newer versions may add some); undocumented ones are only flagged.
    const undocumented = (args.export_fields ?? []).filter((f) => !DOCUMENTED_FIELDS.has(f));
    if (undocumented.length) {
      notes.push(
        `export_fields ${undocumented.map((f) => `"${f}"`).join(", ")} not among the documented fields ` +
          `(${EXPORTABLE_RUN_FIELDS.join(", ")}); LangSmith may reject or ignore them.`,
      );
    }
    const current = now();
    const start = parseTime(args.start_time, "start_time", current);
    const end = args.end_time !== undefined ? parseTime(args.end_time, "end_time", current) : undefined;
    if (args.interval_hours !== undefined && end) {
      throw new UserInputError(
        "end_time",
        "cannot be combined with interval_hours.",
        "Omit end_time for a scheduled export, or omit interval_hours for a one-off export of [start_time, end_time).",
      );
    }
    if (args.interval_hours === undefined && !end) {
      throw new UserInputError(
        "end_time",
        "is required for a one-off export.",
        "Give end_time (exclusive), or interval_hours for a scheduled export.",
      );
    }
    if (end && start.getTime() >= end.getTime()) {
      throw new UserInputError(
        "start_time",
        `${start.toISOString()} is not before end_time ${end.toISOString()}: the range is ` +
          `${start.getTime() === end.getTime() ? "empty" : "inverted"}.`,
        "start_time is inclusive and end_time exclusive; give a start earlier than the end.",
      );
    }
    if (end && end.getTime() > current.getTime() + 60_000) {
      notes.push("end_time is in the future: runs started after now are not exported by this one-off export.");
    }

    const project = await projects.resolve(args.project, "project", signal);
    const destination = await resolveDestination(client, args.destination, signal);
    const body: CreateExportRequest = {
      bulk_export_destination_id: destination.id,
      session_id: project.id,
      start_time: start.toISOString(),
      ...(end && { end_time: end.toISOString() }),
      format: "Parquet",
      ...(args.filter !== undefined && { filter: args.filter }),
      ...(args.export_fields && { export_fields: args.export_fields }),
      ...(args.format_version && { format_version: args.format_version }),
      ...(args.compression && { compression: args.compression }),
      ...(args.interval_hours !== undefined && { interval_hours: args.interval_hours }),
    };

    const running = countRunning(await client.listExports(signal));
    const sentAt = client.serverNow();
    let created: BulkExport;
    try {
      created = await client.createExport(body, signal);
    } catch (error) {
      if (isLangSmithApiError(error) && (error.status === 400 || error.status === 422 || error.status === 404)) {
        throw new UserInputError(
          undefined,
          `LangSmith refused the export: ${error.detail ?? error.message}.`,
          "Fix the argument it names and call create_export again; nothing was created.",
        );
      }
      const lost = ambiguousOutcome(error);
      if (!lost) throw error;
      // The export may exist: find it rather than invite a duplicate.
      const found = await lookUp(
        async () => matchingExports(await client.listExports(signal), body, sentAt),
        signal,
        () => budget.remainingMs(),
      );
      if (!found[0]) {
        throw new UserInputError(
          undefined,
          `the export may have been created: ${lost}, and no matching export is listed yet (LangSmith may still be processing the ` +
            `request).`,
          `Do not call create_export again for this range yet. Check with list_exports (project ${project.name}): an export to ` +
            `destination ${destination.id} for ${body.start_time} → ${body.end_time ?? "scheduled"} created after ` +
            `${sentAt.toISOString()} is this one; create it only if none appears within a few minutes.`,
        );
      }
      created = found[0];
      notes.push(
        `LangSmith's answer was lost (${lost}), but the export exists: found by listing exports (same destination, project, range and ` +
          `filter, created after ${sentAt.toISOString()}). Do not create it again.` +
          (found.length > 1
            ? ` ${found.length} matching exports exist (${found.map((e) => e.id).join(", ")}); cancel_export the extra ones.`
            : ""),
      );
    }

    const partitions = end ? dayPartitions(start, end).length : 0;
    const queueing: string[] = [];
    if (running >= EXPORT_LIMITS.maxConcurrentExportsPerWorkspace) {
      queueing.push(
        `The workspace already runs ${running} exports, its limit (${documentedLimit("maxConcurrentExportsPerWorkspace")}): this ` +
          `export waits as Created until one finishes.`,
      );
    }
    if (partitions > EXPORT_LIMITS.maxConcurrentRunsPerExport) {
      queueing.push(
        `${partitions} partitions exceed the ${EXPORT_LIMITS.maxConcurrentRunsPerExport} runs an export may run at once ` +
          `(${documentedLimit("maxConcurrentRunsPerExport")}): the rest wait as Created and start as runs finish.`,
      );
    }
    if (!queueing.length) queueing.push("No queueing expected: within the per-export and per-workspace limits.");
    // The compression is said once, in `compression` with where it came from.
    const { compression: _stored, ...view } = exportView(created);
    const compression = describeCompression(args.compression, created);
    return {
      structured: { export: view, compression, partitions, queueing, notes },
      text: [
        `Created export ${view.id} (${view.status}${view.status_known ? "" : ", a status this server does not know"}) of ` +
          `${project.name} to "${destination.display_name}".`,
        `Settings: ${exportSettingsLine(view)}.`,
        `Compression: ${compression.explanation}`,
        end
          ? `${partitions} day partition${partitions === 1 ? "" : "s"}, one export run each, each with ${EXPORT_LIMITS.maxRetries} ` +
            `retries and a ${EXPORT_LIMITS.runTimeoutHours} h run timeout.`
          : "Scheduled: LangSmith starts a new export every interval.",
        ...queueing,
        ...notes.map((n) => `Note: ${n}`),
        `Next: export_status with export_id ${view.id} (wait_seconds to follow it).`,
      ].join("\n"),
    };
  },
});
