/**
 * What every benchmark measures with: sample statistics, repeated timing, process memory,
 * and the row shape the results table is made of.
 */
import { readFileSync } from "node:fs";

/** One line of the results table: a subject against its baseline, both in absolute figures. */
export interface ResultRow {
  benchmark: string;
  subject: string;
  subject_value: number;
  baseline: string;
  baseline_value: number | null;
  unit: string;
  /** subject / baseline unless `ratio_meaning` says otherwise; null when there is no baseline. */
  ratio: number | null;
  ratio_meaning: string;
  /** Median's spread, sample counts, or how a figure was obtained. */
  spread: string;
}

/** What a benchmark hands back: table rows plus whatever raw figures explain them. */
export interface BenchmarkResult {
  name: string;
  seconds: number;
  rows: ResultRow[];
  details: Record<string, unknown>;
}

export interface Summary {
  n: number;
  median: number;
  p10: number;
  p25: number;
  p75: number;
  p90: number;
  min: number;
  max: number;
}

/** Nearest-rank quantile of a sorted sample. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p10: quantile(sorted, 0.1),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    p90: quantile(sorted, 0.9),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export const round = (value: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/** "p10–p90 a–b (n=N)" for the spread column. */
export const spreadOf = (s: Summary, digits = 1): string => `p10–p90 ${s.p10.toFixed(digits)}–${s.p90.toFixed(digits)} (n=${s.n})`;

/**
 * Runs `fn` `warmup` times unrecorded, then up to `iterations` times recorded, stopping early
 * when `budgetMs` is spent (at least 3 samples are always taken so a median exists).
 */
export async function timeRepeated(
  fn: () => Promise<unknown>,
  options: { iterations: number; warmup: number; budgetMs: number },
): Promise<number[]> {
  for (let i = 0; i < options.warmup; i++) await fn();
  const samples: number[] = [];
  const deadline = performance.now() + options.budgetMs;
  for (let i = 0; i < options.iterations && (samples.length < 3 || performance.now() < deadline); i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

export interface ProcessMemory {
  /** Resident set now, MB. */
  rssMb: number;
  /** Peak resident set since the process started (VmHWM), MB. */
  peakMb: number;
}

/** A process's memory from /proc (Linux); undefined where /proc is missing or the process is gone. */
export function processMemory(pid: number | undefined): ProcessMemory | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
    const rss = kb("VmRSS");
    const peak = kb("VmHWM");
    if (!Number.isFinite(rss)) return undefined;
    return { rssMb: round(rss / 1024), peakMb: round(peak / 1024) };
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (Linux;
 * clock ticks assumed 100/s, the kernel's USER_HZ); undefined where /proc is missing.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

export const bytesToTokens = (bytes: number): number => Math.round(bytes / 4);
