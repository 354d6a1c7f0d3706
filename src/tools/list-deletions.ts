import { z } from "zod";
import { listOwn, purgeLines, purgeView, PurgeViewSchema, requireLedger, resolveIdentity } from "../purge/index.js";
import { defineTool } from "./define-tool.js";
import { fitItems } from "./output-budget.js";

const inputSchema = z.object({
  limit: z.number().int().min(1).max(100).default(20).describe("Purges per page, newest first (default 20)."),
  offset: z.number().int().min(0).default(0).describe("Purges to skip, for paging."),
});

const outputSchema = z.object({
  total: z.number().int(),
  purges: z.array(PurgeViewSchema).optional(),
  has_more: z.boolean(),
  unreadable: z
    .array(z.object({ purge_id: z.string(), reason: z.string() }))
    .optional()
    .describe("Ledger rows that could not be read, skipped."),
});

export const listDeletions = defineTool({
  name: "list_deletions",
  title: "List compliance purges",
  description:
    "List the purges of this LangSmith workspace in the local deletion ledger, newest first: criteria, trace count, batch states and " +
    "the last verification verdict. " +
    "Use it to find a purge_id. " +
    "Next: verify_deletion to re-check one, queue_deletion with purge_id to resume one.",
  toolset: "deletion",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const ledger = await requireLedger(ctx.ledger);
    const identity = await resolveIdentity(ctx.client, ctx.signal);
    const { total, purges: records, unreadable } = await listOwn(ledger, identity, { limit: args.limit, offset: args.offset });
    const all = records.map(purgeView);
    const skipped = unreadable.map((u) => `  ${u.id}: could not be read; skipped. ${u.reason}`);
    // A purge of 100,000 traces has 100 batches: a page of large purges may not fit one result.
    const render = (count: number) => {
      const purges = all.slice(0, count);
      const shown = purges.length + unreadable.length;
      const more = args.offset + shown < total;
      return {
        structured: { total, purges, has_more: more, unreadable: unreadable.map((u) => ({ purge_id: u.id, reason: u.reason })) },
        text:
          total === 0
            ? "No purge recorded in the ledger for this LangSmith workspace yet."
            : [
                `${total} purge(s) recorded for this workspace; ${shown} shown from offset ${args.offset}, newest ` +
                  `first${more ? ` (more: offset ${args.offset + shown})` : ""}:`,
                ...purges.flatMap((p) => [...purgeLines(p), ...(p.last_verification ? [] : ["  Never verified."])]),
                ...skipped,
                ...(count < all.length
                  ? [
                      `Listed ${count} of the ${all.length} asked for to stay within the result budget; call again with offset ` +
                        `${args.offset + shown}.`,
                    ]
                  : []),
              ].join("\n"),
      };
    };
    return (await fitItems(all.length, render, ctx.config.maxOutputTokens)).payload;
  },
});
