/**
 * Conversation threads (spec threads.yml): the traces (root runs) of a project that carry the
 * same thread id (`metadata.thread_id`, as the SDKs write it), summarised per thread or listed
 * per turn. Definitions, stated so a test can recompute them from raw runs:
 * - a thread's figures are over its root runs whose start lies in the query window;
 * - `count` = those turns; `num_errored_turns` = those with status error (a field the official
 *   SDK reads, not yet in the vendored spec); `total_tokens` / `total_cost` = sums of the roots'
 *   figures (a root already carries its children's usage);
 * - latency percentiles by nearest rank over the turns that have ended (see run-stats.ts);
 * - `start_time` (the row's sort key) = the latest turn's start: threads list most recent first.
 */
import type { SimRun } from "./model.js";
import { nearestRank } from "./run-stats.js";
import { previewOf, rfc3339, truncate } from "./views.js";

const startUs = (r: SimRun): number => r.start_time * 1000 + r.start_us;
const latencyOf = (r: SimRun): number | null => (r.end_time === null ? null : (r.end_time - r.start_time) / 1000);

export interface ThreadSummary {
  threadId: string;
  /** Latest turn start, epoch µs: the sort key and the cursor position. */
  lastStartUs: number;
  item: Record<string, unknown>;
}

/** Groups roots (any order) by thread id; roots without a thread are left out. */
export function rootsByThread(roots: readonly SimRun[]): Map<string, SimRun[]> {
  const threads = new Map<string, SimRun[]>();
  for (const r of roots) {
    if (r.thread_id === null) continue;
    let list = threads.get(r.thread_id);
    if (!list) threads.set(r.thread_id, (list = []));
    list.push(r);
  }
  for (const list of threads.values()) list.sort((a, b) => startUs(a) - startUs(b) || (a.id < b.id ? -1 : 1));
  return threads;
}

/** Spec `threads.ThreadListItem` for one thread's in-window turns (ascending start, at least one). */
export function summariseThread(threadId: string, turns: readonly SimRun[]): ThreadSummary {
  const first = turns[0] as SimRun;
  const last = turns[turns.length - 1] as SimRun;
  const latencies = turns
    .map(latencyOf)
    .filter((v): v is number => v !== null)
    .sort((a, b) => a - b);
  const errored = turns.filter((r) => r.status === "error");
  const lastError = errored[errored.length - 1];
  const feedback: Record<string, { n: number; total: number }> = {};
  for (const r of turns) {
    for (const [key, stat] of Object.entries(r.feedback_stats ?? {})) {
      const f = (feedback[key] ??= { n: 0, total: 0 });
      f.n += stat.n;
      f.total += (stat.avg ?? 0) * stat.n;
    }
  }
  const p50 = nearestRank(latencies, 50);
  const p99 = nearestRank(latencies, 99);
  const item: Record<string, unknown> = {
    thread_id: threadId,
    count: turns.length,
    num_errored_turns: errored.length,
    start_time: rfc3339(last.start_time, last.start_us),
    min_start_time: rfc3339(first.start_time, first.start_us),
    max_start_time: rfc3339(last.start_time, last.start_us),
    first_trace_id: first.trace_id,
    last_trace_id: last.trace_id,
    trace_id: last.trace_id,
    first_inputs: previewOf(first.inputs),
    last_outputs: previewOf(last.outputs),
    ...(lastError?.error ? { last_error: truncate(lastError.error) } : {}),
    ...(p50 !== null ? { latency_p50: p50 } : {}),
    ...(p99 !== null ? { latency_p99: p99 } : {}),
    total_tokens: turns.reduce((a, r) => a + (r.total_tokens ?? 0), 0),
    total_cost: turns.reduce((a, r) => a + (r.total_cost ?? 0), 0),
    feedback_stats: Object.fromEntries(
      Object.entries(feedback).map(([k, f]) => [k, { n: f.n, ...(f.n > 0 ? { avg: f.total / f.n } : {}) }]),
    ),
  };
  return { threadId, lastStartUs: startUs(last), item };
}

/** Spec `ThreadTraceSelectField`. */
export const THREAD_TRACE_SELECTS = [
  "THREAD_ID",
  "TRACE_ID",
  "OP",
  "PROMPT_TOKENS",
  "COMPLETION_TOKENS",
  "TOTAL_TOKENS",
  "START_TIME",
  "END_TIME",
  "LATENCY",
  "FIRST_TOKEN_TIME",
  "INPUTS_PREVIEW",
  "OUTPUTS_PREVIEW",
  "PROMPT_COST",
  "COMPLETION_COST",
  "TOTAL_COST",
  "PROMPT_TOKEN_DETAILS",
  "COMPLETION_TOKEN_DETAILS",
  "PROMPT_COST_DETAILS",
  "COMPLETION_COST_DETAILS",
  "NAME",
  "ERROR_PREVIEW",
] as const;
export type ThreadTraceSelect = (typeof THREAD_TRACE_SELECTS)[number];
export const isThreadTraceSelect = (v: unknown): v is ThreadTraceSelect =>
  typeof v === "string" && (THREAD_TRACE_SELECTS as readonly string[]).includes(v);

const raw = (d: Record<string, number> | null): { raw: Record<string, number> } | null => (d === null ? null : { raw: d });

/**
 * How each select renders; null = left out of the item: the spec types these fields without
 * null (a pending turn has no end_time, a turn without usage no tokens). `OP` has no documented
 * meaning, so it is never written.
 */
const TRACE_FIELDS: Record<ThreadTraceSelect, (r: SimRun) => unknown> = {
  THREAD_ID: (r) => r.thread_id,
  TRACE_ID: (r) => r.trace_id,
  OP: () => null,
  PROMPT_TOKENS: (r) => r.prompt_tokens,
  COMPLETION_TOKENS: (r) => r.completion_tokens,
  TOTAL_TOKENS: (r) => r.total_tokens,
  START_TIME: (r) => rfc3339(r.start_time, r.start_us),
  END_TIME: (r) => rfc3339(r.end_time, r.start_us),
  LATENCY: latencyOf,
  FIRST_TOKEN_TIME: (r) => rfc3339(r.first_token_time, r.start_us),
  INPUTS_PREVIEW: (r) => previewOf(r.inputs),
  OUTPUTS_PREVIEW: (r) => (r.outputs === null ? null : previewOf(r.outputs)),
  PROMPT_COST: (r) => r.prompt_cost,
  COMPLETION_COST: (r) => r.completion_cost,
  TOTAL_COST: (r) => r.total_cost,
  PROMPT_TOKEN_DETAILS: (r) => raw(r.prompt_token_details),
  COMPLETION_TOKEN_DETAILS: (r) => raw(r.completion_token_details),
  PROMPT_COST_DETAILS: (r) => raw(r.prompt_cost_details),
  COMPLETION_COST_DETAILS: (r) => raw(r.completion_cost_details),
  NAME: (r) => r.name,
  ERROR_PREVIEW: (r) => (r.error === null ? null : truncate(r.error)),
};

/** Spec `threads.ThreadTraceListItem`: `trace_id` always, the selected fields that have a value. */
export function toThreadTrace(root: SimRun, selects: readonly ThreadTraceSelect[]): Record<string, unknown> {
  const item: Record<string, unknown> = { trace_id: root.trace_id };
  for (const s of selects) {
    const v = TRACE_FIELDS[s](root);
    if (v !== null && v !== undefined) item[s.toLowerCase()] = v;
  }
  return item;
}
