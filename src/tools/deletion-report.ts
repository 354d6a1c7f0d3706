import { z } from "zod";
import { buildEvidence, EvidenceReportSchema, ownPurge, renderEvidenceMarkdown, requireLedger, resolveIdentity } from "../purge/index.js";
import { defineTool } from "./define-tool.js";
import { fitItems } from "./output-budget.js";

const inputSchema = z.object({
  purge_id: z.string().min(1).describe("The purge (list_deletions shows them)."),
  ids_offset: z.number().int().min(0).default(0).describe("First trace id to list (next_offset of the previous call)."),
  max_ids: z.number().int().min(1).max(5000).default(500).describe("Trace ids to list (default 500)."),
});

export const deletionReport = defineTool({
  name: "deletion_report",
  title: "Evidence report of a purge",
  description:
    "The evidence an auditor files for a purge, from the hash-chained ledger: request, plan digest, every batch and attempt, every " +
    "verification, audit-log events, integrity check, trace ids (paged). Markdown text, JSON structured; changes nothing. " +
    "Use it once a purge is verified. Next: file it; verify_deletion first if it is not verified yet.",
  toolset: "deletion",
  inputSchema,
  outputSchema: EvidenceReportSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const ledger = await requireLedger(ctx.ledger);
    const identity = await resolveIdentity(ctx.client, ctx.signal);
    const purge = await ownPurge(ledger, identity, args.purge_id);
    const generated = ctx.now();
    const total = Math.max(0, Math.min(args.max_ids, purge.trace_count - args.ids_offset));
    // Built once (it re-checks the whole hash chain); fitting only trims the listed ids.
    const full = await buildEvidence(ledger, purge, generated, { offset: args.ids_offset, limit: total });
    const render = (count: number) => {
      const end = args.ids_offset + count;
      const { next_offset: _next, ...ids } = full.trace_ids;
      const report = { ...full, trace_ids: { ...ids, listed: ids.listed.slice(0, count), ...(end < ids.total && { next_offset: end }) } };
      return { structured: report, text: renderEvidenceMarkdown(report) };
    };
    return (await fitItems(total, render, ctx.config.maxOutputTokens)).payload;
  },
});
