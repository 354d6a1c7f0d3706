/**
 * The waterfall's geometry from get_trace's nodes: each run's offset and duration on the
 * trace's time axis, and the critical path (from the root, each step the child that ends last:
 * the chain of runs that decided when the trace ended). Pure: no DOM, tested on its own.
 */

export interface TraceRun {
  id: string;
  parent_run_id?: string;
  depth: number;
  name?: string;
  run_type?: string;
  status?: string;
  start_time?: string;
  latency_seconds?: number;
  total_tokens?: number;
  total_cost?: number;
  error_preview?: string;
}

export interface Bar {
  run: TraceRun;
  /** Milliseconds from the trace's first start; null when the run has no start time. */
  offsetMs: number | null;
  /** Milliseconds; null while running or unknown (drawn to the end of the axis). */
  durationMs: number | null;
  errored: boolean;
  critical: boolean;
}

export interface Waterfall {
  bars: Bar[];
  /** Length of the time axis in milliseconds (at least 1). */
  spanMs: number;
  /** Ids on the critical path, root first. */
  criticalPath: string[];
}

const startMs = (run: TraceRun): number | null => {
  const ms = run.start_time ? Date.parse(run.start_time) : NaN;
  return Number.isFinite(ms) ? ms : null;
};

/** Lays the runs (in tree order, as get_trace gives them) on one time axis. */
export function layoutWaterfall(runs: readonly TraceRun[]): Waterfall {
  const starts = runs.map(startMs);
  const known = starts.filter((ms): ms is number => ms !== null);
  const origin = known.length ? Math.min(...known) : 0;
  const ends = runs.map((run, i) => {
    const start = starts[i];
    return start !== null && start !== undefined && typeof run.latency_seconds === "number" ? start + run.latency_seconds * 1000 : null;
  });
  const last = Math.max(origin, ...known, ...ends.filter((ms): ms is number => ms !== null));
  const spanMs = Math.max(1, last - origin);
  const critical = criticalPath(runs, ends);
  const onPath = new Set(critical);
  const bars = runs.map((run, i) => {
    const start = starts[i] ?? null;
    const end = ends[i] ?? null;
    return {
      run,
      offsetMs: start === null ? null : start - origin,
      durationMs: start === null || end === null ? null : end - start,
      errored: run.status === "error" || Boolean(run.error_preview),
      critical: onPath.has(run.id),
    };
  });
  return { bars, spanMs, criticalPath: critical };
}

/**
 * From the root (the run without a parent, else the first), repeatedly the child that ends
 * last; a child without an end (running) ends last of all. Stops at a run without children.
 */
export function criticalPath(runs: readonly TraceRun[], ends: readonly (number | null)[]): string[] {
  if (runs.length === 0) return [];
  const endOf = new Map(runs.map((run, i) => [run.id, ends[i] ?? Number.POSITIVE_INFINITY]));
  const children = new Map<string, TraceRun[]>();
  for (const run of runs) {
    if (!run.parent_run_id) continue;
    const list = children.get(run.parent_run_id) ?? [];
    list.push(run);
    children.set(run.parent_run_id, list);
  }
  const root = runs.find((run) => !run.parent_run_id) ?? runs[0]!;
  const path = [root.id];
  const seen = new Set(path);
  let current = root;
  for (;;) {
    const kids = children.get(current.id);
    if (!kids?.length) return path;
    const next = kids.reduce((best, kid) => ((endOf.get(kid.id) ?? 0) > (endOf.get(best.id) ?? 0) ? kid : best));
    if (seen.has(next.id)) return path;
    seen.add(next.id);
    path.push(next.id);
    current = next;
  }
}

/** Round tick values for an axis of `spanMs`: about five, at 1/2/5 × 10^n ms. */
export function ticks(spanMs: number): number[] {
  const rough = spanMs / 5;
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1e-3)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? power * 10;
  const out: number[] = [];
  for (let t = 0; t <= spanMs + 1e-9; t += step) out.push(t);
  return out;
}
