import { z } from "zod";
import { UserInputError } from "../errors.js";
import { checkFilters } from "../langsmith/index.js";
import type { Verdict } from "../ledger/index.js";
import {
  METADATA_PAIR,
  givesCriteria,
  ownPurge,
  parseMetadataPairs,
  planPurge,
  PURGE_LIMITS,
  purgeLines,
  purgeView,
  PurgeViewSchema,
  requireLedger,
  resolveIdentity,
  verifyRecorded,
} from "../purge/index.js";
import { defineTool, type ToolContext } from "./define-tool.js";
import { fitItems, type Payload } from "./output-budget.js";
import { resolveWindow } from "./time-range.js";
import { noteLines } from "./render.js";

const inputSchema = z.object({
  purge_id: z
    .string()
    .optional()
    .describe(
      "A purge recorded by queue_deletion (list_deletions shows them); re-queries exactly its trace ids. Without it: re-queries the " +
        "criteria below, given as to queue_deletion.",
    ),
  project: z.string().min(1).optional().describe("Project name or id."),
  projects: z.array(z.string().min(1)).min(1).max(100).optional().describe("Several projects."),
  all_projects: z.boolean().optional().describe("Every project of the workspace."),
  metadata: z.array(z.string().regex(METADATA_PAIR)).min(1).max(20).optional().describe('"key=value" pairs.'),
  filter: z.string().optional().describe("Root-run filter."),
  tree_filter: z.string().optional().describe("Tree filter."),
  start_time: z.string().optional().describe("Earliest trace start; default each project's creation."),
  end_time: z.string().optional().describe('Latest trace start; default "now".'),
  max_ids: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(PURGE_LIMITS.shownIds)
    .describe("Remaining ids to list (default 50); the count is always exact."),
  ids_offset: z.number().int().min(0).default(0).describe("next_ids_offset of the previous call."),
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
  time_window: z
    .object({ start_time: z.string(), end_time: z.string() })
    .optional()
    .describe("Without purge_id: the trace-start window re-queried."),
  remaining_by_project: z
    .array(z.object({ id: z.string(), name: z.string(), remaining: z.number().int() }))
    .optional()
    .describe("Without purge_id: traces still matching, per project searched."),
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

export const verifyDeletion = defineTool({
  name: "verify_deletion",
  title: "Verify a compliance purge",
  description:
    "Prove a purge happened: re-queries the recorded trace ids and returns pending, partially_verified, verified or overdue (with the " +
    "ids still visible), plus delete_runs audit-log evidence on Enterprise plans. " +
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
    const ledger = await requireLedger(ctx.ledger);
    if (args.purge_id === undefined) return byCriteria(args, ctx);
    if (givesCriteria(args)) {
      throw new UserInputError(
        "purge_id",
        "checks the recorded purge; it takes no criteria.",
        "Pass only purge_id, or leave it out and give the criteria.",
      );
    }
    const identity = await resolveIdentity(ctx.client, ctx.signal);
    const purge = await ownPurge(ledger, identity, args.purge_id);
    const result = await verifyRecorded(purge, {
      ledger,
      client: ctx.client,
      signal: ctx.signal,
      organizationId: ctx.config.organizationId,
    });
    const { verdict, remaining, byBatch, audit, requests } = result;
    const now = result.checkedAt;
    // The window and this very check are already top-level fields: the purge does not repeat them.
    const {
      expected_completion_window: _window,
      last_verification: _check,
      ...view
    } = purgeView((await ledger.getPurge(purge.id)) ?? purge);
    const shownBatches = byBatch.filter((b) => b.remaining > 0 || byBatch.length <= 20);
    const scopeLabel =
      view.projects_searched !== undefined
        ? `${view.projects_searched} projects searched`
        : (view.projects ?? []).map((p) => p.name).join(", ");
    const otherBatches =
      shownBatches.length < byBatch.length && shownBatches.length ? ` (the other ${byBatch.length - shownBatches.length} batches: 0)` : "";
    const batchesLabel =
      (shownBatches.length
        ? shownBatches.map((b) => `#${b.batch_no} ${b.remaining}/${b.of}`).join(", ")
        : `0 in each of ${byBatch.length}`) + otherBatches;
    const render = (listed: IdsPage) => ({
      structured: {
        verdict,
        meaning: result.meaning,
        next: result.next,
        checked: result.checked,
        remaining_count: remaining.length,
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
        `Purge ${purge.id} (${scopeLabel}): ${verdict.toUpperCase()}: ${remaining.length} of ${result.checked} trace(s) ` +
          `still visible at ${now.toISOString()} (checked with ${requests} quer${requests === 1 ? "y" : "ies"}).`,
        purge.window ? `Expected completion window: ${purge.window.start} … ${purge.window.end}.` : "No batch was accepted yet.",
        `Meaning: ${result.meaning}.`,
        `Remaining by batch: ${batchesLabel}.`,
        ...(listed.ids.length
          ? [
              `Still visible${
                remaining.length > listed.ids.length
                  ? ` (${listed.ids.length} of ${remaining.length} from offset ` + `${args.ids_offset})`
                  : ""
              }: ${listed.ids.join(", ")}.`,
            ]
          : []),
        ...(audit
          ? [
              `Audit logs (${audit.status}): ${audit.detail}`,
              ...(audit.matches ?? []).map((m) => `  batch #${m.batch_no}: event ${m.event_uid} at ${m.event_time}`),
            ]
          : []),
        ...purgeLines(view),
        ...noteLines(listed.notes),
        `Next: ${result.next}`,
      ].join("\n"),
    });
    const notes = result.notRecorded ? [`This check was not recorded in the ledger: ${result.notRecorded}`] : [];
    return fitIds(remaining, args, notes, ctx.config.maxOutputTokens, render);
  },
});

/**
 * Without a purge id: re-runs the criteria (one project, several, or all; metadata, filters,
 * window) with the same discovery queue_deletion plans with, and calls what still matches
 * remaining. No ledger record and no window: a purge id gives the precise verdict.
 */
async function byCriteria(args: z.output<typeof inputSchema>, ctx: ToolContext) {
  if (!args.project && !args.projects && !args.all_projects) {
    throw new UserInputError(
      "purge_id",
      "or the projects to re-query are required.",
      "Pass the purge_id from queue_deletion (list_deletions shows them), or the criteria with project, projects or all_projects: true.",
    );
  }
  const notes = checkFilters(args);
  const plan = await planPurge(
    {
      project: args.project,
      projects: args.projects,
      all_projects: args.all_projects,
      metadata: parseMetadataPairs(args.metadata),
      filter: args.filter,
      tree_filter: args.tree_filter,
      start_time: args.start_time,
      end_time: args.end_time ?? "now",
    },
    {
      client: ctx.client,
      resolveProject: (ref, field, signal) => ctx.projects.resolve(ref, field, signal),
      resolveWindow,
      signal: ctx.signal,
    },
  );
  const now = ctx.client.serverNow();
  const traces = plan.traces;
  const window = { start: plan.criteria.start_time!, end: plan.criteria.end_time! };
  const byProject = plan.counts.map((p) => ({ id: p.id, name: p.name, remaining: p.traces }));
  const where =
    byProject.length === 1
      ? `${byProject[0]!.name} (${byProject[0]!.id})`
      : `${args.all_projects ? `all ${byProject.length} projects of the workspace` : `${byProject.length} projects`} ` +
        `(${byProject.map((p) => `${p.name} (${p.id}) ${p.remaining}`).join(", ")})`;
  const verdict: Verdict = traces.length === 0 ? "verified" : "not_verified";
  const meaning = verdict === "verified" ? "zero traces match the criteria" : "traces matching the criteria are still visible";
  const next =
    verdict === "verified"
      ? "Done."
      : "If a purge of these criteria was queued, verify it by purge_id after its window; otherwise queue_deletion.";
  notes.push(
    "Checked by criteria, not a recorded purge: traces that started matching after the purge count as remaining, and no window applies. " +
      "purge_id gives the precise verdict.",
  );
  const ids = traces.map((t) => t.trace_id);
  return fitIds(ids, args, notes, ctx.config.maxOutputTokens, (listed) => ({
    structured: {
      verdict,
      meaning,
      next,
      checked: traces.length,
      remaining_count: traces.length,
      remaining_ids: listed.ids,
      ...(listed.next !== undefined && { next_ids_offset: listed.next }),
      checked_at: now.toISOString(),
      queries: Math.max(1, plan.requests),
      time_window: { start_time: window.start, end_time: window.end },
      remaining_by_project: byProject,
      notes: listed.notes,
    },
    text: [
      `${traces.length} trace(s) in ${where} still match these criteria (${window.start} … ${window.end}) at ${now.toISOString()}: ` +
        `${verdict.toUpperCase()} (${meaning}).`,
      ...(listed.ids.length
        ? [
            `Still visible${
              traces.length > listed.ids.length ? ` (${listed.ids.length} of ${traces.length} from offset ` + `${args.ids_offset})` : ""
            }: ${listed.ids.join(", ")}.`,
          ]
        : []),
      ...noteLines(listed.notes),
      `Next: ${next}`,
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
      listed.notes.push(
        `Listed ${count} of the ${wanted.length} ids asked for to stay within the ${budget.toLocaleString("en-US")}-token result ` +
          `budget; call again with ids_offset ${end} for the next ones (each call re-checks).`,
      );
    } else if (listed.next !== undefined && count > 0) {
      listed.notes.push(`${all.length - end} more remaining id(s): call again with ids_offset ${end} to list them.`);
    }
    return render(listed);
  };
  return (await fitItems(wanted.length, page, budget)).payload;
}
