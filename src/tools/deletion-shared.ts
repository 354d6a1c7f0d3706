/**
 * What queue_deletion, verify_deletion and list_deletions share: finding root traces, checking
 * which recorded traces are still visible (ids in bounded parallel batches), sending batches
 * with the ledger written before and after each POST, the verdict table, and the purge view.
 */
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { apiTimeIso } from "../api-time.js";
import { UserInputError } from "../errors.js";
import {
  isLangSmithPaginationError,
  isRouteNotFound,
  MAX_TRACE_IDS_PER_DELETE,
  needsV2Message,
  type LangSmithClient,
  type RunsQueryV2Request,
} from "../langsmith/index.js";
import {
  expectedCompletionWindow,
  RESENDABLE_STATES,
  type Ledger,
  type PlannedTrace,
  type PurgeRecord,
  type Verdict,
} from "../ledger/index.js";
import type { ToolContext } from "./define-tool.js";

/** API and tool limits, as data. */
export const DELETION_LIMITS = {
  /** Seed 003: trace ids per delete request. */
  batchSize: MAX_TRACE_IDS_PER_DELETE,
  /** Ids per verification query: one v2 page (page_size max 1000) answers a whole chunk. */
  idsPerQuery: 1000,
  /** Verification queries in flight at once: fast, yet gentle on the 15-per-10-s query limit. */
  queryConcurrency: 4,
  /** Traces one purge may cover; beyond it the criteria should be narrowed or split. */
  maxTracesPerPurge: 50_000,
  /**
   * The smallest page LangSmith is assumed to answer with when paging a query: page caps are
   * derived from trace counts with it (a page may come back shorter than page_size, and then
   * carries a next_cursor; query_runs pages across such short pages too).
   */
  minPageSize: 100,
  /** Explicit trace ids accepted in one call. */
  maxExplicitIds: 10_000,
  /** Ids listed in results and in the ledger's verification record. */
  shownIds: 50,
  /** Sample traces shown in a plan. */
  sampleSize: 10,
} as const;

/**
 * Verdicts of verify_deletion, as data: when each applies and what to do. Evaluated in
 * this order; "window" is the expected completion window of the queued batches.
 */
export const VERDICT_TABLE: ReadonlyArray<{ verdict: Verdict; when: string; next: string }> = [
  { verdict: "verified", when: "zero of the recorded traces remain visible", next: "Done: the purge is proven by re-query. Keep the ledger record as evidence." },
  { verdict: "incomplete", when: "some batches were never accepted (planned, failed or interrupted) and traces remain", next: "Resume with queue_deletion and this purge_id: only the unsent batches are sent." },
  { verdict: "pending", when: "all traces remain and the window has not ended", next: "Expected: LangSmith deletes in its weekend batch. Verify again after the window ends." },
  { verdict: "partially_verified", when: "some traces are gone, some remain, and the window has not ended", next: "The weekend batch is under way or partly done. Verify again after the window ends." },
  { verdict: "overdue", when: "traces remain after the window ended", next: "Re-queue the remaining ids (queue_deletion with trace_ids) and, if they survive another weekend, contact LangSmith support with the purge id and the audit-log evidence." },
];

export const DeletionStateSchema = z.object({
  planned: z.number().int(),
  sending: z.number().int(),
  queued: z.number().int(),
  failed: z.number().int(),
});

export const BatchViewSchema = z.object({
  batch_no: z.number().int(),
  state: z.enum(["planned", "sending", "queued", "failed"]),
  trace_count: z.number().int(),
  attempts: z.number().int(),
  delete_requested_at: z.string().optional(),
  error: z.string().optional(),
});

export const PurgeViewSchema = z.object({
  purge_id: z.string(),
  created_at: z.string(),
  project: z.object({ id: z.string(), name: z.string() }),
  criteria: z.record(z.string(), z.unknown()).describe("What selected the traces: a filter and window, or explicit ids."),
  trace_count: z.number().int(),
  batches: z.array(BatchViewSchema),
  batch_states: DeletionStateSchema,
  expected_completion_window: z.object({ start: z.string(), end: z.string() }).optional(),
  last_verification: z
    .object({ at: z.string(), verdict: z.string(), remaining_count: z.number().int(), checked: z.number().int() })
    .optional(),
});
export type PurgeView = z.infer<typeof PurgeViewSchema>;

export function purgeView(purge: PurgeRecord): PurgeView {
  const states = { planned: 0, sending: 0, queued: 0, failed: 0 };
  for (const b of purge.batches) states[b.state]++;
  const { project_id, project_name, ...criteria } = purge.criteria;
  const v = purge.last_verification;
  return {
    purge_id: purge.id,
    created_at: purge.created_at,
    project: { id: project_id, name: project_name },
    criteria,
    trace_count: purge.trace_count,
    batches: purge.batches.map((b) => ({
      batch_no: b.batch_no,
      state: b.state,
      trace_count: b.trace_count,
      attempts: b.attempts,
      delete_requested_at: b.delete_requested_at ?? undefined,
      error: b.error ?? undefined,
    })),
    batch_states: states,
    expected_completion_window: purge.window ?? undefined,
    last_verification: v ? { at: v.at, verdict: v.verdict, remaining_count: v.remaining_count, checked: v.checked } : undefined,
  };
}

export function requireLedger(ctx: ToolContext): Ledger {
  if (!ctx.ledger) {
    throw new UserInputError(undefined, "this server was started without a deletion ledger, so it cannot record or verify purges.", "Start langsmith-mcp normally (it opens the ledger under your data directory) or pass --ledger <path>.");
  }
  return ctx.ledger;
}

export const newPurgeId = (now: Date): string => `purge_${now.toISOString().slice(0, 10).replace(/-/g, "")}_${randomBytes(5).toString("hex")}`;

/** sha256 of the sorted ids: what a confirmation token and a ledger record are bound to. */
export const traceSetDigest = (ids: readonly string[]): string => createHash("sha256").update([...ids].sort().join("\n")).digest("hex");

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

export interface DiscoveredTrace extends PlannedTrace {
  name: string | null;
}

const toIso = (value: string | null | undefined): string | null => (value ? apiTimeIso(value) : null);

/**
 * The deletion tools need the v2 runs query (ids, is_root, tree_filter in one request, the same
 * query for plan and proof). v1 `POST /api/v1/runs/query` could list root traces too, but its
 * `tree_filter`/`is_root` semantics and paging differ, and a purge verified by a different query
 * than the one that planned it proves little; so on an install without v2 they say what they need.
 */
export async function requireRunsV2(client: LangSmithClient, what: string): Promise<void> {
  const support = await client.capabilities.runsApi("runs");
  if (!support.v2) throw new UserInputError(undefined, needsV2Message(what, support), "Upgrade the self-hosted install, or delete the traces in the LangSmith UI.");
}

/** A v2 query, with route-not-found (an install without v2 that reported no version) worded as what it is. */
async function v2Query<T>(client: LangSmithClient, what: string, run: () => Promise<T>): Promise<T> {
  await requireRunsV2(client, what);
  try {
    return await run();
  } catch (error) {
    if (isRouteNotFound(error)) await requireRunsV2(client, what);
    throw error;
  }
}

/** Page cap for `traces` results in pages that may hold only `DELETION_LIMITS.minPageSize`. */
const pagesFor = (traces: number): number => Math.ceil(traces / DELETION_LIMITS.minPageSize) + 1;

/**
 * Root traces matching a filter in a window, oldest first, paged on next_cursor. Capped by
 * traces (the documented per-purge limit); the page cap derived from it only guards a server
 * that keeps answering short or empty pages.
 */
export async function discoverTraces(
  client: LangSmithClient,
  query: { projectId: string; minStart: string; maxStart: string; filter?: string | undefined; treeFilter?: string | undefined; what: string },
  signal: AbortSignal,
): Promise<DiscoveredTrace[]> {
  const body: RunsQueryV2Request = {
    project_ids: [query.projectId],
    min_start_time: query.minStart,
    max_start_time: query.maxStart,
    is_root: true,
    selects: ["ID", "TRACE_ID", "START_TIME", "NAME"],
    sort_order: "ASC",
    page_size: 1000,
    ...(query.filter !== undefined && { filter: query.filter }),
    ...(query.treeFilter !== undefined && { tree_filter: query.treeFilter }),
  };
  const limit = DELETION_LIMITS.maxTracesPerPurge;
  const split = `Narrow the criteria (a stricter filter) or split the window: purge ${query.minStart} … ${midpoint(query.minStart, query.maxStart)} first, then the rest, each with its own queue_deletion call.`;
  const found: DiscoveredTrace[] = [];
  await v2Query(client, query.what, async () => {
    try {
      for await (const page of client.iterateRunPages(body, { maxPages: pagesFor(limit), signal })) {
        for (const run of page.items) {
          found.push({ trace_id: run.trace_id ?? run.id, start_time: toIso(run.start_time) ?? query.minStart, name: run.name ?? null });
        }
        if (found.length > limit) throw new UserInputError(undefined, `more than ${limit} traces match; one purge covers at most that many.`, split);
      }
    } catch (error) {
      if (!isLangSmithPaginationError(error)) throw error;
      throw new UserInputError(
        undefined,
        `LangSmith answered in pages so short that ${found.length} traces took ${pagesFor(limit)} pages (the cap for ${limit} traces), with more remaining.`,
        split,
      );
    }
  });
  return found;
}

const midpoint = (a: string, b: string): string => new Date((Date.parse(a) + Date.parse(b)) / 2).toISOString();

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** Runs `tasks` with at most `limit` in flight; results in task order. */
async function bounded<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * Which of `ids` are still visible as root traces of the project: ids in chunks of 1000 per
 * v2 query (`ids` + `is_root`), each chunk paged on next_cursor (a page may come back short,
 * even empty, with a cursor), a few chunks in flight. Returns the visible traces and the number
 * of HTTP queries it took.
 */
export async function visibleTraces(
  client: LangSmithClient,
  query: { projectId: string; ids: readonly string[]; minStart: string; maxStart: string; withNames?: boolean; what: string },
  signal: AbortSignal,
): Promise<{ visible: DiscoveredTrace[]; requests: number }> {
  const groups = chunks(query.ids, DELETION_LIMITS.idsPerQuery);
  let requests = 0;
  const readChunk = async (ids: string[]): Promise<DiscoveredTrace[]> => {
    const body: RunsQueryV2Request = {
      project_ids: [query.projectId],
      ids,
      is_root: true,
      min_start_time: query.minStart,
      max_start_time: query.maxStart,
      selects: query.withNames ? ["ID", "START_TIME", "NAME"] : ["ID", "START_TIME"],
      page_size: DELETION_LIMITS.idsPerQuery,
    };
    const out: DiscoveredTrace[] = [];
    for await (const page of client.iterateRunPages(body, { maxPages: pagesFor(ids.length), signal })) {
      requests++;
      out.push(...page.items.map((run) => ({ trace_id: run.id, start_time: toIso(run.start_time) ?? query.minStart, name: run.name ?? null })));
    }
    return out;
  };
  const pages = await v2Query(client, query.what, () => bounded(groups.map((ids) => () => readChunk(ids)), DELETION_LIMITS.queryConcurrency));
  return { visible: pages.flat(), requests };
}

/** A window around recorded start times, so a re-query never misses one by rounding. */
export function paddedWindow(starts: readonly string[]): { minStart: string; maxStart: string } {
  const ms = starts.map((s) => Date.parse(s)).filter(Number.isFinite);
  const min = ms.length ? Math.min(...ms) : 0;
  const max = ms.length ? Math.max(...ms) : Date.now();
  return { minStart: new Date(min - 1000).toISOString(), maxStart: new Date(max + 1000).toISOString() };
}

/**
 * Sends every batch not yet accepted, in order, one at a time. Each state is written before
 * and after its POST: `sending` before, `queued` after a 200, `failed` on an error. Stops at
 * the first failure so the record stays simple to resume. `queued` batches are never re-sent.
 */
export async function sendPendingBatches(ctx: ToolContext, ledger: Ledger, purgeId: string): Promise<{ sent: number; failure: string | null }> {
  const purge = ledger.getPurge(purgeId);
  if (!purge) throw new Error(`purge ${purgeId} vanished from the ledger`);
  const pending = purge.batches.filter((b) => RESENDABLE_STATES.includes(b.state));
  let sent = 0;
  for (const batch of pending) {
    const ids = ledger.traceIds(purgeId, batch.batch_no);
    await ctx.progress(sent, pending.length, `sending batch ${batch.batch_no} of ${purge.batches.length} (${ids.length} traces)`);
    ledger.markSending(purgeId, batch.batch_no, ctx.now().toISOString());
    try {
      await ctx.client.deleteRuns({ session_id: purge.criteria.project_id, trace_ids: ids }, ctx.signal);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ledger.markFailed(purgeId, batch.batch_no, message);
      return { sent, failure: `batch ${batch.batch_no}: ${message}` };
    }
    const acceptedAt = ctx.client.serverNow();
    ledger.markQueued(purgeId, batch.batch_no, acceptedAt.toISOString(), expectedCompletionWindow(acceptedAt));
    sent++;
  }
  await ctx.progress(sent, pending.length, "all batches sent");
  return { sent, failure: null };
}

/** In-process guard: one sender per purge at a time (a second call would race the first). */
const sending = new Set<string>();
export async function withPurgeLock<T>(purgeId: string, run: () => Promise<T>): Promise<T> {
  if (sending.has(purgeId)) {
    throw new UserInputError("purge_id", `purge ${purgeId} is being sent by another call right now.`, "Wait for it to finish, then check it with list_deletions.");
  }
  sending.add(purgeId);
  try {
    return await run();
  } finally {
    sending.delete(purgeId);
  }
}

export const batchLine = (p: PurgeView): string =>
  `${p.batches.length} batch(es): ${p.batch_states.queued} queued, ${p.batch_states.failed} failed, ${p.batch_states.sending} interrupted, ${p.batch_states.planned} not sent`;

/**
 * A purge for text: every fact its view holds (criteria, each batch, the window, the last
 * verification), a line each.
 */
export function purgeLines(p: PurgeView, indent = "  "): string[] {
  const criteria = Object.entries(p.criteria)
    .filter(([, value]) => value !== undefined && value !== null && value !== "")
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(", ");
  return [
    `Purge ${p.purge_id}, created ${p.created_at}, project ${p.project.name} (${p.project.id}): ${p.trace_count} trace(s); criteria: ${criteria || "none recorded"}.`,
    `${indent}${batchLine(p)}: ` +
      p.batches
        .map((b) => `#${b.batch_no} ${b.state} ${b.trace_count} traces, ${b.attempts} attempt(s)${b.delete_requested_at ? `, requested ${b.delete_requested_at}` : ""}${b.error ? `, error: ${b.error}` : ""}`)
        .join("; "),
    ...(p.expected_completion_window ? [`${indent}Expected completion window: ${p.expected_completion_window.start} … ${p.expected_completion_window.end}.`] : []),
    ...(p.last_verification
      ? [`${indent}Last verified ${p.last_verification.at}: ${p.last_verification.verdict}, ${p.last_verification.remaining_count} of ${p.last_verification.checked} remaining.`]
      : []),
  ];
}
