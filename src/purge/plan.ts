/**
 * Planning a purge: which projects, which traces, how they will be sent. Nothing is sent and
 * nothing is recorded here; the plan is what the user confirms (its binding is what a
 * confirmation token is bound to).
 */
import { apiTimeIso } from "../api-time.js";
import { UserInputError } from "../errors.js";
import { cutBatches, traceSetDigest, type BatchKind, type PurgeCriteria, type ProjectRef } from "../ledger/index.js";
import type { PurgeClient, ResolveProject } from "./client.js";
import { discoverRoots, metadataFilter, visibleTraces, type DiscoveredTrace, type ProjectWindow } from "./discover.js";
import { PURGE_LIMITS } from "./limits.js";

/** A purge as asked for (the tool's arguments, parsed). */
export interface PurgeRequest {
  project?: string | undefined;
  projects?: readonly string[] | undefined;
  all_projects?: boolean | undefined;
  filter?: string | undefined;
  tree_filter?: string | undefined;
  metadata?: Readonly<Record<string, string>> | undefined;
  start_time?: string | undefined;
  end_time?: string | undefined;
  trace_ids?: readonly string[] | undefined;
  send_as?: "trace_batches" | "metadata_delete" | undefined;
}

export interface PlannedBatch {
  batch_no: number;
  kind: BatchKind;
  project_id: string | null;
  trace_count: number;
}

export interface PurgePlan {
  criteria: PurgeCriteria;
  /** Grouped by project, in batch order. */
  traces: DiscoveredTrace[];
  /** Matching traces per project searched. */
  counts: Array<ProjectRef & { traces: number }>;
  /** Explicit ids that are not root traces of the projects searched. */
  notFound: string[];
  batches: PlannedBatch[];
  /** sha256 of the sorted trace ids. */
  digest: string;
  /** What a confirmation is bound to: the same binding means the same deletion. */
  binding: { projects: string[]; trace_count: number; traces: string; send_as: string; metadata?: Record<string, string> };
  /** The metadata-wide delete fits these criteria (metadata only, every project, no window). */
  metadataDeleteFits: boolean;
  /** HTTP queries the discovery took. */
  requests: number;
}

/**
 * Reads start/end phrases ("30d", ISO times, "now") against LangSmith's now, `defaultStart`
 * when no start is given (the tools' time-range.ts); throws a UserInputError on a bad phrase.
 */
export type ResolveWindow = (
  start: string | undefined,
  end: string | undefined,
  now: Date,
  defaultStart: string,
) => { start: Date; end: Date };

export interface PlanDeps {
  client: PurgeClient;
  resolveProject: ResolveProject;
  resolveWindow: ResolveWindow;
  signal: AbortSignal;
  progress?: (done: number, total: number | undefined, message: string) => Promise<void>;
}

const WHAT = "queue_deletion (purging traces)";

/** One metadata criterion as the tools take it: "key=value" (the value may be empty or hold "="). */
export const METADATA_PAIR = /^[^=]+=.*$/;

/** The purge criteria a queue_deletion or verify_deletion call can carry besides a purge id. */
export interface CriteriaArgs {
  project?: string;
  projects?: readonly string[];
  all_projects?: boolean;
  metadata?: readonly string[];
  filter?: string;
  tree_filter?: string;
  trace_ids?: readonly string[];
  start_time?: string;
  end_time?: string;
}

/** Whether a call gives any criteria (a purge id names its own, so the two exclude each other). */
export function givesCriteria(args: CriteriaArgs): boolean {
  return Boolean(
    args.project ||
      args.projects ||
      args.all_projects ||
      args.metadata ||
      args.filter ||
      args.tree_filter ||
      args.trace_ids ||
      args.start_time ||
      args.end_time,
  );
}

/**
 * ["user_id=123", "email=a@b.c"] → { user_id: "123", email: "a@b.c" }: the request's metadata
 * (a trace matches if ANY pair does). Throws a UserInputError on a pair with no key.
 */
export function parseMetadataPairs(pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (!pairs) return undefined;
  const metadata: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    const key = pair.slice(0, at).trim();
    if (at < 0 || !key)
      throw new UserInputError("metadata", `"${pair}" has no key before "=".`, 'Write each pair as "key=value", e.g. "user_id=123".');
    metadata[key] = pair.slice(at + 1);
  }
  return metadata;
}

/** Checks the request's shape: exactly one way to name projects, criteria that do not clash. */
export function checkRequest(request: PurgeRequest): void {
  const ways = [request.project !== undefined, request.projects !== undefined, request.all_projects === true].filter(Boolean).length;
  if (ways === 0) {
    throw new UserInputError(
      "project",
      "is required to plan a purge (or projects, or all_projects: true).",
      "Give the project name or id, a list in projects, all_projects: true for every project of the workspace, or purge_id to resume a " +
        "recorded purge.",
    );
  }
  if (ways > 1)
    throw new UserInputError(
      "projects",
      "give one of project, projects or all_projects, not several.",
      "Use projects for a list, all_projects: true for every project.",
    );
  const windowed = request.start_time !== undefined || request.end_time !== undefined;
  if (request.trace_ids && (request.filter || request.tree_filter || request.metadata || windowed)) {
    throw new UserInputError(
      "trace_ids",
      "cannot be combined with filter, tree_filter, metadata or a time window.",
      "Purge either explicit trace ids or what the criteria select.",
    );
  }
  if (!request.trace_ids && !request.filter && !request.tree_filter && !request.metadata && !windowed) {
    throw new UserInputError(
      undefined,
      "no criteria: give metadata, a filter, tree_filter, a start_time/end_time window, or trace_ids.",
      "A purge of whole projects must be asked for explicitly, e.g. start_time set to the projects' creation date.",
    );
  }
  if (
    request.send_as === "metadata_delete" &&
    !(request.metadata && request.all_projects && !request.filter && !request.tree_filter && !windowed)
  ) {
    throw new UserInputError(
      "send_as",
      '"metadata_delete" sends LangSmith\'s workspace-wide metadata delete, which matches by metadata alone, in every project and at ' +
        "any time; it fits only metadata criteria with all_projects: true and no filter, tree_filter or time window.",
      'Leave send_as out (or "trace_batches") to delete exactly the listed traces, project by project.',
    );
  }
}

/**
 * Resolves the projects, discovers the traces (per project, bounded parallelism) or looks up
 * explicit ids, and lays out the batches: per project, at most 1000 ids each, or one
 * metadata-wide delete when asked for and it fits.
 */
export async function planPurge(request: PurgeRequest, deps: PlanDeps): Promise<PurgePlan> {
  checkRequest(request);
  const projects = await selectProjects(request, deps);
  // After a LangSmith response, the client knows LangSmith's clock (its Date header).
  const now = deps.client.serverNow();
  const allProjects = request.all_projects === true;
  const refs = projects.map(({ id, name }) => ({ id, name }));
  const sendAs = request.send_as ?? "trace_batches";
  let traces: DiscoveredTrace[];
  let counts: PurgePlan["counts"];
  let notFound: string[] = [];
  let requests: number;
  let criteria: PurgeCriteria;

  if (request.trace_ids) {
    const requested = [...new Set(request.trace_ids.map((id) => id.toLowerCase()))];
    const earliest = projects.reduce((min, p) => Math.min(min, Date.parse(p.created)), Infinity);
    const { visible, requests: n } = await visibleTraces(
      deps.client,
      {
        projectIds: refs.map((p) => p.id),
        ids: requested,
        minStart: new Date(earliest - 1000).toISOString(),
        maxStart: now.toISOString(),
        withNames: true,
        what: WHAT,
      },
      deps.signal,
    );
    requests = n;
    const byId = new Map(visible.map((t) => [t.trace_id, t]));
    notFound = requested.filter((id) => !byId.has(id));
    const order = new Map(refs.map((p, i) => [p.id, i]));
    traces = requested.filter((id) => byId.has(id)).map((id) => byId.get(id)!);
    traces.sort((a, b) => (order.get(a.project_id) ?? 0) - (order.get(b.project_id) ?? 0));
    counts = refs.map((p) => ({ ...p, traces: traces.filter((t) => t.project_id === p.id).length }));
    criteria = {
      kind: "trace_ids",
      projects: refs,
      ...(allProjects && { all_projects: true }),
      requested: requested.length,
      not_found: notFound.length,
      send_as: "trace_batches",
    };
  } else {
    const windows: ProjectWindow[] = projects.map((p) => {
      const w = deps.resolveWindow(request.start_time, request.end_time, now, p.created);
      return { id: p.id, name: p.name, minStart: w.start.toISOString(), maxStart: w.end.toISOString() };
    });
    const filter = combine(request.filter, request.metadata ? metadataFilter(request.metadata) : undefined);
    let done = 0;
    const found = await discoverRoots(
      deps.client,
      { projects: windows, filter, treeFilter: request.tree_filter, what: WHAT },
      deps.signal,
      async (project, n) => {
        done++;
        await deps.progress?.(done, windows.length, `${project.name}: ${n} trace(s)`);
      },
    );
    ({ traces, counts, requests } = found);
    const starts = windows.map((w) => w.minStart).sort();
    const single = windows.length === 1 || request.start_time !== undefined;
    criteria = {
      kind: request.metadata ? "metadata" : "filter",
      projects: refs,
      ...(allProjects && { all_projects: true }),
      ...(request.filter !== undefined && { filter: request.filter }),
      ...(request.tree_filter !== undefined && { tree_filter: request.tree_filter }),
      ...(request.metadata && { metadata: { ...request.metadata } }),
      // With each project's own default start, the earliest is what the window "began".
      start_time: single ? windows[0]!.minStart : starts[0]!,
      end_time: windows[0]!.maxStart,
      send_as: sendAs,
    };
  }

  const metadataDelete = sendAs === "metadata_delete" ? { ...request.metadata! } : undefined;
  const batches = cutBatches({ traces, batch_size: PURGE_LIMITS.batchSize, metadata_delete: metadataDelete }).map((b) => ({
    batch_no: b.batch_no,
    kind: b.kind,
    project_id: b.project_id,
    trace_count: b.traces.length,
  }));
  const digest = traceSetDigest(traces.map((t) => t.trace_id));
  return {
    criteria,
    traces,
    counts,
    notFound,
    batches,
    digest,
    binding: {
      projects: refs.map((p) => p.id).sort(),
      trace_count: traces.length,
      traces: digest,
      send_as: criteria.send_as,
      ...(metadataDelete && { metadata: metadataDelete }),
    },
    metadataDeleteFits: Boolean(
      request.metadata &&
        allProjects &&
        !request.filter &&
        !request.tree_filter &&
        request.start_time === undefined &&
        request.end_time === undefined,
    ),
    requests,
  };
}

const combine = (a: string | undefined, b: string | undefined): string | undefined => (a && b ? `and(${a}, ${b})` : (a ?? b));

interface SelectedProject extends ProjectRef {
  /** Creation time: the default start of its window. */
  created: string;
}

async function selectProjects(request: PurgeRequest, deps: PlanDeps): Promise<SelectedProject[]> {
  const epoch = new Date(0).toISOString();
  if (request.all_projects) {
    const out: SelectedProject[] = [];
    for (let offset = 0; offset < PURGE_LIMITS.maxProjects; offset += 100) {
      const page = await deps.client.listProjects({ limit: 100, offset }, deps.signal);
      for (const p of page) {
        // Experiment projects too: personal data left in one is still left behind.
        out.push({ id: p.id, name: p.name, created: apiTimeIso(p.start_time ?? null) ?? epoch });
      }
      if (page.length < 100) return out;
    }
    throw new UserInputError(
      "all_projects",
      `the workspace has more than ${PURGE_LIMITS.maxProjects} projects; one purge searches at most that many.`,
      "Name the projects in projects instead.",
    );
  }
  const names = request.projects ?? [request.project!];
  if (names.length === 0) throw new UserInputError("projects", "is empty.", "Name at least one project, or use all_projects: true.");
  const seen = new Set<string>();
  const out: SelectedProject[] = [];
  for (const name of names) {
    const p = await deps.resolveProject(name, request.projects ? "projects" : "project", deps.signal);
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    out.push({ id: p.id, name: p.name, created: apiTimeIso(p.start_time) ?? epoch });
  }
  return out;
}
