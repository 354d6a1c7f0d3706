/**
 * The simulator's state and its indexes. Routes read runs only through these indexes:
 * runs per project sorted by (start_time, id) so a time window is two binary searches,
 * runs per trace for trace/tree filters, and by-id maps for lookups.
 */
import type { FilterableRun } from "../filter/subject.js";
import { nearestRank } from "./run-stats.js";
import { startMicros, type SimOrganization, type SimProject, type SimRun, type SimWorkspace } from "./model.js";
import type { SeedData } from "./seed.js";

/** Total order of runs used by every index and cursor: the exact start (µs), then id. */
export function compareRuns(a: SimRun, b: SimRun): number {
  return startMicros(a) - startMicros(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** First index in `sorted` whose (start µs, id) is >= the given position. */
export function lowerBound(sorted: readonly SimRun[], startUs: number, id: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = startMicros(sorted[mid] as SimRun);
    if (at < startUs || (at === startUs && (sorted[mid] as SimRun).id < id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in `sorted` whose (start µs, id) is > the given position. */
export function upperBound(sorted: readonly SimRun[], startUs: number, id: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = startMicros(sorted[mid] as SimRun);
    if (at < startUs || (at === startUs && (sorted[mid] as SimRun).id <= id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ProjectStats {
  run_count: number;
  last_run_start_time: number | null;
  error_rate: number | null;
  latency_p50: number | null;
  latency_p99: number | null;
  first_token_p50: number | null;
  first_token_p99: number | null;
  total_tokens: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_cost: number | null;
  prompt_cost: number | null;
  completion_cost: number | null;
  streaming_rate: number | null;
  feedback_stats: Record<string, { n: number; avg: number | null }>;
}

export class SimStore {
  readonly organization: SimOrganization;
  readonly workspaces: readonly SimWorkspace[];
  readonly apiKey: string;
  readonly orgApiKey: string;
  private readonly projectList: SimProject[];
  private readonly projectsById = new Map<string, SimProject>();
  private readonly runsById = new Map<string, SimRun>();
  private readonly runsByProject = new Map<string, SimRun[]>();
  private readonly runsByTrace = new Map<string, SimRun[]>();
  private readonly filterableCache = new WeakMap<SimRun, FilterableRun>();
  private readonly statsCache = new Map<string, ProjectStats>();

  constructor(data: SeedData) {
    this.organization = data.organization;
    this.workspaces = data.workspaces;
    this.apiKey = data.apiKey;
    this.orgApiKey = data.orgApiKey;
    this.projectList = data.projects;
    for (const p of data.projects) {
      this.projectsById.set(p.id, p);
      this.runsByProject.set(p.id, []);
    }
    for (const run of data.runs) {
      this.runsById.set(run.id, run);
      this.runsByProject.get(run.project_id)?.push(run);
      let trace = this.runsByTrace.get(run.trace_id);
      if (!trace) this.runsByTrace.set(run.trace_id, (trace = []));
      trace.push(run);
    }
    for (const list of this.runsByProject.values()) list.sort(compareRuns);
    for (const list of this.runsByTrace.values()) list.sort((a, b) => a.execution_order - b.execution_order);
  }

  /** The workspace the default API key is scoped to. */
  get defaultWorkspace(): SimWorkspace {
    return this.workspaces[0] as SimWorkspace;
  }

  workspace(id: string): SimWorkspace | undefined {
    return this.workspaces.find((w) => w.id === id);
  }

  /** Every project of every workspace, in creation order. */
  allProjects(): readonly SimProject[] {
    return this.projectList;
  }

  projectsOfTenant(tenantId: string): SimProject[] {
    return this.projectList.filter((p) => p.tenant_id === tenantId);
  }

  project(id: string): SimProject | undefined {
    return this.projectsById.get(id);
  }

  projectByName(tenantId: string, name: string): SimProject | undefined {
    return this.projectList.find((p) => p.tenant_id === tenantId && p.name === name);
  }

  run(id: string): SimRun | undefined {
    return this.runsById.get(id);
  }

  /** Runs of a project sorted ascending by (start_time, id). Do not mutate. */
  runsOfProject(projectId: string): readonly SimRun[] {
    return this.runsByProject.get(projectId) ?? [];
  }

  /** Runs of a trace in start (execution) order, the root first. */
  runsOfTrace(traceId: string): readonly SimRun[] {
    return this.runsByTrace.get(traceId) ?? [];
  }

  rootOf(run: SimRun): SimRun | undefined {
    return this.runsById.get(run.trace_id);
  }

  /**
   * Removes whole traces (root and descendants) from every index, as LangSmith's weekend
   * deletion batch does; unknown ids are ignored. Returns how many traces were removed.
   */
  deleteTraces(traceIds: readonly string[]): number {
    let removed = 0;
    const touched = new Set<string>();
    for (const traceId of traceIds) {
      const runs = this.runsByTrace.get(traceId);
      if (!runs) continue;
      removed++;
      for (const run of runs) {
        this.runsById.delete(run.id);
        touched.add(run.project_id);
      }
      this.runsByTrace.delete(traceId);
    }
    for (const projectId of touched) {
      const list = this.runsByProject.get(projectId);
      if (list)
        this.runsByProject.set(
          projectId,
          list.filter((run) => this.runsById.has(run.id)),
        );
      this.statsCache.delete(projectId);
    }
    return removed;
  }

  /**
   * Adds a project and its runs (benchmarks that need more traces than the seed makes, e.g.
   * a 100,000-trace purge). Ids must be new; the runs' indexes stay sorted.
   */
  addProject(project: SimProject, runs: readonly SimRun[]): void {
    if (this.projectsById.has(project.id)) throw new Error(`project ${project.id} exists`);
    this.projectList.push(project);
    this.projectsById.set(project.id, project);
    const list: SimRun[] = [];
    for (const run of runs) {
      this.runsById.set(run.id, run);
      list.push(run);
      let trace = this.runsByTrace.get(run.trace_id);
      if (!trace) this.runsByTrace.set(run.trace_id, (trace = []));
      trace.push(run);
    }
    list.sort(compareRuns);
    this.runsByProject.set(project.id, list);
  }

  get runCount(): number {
    return this.runsById.size;
  }

  /** The neutral view the filter evaluator reads; built once per run. */
  filterable(run: SimRun): FilterableRun {
    let view = this.filterableCache.get(run);
    if (!view) {
      view = toFilterable(run);
      this.filterableCache.set(run, view);
    }
    return view;
  }

  /** Session stats as LangSmith computes them: over the project's traces (root runs). */
  projectStats(projectId: string): ProjectStats {
    const cached = this.statsCache.get(projectId);
    if (cached) return cached;
    const roots = this.runsOfProject(projectId).filter((r) => r.parent_run_id === null);
    const latencies = roots
      .filter((r) => r.end_time !== null)
      .map((r) => ((r.end_time as number) - r.start_time) / 1000)
      .sort((a, b) => a - b);
    const firstTokens = this.runsOfProject(projectId)
      .filter((r) => r.first_token_time !== null)
      .map((r) => ((r.first_token_time as number) - r.start_time) / 1000)
      .sort((a, b) => a - b);
    const sum = (pick: (r: SimRun) => number | null): number => roots.reduce((acc, r) => acc + (pick(r) ?? 0), 0);
    const feedback: Record<string, { n: number; total: number }> = {};
    for (const r of roots) {
      for (const [key, stat] of Object.entries(r.feedback_stats ?? {})) {
        const f = (feedback[key] ??= { n: 0, total: 0 });
        f.n += stat.n;
        f.total += (stat.avg ?? 0) * stat.n;
      }
    }
    const stats: ProjectStats = {
      run_count: roots.length,
      last_run_start_time: roots.length > 0 ? Math.max(...roots.map((r) => r.start_time)) : null,
      error_rate: roots.length > 0 ? roots.filter((r) => r.status === "error").length / roots.length : null,
      latency_p50: percentile(latencies, 0.5),
      latency_p99: percentile(latencies, 0.99),
      first_token_p50: percentile(firstTokens, 0.5),
      first_token_p99: percentile(firstTokens, 0.99),
      total_tokens: sum((r) => r.total_tokens),
      prompt_tokens: sum((r) => r.prompt_tokens),
      completion_tokens: sum((r) => r.completion_tokens),
      total_cost: roots.length > 0 ? sum((r) => r.total_cost) : null,
      prompt_cost: roots.length > 0 ? sum((r) => r.prompt_cost) : null,
      completion_cost: roots.length > 0 ? sum((r) => r.completion_cost) : null,
      streaming_rate: roots.length > 0 ? 0 : null,
      feedback_stats: Object.fromEntries(Object.entries(feedback).map(([k, f]) => [k, { n: f.n, avg: f.n > 0 ? f.total / f.n : null }])),
    };
    this.statsCache.set(projectId, stats);
    return stats;
  }
}

/** The same percentile definition as `POST /runs/stats` (nearest rank), so list_projects and run_stats agree. */
const percentile = (sorted: readonly number[], q: number): number | null => nearestRank(sorted, q * 100);

function toFilterable(run: SimRun): FilterableRun {
  const feedback: Record<string, number | null> = {};
  const feedbackValues: Record<string, string[]> = {};
  for (const [key, stat] of Object.entries(run.feedback_stats ?? {})) {
    feedback[key] = stat.avg;
    feedbackValues[key] = Object.keys(stat.values);
  }
  return {
    id: run.id,
    trace_id: run.trace_id,
    name: run.name,
    run_type: run.run_type,
    status: run.status,
    start_time: run.start_time,
    end_time: run.end_time,
    latency: run.end_time === null ? null : (run.end_time - run.start_time) / 1000,
    first_token_time: run.first_token_time,
    total_tokens: run.total_tokens,
    prompt_tokens: run.prompt_tokens,
    completion_tokens: run.completion_tokens,
    total_cost: run.total_cost,
    prompt_cost: run.prompt_cost,
    completion_cost: run.completion_cost,
    error: run.error,
    execution_order: run.execution_order,
    thread_id: run.thread_id,
    is_root: run.parent_run_id === null,
    parent_run_id: run.parent_run_id,
    reference_example_id: run.reference_example_id,
    tags: run.tags,
    metadata: run.metadata,
    feedback,
    feedback_values: feedbackValues,
    inputs: run.inputs,
    outputs: run.outputs ?? {},
  };
}
