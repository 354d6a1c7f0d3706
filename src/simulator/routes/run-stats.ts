/**
 * `POST /api/v1/runs/stats` (spec run.yml, `RunStatsQueryParams` → `RunStats`, or
 * `{<group>: RunStats}` with `group_by`). The body selects runs exactly as `POST
 * /api/v1/runs/query` does (same parser, same query engine: `start_time`/`end_time` bound the
 * run's start, both inclusive); the figures and their definitions are in ../run-stats.ts.
 * Served under `/api/v1` and bare, as the official SDKs call `<api url>/runs/stats`.
 */
import { isRecord, json, v1Error, v1Validation, type Reply, type ValidationIssue } from "../http.js";
import { queryRuns } from "../query.js";
import { aliased, type RequestContext, type Route } from "../router.js";
import {
  computeGroupedRunStats,
  computeRunStats,
  isRunStatsSelect,
  MAX_GROUPS_RANGE,
  RUN_STATS_GROUP_ATTRIBUTES,
  selectedFields,
  type RunStatsGroupAttribute,
  type RunStatsGroupBy,
  type RunStatsSelect,
} from "../run-stats.js";
import { parseV1Query, requireObjectBody, v1RunCriteria } from "./runs-v1.js";
import { V1_PREFIXES } from "./sessions.js";

export const runStatsRoutes: Route[] = [
  ...aliased(V1_PREFIXES, { method: "POST", path: "/runs/stats", auth: true, handler: statsHandler }),
];

const absent = (v: unknown): boolean => v === undefined || v === null;

function parseGroupBy(raw: unknown, issues: ValidationIssue[]): RunStatsGroupBy | undefined {
  if (absent(raw)) return undefined;
  const issue = (field: string, msg: string, type: string): undefined => {
    issues.push({ loc: ["body", "group_by", field], msg, type });
    return undefined;
  };
  if (!isRecord(raw)) {
    issues.push({
      loc: ["body", "group_by"],
      msg: "Input should be a valid dictionary or object to extract fields from",
      type: "model_attributes_type",
    });
    return undefined;
  }
  const attribute = raw["attribute"];
  if (absent(attribute)) return issue("attribute", "Field required", "missing");
  if (typeof attribute !== "string" || !(RUN_STATS_GROUP_ATTRIBUTES as readonly string[]).includes(attribute)) {
    return issue("attribute", `Input should be ${RUN_STATS_GROUP_ATTRIBUTES.map((a) => `'${a}'`).join(", ")}`, "enum");
  }
  const path = raw["path"];
  if (!absent(path) && typeof path !== "string") return issue("path", "Input should be a valid string", "string_type");
  if (attribute === "metadata" && (typeof path !== "string" || path === "")) {
    return issue("path", "path (the metadata key to group by) is required when attribute is 'metadata'", "missing");
  }
  const maxGroups = raw["max_groups"];
  let max: number = MAX_GROUPS_RANGE.default;
  if (maxGroups !== undefined) {
    if (typeof maxGroups !== "number" || !Number.isInteger(maxGroups))
      return issue("max_groups", "Input should be a valid integer", "int_type");
    if (maxGroups < MAX_GROUPS_RANGE.min)
      return issue("max_groups", `Input should be greater than or equal to ${MAX_GROUPS_RANGE.min}`, "greater_than_equal");
    if (maxGroups > MAX_GROUPS_RANGE.max)
      return issue("max_groups", `Input should be less than or equal to ${MAX_GROUPS_RANGE.max}`, "less_than_equal");
    max = maxGroups;
  }
  return { attribute: attribute as RunStatsGroupAttribute, path: typeof path === "string" ? path : null, maxGroups: max };
}

async function statsHandler(ctx: RequestContext): Promise<Reply> {
  const body = requireObjectBody(await ctx.body());
  // `select` names stats here, not run fields, and stats have no paging: the rest is the runs query body.
  const { select, group_by: groupByRaw, groups: groupsRaw, limit: _limit, cursor: _cursor, order: _order, ...runFilter } = body;
  const q = parseV1Query(runFilter);
  const issues = [...q.issues];

  let fields: RunStatsSelect[] | undefined;
  if (!absent(select)) {
    if (!Array.isArray(select)) issues.push({ loc: ["body", "select"], msg: "Input should be a valid list", type: "list_type" });
    else {
      select.forEach((s, i) => {
        if (!isRunStatsSelect(s))
          issues.push({
            loc: ["body", "select", i],
            msg: `Input should be a RunStatsSelect value; got ${JSON.stringify(s)}`,
            type: "enum",
          });
      });
      fields = select.filter(isRunStatsSelect);
    }
  }
  const groupBy = parseGroupBy(groupByRaw, issues);
  let groups: string[] | undefined;
  if (!absent(groupsRaw)) {
    if (!Array.isArray(groupsRaw) || !groupsRaw.every((g) => g === null || typeof g === "string")) {
      issues.push({ loc: ["body", "groups"], msg: "Input should be a valid list of strings", type: "list_type" });
    } else groups = groupsRaw.filter((g): g is string => g !== null);
  }
  if (issues.length > 0) throw v1Validation(...issues);
  const firstFilterError = q.filterErrors[0];
  if (firstFilterError) throw v1Error(400, firstFilterError.message);
  if (groups && !groupBy) throw v1Error(400, "groups requires group_by");

  const { runs } = queryRuns(ctx.sim.store, {
    ...v1RunCriteria(ctx, q),
    order: "asc",
    limit: Number.MAX_SAFE_INTEGER,
  });
  const chosen = selectedFields(fields);
  return json(groupBy ? computeGroupedRunStats(runs, groupBy, chosen, groups) : computeRunStats(runs, chosen));
}
