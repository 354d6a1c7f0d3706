import { z } from "zod";
import { LangSmithIdSchema } from "./schemas.js";
import { UserInputError } from "../errors.js";
import { checkFilters } from "../langsmith/index.js";
import { expectedCompletionWindow } from "../ledger/index.js";
import {
  batchLine,
  METADATA_DELETE_SEMANTICS,
  METADATA_PAIR,
  ownPurge,
  givesCriteria,
  parseMetadataPairs,
  planPurge,
  projectsLabel,
  PURGE_LIMITS,
  shownProjects,
  purgeLines,
  purgeView,
  PurgeViewSchema,
  recordPurge,
  refuseUsedToken,
  requireLedger,
  resolveIdentity,
  sendPending,
  type PurgePlan,
  type PurgeRequest,
} from "../purge/index.js";
import { rememberPlan, takePlan } from "../purge/plan-cache.js";
import { decide } from "./confirmation.js";
import { defineTool, type ToolContext } from "./define-tool.js";
import { resolveWindow, TIME_DESCRIPTION } from "./time-range.js";
import { noteLines } from "./render.js";

const ACTION = "queue_deletion";

const inputSchema = z.object({
  project: z.string().min(1).optional().describe('Project name or id, e.g. "support-bot".'),
  projects: z.array(z.string().min(1)).min(1).max(100).optional().describe("Several projects (names or ids) instead of project."),
  all_projects: z.boolean().optional().describe("Search every project of the workspace."),
  metadata: z
    .array(z.string().regex(METADATA_PAIR))
    .min(1)
    .max(20)
    .optional()
    .describe('Root-run metadata pairs "key=value", e.g. ["user_id=123"]; a trace matches if ANY pair does.'),
  filter: z.string().optional().describe('Filter on each trace\'s root run, e.g. `eq(name, "chat")`.'),
  tree_filter: z.string().optional().describe('Purge traces containing any run matching this, e.g. `eq(name, "refund_payment")`.'),
  start_time: z.string().optional().describe(`Earliest trace start. ${TIME_DESCRIPTION} Default: each project's creation.`),
  end_time: z.string().optional().describe('Latest trace start, in the same forms. Default "now".'),
  trace_ids: z
    .array(LangSmithIdSchema)
    .min(1)
    .max(PURGE_LIMITS.maxExplicitIds)
    .optional()
    .describe("Trace (root run) ids instead of criteria."),
  send_as: z
    .enum(["trace_batches", "metadata_delete"])
    .optional()
    .describe(
      "trace_batches (default): the listed ids, per project, 1000 a request. metadata_delete: LangSmith's one workspace-wide metadata " +
        "delete (metadata + all_projects only).",
    ),
  confirmation_token: z
    .string()
    .optional()
    .describe("Omit on the first call to see the plan; pass the token it returned to queue exactly that plan."),
  purge_id: z.string().optional().describe("Resume a recorded purge: sends only its batches not yet accepted."),
});

const outputSchema = z.object({
  status: z
    .enum(["plan", "declined", "queued", "partially_queued", "nothing_to_delete"])
    .describe(
      "plan: nothing sent yet; declined: the user said no in the client's dialog; queued: every batch accepted; partially_queued: " +
        "resume with purge_id.",
    ),
  plan: z
    .object({
      projects: z
        .array(z.object({ id: z.string(), name: z.string(), traces: z.number().int() }))
        .describe("Matching traces per project searched (with projects_searched: per project holding any)."),
      projects_searched: z.number().int().optional().describe("Projects searched, when more than projects lists."),
      trace_count: z.number().int(),
      trace_set_sha256: z.string().describe("Digest of the sorted trace ids: what the confirmation is bound to."),
      batches: z.array(z.object({ batch_no: z.number().int(), project_id: z.string().optional(), trace_count: z.number().int() })),
      send_as: z.enum(["trace_batches", "metadata_delete"]),
      metadata_delete: z.object({ fits: z.boolean(), semantics: z.string() }).optional(),
      sample: z.array(z.object({ trace_id: z.string(), name: z.string().optional(), start_time: z.string() })),
      not_found: z.object({ count: z.number().int(), ids: z.array(z.string()) }).optional(),
      time_window: z
        .object({ start_time: z.string(), end_time: z.string() })
        .optional()
        .describe("The trace-start window the criteria were read as."),
      expected_completion_window_if_queued_now: z.object({ start: z.string(), end: z.string() }),
      queries: z.number().int(),
    })
    .optional(),
  purge: PurgeViewSchema.optional(),
  confirmation_token: z.string().optional(),
  expires_at: z.string().optional(),
  notes: z.array(z.string()).optional(),
});

type Args = z.output<typeof inputSchema>;

export const queueDeletion = defineTool({
  name: "queue_deletion",
  title: "Queue a compliance purge",
  description:
    "Permanently delete whole traces (root and all runs) from one, several or all projects, by metadata, filter, window or trace ids. " +
    "Two calls: the first returns the plan (per-project counts, sample, batches of 1000, expected weekend window) and a token (or the " +
    "user confirms in a dialog); the second, with the token, queues it and records it in the ledger. " +
    "purge_id resumes an interrupted purge. " +
    "Next: verify_deletion after the window; deletion_report for the evidence.",
  toolset: "deletion",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  task: true,
  async handler(args, ctx) {
    const ledger = await requireLedger(ctx.ledger);
    if (args.purge_id !== undefined) return resume(args, ctx);
    const notes = checkFilters(args);
    if (args.confirmation_token) await refuseUsedToken(ledger, args.confirmation_token);
    const request = toRequest(args);
    const remembered = args.confirmation_token ? takePlan(args.confirmation_token, request) : undefined;
    const plan =
      remembered ??
      (await planPurge(request, {
        client: ctx.client,
        resolveProject: (ref, field, signal) => ctx.projects.resolve(ref, field, signal),
        resolveWindow,
        signal: ctx.signal,
        progress: ctx.progress,
      }));
    const ids = plan.traces.length;
    const label = plan.counts.length === 1 ? plan.counts[0]!.name : `${plan.counts.length} project(s)`;
    const timeWindow =
      plan.criteria.start_time && plan.criteria.end_time
        ? { start_time: plan.criteria.start_time, end_time: plan.criteria.end_time }
        : undefined;
    const started = timeWindow ? ` that started ${timeWindow.start_time} … ${timeWindow.end_time}` : "";
    if (ids === 0) {
      return {
        structured: {
          status: "nothing_to_delete" as const,
          notes: [...notes, "No trace matches these criteria: nothing was queued and nothing was recorded."],
        },
        text: [
          `No trace in ${label}${started} matches these ` +
            `criteria${plan.notFound.length ? ` (${plan.notFound.length} given id(s) are not root traces of these projects)` : ""}. ` +
            `Nothing was queued and nothing was recorded.`,
          ...noteLines(notes),
        ].join("\n"),
      };
    }

    let token = args.confirmation_token;
    if (!token) {
      const { view, lines } = renderPlan(plan, ctx, started, timeWindow, notes);
      const decision = await decide(ctx.confirmations, ctx.confirmWithUser, ACTION, plan.binding, lines.join("\n"));
      if (decision.kind === "declined") {
        const said = "The user declined in the client's confirmation dialog: nothing was queued or recorded.";
        return { structured: { status: "declined" as const, plan: view, notes: [...notes, said] }, text: [...lines, said].join("\n") };
      }
      if (decision.kind === "token") {
        rememberPlan(decision.token, request, plan);
        return {
          structured: { status: "plan" as const, plan: view, confirmation_token: decision.token, expires_at: decision.expires_at, notes },
          text: [
            ...lines,
            `To proceed, call queue_deletion again with the same criteria and confirmation_token "${decision.token}" (valid until ` +
              `${decision.expires_at}).`,
          ].join("\n"),
        };
      }
      token = decision.token;
      notes.push("The user confirmed this plan in the client's confirmation dialog.");
    } else {
      ctx.confirmations.verify(token, ACTION, plan.binding);
    }
    const identity = await resolveIdentity(ctx.client, ctx.signal);
    const purge = await recordPurge(plan, token, { ledger, client: ctx.client, identity, now: ctx.now });
    return send(purge.id, ctx, notes);
  },
});

function toRequest(args: Args): PurgeRequest {
  return { ...args, metadata: parseMetadataPairs(args.metadata) };
}

function renderPlan(
  plan: PurgePlan,
  ctx: ToolContext,
  started: string,
  timeWindow: { start_time: string; end_time: string } | undefined,
  notes: string[],
) {
  const window = expectedCompletionWindow(ctx.client.serverNow());
  const names = new Map(plan.counts.map((p) => [p.id, p.name]));
  const sample = plan.traces
    .slice(-PURGE_LIMITS.sampleSize)
    .reverse()
    .map((t) => ({ trace_id: t.trace_id, name: t.name ?? undefined, start_time: t.start_time }));
  const metadataDelete = plan.criteria.metadata ? { fits: plan.metadataDeleteFits, semantics: METADATA_DELETE_SEMANTICS } : undefined;
  const shown = shownProjects(plan.counts, (p) => p.traces > 0);
  const view = {
    ...shown,
    trace_count: plan.traces.length,
    trace_set_sha256: plan.digest,
    batches: plan.batches.map((b) => ({ batch_no: b.batch_no, project_id: b.project_id ?? undefined, trace_count: b.trace_count })),
    send_as: plan.criteria.send_as,
    ...(metadataDelete && { metadata_delete: metadataDelete }),
    sample,
    ...(plan.notFound.length > 0 && { not_found: { count: plan.notFound.length, ids: plan.notFound.slice(0, PURGE_LIMITS.shownIds) } }),
    ...(timeWindow && { time_window: timeWindow }),
    expected_completion_window_if_queued_now: window,
    queries: plan.requests,
  };
  const metadataSend = plan.criteria.send_as === "metadata_delete";
  const lines = [
    `Plan: permanently delete ${plan.traces.length} trace(s)${started} (each with all its runs, feedback and stats) ` +
      `from ${projectsLabel({ ...shown, criteria: plan.criteria as unknown as Record<string, unknown> })}, ${
        metadataSend
          ? "with one workspace-wide metadata delete (send_as metadata_delete)"
          : `in ${plan.batches.length} batch(es) of at most ${PURGE_LIMITS.batchSize}, one project per batch (send_as trace_batches)`
      }. Nothing has been sent yet.`,
    `Per project: ${shown.projects.map((p) => `${p.name} ${p.traces}`).join(", ")}` +
      (shown.projects_searched !== undefined ? `; the other ${shown.projects_searched - shown.projects.length} projects searched: 0` : "") +
      `. Discovery took ${plan.requests} quer${plan.requests === 1 ? "y" : "ies"}.`,
    `Trace-id set sha256: ${plan.digest}.`,
    ...(plan.notFound.length
      ? [
          `${plan.notFound.length} given id(s) are not root traces of these projects and are left out: ` +
            `${plan.notFound.slice(0, PURGE_LIMITS.shownIds).join(", ")}${plan.notFound.length > PURGE_LIMITS.shownIds ? ", …" : ""}.`,
        ]
      : []),
    `Batches: ${
      plan.batches.length <= 20
        ? plan.batches
            .map((b) => `#${b.batch_no} ${b.project_id ? names.get(b.project_id) : "metadata-wide"} ${b.trace_count} traces`)
            .join(", ")
        : `${plan.batches.length}, per project: ${plan.counts
            .filter((p) => p.traces > 0)
            .map((p) => `${p.name} ${Math.ceil(p.traces / PURGE_LIMITS.batchSize)}`)
            .join(", ")}`
    }.`,
    `Newest ${sample.length} (sample): ${sample.map((t) => `${t.trace_id}${t.name ? ` ${t.name}` : ""} ${t.start_time}`).join("; ")}.`,
    ...(metadataDelete
      ? [
          `Metadata delete: ${metadataDelete.semantics} ` +
            `${
              metadataSend
                ? "This plan sends it."
                : metadataDelete.fits
                  ? "To send it that way, plan again with send_as " + '"metadata_delete".'
                  : "It does not fit " +
                    "these criteria (it needs metadata alone with all_projects, no filter or window), so the traces are sent by id."
            }`,
        ]
      : []),
    ...noteLines(notes),
    `LangSmith deletes in a weekend batch: expect them gone by ${window.end} (window ${window.start} … ${window.end}). There is no undo.`,
  ];
  return { view, lines };
}

async function resume(args: Args, ctx: ToolContext) {
  const ledger = await requireLedger(ctx.ledger);
  const purgeId = args.purge_id!;
  if (givesCriteria(args)) {
    throw new UserInputError(
      "purge_id",
      "resumes a recorded purge with its recorded traces; it takes no other criteria.",
      "Pass only purge_id, or leave it out to plan a new purge.",
    );
  }
  const identity = await resolveIdentity(ctx.client, ctx.signal);
  const purge = await ownPurge(ledger, identity, purgeId);
  if (purge.batches.every((b) => b.state === "queued")) {
    const view = purgeView(purge);
    return {
      structured: { status: "queued" as const, purge: view, notes: ["Every batch was already accepted; nothing was sent again."] },
      text: [
        ...purgeLines(view),
        `Every batch was already accepted; nothing was sent again. Next: verify_deletion with purge_id "${purge.id}".`,
      ].join("\n"),
    };
  }
  return send(purgeId, ctx, [
    "Resumed: only batches not accepted before were sent; a batch interrupted mid-request (its process gone or its lease expired) was " +
      "sent again because LangSmith may not have received it, and deleting a trace twice is harmless.",
  ]);
}

async function send(purgeId: string, ctx: ToolContext, notes: string[]) {
  const ledger = await requireLedger(ctx.ledger);
  // A claim outlives the slowest delete request this server may make (its timeout, never retried).
  const leaseMs = Math.max(PURGE_LIMITS.leaseMs, 2 * ctx.config.requestTimeoutMs);
  const outcome = await sendPending(purgeId, {
    ledger,
    client: ctx.client,
    signal: ctx.signal,
    now: ctx.now,
    progress: ctx.progress,
    leaseMs,
  });
  const view = purgeView((await ledger.getPurge(purgeId))!);
  const done = view.batch_states.queued === view.batches.length;
  const busy = outcome.busy
    ? `Batch ${outcome.busy.batch_no} is being sent by ${outcome.busy.by} (since ${outcome.busy.since ?? "unknown"}, claim held until ` +
      `${outcome.busy.until ?? "unknown"}); it was not sent again from here. Check with list_deletions, and resume with queue_deletion ` +
      `purge_id "${purgeId}" if it is still not queued after that time. `
    : "";
  return {
    structured: {
      status: done ? ("queued" as const) : ("partially_queued" as const),
      purge: view,
      notes: busy ? [...notes, busy.trim()] : notes,
    },
    text: [
      ...purgeLines(view),
      ...noteLines(notes),
      done
        ? `Queued purge ${purgeId}: ${view.trace_count} trace(s) from ${projectsLabel(view)} in ${view.batches.length} batch(es), all ` +
          `accepted by LangSmith (it answers {} and gives no job id). They stay visible until its weekend batch; expect them gone by ` +
          `${view.expected_completion_window?.end}. Next: verify_deletion with purge_id "${purgeId}" after that; deletion_report for ` +
          `the evidence.`
        : `Purge ${purgeId} is only partly queued (${batchLine(view)}). ` +
          `${busy}${outcome.failure ? `It stopped at ${outcome.failure}. ` : ""}Resume with queue_deletion purge_id "${purgeId}": only ` +
          `the batches not accepted are sent.`,
    ].join("\n"),
  };
}
