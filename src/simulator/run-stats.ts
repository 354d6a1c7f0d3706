/**
 * Run statistics as `POST /api/v1/runs/stats` answers them (spec run.yml `RunStats`,
 * `RunStatsSelect`, `RunStatsGroupBy`), computed over exactly the runs the run query engine
 * (query.ts) selects, so a stats figure and a `runs/query` page never disagree.
 *
 * Definitions (LangSmith does not publish its own; these are the simulator's, stated so a test
 * can recompute them from raw runs):
 * - every figure is over all matched runs, whatever their depth (pass `is_root` for traces);
 * - latency = end − start in seconds, over runs that have ended (pending runs are left out);
 *   first token = first_token_time − start in seconds, over runs that have one;
 * - percentiles use the nearest-rank definition: the p-th percentile of n ascending values is
 *   the value at 1-based rank ⌈p/100 · n⌉ (so p50 of [1, 2, 3, 4] is 2, p99 of 100 values is
 *   the 99th); null when there is no value;
 * - error_rate = runs with status error / run_count; streaming_rate = runs with a first token /
 *   run_count; both null for no runs;
 * - token totals are sums (runs without tokens add 0); token percentiles are over runs that
 *   report tokens; costs (USD) are sums and percentiles over runs that report a cost, written
 *   as decimal strings as v1 writes Decimals; null when no run reports a cost;
 * - feedback_stats = per key {n, avg}: n summed, avg weighted by n.
 */
import type { SimRun } from "./model.js";
import { decimalString, naiveUtc } from "./views.js";

/** Spec run.yml `RunStatsSelect`, in the spec's order. */
export const RUN_STATS_SELECTS = [
  "run_count",
  "latency_p50",
  "latency_p99",
  "latency_avg",
  "first_token_p50",
  "first_token_p99",
  "total_tokens",
  "prompt_tokens",
  "completion_tokens",
  "median_tokens",
  "completion_tokens_p50",
  "prompt_tokens_p50",
  "tokens_p99",
  "completion_tokens_p99",
  "prompt_tokens_p99",
  "last_run_start_time",
  "feedback_stats",
  "thread_feedback_stats",
  "run_facets",
  "error_rate",
  "streaming_rate",
  "total_cost",
  "prompt_cost",
  "completion_cost",
  "cost_p50",
  "cost_p99",
  "session_feedback_stats",
  "all_run_stats",
  "all_token_stats",
  "prompt_token_details",
  "completion_token_details",
  "prompt_cost_details",
  "completion_cost_details",
] as const;
export type RunStatsSelect = (typeof RUN_STATS_SELECTS)[number];
export const isRunStatsSelect = (v: unknown): v is RunStatsSelect =>
  typeof v === "string" && (RUN_STATS_SELECTS as readonly string[]).includes(v);

/** What an absent `select` returns: the properties of spec `RunStats`. */
const DEFAULT_FIELDS: readonly RunStatsSelect[] = [
  "run_count",
  "latency_p50",
  "latency_p99",
  "first_token_p50",
  "first_token_p99",
  "total_tokens",
  "prompt_tokens",
  "completion_tokens",
  "median_tokens",
  "completion_tokens_p50",
  "prompt_tokens_p50",
  "tokens_p99",
  "completion_tokens_p99",
  "prompt_tokens_p99",
  "last_run_start_time",
  "feedback_stats",
  "run_facets",
  "error_rate",
  "streaming_rate",
  "total_cost",
  "prompt_cost",
  "completion_cost",
  "cost_p50",
  "cost_p99",
  "prompt_token_details",
  "completion_token_details",
  "prompt_cost_details",
  "completion_cost_details",
];
/** The two umbrella selects, expanded. */
const ALL_RUN_STATS: readonly RunStatsSelect[] = [
  "run_count",
  "latency_p50",
  "latency_p99",
  "latency_avg",
  "first_token_p50",
  "first_token_p99",
  "last_run_start_time",
  "error_rate",
  "streaming_rate",
  "total_cost",
  "prompt_cost",
  "completion_cost",
  "cost_p50",
  "cost_p99",
  "feedback_stats",
];
const ALL_TOKEN_STATS: readonly RunStatsSelect[] = [
  "total_tokens",
  "prompt_tokens",
  "completion_tokens",
  "median_tokens",
  "completion_tokens_p50",
  "prompt_tokens_p50",
  "tokens_p99",
  "completion_tokens_p99",
  "prompt_tokens_p99",
];

/** Spec `RunStatsGroupBy.attribute`. */
export const RUN_STATS_GROUP_ATTRIBUTES = ["name", "run_type", "tag", "metadata"] as const;
export type RunStatsGroupAttribute = (typeof RUN_STATS_GROUP_ATTRIBUTES)[number];
export interface RunStatsGroupBy {
  attribute: RunStatsGroupAttribute;
  /** The metadata key (required for `metadata`, ignored otherwise). */
  path: string | null;
  /** The spec's default is 5. */
  maxGroups: number;
}
/** The simulator's bounds on `max_groups` (LangSmith publishes none; the spec default is 5). */
export const MAX_GROUPS_RANGE = { min: 1, max: 100, default: 5 } as const;

/** The p-th percentile (0 < p ≤ 100) of ascending `sorted` by nearest rank; null when empty. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

const ascending = (values: number[]): number[] => values.sort((a, b) => a - b);
const present = <T>(values: Array<T | null>): T[] => values.filter((v): v is T => v !== null);

function sumDetails(
  runs: readonly SimRun[],
  pick: (r: SimRun) => Record<string, number> | null,
  asDecimal: boolean,
): Record<string, unknown> | null {
  const total: Record<string, number> = {};
  let any = false;
  for (const r of runs) {
    for (const [k, v] of Object.entries(pick(r) ?? {})) {
      total[k] = (total[k] ?? 0) + v;
      any = true;
    }
  }
  if (!any) return null;
  return asDecimal ? Object.fromEntries(Object.entries(total).map(([k, v]) => [k, decimalString(v)])) : total;
}

/** Every figure of one group of runs, keyed by its `RunStatsSelect` name. */
function allFigures(runs: readonly SimRun[]): Record<RunStatsSelect, unknown> {
  const n = runs.length;
  const latencies = ascending(present(runs.map((r) => (r.end_time === null ? null : (r.end_time - r.start_time) / 1000))));
  const firstTokens = ascending(
    present(runs.map((r) => (r.first_token_time === null ? null : (r.first_token_time - r.start_time) / 1000))),
  );
  const tokens = ascending(present(runs.map((r) => r.total_tokens)));
  const promptTokens = ascending(present(runs.map((r) => r.prompt_tokens)));
  const completionTokens = ascending(present(runs.map((r) => r.completion_tokens)));
  const costs = ascending(present(runs.map((r) => r.total_cost)));
  const sum = (pick: (r: SimRun) => number | null): number => runs.reduce((acc, r) => acc + (pick(r) ?? 0), 0);
  const costSum = (pick: (r: SimRun) => number | null): string | null =>
    runs.some((r) => pick(r) !== null) ? decimalString(sum(pick)) : null;
  const feedback: Record<string, { n: number; total: number }> = {};
  for (const r of runs) {
    for (const [key, stat] of Object.entries(r.feedback_stats ?? {})) {
      const f = (feedback[key] ??= { n: 0, total: 0 });
      f.n += stat.n;
      f.total += (stat.avg ?? 0) * stat.n;
    }
  }
  let last: SimRun | undefined;
  for (const r of runs) if (!last || r.start_time * 1000 + r.start_us > last.start_time * 1000 + last.start_us) last = r;
  const feedbackStats = Object.fromEntries(Object.entries(feedback).map(([k, f]) => [k, { n: f.n, avg: f.n > 0 ? f.total / f.n : null }]));
  return {
    run_count: n,
    latency_p50: nearestRank(latencies, 50),
    latency_p99: nearestRank(latencies, 99),
    latency_avg: latencies.length > 0 ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null,
    first_token_p50: nearestRank(firstTokens, 50),
    first_token_p99: nearestRank(firstTokens, 99),
    total_tokens: sum((r) => r.total_tokens),
    prompt_tokens: sum((r) => r.prompt_tokens),
    completion_tokens: sum((r) => r.completion_tokens),
    median_tokens: nearestRank(tokens, 50),
    completion_tokens_p50: nearestRank(completionTokens, 50),
    prompt_tokens_p50: nearestRank(promptTokens, 50),
    tokens_p99: nearestRank(tokens, 99),
    completion_tokens_p99: nearestRank(completionTokens, 99),
    prompt_tokens_p99: nearestRank(promptTokens, 99),
    last_run_start_time: last ? naiveUtc(last.start_time, last.start_us) : null,
    feedback_stats: feedbackStats,
    thread_feedback_stats: null,
    session_feedback_stats: null,
    run_facets: null,
    error_rate: n > 0 ? runs.filter((r) => r.status === "error").length / n : null,
    streaming_rate: n > 0 ? runs.filter((r) => r.first_token_time !== null).length / n : null,
    total_cost: costSum((r) => r.total_cost),
    prompt_cost: costSum((r) => r.prompt_cost),
    completion_cost: costSum((r) => r.completion_cost),
    cost_p50: decimalString(nearestRank(costs, 50)),
    cost_p99: decimalString(nearestRank(costs, 99)),
    prompt_token_details: sumDetails(runs, (r) => r.prompt_token_details, false),
    completion_token_details: sumDetails(runs, (r) => r.completion_token_details, false),
    prompt_cost_details: sumDetails(runs, (r) => r.prompt_cost_details, true),
    completion_cost_details: sumDetails(runs, (r) => r.completion_cost_details, true),
    all_run_stats: null,
    all_token_stats: null,
  };
}

/** The fields a `select` asks for (absent → spec `RunStats`'s own), umbrellas expanded. */
export function selectedFields(select: readonly RunStatsSelect[] | undefined): RunStatsSelect[] {
  if (!select || select.length === 0) return [...DEFAULT_FIELDS];
  const out = new Set<RunStatsSelect>();
  for (const s of select) {
    if (s === "all_run_stats") for (const f of ALL_RUN_STATS) out.add(f);
    else if (s === "all_token_stats") for (const f of ALL_TOKEN_STATS) out.add(f);
    else out.add(s);
  }
  return [...out];
}

/** One `RunStats` object over `runs` with the selected fields. */
export function computeRunStats(runs: readonly SimRun[], fields: readonly RunStatsSelect[]): Record<string, unknown> {
  const all = allFigures(runs);
  return Object.fromEntries(fields.map((f) => [f, all[f]]));
}

/** The group keys a run belongs to (a run with three tags is in three tag groups; none when the attribute is absent). */
function groupKeys(run: SimRun, by: RunStatsGroupBy): string[] {
  switch (by.attribute) {
    case "name":
      return [run.name];
    case "run_type":
      return [run.run_type];
    case "tag":
      return [...new Set(run.tags)];
    case "metadata": {
      const value = by.path === null ? undefined : run.metadata[by.path];
      if (value === undefined || value === null) return [];
      return [typeof value === "string" ? value : JSON.stringify(value)];
    }
  }
}

/**
 * Grouped stats: `{<group value>: RunStats}` for the `maxGroups` groups with the most runs
 * (ties by key), or for exactly the `groups` asked for when given (a requested group with no
 * runs gets zero figures).
 */
export function computeGroupedRunStats(
  runs: readonly SimRun[],
  by: RunStatsGroupBy,
  fields: readonly RunStatsSelect[],
  groups?: readonly string[],
): Record<string, Record<string, unknown>> {
  const buckets = new Map<string, SimRun[]>();
  for (const r of runs) {
    for (const key of groupKeys(r, by)) {
      let list = buckets.get(key);
      if (!list) buckets.set(key, (list = []));
      list.push(r);
    }
  }
  const keys = groups
    ? [...new Set(groups)]
    : [...buckets.keys()]
        .sort((a, b) => (buckets.get(b)?.length ?? 0) - (buckets.get(a)?.length ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
        .slice(0, by.maxGroups);
  return Object.fromEntries(keys.map((k) => [k, computeRunStats(buckets.get(k) ?? [], fields)]));
}
