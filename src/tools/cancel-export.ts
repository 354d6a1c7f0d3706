import { z } from "zod";
import { LangSmithIdSchema } from "./schemas.js";
import { UserInputError } from "../errors.js";
import { exportState, ExportProgressSchema, readSnapshot, statusKey, unfinishedRanges } from "../exports/index.js";
import { decide } from "./confirmation.js";
import { defineTool } from "./define-tool.js";
import {
  exportSettingsLine,
  exportView,
  ExportViewSchema,
  getExportOrExplain,
  isKnownStatus,
  isTerminal,
  progressLines,
} from "./export-shared.js";

const ACTION = "cancel_export";

/** Unfinished partitions for text, as `start → end` ranges. */
const unfinishedList = (partitions: readonly { start: string; end: string }[]): string =>
  partitions.length ? `: ${partitions.map((p) => `${p.start} → ${p.end}`).join(", ")}` : "";

const inputSchema = z.object({
  export_id: LangSmithIdSchema.describe("The bulk export to cancel."),
  confirmation_token: z
    .string()
    .optional()
    .describe("Omit on the first call to see what cancelling will stop; pass the token that call returned to cancel."),
});

const outputSchema = z.object({
  cancelled: z.boolean().describe("False on the first call (plan only); true once LangSmith cancelled the export."),
  export: ExportViewSchema,
  progress: ExportProgressSchema,
  unfinished_partitions: z
    .array(z.object({ start: z.string(), end: z.string() }))
    .optional()
    .describe("Partitions not yet exported: what a new export would have to cover."),
  confirmation_token: z.string().optional(),
  expires_at: z.string().optional(),
});

export const cancelExport = defineTool({
  name: "cancel_export",
  title: "Cancel a bulk export",
  description:
    "Stop a running or queued bulk export. " +
    "Two calls: the first shows what will stop and which partitions are unfinished, and returns a confirmation token (or the user " +
    "confirms in a dialog); the second, with the token, cancels. " +
    "A cancelled export cannot restart. " +
    "Next: create_export for the unfinished partitions, if wanted.",
  toolset: "exports",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(args, { client, confirmations, confirmWithUser, signal }) {
    const exp = await getExportOrExplain(client, args.export_id, signal);
    if (isTerminal(exp.status)) {
      throw new UserInputError(
        "export_id",
        `export ${exp.id} is already ${exp.status}; there is nothing to cancel.`,
        statusKey(exp.status) === "cancelled"
          ? "A cancelled export cannot be restarted; create_export makes a new one."
          : "export_status shows its outcome.",
      );
    }
    const snapshot = await readSnapshot(client, exp.id, signal, exp);
    const state = exportState({ export: exp, runs: snapshot.runs, now: client.serverNow(), workspaceExports: snapshot.workspaceExports });
    const { progress } = state;
    const unfinished = unfinishedRanges(state);
    const view = exportView(exp);

    if (!args.confirmation_token) {
      const plan = [
        `Plan: cancel export ${exp.id} (${exp.status}${isKnownStatus(exp.status) ? "" : ", a status this server does not know"}). ` +
          `Nothing has changed yet.`,
        `Settings: ${exportSettingsLine(view)}.`,
        ...progressLines(progress),
        `Its ${unfinished.length} unfinished partition(s) stop${unfinishedList(unfinished)}; files already written stay in the bucket. ` +
          `A cancelled export cannot be restarted: finishing the work later needs a new export (create_export) over the unfinished ` +
          `partitions.`,
      ];
      const decision = await decide(confirmations, confirmWithUser, ACTION, { export_id: exp.id }, plan.join("\n"));
      if (decision.kind === "declined") {
        return {
          structured: { cancelled: false, export: view, progress, unfinished_partitions: unfinished },
          text: [...plan, "The user declined in the client's confirmation dialog: the export keeps running."].join("\n"),
        };
      }
      if (decision.kind === "token") {
        return {
          structured: {
            cancelled: false,
            export: view,
            progress,
            unfinished_partitions: unfinished,
            confirmation_token: decision.token,
            expires_at: decision.expires_at,
          },
          text: [
            ...plan,
            `To proceed, call cancel_export again with confirmation_token "${decision.token}" (valid until ${decision.expires_at}).`,
          ].join("\n"),
        };
      }
    } else {
      confirmations.verify(args.confirmation_token, ACTION, { export_id: exp.id });
    }
    const cancelled = await client.cancelExport(exp.id, signal);
    return {
      structured: { cancelled: true, export: exportView(cancelled), progress, unfinished_partitions: unfinished },
      text: [
        `Cancelled export ${exp.id} (now ${cancelled.status}).`,
        `Settings: ${exportSettingsLine(exportView(cancelled))}.`,
        ...progressLines(progress),
        `${unfinished.length} partition(s) were unfinished${unfinishedList(unfinished)}; a new export over them (create_export) is the ` +
          `way to finish the work.`,
      ].join("\n"),
    };
  },
});
