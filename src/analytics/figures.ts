/**
 * The figures of run statistics as tools report them: plain numbers with their unit in the
 * name (seconds, USD, tokens), read from LangSmith's `RunStats` (run.yml) whose costs are
 * decimal strings and whose figures may be null or absent.
 */
import { costUsd, type RunStats, type RunStatsSelectField } from "../langsmith/index.js";

/** What run_stats asks LangSmith for (`select`): one request's worth. */
export const STATS_SELECT: readonly RunStatsSelectField[] = [
  "run_count",
  "error_rate",
  "latency_p50",
  "latency_p99",
  "latency_avg",
  "first_token_p50",
  "first_token_p99",
  "total_tokens",
  "prompt_tokens",
  "completion_tokens",
  "median_tokens",
  "tokens_p99",
  "total_cost",
  "cost_p50",
  "cost_p99",
  "feedback_stats",
];

export interface Figures {
  run_count: number;
  /** Runs with status error (error_rate × run_count, rounded). */
  error_count?: number;
  /** 0..1. */
  error_rate?: number;
  latency_p50_s?: number;
  latency_p99_s?: number;
  latency_avg_s?: number;
  first_token_p50_s?: number;
  first_token_p99_s?: number;
  total_tokens?: number;
  prompt_tokens?: number;
  completion_tokens?: number;
  tokens_p50?: number;
  tokens_p99?: number;
  total_cost_usd?: number;
  cost_p50_usd?: number;
  cost_p99_usd?: number;
  /** Per feedback key: how many scores and their mean. */
  feedback?: Record<string, { n: number; avg?: number }>;
}

const num = (v: number | null | undefined): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const usd = (v: number | string | null | undefined): number | undefined => costUsd(v) ?? undefined;

function feedbackOf(raw: Record<string, unknown> | null | undefined): Figures["feedback"] {
  const out: NonNullable<Figures["feedback"]> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (typeof value !== "object" || value === null) continue;
    const { n, avg } = value as { n?: unknown; avg?: unknown };
    if (typeof n !== "number") continue;
    out[key] = { n, ...(typeof avg === "number" ? { avg } : {}) };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `RunStats` → Figures; a window with no runs gives `{run_count: 0}` and nothing else. */
export function toFigures(stats: RunStats): Figures {
  const count = num(stats.run_count) ?? 0;
  if (count === 0) return { run_count: 0 };
  const errorRate = num(stats.error_rate);
  const figures: Figures = {
    run_count: count,
    error_count: errorRate === undefined ? undefined : Math.round(errorRate * count),
    error_rate: errorRate,
    latency_p50_s: num(stats.latency_p50),
    latency_p99_s: num(stats.latency_p99),
    latency_avg_s: num(stats.latency_avg),
    first_token_p50_s: num(stats.first_token_p50),
    first_token_p99_s: num(stats.first_token_p99),
    total_tokens: num(stats.total_tokens),
    prompt_tokens: num(stats.prompt_tokens),
    completion_tokens: num(stats.completion_tokens),
    tokens_p50: num(stats.median_tokens),
    tokens_p99: num(stats.tokens_p99),
    total_cost_usd: usd(stats.total_cost),
    cost_p50_usd: usd(stats.cost_p50),
    cost_p99_usd: usd(stats.cost_p99),
    feedback: feedbackOf(stats.feedback_stats),
  };
  return Object.fromEntries(Object.entries(figures).filter(([, v]) => v !== undefined)) as unknown as Figures;
}

/** How groups may be ordered, and the figure each reads (largest first). */
export const GROUP_ORDERS = {
  count: (f: Figures) => f.run_count,
  cost: (f: Figures) => f.total_cost_usd ?? -1,
  errors: (f: Figures) => f.error_count ?? -1,
  p99: (f: Figures) => f.latency_p99_s ?? -1,
} as const satisfies Record<string, (f: Figures) => number>;
export type GroupOrder = keyof typeof GROUP_ORDERS;
