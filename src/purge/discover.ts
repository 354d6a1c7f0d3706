/**
 * Finding the root traces of a purge, and re-finding them to prove they are gone. Every read
 * is the v2 runs query (contract §3.1) with `is_root`, paged on next_cursor, a few queries in
 * flight at once; the client honours a 429's Retry-After, so a large purge stays within the
 * documented 15-per-10-s limit.
 */
import { apiTimeIso } from "../api-time.js";
import { UserInputError } from "../errors.js";
import { isLangSmithPaginationError, type RunsQueryV2Request, type RunV2 } from "../langsmith/index.js";
import type { PlannedTrace, ProjectRef } from "../ledger/index.js";
import { bounded, chunks, v2Query, type PurgeClient } from "./client.js";
import { PURGE_LIMITS } from "./limits.js";

export interface DiscoveredTrace extends PlannedTrace {
  name: string | null;
}

export interface ProjectWindow extends ProjectRef {
  minStart: string;
  maxStart: string;
}

export interface Discovery {
  /** Grouped by project, in the order of `projects`; oldest first within one. */
  traces: DiscoveredTrace[];
  /** Matching traces per project, every project listed (0 when none matched). */
  counts: Array<ProjectRef & { traces: number }>;
  /** HTTP queries it took. */
  requests: number;
}

const toIso = (value: string | null | undefined): string | null => (value ? apiTimeIso(value) : null);

/** Page cap for `traces` results in pages that may hold only `minPageSize`. */
const pagesFor = (traces: number): number => Math.ceil(traces / PURGE_LIMITS.minPageSize) + 1;

/**
 * Root traces matching a filter (root run) and/or tree filter (any run), each project in its
 * own window, a few projects at a time. Capped at `maxTracesPerPurge` over all projects; the
 * page cap only guards a server that keeps answering short or empty pages.
 */
export async function discoverRoots(
  client: PurgeClient,
  query: { projects: readonly ProjectWindow[]; filter?: string | undefined; treeFilter?: string | undefined; what: string },
  signal: AbortSignal,
  onProject?: (project: ProjectRef, traces: number) => Promise<void>,
): Promise<Discovery> {
  const limit = PURGE_LIMITS.maxTracesPerPurge;
  let total = 0;
  let requests = 0;
  const split =
    "Narrow the criteria (a stricter filter, fewer projects) or split the time window, each part with its own queue_deletion call.";
  const readProject = async (project: ProjectWindow): Promise<DiscoveredTrace[]> => {
    const body: RunsQueryV2Request = {
      project_ids: [project.id],
      min_start_time: project.minStart,
      max_start_time: project.maxStart,
      is_root: true,
      selects: ["ID", "TRACE_ID", "START_TIME", "NAME"],
      sort_order: "ASC",
      page_size: 1000,
      ...(query.filter !== undefined && { filter: query.filter }),
      ...(query.treeFilter !== undefined && { tree_filter: query.treeFilter }),
    };
    const found: DiscoveredTrace[] = [];
    try {
      for await (const page of client.iterateRunPages(body, { maxPages: pagesFor(limit), signal })) {
        requests++;
        for (const run of page.items) {
          found.push({
            trace_id: run.trace_id ?? run.id,
            start_time: toIso(run.start_time) ?? project.minStart,
            project_id: project.id,
            name: run.name ?? null,
          });
        }
        total += page.items.length;
        if (total > limit)
          throw new UserInputError(
            undefined,
            `more than ${limit.toLocaleString("en-US")} traces match; one purge covers at most that many.`,
            split,
          );
      }
    } catch (error) {
      if (!isLangSmithPaginationError(error)) throw error;
      throw new UserInputError(
        undefined,
        `LangSmith answered ${project.name} in pages so short that ${found.length} traces took ${pagesFor(limit)} pages, with more ` +
          `remaining.`,
        split,
      );
    }
    await onProject?.(project, found.length);
    return found;
  };
  const perProject = await v2Query(client, query.what, () =>
    bounded(
      query.projects.map((p) => () => readProject(p)),
      PURGE_LIMITS.queryConcurrency,
    ),
  );
  return {
    traces: perProject.flat(),
    counts: query.projects.map((p, i) => ({ id: p.id, name: p.name, traces: perProject[i]!.length })),
    requests,
  };
}

interface ByIdsQuery {
  projectIds: readonly string[];
  ids: readonly string[];
  /** `ids` already cut into PURGE_LIMITS.idsPerQuery chunks (RecordedIds keeps them, frozen); else cut here. */
  idChunks?: ReadonlyArray<readonly string[]>;
  minStart: string;
  maxStart: string;
  what: string;
}

/**
 * Every visible root run among `ids` in any of `projectIds`, handed to `onRun` as read: ids in
 * chunks of 1000, projects in groups of 100, per v2 query (`ids` + `is_root`, `selects` as
 * given), each query paged on next_cursor, a few in flight. Answers the requests it took.
 */
async function readByIds(
  client: Pick<PurgeClient, "iterateRunPages" | "capabilities">,
  query: ByIdsQuery,
  selects: RunsQueryV2Request["selects"],
  onRun: (run: RunV2, projectIds: readonly string[]) => void,
  signal: AbortSignal,
): Promise<number> {
  let requests = 0;
  const read = async (projectIds: string[], ids: readonly string[]): Promise<void> => {
    const body: RunsQueryV2Request = {
      project_ids: projectIds,
      ids,
      is_root: true,
      min_start_time: query.minStart,
      max_start_time: query.maxStart,
      selects,
      page_size: PURGE_LIMITS.idsPerQuery,
    };
    for await (const page of client.iterateRunPages(body, { maxPages: pagesFor(ids.length), signal })) {
      requests++;
      for (const run of page.items) onRun(run, projectIds);
    }
  };
  const tasks = chunks(query.projectIds, PURGE_LIMITS.projectsPerQuery).flatMap((projects) =>
    (query.idChunks ?? chunks(query.ids, PURGE_LIMITS.idsPerQuery)).map((ids) => () => read(projects, ids)),
  );
  await v2Query(client, query.what, () => bounded(tasks, PURGE_LIMITS.queryConcurrency));
  return requests;
}

/**
 * Which of `ids` are visible as root traces in any of `projectIds`, each with its start time
 * and project (PROJECT_ID selected so each trace names its project) and, `withNames`, its name.
 */
export async function visibleTraces(
  client: Pick<PurgeClient, "iterateRunPages" | "capabilities">,
  query: ByIdsQuery & { withNames?: boolean },
  signal: AbortSignal,
): Promise<{ visible: DiscoveredTrace[]; requests: number }> {
  const visible: DiscoveredTrace[] = [];
  const selects: RunsQueryV2Request["selects"] = query.withNames
    ? ["ID", "START_TIME", "NAME", "PROJECT_ID"]
    : ["ID", "START_TIME", "PROJECT_ID"];
  const requests = await readByIds(
    client,
    query,
    selects,
    (run, projectIds) =>
      visible.push({
        trace_id: run.id,
        start_time: toIso(run.start_time) ?? query.minStart,
        project_id: run.project_id ?? projectIds[0]!,
        name: run.name ?? null,
      }),
    signal,
  );
  return { visible, requests };
}

/**
 * Which of `ids` are still visible as root traces: the same queries as visibleTraces with only
 * ID selected, since proving a deletion needs nothing else (less for LangSmith to send, and
 * for this server to parse, per run). Answered as marks by position in `ids` (`position` maps
 * each id to it, as RecordedIds does): a lookup per run read, without building a set of the
 * visible ids and testing every recorded id against it, which cost a 10,000-id check ~2 ms.
 * A run LangSmith answers that is not in `ids` is ignored. `count` is the positions marked.
 */
export async function visiblePositions(
  client: Pick<PurgeClient, "iterateRunPages" | "capabilities">,
  query: ByIdsQuery & { position: ReadonlyMap<string, number> },
  signal: AbortSignal,
): Promise<{ seen: Uint8Array; count: number; requests: number }> {
  const seen = new Uint8Array(query.ids.length);
  let count = 0;
  const requests = await readByIds(
    client,
    query,
    ["ID"],
    (run) => {
      const at = query.position.get(run.id);
      if (at !== undefined && seen[at] === 0) {
        seen[at] = 1;
        count++;
      }
    },
    signal,
  );
  return { seen, count, requests };
}

/** A window around recorded start times, so a re-query never misses one by rounding. */
export function paddedWindow(starts: readonly string[], now: Date): { minStart: string; maxStart: string } {
  // A loop, not Math.min(...ms): a spread of 100,000 arguments overflows the stack.
  let min = Infinity;
  let max = -Infinity;
  for (const s of starts) {
    const ms = Date.parse(s);
    if (!Number.isFinite(ms)) continue;
    if (ms < min) min = ms;
    if (ms > max) max = ms;
  }
  if (min === Infinity) {
    min = 0;
    max = now.getTime();
  }
  return { minStart: new Date(min - 1000).toISOString(), maxStart: new Date(max + 1000).toISOString() };
}

/**
 * The filter that selects root runs whose metadata has ANY of `pairs`: the same match as
 * LangSmith's metadata delete. `metadata_key` and `metadata_value` in one `and` refer to the
 * same entry (contract §6).
 */
export function metadataFilter(pairs: Readonly<Record<string, string>>): string {
  const one = ([k, v]: [string, string]) => `and(eq(metadata_key, ${JSON.stringify(k)}), eq(metadata_value, ${JSON.stringify(v)}))`;
  const terms = Object.entries(pairs).map(one);
  return terms.length === 1 ? terms[0]! : `or(${terms.join(", ")})`;
}
