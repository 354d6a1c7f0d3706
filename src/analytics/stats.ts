/**
 * Run statistics for a scope (projects, a window, filters), total and per group, from
 * `POST /api/v1/runs/stats`: one request, two in parallel when grouped (LangSmith's grouped
 * answer carries no total).
 */
import { UserInputError } from "../errors.js";
import type { LangSmithClient, RunStatsGroupAttribute, RunStatsRequest, RunTypeV1 } from "../langsmith/index.js";
import { GROUP_ORDERS, STATS_SELECT, toFigures, type Figures, type GroupOrder } from "./figures.js";

/** Which runs: the same arguments query_runs takes. */
export interface StatsScope {
  projectIds: readonly string[];
  start: Date;
  end: Date;
  /** Whether `end` is the current time (no upper bound needs sending). */
  endIsNow: boolean;
  filter?: string;
  traceFilter?: string;
  treeFilter?: string;
  runType?: RunTypeV1;
  isRoot?: boolean;
  hasError?: boolean;
}

export interface GroupRequest {
  attribute: RunStatsGroupAttribute;
  /** The metadata key, for `metadata`. */
  key?: string;
  maxGroups: number;
  orderBy: GroupOrder;
}

export interface StatsResult {
  totals: Figures;
  groups?: Array<{ group: string } & Figures>;
  /** Upstream requests made. */
  requests: number;
}

/**
 * The stats body for a scope. The window's upper bound goes into the filter as
 * `lte(start_time, …)`: LangSmith documents `end_time` loosely (run end or start), while the
 * filter bounds the start exactly as query_runs' `max_start_time` does.
 */
export function statsRequest(scope: StatsScope): RunStatsRequest {
  const upper = scope.endIsNow ? undefined : `lte(start_time, "${scope.end.toISOString()}")`;
  const filter = scope.filter && upper ? `and(${scope.filter}, ${upper})` : (scope.filter ?? upper);
  return {
    session: scope.projectIds,
    start_time: scope.start.toISOString(),
    select: STATS_SELECT,
    ...(filter !== undefined && { filter }),
    ...(scope.traceFilter !== undefined && { trace_filter: scope.traceFilter }),
    ...(scope.treeFilter !== undefined && { tree_filter: scope.treeFilter }),
    ...(scope.runType !== undefined && { run_type: scope.runType }),
    ...(scope.isRoot !== undefined && { is_root: scope.isRoot }),
    ...(scope.hasError !== undefined && { error: scope.hasError }),
  };
}

/**
 * Totals, and groups when asked, ordered by `orderBy` (largest first, then by name).
 * @throws UserInputError for a metadata group without a key.
 */
export async function readStats(
  client: LangSmithClient,
  scope: StatsScope,
  group: GroupRequest | undefined,
  signal?: AbortSignal,
): Promise<StatsResult> {
  const body = statsRequest(scope);
  if (!group) return { totals: toFigures(await client.runStats(body, signal)), requests: 1 };
  if (group.attribute === "metadata" && !group.key) {
    throw new UserInputError(
      "group_key",
      "is required when group_by is metadata.",
      'Give the metadata key to group by, e.g. group_key "user_id".',
    );
  }
  const [totals, grouped] = await Promise.all([
    client.runStats(body, signal),
    client.runStatsByGroup(
      {
        ...body,
        group_by: { attribute: group.attribute, max_groups: group.maxGroups, ...(group.attribute === "metadata" && { path: group.key }) },
      },
      signal,
    ),
  ]);
  const order = GROUP_ORDERS[group.orderBy];
  const groups = Object.entries(grouped)
    .map(([name, stats]) => ({ group: name, ...toFigures(stats) }))
    .sort((a, b) => order(b) - order(a) || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  return { totals: toFigures(totals), groups, requests: 2 };
}
