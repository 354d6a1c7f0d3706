import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { purgeLines, purgeView, PurgeViewSchema, requireLedger } from "./deletion-shared.js";

const inputSchema = z.object({
  limit: z.number().int().min(1).max(100).default(20).describe("Purges per page, newest first (default 20)."),
  offset: z.number().int().min(0).default(0).describe("Purges to skip, for paging."),
});

const outputSchema = z.object({
  total: z.number().int(),
  purges: z.array(PurgeViewSchema).optional(),
  has_more: z.boolean(),
});

export const listDeletions = defineTool({
  name: "list_deletions",
  title: "List compliance purges",
  description:
    "List the purges in the local deletion ledger, newest first: criteria, trace count, batch states and the last verification verdict. " +
    "Use it to find a purge_id. " +
    "Next: verify_deletion to re-check one, queue_deletion with purge_id to resume one.",
  toolset: "deletion",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const ledger = requireLedger(ctx);
    const total = ledger.countPurges();
    const purges = ledger.listPurges({ limit: args.limit, offset: args.offset }).map(purgeView);
    return {
      structured: { total, purges, has_more: args.offset + purges.length < total },
      text:
        total === 0
          ? "No purge recorded in the ledger yet."
          : [
              `${total} purge(s) recorded; ${purges.length} shown from offset ${args.offset}, newest first${args.offset + purges.length < total ? ` (more: offset ${args.offset + purges.length})` : ""}:`,
              ...purges.flatMap((p) => [...purgeLines(p), ...(p.last_verification ? [] : ["  Never verified."])]),
            ].join("\n"),
    };
  },
});
