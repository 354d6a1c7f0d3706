/**
 * The run query engine shared by v1 and v2: pick candidate runs from the sorted indexes
 * (binary search on the time window and the cursor position), apply the cheap field
 * predicates, then the filter expressions, and stop at one run past the page.
 */
import { compileFilter, type FilterExpr } from "../filter/index.js";
import type { RunPredicate } from "../filter/index.js";
import type { RunType, SimRun } from "./model.js";
import { compareRuns, lowerBound, upperBound, type SimStore } from "./store.js";

export interface RunQuery {
  projectIds: readonly string[];
  /** Inclusive bounds on the exact start, epoch microseconds; null = unbounded. */
  minStart: number | null;
  maxStart: number | null;
  ids?: ReadonlySet<string>;
  traceId?: string;
  parentRunId?: string;
  isRoot?: boolean;
  hasError?: boolean;
  runType?: RunType;
  referenceExamples?: ReadonlySet<string>;
  executionOrder?: number;
  filter?: FilterExpr;
  traceFilter?: FilterExpr;
  treeFilter?: FilterExpr;
  order: "asc" | "desc";
  /** Exclusive position of the last run of the previous page (start in epoch µs). */
  after?: { startTime: number; id: string };
  limit: number;
}

export interface RunPage {
  runs: SimRun[];
  hasMore: boolean;
}

/** An ascending candidate list and the half-open index range still to visit. */
interface Source {
  runs: readonly SimRun[];
  lo: number;
  hi: number;
}

export function queryRuns(store: SimStore, q: RunQuery): RunPage {
  const sources = candidateSources(store, q).map((s) => narrow(s, q));
  const matches = buildMatcher(store, q);
  const runs: SimRun[] = [];
  const desc = q.order === "desc";
  for (;;) {
    let best: Source | undefined;
    let bestRun: SimRun | undefined;
    for (const s of sources) {
      if (s.lo >= s.hi) continue;
      const r = (desc ? s.runs[s.hi - 1] : s.runs[s.lo]) as SimRun;
      if (!bestRun || (desc ? compareRuns(r, bestRun) > 0 : compareRuns(r, bestRun) < 0)) {
        best = s;
        bestRun = r;
      }
    }
    if (!best || !bestRun) return { runs, hasMore: false };
    if (desc) best.hi--;
    else best.lo++;
    if (!matches(bestRun)) continue;
    if (runs.length === q.limit) return { runs, hasMore: true };
    runs.push(bestRun);
  }
}

function candidateSources(store: SimStore, q: RunQuery): Source[] {
  const inProjects = new Set(q.projectIds);
  const sorted = (list: SimRun[]): Source[] => {
    const runs = list.filter((r) => inProjects.has(r.project_id)).sort(compareRuns);
    return [{ runs, lo: 0, hi: runs.length }];
  };
  if (q.ids) return sorted([...q.ids].map((id) => store.run(id)).filter((r): r is SimRun => r !== undefined));
  if (q.traceId !== undefined) return sorted([...store.runsOfTrace(q.traceId)]);
  if (q.parentRunId !== undefined) {
    const parent = store.run(q.parentRunId);
    return sorted(parent ? parent.child_run_ids.map((id) => store.run(id)).filter((r): r is SimRun => r !== undefined) : []);
  }
  return q.projectIds.map((id) => {
    const runs = store.runsOfProject(id);
    return { runs, lo: 0, hi: runs.length };
  });
}

/** Applies the time window and the cursor position to a source by binary search. */
function narrow(source: Source, q: RunQuery): Source {
  let { lo, hi } = source;
  if (q.minStart !== null) lo = Math.max(lo, lowerBound(source.runs, q.minStart, ""));
  if (q.maxStart !== null) hi = Math.min(hi, lowerBound(source.runs, q.maxStart + 1, ""));
  if (q.after) {
    if (q.order === "asc") lo = Math.max(lo, upperBound(source.runs, q.after.startTime, q.after.id));
    else hi = Math.min(hi, lowerBound(source.runs, q.after.startTime, q.after.id));
  }
  return { runs: source.runs, lo, hi: Math.max(lo, hi) };
}

function buildMatcher(store: SimStore, q: RunQuery): (run: SimRun) => boolean {
  const filter: RunPredicate | undefined = q.filter ? compileFilter(q.filter) : undefined;
  const traceFilter: RunPredicate | undefined = q.traceFilter ? compileFilter(q.traceFilter) : undefined;
  const treeFilter: RunPredicate | undefined = q.treeFilter ? compileFilter(q.treeFilter) : undefined;
  // Both trace-level filters give one answer per trace; remember it for the trace's other runs.
  const traceVerdicts = new Map<string, boolean>();
  const treeVerdicts = new Map<string, boolean>();
  return (run) => {
    if (q.isRoot !== undefined && (run.parent_run_id === null) !== q.isRoot) return false;
    if (q.hasError !== undefined && (run.status === "error") !== q.hasError) return false;
    if (q.runType !== undefined && run.run_type !== q.runType) return false;
    if (q.traceId !== undefined && run.trace_id !== q.traceId) return false;
    if (q.parentRunId !== undefined && run.parent_run_id !== q.parentRunId) return false;
    if (q.executionOrder !== undefined && run.execution_order !== q.executionOrder) return false;
    if (q.referenceExamples && (run.reference_example_id === null || !q.referenceExamples.has(run.reference_example_id))) return false;
    if (filter && !filter(store.filterable(run))) return false;
    if (traceFilter) {
      let verdict = traceVerdicts.get(run.trace_id);
      if (verdict === undefined) {
        const root = store.rootOf(run);
        verdict = root !== undefined && traceFilter(store.filterable(root));
        traceVerdicts.set(run.trace_id, verdict);
      }
      if (!verdict) return false;
    }
    if (treeFilter) {
      let verdict = treeVerdicts.get(run.trace_id);
      if (verdict === undefined) {
        verdict = store.runsOfTrace(run.trace_id).some((r) => treeFilter(store.filterable(r)));
        treeVerdicts.set(run.trace_id, verdict);
      }
      if (!verdict) return false;
    }
    return true;
  };
}
