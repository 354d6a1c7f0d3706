import { z } from "zod";
import { UserInputError } from "../errors.js";
import { checkFilters, isLangSmithApiError, type LangSmithClient } from "../langsmith/index.js";
import type { AuditMatch, Ledger, PurgeRecord, Verdict } from "../ledger/index.js";
import { apiTimeIso } from "../api-time.js";
import { defineTool, type ToolContext } from "./define-tool.js";
import { DELETION_LIMITS, discoverTraces, paddedWindow, purgeLines, purgeView, PurgeViewSchema, requireLedger, VERDICT_TABLE, visibleTraces } from "./deletion-shared.js";
import { fitItems, type Payload } from "./output-budget.js";
import { resolveWindow, TIME_DESCRIPTION } from "./time-range.js";
import { noteLines } from "./render.js";

const inputSchema = z.object({
  purge_id: z.string().optional().describe("A purge recorded by queue_deletion (list_deletions shows them); re-queries exactly its trace ids."),
  project: z.string().min(1).optional().describe("Without purge_id: the project whose criteria to re-query."),
  filter: z.string().optional().describe("Without purge_id: the root-run filter the purge used."),
  tree_filter: z.string().optional().describe("Without purge_id: the tree filter the purge used."),
  start_time: z.string().optional().describe(`Without purge_id: earliest trace start. ${TIME_DESCRIPTION} Default: the project's creation.`),
  end_time: z.string().optional().describe('Without purge_id: latest trace start, in the same forms. Default "now".'),
  max_ids: z.number().int().min(1).max(1000).default(DELETION_LIMITS.shownIds).describe("How many remaining trace ids to list (default 50); the count is always exact."),
  ids_offset: z.number().int().min(0).default(0).describe("Skip this many remaining ids (next_ids_offset of the previous call)."),
});

const outputSchema = z.object({
  verdict: z.enum(["verified", "pending", "partially_verified", "overdue", "incomplete", "not_verified"]),
  meaning: z.string(),
  next: z.string(),
  checked: z.number().int().describe("Trace ids re-queried."),
  remaining_count: z.number().int(),
  remaining_ids: z.array(z.string()).optional().describe("Still visible, from ids_offset, capped at max_ids and the result budget."),
  next_ids_offset: z.number().int().optional().describe("Pass as ids_offset to list the next remaining ids."),
  remaining_by_batch: z.array(z.object({ batch_no: z.number().int(), remaining: z.number().int(), of: z.number().int() })).optional(),
  checked_at: z.string().describe("LangSmith's time of the check."),
  expected_completion_window: z.object({ start: z.string(), end: z.string() }).optional(),
  queries: z.number().int().describe("HTTP queries the re-check took."),
  time_window: z.object({ start_time: z.string(), end_time: z.string() }).optional().describe("Without purge_id: the trace-start window re-queried."),
  audit: z
    .object({
      status: z.enum(["matched", "partially_matched", "no_events", "not_available_on_plan", "not_configured", "error"]),
      detail: z.string(),
      matches: z.array(z.object({ batch_no: z.number().int(), event_uid: z.string(), event_time: z.string() })).optional(),
    })
    .optional(),
  purge: PurgeViewSchema.partial({ expected_completion_window: true, last_verification: true })
    .optional()
    .describe("The recorded purge; its window and this verification are the fields above."),
  notes: z.array(z.string()).optional(),
});

type Audit = NonNullable<z.input<typeof outputSchema>["audit"]>;

export const verifyDeletion = defineTool({
  name: "verify_deletion",
  title: "Verify a compliance purge",
  description:
    "Prove a purge happened: re-queries the recorded trace ids and returns pending, partially_verified, verified or overdue (with the ids still visible), plus delete_runs audit-log evidence on Enterprise plans. " +
    "Changes nothing in LangSmith; records the check in the ledger. " +
    "Use it after the weekend window. " +
    "Next: on overdue, queue_deletion with the remaining ids.",
  toolset: "deletion",
  inputSchema,
  outputSchema,
  // Read-only towards LangSmith; it appends the attempt to the local ledger, which is not the world it manages.
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  task: true,
  async handler(args, ctx) {
    const ledger = requireLedger(ctx);
    if (args.purge_id === undefined) return byCriteria(args, ctx);
    if (args.project || args.filter || args.tree_filter || args.start_time || args.end_time) {
      throw new UserInputError("purge_id", "checks the recorded purge; it takes no criteria.", "Pass only purge_id, or leave it out and give the criteria.");
    }
    const purge = ledger.getPurge(args.purge_id);
    if (!purge) throw new UserInputError("purge_id", `no purge ${args.purge_id} in the ledger.`, "list_deletions shows the recorded purges.");

    const ids = ledger.traceIds(purge.id);
    const window = paddedWindow([purge.earliest_start_time, purge.latest_start_time].filter((s): s is string => s !== null));
    const { visible, requests } = await visibleTraces(ctx.client, { projectId: purge.criteria.project_id, ids, ...window, what: "verify_deletion (re-querying a purge)" }, ctx.signal);
    const now = ctx.client.serverNow();
    const remaining = new Set(visible.map((t) => t.trace_id));
    const ordered = ids.filter((id) => remaining.has(id));
    const byBatch = purge.batches.map((b) => {
      const batchIds = ledger.traceIds(purge.id, b.batch_no);
      return { batch_no: b.batch_no, remaining: batchIds.filter((id) => remaining.has(id)).length, of: batchIds.length };
    });
    const verdict = decideVerdict(purge, ordered.length, ids.length, now);
    const audit = await correlateAudit(ctx, ledger, purge, now);
    const row = VERDICT_TABLE.find((v) => v.verdict === verdict)!;
    ledger.recordVerification(purge.id, {
      at: now.toISOString(),
      checked: ids.length,
      remaining_count: ordered.length,
      remaining_ids: ordered.slice(0, DELETION_LIMITS.shownIds),
      verdict,
      audit: audit ? `${audit.status}: ${audit.detail}` : null,
      requests,
    });
    // The window and this very check are already top-level fields: the purge does not repeat them.
    const { expected_completion_window: _window, last_verification: _check, ...view } = purgeView(ledger.getPurge(purge.id)!);
    const render = (listed: IdsPage) => ({
      structured: {
        verdict,
        meaning: row.when,
        next: row.next,
        checked: ids.length,
        remaining_count: ordered.length,
        remaining_ids: listed.ids,
        ...(listed.next !== undefined && { next_ids_offset: listed.next }),
        remaining_by_batch: byBatch,
        checked_at: now.toISOString(),
        expected_completion_window: purge.window ?? undefined,
        queries: requests,
        ...(audit && { audit }),
        purge: view,
        notes: listed.notes,
      },
      text: [
        `Purge ${purge.id} (${purge.criteria.project_name}): ${verdict.toUpperCase()}: ${ordered.length} of ${ids.length} trace(s) still visible at ${now.toISOString()} (checked with ${requests} quer${requests === 1 ? "y" : "ies"}).`,
        purge.window ? `Expected completion window: ${purge.window.start} … ${purge.window.end}.` : "No batch was accepted yet.",
        `Meaning: ${row.when}.`,
        `Remaining by batch: ${byBatch.map((b) => `#${b.batch_no} ${b.remaining}/${b.of}`).join(", ")}.`,
        ...(listed.ids.length ? [`Still visible${ordered.length > listed.ids.length ? ` (${listed.ids.length} of ${ordered.length} from offset ${args.ids_offset})` : ""}: ${listed.ids.join(", ")}.`] : []),
        ...(audit
          ? [`Audit logs (${audit.status}): ${audit.detail}`, ...(audit.matches ?? []).map((m) => `  batch #${m.batch_no}: event ${m.event_uid} at ${m.event_time}`)]
          : []),
        ...purgeLines(view),
        ...noteLines(listed.notes),
        `Next: ${row.next}`,
      ].join("\n"),
    });
    return fitIds(ordered, args, [], ctx.config.maxOutputTokens, render);
  },
});

/** The verdict table (deletion-shared.ts) applied in order. */
export function decideVerdict(purge: PurgeRecord, remaining: number, total: number, now: Date): Verdict {
  if (remaining === 0) return "verified";
  if (purge.batches.some((b) => b.state !== "queued") || !purge.window) return "incomplete";
  if (now.getTime() >= Date.parse(purge.window.end)) return "overdue";
  return remaining === total ? "pending" : "partially_verified";
}

/** Matches each accepted batch to a `delete_runs` audit event naming all its trace ids. */
async function correlateAudit(ctx: ToolContext, ledger: Ledger, purge: PurgeRecord, now: Date): Promise<Audit | undefined> {
  const queued = purge.batches.filter((b) => b.state === "queued" && b.delete_requested_at);
  if (queued.length === 0) return undefined;
  if (!ctx.config.organizationId) {
    return { status: "not_configured", detail: "not checked: set LANGSMITH_ORGANIZATION_ID (Enterprise plans) to correlate with delete_runs audit-log events.", matches: [] };
  }
  const first = Math.min(...queued.map((b) => Date.parse(b.delete_requested_at!)));
  const query = {
    startTime: new Date(first - 3_600_000).toISOString(),
    endTime: new Date(Math.max(now.getTime(), first) + 3_600_000).toISOString(),
    operations: ["delete_runs"],
    limit: 100,
  };
  const wanted = new Map(queued.map((b) => [b.batch_no, ledger.traceIds(purge.id, b.batch_no)]));
  const matches: AuditMatch[] = [];
  try {
    for await (const page of ctx.client.iterateAuditLogPages(query, { maxPages: 50, signal: ctx.signal })) {
      for (const item of page.items) {
        if ((item.status ?? "").toLowerCase() !== "success") continue;
        const original = item.unmapped?.original_audit_log;
        const resources = new Set(original?.enrichments?.resource_ids ?? []);
        for (const [batchNo, ids] of wanted) {
          if (ids.every((id) => resources.has(id))) {
            matches.push({ batch_no: batchNo, event_uid: item.metadata?.uid ?? "unknown", event_time: eventTime(item.time, original?.request_time) });
            wanted.delete(batchNo);
          }
        }
      }
      if (wanted.size === 0) break;
    }
  } catch (error) {
    if (isLangSmithApiError(error) && error.status === 403) {
      return { status: "not_available_on_plan", detail: "not available on this plan: LangSmith answered 403 (audit logs need an Enterprise plan and an organization admin key). The re-query above is the proof that counts.", matches: [] };
    }
    return { status: "error", detail: `could not read audit logs: ${error instanceof Error ? error.message : String(error)}`, matches: [] };
  }
  ledger.recordAuditMatches(purge.id, matches);
  const status = matches.length === queued.length ? "matched" : matches.length > 0 ? "partially_matched" : "no_events";
  return {
    status,
    detail: `${matches.length} of ${queued.length} accepted batch(es) match a successful delete_runs event naming all their trace ids${status === "matched" ? "" : "; the others have no matching event yet"}.`,
    matches,
  };
}

function eventTime(time: number | string | null | undefined, requestTime: string | null | undefined): string {
  if (typeof time === "number") return new Date(time).toISOString();
  return apiTimeIso(time ?? requestTime ?? null) ?? "unknown";
}

async function byCriteria(args: z.output<typeof inputSchema>, ctx: ToolContext) {
  if (!args.project) throw new UserInputError("purge_id", "or project is required.", "Pass the purge_id from queue_deletion (list_deletions shows them), or the project and criteria to re-query.");
  const notes = checkFilters(args);
  const resolved = await ctx.projects.resolve(args.project, "project", ctx.signal);
  const now = ctx.client.serverNow();
  const window = resolveWindow(args.start_time, args.end_time, now, apiTimeIso(resolved.start_time) ?? new Date(0).toISOString());
  const traces = await discoverTraces(
    ctx.client as LangSmithClient,
    { projectId: resolved.id, minStart: window.start.toISOString(), maxStart: window.end.toISOString(), filter: args.filter, treeFilter: args.tree_filter, what: "verify_deletion (re-querying a purge)" },
    ctx.signal,
  );
  const verdict: Verdict = traces.length === 0 ? "verified" : "not_verified";
  notes.push("Checked by criteria, not a recorded purge: traces that started matching after the purge count as remaining, and no window applies. purge_id gives the precise verdict.");
  const ids = traces.map((t) => t.trace_id);
  return fitIds(ids, args, notes, ctx.config.maxOutputTokens, (listed) => ({
    structured: {
      verdict,
      meaning: verdict === "verified" ? "zero traces match the criteria" : "traces matching the criteria are still visible",
      next: verdict === "verified" ? "Done." : "If a purge of these criteria was queued, verify it by purge_id after its window; otherwise queue_deletion.",
      checked: traces.length,
      remaining_count: traces.length,
      remaining_ids: listed.ids,
      ...(listed.next !== undefined && { next_ids_offset: listed.next }),
      checked_at: now.toISOString(),
      queries: Math.max(1, Math.ceil(traces.length / 1000)),
      time_window: { start_time: window.start.toISOString(), end_time: window.end.toISOString() },
      notes: listed.notes,
    },
    text: [
      `${traces.length} trace(s) in ${resolved.name} still match these criteria (${window.start.toISOString()} … ${window.end.toISOString()}) at ${now.toISOString()}: ${verdict.toUpperCase()} (${verdict === "verified" ? "zero traces match the criteria" : "traces matching the criteria are still visible"}).`,
      ...(listed.ids.length ? [`Still visible${traces.length > listed.ids.length ? ` (${listed.ids.length} of ${traces.length} from offset ${args.ids_offset})` : ""}: ${listed.ids.join(", ")}.`] : []),
      ...noteLines(listed.notes),
      `Next: ${verdict === "verified" ? "Done." : "If a purge of these criteria was queued, verify it by purge_id after its window; otherwise queue_deletion."}`,
    ].join("\n"),
  }));
}

interface IdsPage {
  ids: string[];
  next: number | undefined;
  notes: string[];
}

/**
 * Lists `all` from ids_offset, at most max_ids, and fewer when the ids would overrun the token
 * budget: next_ids_offset and a note then say where the rest starts.
 */
async function fitIds<R extends Payload>(
  all: readonly string[],
  args: { max_ids: number; ids_offset: number },
  notes: readonly string[],
  budget: number,
  render: (listed: IdsPage) => R,
): Promise<R> {
  const wanted = all.slice(args.ids_offset, args.ids_offset + args.max_ids);
  const page = (count: number): R => {
    const end = args.ids_offset + count;
    const listed: IdsPage = { ids: wanted.slice(0, count), next: end < all.length ? end : undefined, notes: [...notes] };
    if (count < wanted.length) {
      listed.notes.push(`Listed ${count} of the ${wanted.length} ids asked for to stay within the ${budget.toLocaleString("en-US")}-token result budget; call again with ids_offset ${end} for the next ones (each call re-checks).`);
    } else if (listed.next !== undefined && count > 0) {
      listed.notes.push(`${all.length - end} more remaining id(s): call again with ids_offset ${end} to list them.`);
    }
    return render(listed);
  };
  return (await fitItems(wanted.length, page, budget)).payload;
}
