/**
 * Proof of completeness: each completed day partition of an export is reconciled against the
 * number of runs LangSmith holds for the export's project, window and filter in that partition
 * (the stats endpoint, `POST /api/v1/runs/stats` selecting `run_count`, one request per
 * partition, a few at a time). The answer is "complete", "short by N runs in partitions …",
 * "partly checked" (no shortfall found, but completed partitions were left uncounted), or
 * "cannot check (why)"; a shortfall on a day that was still receiving runs when the export
 * read it is noted as runs arriving late, not called a loss.
 *
 * The count and the rows compare like for like: an export writes every run (roots and children)
 * starting in [start, end) that matches its filter (contract §4.3), and the stats count is taken
 * over exactly that: `start_time: start` with `lt(start_time, end)` added to the filter.
 */
import { z } from "zod";
import { apiTimeMs } from "../api-time.js";
import type { BulkExport } from "../langsmith/export-schemas.js";
import type { RunStats, RunStatsRequest } from "../langsmith/stats-schemas.js";
import { HOUR_MS } from "./partitions.js";
import type { ExportState, PartitionState } from "./state.js";

/** Counts the runs of one project in [start, end) matching a filter. */
export interface RunCounter {
  countRuns(projectId: string, window: { start: number; end: number }, filter: string | undefined, signal?: AbortSignal): Promise<number>;
}

/** The one client call the stats counter needs (LangSmithClient satisfies it). */
export interface RunStatsReader {
  runStats(query: RunStatsRequest, signal?: AbortSignal): Promise<RunStats>;
}

/** A RunCounter over the stats endpoint: one request per window, `run_count` only. */
export function statsRunCounter(reader: RunStatsReader): RunCounter {
  return {
    async countRuns(projectId, window, filter, signal) {
      const before = `lt(start_time, "${new Date(window.end).toISOString()}")`;
      const stats = await reader.runStats(
        {
          session: [projectId],
          start_time: new Date(window.start).toISOString(),
          filter: filter ? `and(${filter}, ${before})` : before,
          select: ["run_count"],
        },
        signal,
      );
      if (typeof stats.run_count !== "number") throw new Error("LangSmith's run stats carry no run_count");
      return stats.run_count;
    },
  };
}

/** Requests in flight at once: well under the documented default of 1000 requests per 10 s. */
export const RECONCILE_CONCURRENCY = 3;
/** Partitions reconciled in one call; the rest are named as not checked. */
export const MAX_RECONCILED_PARTITIONS = 100;
/**
 * Runs are sent to LangSmith when they end, so a day whose export run finished less than this
 * long after the day ended may have received runs afterwards: a shortfall there is "arriving".
 */
export const LATE_ARRIVAL_HOURS = 6;
/** Partitions listed by name in the summary; the structured lists carry all of them. */
const NAMED_PARTITIONS = 10;

const PartitionRangeSchema = z.object({ start: z.string(), end: z.string() });

export const CompletenessSchema = z.object({
  verdict: z
    .enum(["complete", "partial", "short", "cannot_check"])
    .describe(
      "complete: every completed partition has as many rows as runs match; partial: no shortfall in those checked, but some completed " +
        "ones were not checked; short: some have fewer.",
    ),
  summary: z.string(),
  partitions_checked: z.number().int(),
  runs_matching: z.number().int().describe("Runs LangSmith holds for the checked partitions (project, window, filter)."),
  rows_written: z.number().int().describe("Rows the export reports written for the checked partitions."),
  short: z
    .array(
      PartitionRangeSchema.extend({
        runs_matching: z.number().int(),
        rows_written: z.number().int(),
        missing: z.number().int(),
        files: z.number().int(),
      }),
    )
    .optional()
    .describe("Partitions with fewer rows than matching runs."),
  arriving: z
    .array(PartitionRangeSchema.extend({ runs_matching: z.number().int(), rows_written: z.number().int(), missing: z.number().int() }))
    .optional()
    .describe("Recent partitions that received runs after the export read them: not a loss."),
  surplus: z
    .array(PartitionRangeSchema.extend({ runs_matching: z.number().int(), rows_written: z.number().int() }))
    .optional()
    .describe("More rows than runs match now: runs deleted since, or rows written twice."),
  unchecked: z
    .array(
      PartitionRangeSchema.extend({
        why: z.string(),
        partitions: z.number().int().optional().describe("Consecutive partitions this range covers, when more than one."),
      }),
    )
    .optional()
    .describe("Partitions not reconciled, and why; consecutive ones with the same reason as one range."),
  stats_requests: z.number().int().describe("Requests made to LangSmith's run stats."),
});
export type Completeness = z.infer<typeof CompletenessSchema>;

const iso = (ms: number): string => new Date(ms).toISOString();
const range = (p: PartitionState) => ({ start: iso(p.start), end: iso(p.end) });
const day = (p: { start: string }) => p.start.slice(0, 10);
const listed = (items: readonly { start: string }[]): string =>
  items.slice(0, NAMED_PARTITIONS).map(day).join(", ") +
  (items.length > NAMED_PARTITIONS ? ` and ${items.length - NAMED_PARTITIONS} more` : "");

type Unchecked = NonNullable<Completeness["unchecked"]>;

/**
 * Consecutive unchecked partitions with the same reason as one range, in time order: an export
 * of three years has ~1,100 partitions, and one entry each put export_status and diagnose_export
 * at ~45k tokens, twice what a client accepts.
 */
function mergeUnchecked(items: Unchecked): Unchecked {
  const merged: Unchecked = [];
  for (const item of [...items].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    const last = merged[merged.length - 1];
    if (last && last.end === item.start && last.why === item.why) {
      last.end = item.end;
      last.partitions = (last.partitions ?? 1) + (item.partitions ?? 1);
    } else merged.push({ ...item });
  }
  return merged;
}

function cannotCheck(why: string, unchecked: Unchecked = []): Completeness {
  return {
    verdict: "cannot_check",
    summary: `cannot check: ${why}`,
    partitions_checked: 0,
    runs_matching: 0,
    rows_written: 0,
    unchecked: mergeUnchecked(unchecked),
    stats_requests: 0,
  };
}

/** Runs `work` over `items` with at most `limit` in flight; results in item order. */
async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Why a count failed, in words an agent can act on (the error's own message names method and status). */
const failureWhy = (error: unknown): string => `the run stats request failed: ${error instanceof Error ? error.message : String(error)}`;

/**
 * Reconciles the export's completed partitions. `now` is LangSmith's clock; a partition whose
 * export run is not Completed is named as not checked (its rows are still being written, or
 * never will be).
 */
export async function checkCompleteness(
  exp: BulkExport,
  state: ExportState,
  counter: RunCounter,
  options: { signal?: AbortSignal } = {},
): Promise<Completeness> {
  if (!exp.session_id)
    return cannotCheck(
      "the export covers all experiments of the workspace (no project); counting would need one request per project and partition.",
    );
  const projectId = exp.session_id;
  if (state.partitions.length === 0) return cannotCheck("the export has no runs yet (a scheduled parent, or not started).");
  const done = state.partitions.filter((p) => p.key === "completed");
  const unchecked: NonNullable<Completeness["unchecked"]> = state.partitions
    .filter((p) => p.key !== "completed")
    .map((p) => ({ ...range(p), why: `its export run is ${p.status}, not Completed` }));
  const toCheck = done.slice(0, MAX_RECONCILED_PARTITIONS);
  for (const p of done.slice(MAX_RECONCILED_PARTITIONS))
    unchecked.push({ ...range(p), why: `over the ${MAX_RECONCILED_PARTITIONS} partitions checked per call` });
  if (toCheck.length === 0) return cannotCheck("no partition has completed yet.", unchecked);

  const filter = exp.filter?.trim() ? exp.filter : undefined;
  let requests = 0;
  const counts = await pooled(toCheck, RECONCILE_CONCURRENCY, async (p) => {
    requests++;
    try {
      return { ok: true as const, count: await counter.countRuns(projectId, { start: p.start, end: p.end }, filter, options.signal) };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      return { ok: false as const, why: failureWhy(error) };
    }
  });

  const exportFinished = apiTimeMs(exp.finished_at ?? "");
  /** When the export read the partition: its run's end, else the export's; when unknown, a shortfall is not excused as late arrival. */
  const readAt = (p: PartitionState): number => p.finished ?? (Number.isFinite(exportFinished) ? exportFinished : Number.POSITIVE_INFINITY);
  const short: NonNullable<Completeness["short"]> = [];
  const arriving: NonNullable<Completeness["arriving"]> = [];
  const surplus: NonNullable<Completeness["surplus"]> = [];
  let checked = 0;
  let matching = 0;
  let written = 0;
  toCheck.forEach((p, i) => {
    const counted = counts[i]!;
    if (!counted.ok) {
      unchecked.push({ ...range(p), why: counted.why });
      return;
    }
    checked++;
    matching += counted.count;
    written += p.rows_written;
    const missing = counted.count - p.rows_written;
    if (missing > 0) {
      const recent = readAt(p) - p.end < LATE_ARRIVAL_HOURS * HOUR_MS;
      if (recent) arriving.push({ ...range(p), runs_matching: counted.count, rows_written: p.rows_written, missing });
      else short.push({ ...range(p), runs_matching: counted.count, rows_written: p.rows_written, missing, files: p.files.length });
    } else if (missing < 0) surplus.push({ ...range(p), runs_matching: counted.count, rows_written: p.rows_written });
  });

  if (checked === 0)
    return {
      ...cannotCheck(unchecked[unchecked.length - 1]?.why ?? "no partition could be counted.", unchecked),
      stats_requests: requests,
    };
  const missingTotal = short.reduce((sum, p) => sum + p.missing, 0);
  // Completeness is claimed only for what was counted: a completed partition left out (over the
  // per-call cap, or its count failed) may hold the very rows that are missing.
  const partial = done.length > checked;
  const tally =
    `${checked} partition${checked === 1 ? "" : "s"} checked, ${written.toLocaleString("en-US")} rows written for ` +
    `${matching.toLocaleString("en-US")} matching runs`;
  const parts = [
    short.length
      ? `short by ${missingTotal.toLocaleString("en-US")} run${missingTotal === 1 ? "" : "s"} in ` +
        `partition${short.length === 1 ? "" : "s"} ${listed(short)}`
      : partial
        ? `partly checked: no shortfall in the ${tally}`
        : `complete: ${tally}`,
    arriving.length
      ? `runs still arriving for ${listed(arriving)} (${arriving.reduce((s, p) => s + p.missing, 0)} more now than when the export ` +
        `read them; not a loss: export that day again later)`
      : "",
    surplus.length ? `more rows than matching runs in ${listed(surplus)} (runs deleted since, or rows written twice)` : "",
    unchecked.length
      ? `${unchecked.length} partition${unchecked.length === 1 ? "" : "s"} not checked ` +
        `(${[...new Set(unchecked.map((u) => u.why))].slice(0, 3).join("; ")})`
      : "",
  ].filter(Boolean);
  return {
    verdict: short.length ? "short" : partial ? "partial" : "complete",
    summary: parts.join("; "),
    partitions_checked: checked,
    runs_matching: matching,
    rows_written: written,
    ...(short.length && { short }),
    ...(arriving.length && { arriving }),
    ...(surplus.length && { surplus }),
    ...(unchecked.length && { unchecked: mergeUnchecked(unchecked) }),
    stats_requests: requests,
  };
}
