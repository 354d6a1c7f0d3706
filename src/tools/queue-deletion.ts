import { z } from "zod";
import { LangSmithIdSchema } from "./schemas.js";
import { apiTimeIso } from "../api-time.js";
import { UserInputError } from "../errors.js";
import { checkFilters } from "../langsmith/index.js";
import { expectedCompletionWindow } from "../ledger/index.js";
import { decide } from "./confirmation.js";
import { defineTool, type ToolContext } from "./define-tool.js";
import {
  batchLine,
  purgeLines,
  DELETION_LIMITS,
  discoverTraces,
  newPurgeId,
  purgeView,
  PurgeViewSchema,
  requireLedger,
  sendPendingBatches,
  sha256,
  traceSetDigest,
  visibleTraces,
  withPurgeLock,
  type DiscoveredTrace,
} from "./deletion-shared.js";
import { resolveWindow, TIME_DESCRIPTION } from "./time-range.js";
import { noteLines } from "./render.js";
import type { PurgeCriteria } from "../ledger/index.js";

const ACTION = "queue_deletion";

const inputSchema = z.object({
  project: z.string().min(1).optional().describe('Project name or id whose traces to purge, e.g. "support-bot". Not needed with purge_id.'),
  filter: z
    .string()
    .optional()
    .describe('Filter on each trace\'s root run, e.g. `and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))`.'),
  tree_filter: z.string().optional().describe('Purge traces containing any run matching this, e.g. `eq(name, "refund_payment")`.'),
  start_time: z.string().optional().describe(`Earliest trace start. ${TIME_DESCRIPTION} Default: the project's creation.`),
  end_time: z.string().optional().describe('Latest trace start, in the same forms. Default "now".'),
  trace_ids: z
    .array(LangSmithIdSchema)
    .min(1)
    .max(DELETION_LIMITS.maxExplicitIds)
    .optional()
    .describe("Trace (root run) ids to purge instead of a filter; sent in batches of 1000."),
  confirmation_token: z.string().optional().describe("Omit on the first call to see the plan; pass the token it returned to queue exactly that plan."),
  purge_id: z.string().optional().describe("Resume a recorded purge: sends only its batches not yet accepted."),
});

const outputSchema = z.object({
  status: z
    .enum(["plan", "declined", "queued", "partially_queued", "nothing_to_delete"])
    .describe("plan: nothing sent yet; declined: the user said no in the client's dialog; queued: every batch accepted; partially_queued: resume with purge_id."),
  plan: z
    .object({
      project: z.object({ id: z.string(), name: z.string() }),
      trace_count: z.number().int(),
      batches: z.array(z.object({ batch_no: z.number().int(), trace_count: z.number().int() })),
      sample: z.array(z.object({ trace_id: z.string(), name: z.string().optional(), start_time: z.string() })),
      not_found: z.object({ count: z.number().int(), ids: z.array(z.string()) }).optional(),
      time_window: z.object({ start_time: z.string(), end_time: z.string() }).optional().describe("The trace-start window the criteria were read as."),
      expected_completion_window_if_queued_now: z.object({ start: z.string(), end: z.string() }),
    })
    .optional(),
  purge: PurgeViewSchema.optional(),
  confirmation_token: z.string().optional(),
  expires_at: z.string().optional(),
  notes: z.array(z.string()).optional(),
});

type Args = z.output<typeof inputSchema>;

interface Plan {
  project: { id: string; name: string };
  criteria: PurgeCriteria;
  traces: DiscoveredTrace[];
  notFound: string[];
}

export const queueDeletion = defineTool({
  name: "queue_deletion",
  title: "Queue a compliance purge",
  description:
    "Permanently delete whole traces (root and all runs) from a LangSmith project, by filter and time window or by trace ids. " +
    "Two calls: the first returns the plan (count, sample, batches of 1000, expected weekend window) and a token (or the user confirms in a dialog); the second, with the token, queues it and records it in the ledger. " +
    "Use it for compliance requests ('purge every trace of user 123'); purge_id resumes an interrupted purge. " +
    "Next: verify_deletion after the window.",
  toolset: "deletion",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  task: true,
  async handler(args, ctx) {
    const ledger = requireLedger(ctx);
    if (args.purge_id !== undefined) return resume(args, ctx);
    const notes = checkFilters(args);
    if (args.confirmation_token) {
      const used = ledger.purgeIdForToken(sha256(args.confirmation_token));
      if (used) {
        throw new UserInputError(
          "confirmation_token",
          `was already used: it queued purge ${used}. A token queues its plan once.`,
          `Check it with list_deletions or verify_deletion; to send its unsent batches call queue_deletion with purge_id "${used}".`,
        );
      }
    }

    const plan = await makePlan(args, ctx);
    const ids = plan.traces.map((t) => t.trace_id);
    const binding = { project_id: plan.project.id, trace_count: ids.length, traces: traceSetDigest(ids) };
    const timeWindow = plan.criteria.kind === "filter" ? { start_time: plan.criteria.start_time, end_time: plan.criteria.end_time } : undefined;
    const started = timeWindow ? ` that started ${timeWindow.start_time} … ${timeWindow.end_time}` : "";
    if (ids.length === 0) {
      return {
        structured: { status: "nothing_to_delete" as const, notes: [...notes, "No trace matches these criteria: nothing was queued and nothing was recorded."] },
        text: [
          `No trace in ${plan.project.name}${started} matches these criteria${plan.notFound.length ? ` (${plan.notFound.length} given id(s) are not root traces of this project)` : ""}. Nothing was queued and nothing was recorded.`,
          ...noteLines(notes),
        ].join("\n"),
      };
    }

    let token = args.confirmation_token;
    if (!token) {
      const window = expectedCompletionWindow(ctx.client.serverNow());
      const batches = Array.from({ length: Math.ceil(ids.length / DELETION_LIMITS.batchSize) }, (_, i) => ({
        batch_no: i + 1,
        trace_count: Math.min(DELETION_LIMITS.batchSize, ids.length - i * DELETION_LIMITS.batchSize),
      }));
      const sample = plan.traces.slice(-DELETION_LIMITS.sampleSize).reverse().map((t) => ({ trace_id: t.trace_id, name: t.name ?? undefined, start_time: t.start_time }));
      const planView = {
        project: plan.project,
        trace_count: ids.length,
        batches,
        sample,
        ...(plan.notFound.length > 0 && { not_found: { count: plan.notFound.length, ids: plan.notFound.slice(0, DELETION_LIMITS.shownIds) } }),
        ...(timeWindow && { time_window: timeWindow }),
        expected_completion_window_if_queued_now: window,
      };
      const planText = [
        `Plan: permanently delete ${ids.length} trace(s)${started} (each with all its runs, feedback and stats) from ${plan.project.name} (${plan.project.id}), in ${batches.length} batch(es) of at most ${DELETION_LIMITS.batchSize}. Nothing has been sent yet.`,
        ...(plan.notFound.length ? [`${plan.notFound.length} given id(s) are not root traces of this project and are left out.`] : []),
        `Batches: ${batches.map((b) => `#${b.batch_no} ${b.trace_count} traces`).join(", ")}.`,
        ...(plan.notFound.length ? [`Not found: ${plan.notFound.slice(0, DELETION_LIMITS.shownIds).join(", ")}${plan.notFound.length > DELETION_LIMITS.shownIds ? ", …" : ""}.`] : []),
        `Newest ${sample.length} (sample): ${sample.map((t) => `${t.trace_id}${t.name ? ` ${t.name}` : ""} ${t.start_time}`).join("; ")}.`,
        ...noteLines(notes),
        `LangSmith deletes in a weekend batch: expect them gone by ${window.end} (window ${window.start} … ${window.end}). There is no undo.`,
      ];
      const decision = await decide(ctx.confirmations, ctx.confirmWithUser, ACTION, binding, planText.join("\n"));
      if (decision.kind === "declined") {
        return {
          structured: { status: "declined" as const, plan: planView, notes: [...notes, "The user declined in the client's confirmation dialog: nothing was queued or recorded."] },
          text: [...planText, "The user declined in the client's confirmation dialog: nothing was queued or recorded."].join("\n"),
        };
      }
      if (decision.kind === "token") {
        return {
          structured: { status: "plan" as const, plan: planView, confirmation_token: decision.token, expires_at: decision.expires_at, notes },
          text: [
            ...planText,
            `To proceed, call queue_deletion again with the same criteria and confirmation_token "${decision.token}" (valid until ${decision.expires_at}).`,
          ].join("\n"),
        };
      }
      token = decision.token;
      notes.push("The user confirmed this plan in the client's confirmation dialog.");
    } else {
      ctx.confirmations.verify(token, ACTION, binding);
    }

    const purgeId = newPurgeId(ctx.now());
    ledger.createPurge({
      id: purgeId,
      created_at: ctx.now().toISOString(),
      endpoint: new URL(ctx.client.endpoint).origin,
      workspace_id: ctx.config.workspaceId ?? null,
      criteria: plan.criteria,
      plan_digest: binding.traces,
      token_digest: sha256(token),
      traces: plan.traces.map(({ trace_id, start_time }) => ({ trace_id, start_time })),
      batch_size: DELETION_LIMITS.batchSize,
    });
    return send(purgeId, ctx, notes);
  },
});

async function resume(args: Args, ctx: ToolContext) {
  const ledger = requireLedger(ctx);
  const purgeId = args.purge_id!;
  const purge = ledger.getPurge(purgeId);
  if (!purge) throw new UserInputError("purge_id", `no purge ${purgeId} in the ledger.`, "list_deletions shows the recorded purges.");
  if (args.project || args.filter || args.tree_filter || args.trace_ids || args.start_time || args.end_time) {
    throw new UserInputError("purge_id", "resumes a recorded purge with its recorded traces; it takes no other criteria.", "Pass only purge_id, or leave it out to plan a new purge.");
  }
  if (purge.batches.every((b) => b.state === "queued")) {
    const view = purgeView(purge);
    return {
      structured: { status: "queued" as const, purge: view, notes: ["Every batch was already accepted; nothing was sent again."] },
      text: [...purgeLines(view), `Every batch was already accepted; nothing was sent again. Next: verify_deletion with purge_id "${purge.id}".`].join("\n"),
    };
  }
  return send(purgeId, ctx, [`Resumed: only batches not accepted before were sent; batches interrupted mid-request were sent again because LangSmith may not have received them, and deleting a trace twice is harmless.`]);
}

async function send(purgeId: string, ctx: ToolContext, notes: string[]) {
  const ledger = requireLedger(ctx);
  const { failure } = await withPurgeLock(purgeId, () => sendPendingBatches(ctx, ledger, purgeId));
  const view = purgeView(ledger.getPurge(purgeId)!);
  const done = view.batch_states.queued === view.batches.length;
  return {
    structured: { status: done ? ("queued" as const) : ("partially_queued" as const), purge: view, notes },
    text: [
      ...purgeLines(view),
      ...noteLines(notes),
      done
      ? `Queued purge ${purgeId}: ${view.trace_count} trace(s) from ${view.project.name} in ${view.batches.length} batch(es), all accepted by LangSmith (it answers {} and gives no job id). They stay visible until its weekend batch; expect them gone by ${view.expected_completion_window?.end}. Next: verify_deletion with purge_id "${purgeId}" after that.`
      : `Purge ${purgeId} is only partly queued (${batchLine(view)}). ${failure ? `It stopped at ${failure}. ` : ""}Resume with queue_deletion purge_id "${purgeId}": only the batches not accepted are sent.`,
    ].join("\n"),
  };
}

async function makePlan(args: Args, ctx: ToolContext): Promise<Plan> {
  if (!args.project) throw new UserInputError("project", "is required to plan a purge.", "Give the project name or id, or purge_id to resume a recorded purge.");
  if (args.trace_ids && (args.filter || args.tree_filter || args.start_time || args.end_time)) {
    throw new UserInputError("trace_ids", "cannot be combined with filter, tree_filter or a time window.", "Purge either explicit trace ids or what a filter/window selects.");
  }
  if (!args.trace_ids && !args.filter && !args.tree_filter && !args.start_time && !args.end_time) {
    throw new UserInputError(
      undefined,
      "no criteria: give a filter, tree_filter, a start_time/end_time window, or trace_ids.",
      "A purge of a whole project must be asked for explicitly, e.g. start_time set to the project's creation date.",
    );
  }
  const resolved = await ctx.projects.resolve(args.project, "project", ctx.signal);
  const project = { id: resolved.id, name: resolved.name };
  // After the resolve, the client knows LangSmith's clock (its Date header).
  const now = ctx.client.serverNow();
  const created = apiTimeIso(resolved.start_time) ?? new Date(0).toISOString();

  if (args.trace_ids) {
    const requested = [...new Set(args.trace_ids.map((id) => id.toLowerCase()))];
    const { visible } = await visibleTraces(
      ctx.client,
      { projectId: project.id, ids: requested, minStart: new Date(Date.parse(created) - 1000).toISOString(), maxStart: now.toISOString(), withNames: true, what: "queue_deletion (purging traces)" },
      ctx.signal,
    );
    const found = new Set(visible.map((t) => t.trace_id));
    const byId = new Map(visible.map((t) => [t.trace_id, t]));
    const traces = requested.filter((id) => found.has(id)).map((id) => byId.get(id)!);
    const notFound = requested.filter((id) => !found.has(id));
    return { project, criteria: { kind: "trace_ids", project_id: project.id, project_name: project.name, requested: requested.length, not_found: notFound.length }, traces, notFound };
  }

  const window = resolveWindow(args.start_time, args.end_time, now, created);
  const minStart = window.start.toISOString();
  const maxStart = window.end.toISOString();
  const traces = await discoverTraces(ctx.client, { projectId: project.id, minStart, maxStart, filter: args.filter, treeFilter: args.tree_filter, what: "queue_deletion (purging traces)" }, ctx.signal);
  return {
    project,
    criteria: { kind: "filter", project_id: project.id, project_name: project.name, filter: args.filter, tree_filter: args.tree_filter, start_time: minStart, end_time: maxStart },
    traces,
    notFound: [],
  };
}

