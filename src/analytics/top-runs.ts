/**
 * The N slowest, most expensive or most token-hungry runs of a scope, exactly, without reading
 * every run: a threshold from the scope's statistics (p99, then p50), one runs query for the
 * runs at or above it (`gte(<field>, threshold)` added to the filter), wider thresholds while
 * fewer than N came back, then a sort. Every run not read is below the threshold, so the top N
 * of those read are the top N of the scope.
 */
import { queryRunsPage, type LangSmithClient, type RunSelectField, type RunsQueryV2Request, type RunV2 } from "../langsmith/index.js";
import type { Figures } from "./figures.js";
import type { StatsScope } from "./stats.js";

/** What a run can be ranked by: the filter attribute, the figures giving thresholds, the run's value. */
export const TOP_FIELDS = {
  latency: {
    p99: (f: Figures) => f.latency_p99_s,
    p50: (f: Figures) => f.latency_p50_s,
    value: (r: RunV2) => r.latency_seconds ?? undefined,
  },
  total_cost: { p99: (f: Figures) => f.cost_p99_usd, p50: (f: Figures) => f.cost_p50_usd, value: (r: RunV2) => r.total_cost ?? undefined },
  total_tokens: { p99: (f: Figures) => f.tokens_p99, p50: (f: Figures) => f.tokens_p50, value: (r: RunV2) => r.total_tokens ?? undefined },
} as const;
export type TopField = keyof typeof TOP_FIELDS;

const SELECTS: RunSelectField[] = [
  "ID",
  "NAME",
  "RUN_TYPE",
  "STATUS",
  "START_TIME",
  "LATENCY_SECONDS",
  "TOTAL_TOKENS",
  "TOTAL_COST",
  "TRACE_ID",
  "ERROR_PREVIEW",
];
const PAGE_SIZE = 1000;
/** Pages read per threshold at most: a threshold that lets this many through is not selective. */
const MAX_PAGES = 10;

export interface TopRuns {
  by: TopField;
  runs: RunV2[];
  /** The last threshold used (null: none, every run read). */
  threshold: number | null;
  /** Upstream runs queries made. */
  requests: number;
  /** False when the page cap stopped a read: the ranking is then over the runs read. */
  exact: boolean;
}

/** Cut below the figure so a value equal to it, rounded differently upstream, still passes. */
const floorTo = (by: TopField, v: number): number =>
  by === "total_tokens" ? Math.floor(v) : by === "latency" ? Math.floor(v * 1000) / 1000 : Math.floor(v * 1e9) / 1e9;

/**
 * The top `n` runs of `scope` by `by`, largest first, ties by start time. `totals` are the
 * scope's figures (run_stats has them already). Runs without the value (pending runs have no
 * latency) are never ranked.
 */
export async function topRuns(
  client: LangSmithClient,
  scope: StatsScope,
  totals: Figures,
  by: TopField,
  n: number,
  signal?: AbortSignal,
): Promise<TopRuns> {
  const field = TOP_FIELDS[by];
  const ladder: Array<number | null> = [];
  const p99 = field.p99(totals);
  const p50 = field.p50(totals);
  // Start where the threshold likely lets n runs through: ~1% of runs reach p99, ~50% p50.
  if (p99 !== undefined && n <= totals.run_count * 0.01) ladder.push(floorTo(by, p99));
  if (p50 !== undefined && n <= totals.run_count * 0.5) ladder.push(floorTo(by, p50));
  ladder.push(null);

  let requests = 0;
  let result: TopRuns = { by, runs: [], threshold: null, requests, exact: true };
  for (const threshold of ladder) {
    const above = threshold === null ? undefined : `gte(${by}, ${threshold})`;
    const filter = scope.filter && above ? `and(${scope.filter}, ${above})` : (scope.filter ?? above);
    const query: RunsQueryV2Request = {
      project_ids: scope.projectIds,
      min_start_time: scope.start.toISOString(),
      max_start_time: scope.end.toISOString(),
      selects: SELECTS,
      page_size: PAGE_SIZE,
      ...(filter !== undefined && { filter }),
      ...(scope.traceFilter !== undefined && { trace_filter: scope.traceFilter }),
      ...(scope.treeFilter !== undefined && { tree_filter: scope.treeFilter }),
      ...(scope.runType !== undefined && { run_type: scope.runType.toUpperCase() as RunsQueryV2Request["run_type"] }),
      ...(scope.isRoot !== undefined && { is_root: scope.isRoot }),
      ...(scope.hasError !== undefined && { has_error: scope.hasError }),
    };
    const read: RunV2[] = [];
    let cursor: string | undefined;
    let exact = true;
    for (let page = 0; ; page++) {
      if (page === MAX_PAGES) {
        exact = false;
        break;
      }
      const got = await queryRunsPage(client, { ...query, ...(cursor !== undefined && { cursor }) }, signal);
      requests++;
      read.push(...got.items);
      cursor = got.nextCursor;
      if (!cursor) break;
    }
    const ranked = read
      .filter((r) => field.value(r) !== undefined)
      .sort((a, b) => (field.value(b) as number) - (field.value(a) as number) || (a.start_time ?? "").localeCompare(b.start_time ?? ""));
    result = { by, runs: ranked.slice(0, n), threshold, requests, exact };
    if (ranked.length >= n) break;
  }
  return result;
}
