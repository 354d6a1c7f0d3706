/**
 * Reading runs whatever the deployment: through the v2 API where it exists (cloud, self-hosted
 * 0.16+), through v1 on older installs, with the same v2-shaped result either way.
 *
 * Deprecation risk, precisely: the official SDK (langsmith npm 0.12, lib/client.js) marks both
 * `readRun()` (`GET /api/v1/runs/{id}`) and `listRuns()` (`POST /api/v1/runs/query`) "deprecated
 * and will be removed after Jan 31, 2027", pointing to `client.runs.retrieve()`/`runs.query()`
 * (v2). v2 has no lookup by run id alone: `GET /api/v2/runs/{id}` and `POST /api/v2/runs/query`
 * both need the project. So where the project is unknown (get_run by id alone, get_trace) the run
 * is still located by a v1 query on its id (`locate` below), one request; the v2 alternative is
 * `POST /api/v2/runs/query {ids, project_ids}` over every project of the workspace (listed from
 * `GET /api/v1/sessions`, in chunks, within a start-time window), which costs a request per chunk
 * plus the listing on every lookup. Before LangSmith removes the v1 query, `locate` must switch
 * to that.
 */
import { ConfigurationError } from "../errors.js";
import { apiTimeMs, apiTimestamp, exactApiTime } from "../api-time.js";
import type { LangSmithClient } from "./client.js";
import { isRouteNotFound, needsV2Message, type RunsApiSupport, type V2Family } from "./capabilities.js";
import { isLangSmithApiError } from "./errors.js";
import { runV1ToV2, v1QueryFor, v1Select } from "./runs-v1-compat.js";
import type { RunSelectField, RunsQueryV2Request, RunV1, RunV2 } from "./schemas.js";

export interface RunsPage {
  items: RunV2[];
  /** LangSmith's cursor for the next page; undefined on the last. */
  nextCursor: string | undefined;
  api: "v2" | "v1";
  notes: string[];
}

/** v1 pages hold at most 100 runs (spec `limit` maximum). */
const V1_MAX_LIMIT = 100;
/** Pages of a trace read before giving up (20,000 runs through v1, more through v2). */
const V1_MAX_TRACE_PAGES = 200;

const unavailableNote = (fields: readonly string[], support: RunsApiSupport): string =>
  `${fields.map((f) => f.toLowerCase()).join(", ")} ${fields.length === 1 ? "is" : "are"} not available: ` +
  `${needsV2Message("reading it", support).replace(/^reading it needs/, "it needs")}`;

/** Runs through v2 unless the deployment is known not to have it; a route-not-found answer switches to v1 for good. */
async function viaV2<T>(
  client: LangSmithClient,
  v2: () => Promise<T>,
  v1: (support: RunsApiSupport) => Promise<T>,
  family: V2Family = "runs",
): Promise<T> {
  const support = await client.capabilities.runsApi(family);
  if (!support.v2) return v1(support);
  try {
    return await v2();
  } catch (error) {
    if (!isRouteNotFound(error)) throw error;
    return v1(await client.capabilities.runsApi(family));
  }
}

/** One page of a runs query (`query.cursor`, `query.page_size` included). */
export async function queryRunsPage(client: LangSmithClient, query: RunsQueryV2Request, signal?: AbortSignal): Promise<RunsPage> {
  return viaV2<RunsPage>(
    client,
    async () => {
      const page = await client.queryRuns(query, signal);
      const notes = page.sortOrderDropped ? ["This LangSmith refused sort_order, so the query was sent without it (newest first)."] : [];
      return { items: page.items, nextCursor: page.next_cursor ?? undefined, api: "v2", notes };
    },
    async (support) => {
      const { body, unsupported } = v1QueryFor(query);
      if (unsupported.length) throw new ConfigurationError(needsV2Message(`Querying runs by ${unsupported.join(" and ")}`, support));
      const selects = query.selects ?? ["ID"];
      const page = await client.queryRunsV1(
        {
          ...body,
          limit: Math.min(V1_MAX_LIMIT, query.page_size ?? V1_MAX_LIMIT),
          ...(query.cursor !== undefined && { cursor: query.cursor }),
        },
        signal,
      );
      const { unavailable } = v1Select(selects);
      return {
        items: page.runs.map((run) => runV1ToV2(run, selects)),
        nextCursor: page.cursors.next ?? undefined,
        api: "v1",
        notes: unavailable.length ? [unavailableNote(unavailable, support)] : [],
      };
    },
  );
}

/** Finds a run by id with a v1 query (deprecated, see the file comment); `GET /api/v1/runs/{id}` only if that finds nothing. */
async function locate(
  client: LangSmithClient,
  runId: string,
  select: readonly string[],
  projectId: string | undefined,
  signal?: AbortSignal,
): Promise<RunV1> {
  const page = await client.queryRunsV1({ id: [runId], select, limit: 1, ...(projectId && { session: [projectId] }) }, signal);
  if (page.runs[0]) return page.runs[0];
  try {
    return await client.getRunV1(runId, signal);
  } catch (error) {
    // Once the v1 route is gone (announced for 2027), its absence just means "not found by id".
    if (isRouteNotFound(error)) throw notFound(runId);
    throw error;
  }
}

const LOCATE_SELECT = ["id", "session_id", "start_time", "end_time", "trace_id", "parent_run_id"] as const;

export interface ReadRun {
  run: RunV2;
  projectId: string;
  notes: string[];
}

/**
 * One run. `projectId` (and `startTime`, matched exactly) are used when known; without a project
 * the run is located first. On installs without v2 the run comes from v1, shaped as v2.
 */
export async function readRun(
  client: LangSmithClient,
  runId: string,
  params: { projectId?: string | undefined; startTime?: string | undefined; selects: readonly RunSelectField[] },
  signal?: AbortSignal,
): Promise<ReadRun> {
  // Agents copy times from text: a space for `T`, `+0000`, seconds only. Sent in RFC 3339.
  const givenStart = params.startTime === undefined ? undefined : (apiTimestamp(params.startTime) ?? params.startTime);
  return viaV2(
    client,
    async () => {
      if (params.projectId) {
        const projectId = params.projectId;
        const read = (startTime: string | undefined) => client.getRun(runId, { projectId, startTime, selects: params.selects }, signal);
        if (givenStart === undefined) return { run: await read(undefined), projectId, notes: [] };
        try {
          return { run: await read(givenStart), projectId, notes: [] };
        } catch (error) {
          // v2 matches start_time to the microsecond; a time cut to seconds misses a run that exists.
          if (!isRunNotFound(error)) throw error;
          return {
            run: await read(undefined),
            projectId,
            notes: [`start_time ${params.startTime} is not the run's exact start time; it was found without it.`],
          };
        }
      }
      const found = await locate(client, runId, LOCATE_SELECT, undefined, signal);
      if (!found.session_id) throw notFound(runId);
      const startTime = found.start_time ? exactApiTime(found.start_time) : undefined;
      try {
        const run = await client.getRun(runId, { projectId: found.session_id, startTime, selects: params.selects }, signal);
        return { run, projectId: found.session_id, notes: [] };
      } catch (error) {
        // The located start time is v1's; if v2 does not match it exactly, ask without it.
        if (!(startTime && isLangSmithApiError(error) && error.status === 404 && !isRouteNotFound(error))) throw error;
        const run = await client.getRun(runId, { projectId: found.session_id, selects: params.selects }, signal);
        return { run, projectId: found.session_id, notes: [] };
      }
    },
    async (support) => {
      if (params.selects.includes("SHARE_URL")) throw new ConfigurationError(needsV2Message("A run's share URL", support));
      const { select, unavailable } = v1Select(params.selects);
      const found = await locate(client, runId, [...new Set([...select, "session_id"])], params.projectId, signal);
      if (!found.session_id) throw notFound(runId);
      return {
        run: runV1ToV2(found, params.selects),
        projectId: found.session_id,
        notes: unavailable.length ? [unavailableNote(unavailable, support)] : [],
      };
    },
  );
}

export interface TraceReader {
  traceId: string;
  projectId: string;
  /** The root run's id (= traceId). */
  rootId: string;
  /** The start-time window the trace is read in (the root's span with a margin for clock skew), RFC 3339. */
  window: { minStartTime: string; maxStartTime: string };
  /** Notes about the whole trace (the root still running, fields this install cannot give). */
  notes: string[];
  /** True once every run of the trace has been returned by `next`. */
  readonly done: boolean;
  /**
   * The next runs of the trace, oldest start first, at most `count` (fewer at a page's end);
   * [] once `done`. A run's parent starts before it, so what has been read is always a tree
   * from the root down: the trace as it stood up to the last start time read.
   */
  next(count: number): Promise<RunV2[]>;
}

/** v2 pages hold at most this many runs (contract §3.1). */
const V2_MAX_PAGE_SIZE = 1000;

/**
 * Opens the trace that `id` (a trace id or any run id) belongs to, to be read in start-time
 * order a page at a time, so a caller reads only as many runs as it can show: v2
 * `POST /api/v2/runs/query {trace_id, sort_order: ASC}` with its cursor, or v1 queries on
 * `trace` ordered `asc`. A LangSmith that refuses `sort_order` cannot give the oldest runs first:
 * the trace is then read whole (`GET /api/v2/traces/{trace_id}/runs`), as one page.
 */
export async function openTrace(
  client: LangSmithClient,
  id: string,
  params: { selects: readonly RunSelectField[]; now: Date },
  signal?: AbortSignal,
): Promise<TraceReader> {
  const given = await locate(client, id, LOCATE_SELECT, undefined, signal);
  const traceId = given.trace_id ?? given.id;
  const root = traceId === given.id ? given : await locate(client, traceId, LOCATE_SELECT, given.session_id ?? undefined, signal);
  const projectId = root.session_id ?? given.session_id;
  if (!projectId || !root.start_time) throw notFound(id);
  // The trace listing needs a start-time window. A child's start is stamped by the process that
  // ran it: on another host its clock may lag the root's (it "starts" before the root), and a
  // background child may start after the root ended. The margin covers such skew; a run outside
  // it shows as an orphan (orphanNote) and the result is marked incomplete.
  const rootStart = apiTimeMs(root.start_time);
  const rootEnd = root.end_time ? apiTimeMs(root.end_time) : params.now.getTime();
  const minStartTime = new Date(rootStart - TRACE_WINDOW_MARGIN_MS).toISOString();
  const maxStartTime = new Date(Math.max(rootEnd, rootStart) + TRACE_WINDOW_MARGIN_MS).toISOString();
  const notes = root.end_time ? [] : ["The root run has not finished: runs may still be added to this trace."];
  const support = await client.capabilities.runsApi("runs");

  let cursor: string | undefined;
  let done = false;
  let pages = 0;
  /** Runs read whole (the fallback) and not yet handed out. */
  let buffered: RunV2[] | undefined;
  let api: "v2" | "v1" = support.v2 ? "v2" : "v1";

  const v1Page = async (count: number): Promise<RunV2[]> => {
    const { select, unavailable } = v1Select(params.selects);
    if (pages === 0 && unavailable.length) notes.push(unavailableNote(unavailable, await client.capabilities.runsApi("runs")));
    const page = await client.queryRunsV1(
      {
        trace: traceId,
        session: [projectId],
        start_time: minStartTime,
        select,
        order: "asc",
        limit: Math.min(V1_MAX_LIMIT, count),
        ...(cursor && { cursor }),
      },
      signal,
    );
    const next = page.cursors.next ?? undefined;
    // A cursor handed back again would loop: stop there, as iterateCursorPages does.
    if (!next || next === cursor || ++pages >= V1_MAX_TRACE_PAGES) done = true;
    cursor = next;
    return page.runs.map((run) => runV1ToV2(run, params.selects));
  };

  const v2Page = async (count: number): Promise<RunV2[]> => {
    const page = await client.queryRuns(
      {
        project_ids: [projectId],
        trace_id: traceId,
        min_start_time: minStartTime,
        max_start_time: maxStartTime,
        selects: [...params.selects],
        sort_order: "ASC",
        page_size: Math.min(V2_MAX_PAGE_SIZE, count),
        ...(cursor && { cursor }),
      },
      signal,
    );
    if (page.sortOrderDropped) {
      // Newest first is no prefix of the tree: read the trace whole instead.
      const whole = await client.listTraceRuns(traceId, { projectId, minStartTime, maxStartTime, selects: params.selects }, signal);
      buffered = [...whole.items].sort((a, b) => startMsOf(a) - startMsOf(b));
      return takeBuffered(count);
    }
    const next = page.next_cursor ?? undefined;
    if (!next || next === cursor || ++pages >= V1_MAX_TRACE_PAGES) done = true;
    cursor = next;
    return page.items;
  };

  const takeBuffered = (count: number): RunV2[] => {
    const out = buffered!.splice(0, count);
    if (buffered!.length === 0) done = true;
    return out;
  };

  return {
    traceId,
    projectId,
    rootId: root.id,
    window: { minStartTime, maxStartTime },
    notes,
    get done() {
      return done;
    },
    async next(count) {
      if (done) return [];
      if (buffered) return takeBuffered(count);
      if (api === "v1") return v1Page(count);
      try {
        return await v2Page(count);
      } catch (error) {
        if (pages > 0 || !isRouteNotFound(error)) throw error;
        api = "v1";
        return v1Page(count);
      }
    },
  };
}

/** A run's start in epoch ms; a run without one sorts last. */
const startMsOf = (run: RunV2): number => (run.start_time ? apiTimeMs(run.start_time) : Number.POSITIVE_INFINITY);

/** How far outside the root's span a run of its trace may start (clock skew between tracing hosts). */
export const TRACE_WINDOW_MARGIN_MS = 15 * 60_000;

/**
 * A run whose parent is not among the runs read means runs are missing (started outside the
 * window, or deleted): said in a note, which also marks the read incomplete.
 */
export function orphanNote(runs: readonly RunV2[], rootId: string, selects: readonly RunSelectField[]): string[] {
  if (!selects.includes("PARENT_RUN_IDS")) return [];
  const ids = new Set(runs.map((r) => r.id));
  const orphans = runs.filter((r) => {
    const parent = r.parent_run_ids?.at(-1);
    return r.id !== rootId && parent !== undefined && !ids.has(parent);
  });
  if (!ids.has(rootId)) orphans.push({ id: rootId });
  if (orphans.length === 0) return [];
  return [
    `Runs may be missing: ${orphans.length} run(s) have a parent that was not returned (read with start times within ` +
      `${TRACE_WINDOW_MARGIN_MS / 60_000} minutes of the root's span). ` +
      "query_runs with trace_id and a wider start_time/end_time lists them.",
  ];
}

/** LangSmith's answer held no run (or no project for it): tools word it like a 404. */
export class RunNotFoundError extends Error {
  override readonly name = "RunNotFoundError";
  constructor(readonly runId: string) {
    super(`run ${runId} not found`);
  }
}

const notFound = (id: string): RunNotFoundError => new RunNotFoundError(id);

/** A run that is not there, whichever API said so. */
export const isRunNotFound = (error: unknown): boolean =>
  error instanceof RunNotFoundError || (isLangSmithApiError(error) && error.status === 404 && !isRouteNotFound(error));
