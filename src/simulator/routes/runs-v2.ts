/**
 * v2 runs (alpha), contract §3.1–§3.2, seeds 002 and 004, and the runs of one trace
 * (`GET /v2/traces/{trace_id}/runs`, spec runs.yml). Served under both `/api/v2` (what the
 * Go SDK calls) and `/v2` (what the OpenAPI file writes). Errors are RFC 7807 problem
 * details with a `remedy`. Times are exact to the microsecond.
 */
import { aiQueryToFilter } from "../ai-query.js";
import { fingerprint } from "../cursor.js";
import { FILTER_FIELDS, parseFilterField } from "../filters.js";
import { type HttpError, isRecord, isUuid, json, parseTimeMicros, problem, type Reply } from "../http.js";
import { startMicros, type RunType } from "../model.js";
import { queryRuns } from "../query.js";
import { aliased, type RequestContext, type Route } from "../router.js";
import { isV2Select, toV2, V2_SELECTS, type V2Select } from "../views.js";

const PREFIXES = ["/api/v2", "/v2"] as const;
const DAY_US = 24 * 60 * 60 * 1_000_000;

/** Seed 002 `run_type` enum. */
const V2_RUN_TYPES: Readonly<Record<string, RunType>> = {
  TOOL: "tool",
  CHAIN: "chain",
  LLM: "llm",
  RETRIEVER: "retriever",
  EMBEDDING: "embedding",
  PROMPT: "prompt",
  PARSER: "parser",
};

export const runsV2Routes: Route[] = [
  ...aliased(PREFIXES, { method: "POST", path: "/runs/query", auth: true, rateClass: "runs_query", handler: queryHandler }),
  ...aliased(PREFIXES, { method: "GET", path: "/runs/:run_id", auth: true, rateClass: "run_read", handler: getRunHandler }),
  ...aliased(PREFIXES, { method: "GET", path: "/traces/:trace_id/runs", auth: true, handler: traceRunsHandler }),
];

export type Bad = (detail: string, remedy: string) => HttpError;

/**
 * The window (µs since the epoch) and position of a v2 page: from `cursor` when one is given
 * (it pins the window of the query it was made for; one not ours, or made for another query
 * `print`, is a 400), else up to `max` (default now) from `defaultMin(now)`. An inverted window
 * is a 400. Shared by runs/query and threads/query, which page alike.
 */
export function pageWindow(
  ctx: RequestContext,
  cursor: unknown,
  api: "v2" | "threads",
  print: string,
  bad: Bad,
  bounds: { max?: number; defaultMin: (nowUs: number) => number },
): { minStart: number; maxStart: number; after?: { startTime: number; id: string } } {
  let window: { minStart: number; maxStart: number; after?: { startTime: number; id: string } };
  if (cursor !== undefined && cursor !== null && cursor !== "") {
    const position = typeof cursor === "string" ? ctx.sim.cursors.decode(cursor, api, print) : undefined;
    if (!position)
      throw bad(
        "Invalid cursor",
        "Pass next_cursor from the previous response unchanged, with the same query; or drop cursor to start over.",
      );
    window = { minStart: position.min ?? 0, maxStart: position.max ?? 0, after: { startTime: position.startTime, id: position.id } };
  } else {
    const now = ctx.sim.clock.now() * 1000;
    const maxStart = bounds.max ?? now;
    window = { minStart: bounds.defaultMin(now), maxStart };
  }
  if (window.minStart > window.maxStart)
    throw bad("min_start_time must not be after max_start_time", "Swap the bounds or widen the window.");
  return window;
}

const badRequestFor =
  (ctx: RequestContext): Bad =>
  (detail, remedy) =>
    problem(400, detail, ctx.path, remedy);

async function queryHandler(ctx: RequestContext): Promise<Reply> {
  const bad = badRequestFor(ctx);
  const parsed = await ctx.body();
  if (parsed.kind === "too_large") throw problem(413, "request body exceeds 5 MB", ctx.path, "Send a smaller request body.");
  if (parsed.kind === "invalid") throw bad(`request body is not valid JSON: ${parsed.message}`, "Send a JSON object as the request body.");
  const body = parsed.kind === "empty" ? {} : parsed.value;
  if (!isRecord(body)) throw bad("request body must be a JSON object", "Send a JSON object as the request body.");

  const projectIds = optionalUuidList(body, "project_ids", bad);
  const datasetId = body["reference_dataset_id"];
  const hasProjects = projectIds !== undefined && projectIds.length > 0;
  const hasDataset = datasetId !== undefined && datasetId !== null;
  if (hasProjects === hasDataset) {
    throw bad(
      "exactly one of project_ids or reference_dataset_id must be set",
      "Pass project_ids (a list of tracing project UUIDs) or reference_dataset_id, not both and not neither.",
    );
  }
  if (hasDataset && !isUuid(datasetId)) throw bad("reference_dataset_id must be a UUID", "Pass the dataset's UUID.");

  const { store } = ctx.sim;
  let projects;
  if (hasProjects) {
    projects = (projectIds ?? []).map((id) => {
      const p = store.project(id);
      if (!p || p.tenant_id !== ctx.tenantId)
        throw problem(
          404,
          `tracing project ${id} not found`,
          ctx.path,
          "List projects with GET /api/v1/sessions and use one of their ids.",
        );
      return p;
    });
  } else {
    projects = store.projectsOfTenant(ctx.tenantId).filter((p) => p.reference_dataset_id === datasetId);
  }

  const minRaw = body["min_start_time"];
  const maxRaw = body["max_start_time"];
  const minGiven = optionalTime(minRaw, "min_start_time", bad);
  const maxGiven = optionalTime(maxRaw, "max_start_time", bad);

  const filters = FILTER_FIELDS.map((field) => {
    const result = parseFilterField(field, body[field]);
    if (!result.ok)
      throw bad(result.message, "Fix the expression; see https://docs.langchain.com/langsmith/trace-query-syntax#filter-query-language.");
    return result.expr;
  });
  let [filter] = filters;
  const [, traceFilter, treeFilter] = filters;

  const aiQuery = body["ai_query"];
  if (aiQuery !== undefined && aiQuery !== null && aiQuery !== "") {
    if (typeof aiQuery !== "string") throw bad("ai_query must be a string", "Pass a natural-language query string, or use filter.");
    if (!ctx.sim.config.aiQuery) {
      throw bad(
        "ai_query is not enabled for this workspace",
        'Use `filter` with a filter expression instead, e.g. and(eq(run_type, "llm"), gt(latency, 5)).',
      );
    }
    const translated = parseFilterField("filter", aiQueryToFilter(aiQuery));
    if (translated.ok && translated.expr) filter = filter ? { type: "call", op: "and", args: [filter, translated.expr] } : translated.expr;
  }

  const hasError = optionalBool(body, "has_error", bad);
  const isRootFlag = optionalBool(body, "is_root", bad);
  const ids = optionalUuidList(body, "ids", bad);
  const referenceExamples = optionalUuidList(body, "reference_examples", bad);
  const traceId = body["trace_id"];
  if (traceId !== undefined && traceId !== null && !isUuid(traceId))
    throw bad("trace_id must be a UUID", "Pass the trace's root run UUID.");

  const runTypeRaw = body["run_type"];
  let runType: RunType | undefined;
  if (runTypeRaw !== undefined && runTypeRaw !== null) {
    runType = typeof runTypeRaw === "string" ? V2_RUN_TYPES[runTypeRaw] : undefined;
    if (!runType)
      throw bad(`invalid run_type ${JSON.stringify(runTypeRaw)}`, `Use one of ${Object.keys(V2_RUN_TYPES).join(", ")} (upper case).`);
  }

  const selects = parseSelects(body["selects"], bad);

  const sortRaw = body["sort_order"];
  if (sortRaw !== undefined && sortRaw !== null && sortRaw !== "ASC" && sortRaw !== "DESC") {
    throw bad(`invalid sort_order ${JSON.stringify(sortRaw)}`, "Use ASC or DESC.");
  }
  const order = sortRaw === "ASC" ? "asc" : "desc";

  const pageSizeRaw = body["page_size"];
  let pageSize = 100;
  if (pageSizeRaw !== undefined && pageSizeRaw !== null) {
    if (typeof pageSizeRaw !== "number" || !Number.isInteger(pageSizeRaw) || pageSizeRaw < 1 || pageSizeRaw > 1000) {
      throw bad("page_size must be between 1 and 1000 inclusive", "Pass a page_size from 1 to 1000, or omit it for 100.");
    }
    pageSize = pageSizeRaw;
  }

  const print = fingerprint({
    project_ids: hasProjects ? projectIds : undefined,
    reference_dataset_id: hasDataset ? datasetId : undefined,
    min_start_time: minRaw,
    max_start_time: maxRaw,
    filter: body["filter"],
    trace_filter: body["trace_filter"],
    tree_filter: body["tree_filter"],
    ai_query: aiQuery,
    has_error: hasError,
    ids,
    is_root: isRootFlag,
    reference_examples: referenceExamples,
    run_type: runTypeRaw,
    trace_id: traceId,
    sort_order: order,
  });

  const { minStart, maxStart, after } = pageWindow(ctx, body["cursor"], "v2", print, bad, {
    ...(maxGiven !== undefined ? { max: maxGiven } : {}),
    defaultMin: (now) =>
      minGiven ?? (hasDataset && projects.length > 0 ? Math.min(...projects.map((p) => p.start_time)) * 1000 : now - DAY_US),
  });

  const page = queryRuns(store, {
    projectIds: projects.map((p) => p.id),
    minStart,
    maxStart,
    ...(ids ? { ids: new Set(ids) } : {}),
    ...(typeof traceId === "string" ? { traceId } : {}),
    ...(isRootFlag !== undefined ? { isRoot: isRootFlag } : {}),
    ...(hasError !== undefined ? { hasError } : {}),
    ...(runType ? { runType } : {}),
    ...(referenceExamples ? { referenceExamples: new Set(referenceExamples) } : {}),
    ...(filter ? { filter } : {}),
    ...(traceFilter ? { traceFilter } : {}),
    ...(treeFilter ? { treeFilter } : {}),
    order,
    ...(after ? { after } : {}),
    limit: pageSize,
  });

  const items = page.runs.map((r) => toV2(r, selects));
  const last = page.runs[page.runs.length - 1];
  // `has_more` is optional in the spec and the official SDKs page on next_cursor alone.
  const response: Record<string, unknown> = { items, ...(ctx.sim.config.v2HasMore === "always" ? { has_more: page.hasMore } : {}) };
  if (page.hasMore && last) {
    response["next_cursor"] = ctx.sim.cursors.encode({
      api: "v2",
      fingerprint: print,
      order,
      startTime: startMicros(last),
      id: last.id,
      min: minStart,
      max: maxStart,
    });
  }
  return json(response);
}

/** The required `?project_id=` of the v2 run and trace reads (400 when absent or not a UUID). */
function projectIdParam(ctx: RequestContext, bad: Bad, owner: "run" | "trace"): string {
  const projectId = ctx.query.get("project_id");
  if (projectId === null || projectId === "")
    throw bad("project_id is required", `Pass ?project_id=<the ${owner}'s tracing project UUID>.`);
  if (!isUuid(projectId)) throw bad("project_id must be a UUID", "Pass the tracing project's UUID.");
  return projectId;
}

function getRunHandler(ctx: RequestContext): Reply {
  const bad = badRequestFor(ctx);
  const runId = ctx.params["run_id"] ?? "";
  if (!isUuid(runId)) throw bad("run_id must be a UUID", "Pass the run's UUID in the path.");
  const projectId = projectIdParam(ctx, bad, "run");
  // Optional (official SDK 0.12 `retrieveV2`); when given it narrows an exact-match lookup,
  // so a start_time cut to milliseconds finds nothing.
  const startRaw = ctx.query.get("start_time");
  let startTime: number | undefined;
  if (startRaw !== null && startRaw !== "") {
    startTime = parseTimeMicros(startRaw);
    if (startTime === undefined)
      throw bad(
        "start_time must be an RFC3339 date-time",
        "Pass the run's start_time exactly as returned, e.g. 2024-01-15T10:30:00.123456Z, or omit it.",
      );
  }
  const selects = parseSelects(ctx.query.getAll("selects"), bad);

  const run = ctx.sim.store.run(runId.toLowerCase());
  if (
    !run ||
    run.tenant_id !== ctx.tenantId ||
    run.project_id !== projectId.toLowerCase() ||
    (startTime !== undefined && startMicros(run) !== startTime)
  ) {
    throw problem(
      404,
      `run ${runId} not found`,
      ctx.path,
      "Check run_id, project_id and start_time: each must match the run as returned by POST /api/v2/runs/query (start_time to the " +
        "microsecond, or omit it).",
    );
  }
  return json(toV2(run, selects));
}

/**
 * `GET /v2/traces/{trace_id}/runs` (spec runs.yml): the runs of one trace whose start lies
 * in [min_start_time, max_start_time], in start order, optionally filtered; `selects`
 * (repeatable) as for the v2 query. project_id and both bounds are required.
 */
function traceRunsHandler(ctx: RequestContext): Reply {
  const bad = badRequestFor(ctx);
  const traceId = ctx.params["trace_id"] ?? "";
  if (!isUuid(traceId)) throw bad("trace_id must be a UUID", "Pass the trace's root run UUID in the path.");
  const projectId = projectIdParam(ctx, bad, "trace");
  const bound = (field: "min_start_time" | "max_start_time"): number => {
    const raw = ctx.query.get(field);
    if (raw === null || raw === "")
      throw bad(`${field} is required`, "Pass min_start_time and max_start_time (RFC3339) around the trace's runs.");
    const us = parseTimeMicros(raw);
    if (us === undefined) throw bad(`${field} must be an RFC3339 date-time`, `Pass ${field} like 2024-01-15T10:30:00Z.`);
    return us;
  };
  const minStart = bound("min_start_time");
  const maxStart = bound("max_start_time");
  if (minStart > maxStart) throw bad("min_start_time must not be after max_start_time", "Swap the bounds or widen the window.");
  const parsedFilter = parseFilterField("filter", ctx.query.get("filter"));
  if (!parsedFilter.ok)
    throw bad(
      parsedFilter.message,
      "Fix the expression; see https://docs.langchain.com/langsmith/trace-query-syntax#filter-query-language.",
    );
  const selects = parseSelects(ctx.query.getAll("selects"), bad);

  const { store } = ctx.sim;
  const project = store.project(projectId.toLowerCase());
  if (!project || project.tenant_id !== ctx.tenantId)
    throw problem(
      404,
      `tracing project ${projectId} not found`,
      ctx.path,
      "List projects with GET /api/v1/sessions and use one of their ids.",
    );
  const runs = store.runsOfTrace(traceId.toLowerCase()).filter((r) => r.project_id === project.id);
  if (runs.length === 0)
    throw problem(404, `trace ${traceId} not found`, ctx.path, "Check trace_id and project_id: the trace id is its root run's id.");
  const page = queryRuns(store, {
    projectIds: [project.id],
    minStart,
    maxStart,
    traceId: traceId.toLowerCase(),
    ...(parsedFilter.expr ? { filter: parsedFilter.expr } : {}),
    order: "asc",
    limit: runs.length,
  });
  return json({ items: page.runs.map((r) => toV2(r, selects)) });
}

function parseSelects(raw: unknown, bad: Bad): V2Select[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw bad("selects must be a list", 'Pass a list of field names such as ["NAME", "STATUS"].');
  const unknown = raw.filter((s) => !isV2Select(s));
  if (unknown.length > 0) {
    throw bad(
      `invalid selects value(s): ${unknown.map((s) => JSON.stringify(s)).join(", ")}`,
      `Use upper-case field names: ${V2_SELECTS.join(", ")}.`,
    );
  }
  return [...new Set(raw as V2Select[])];
}

function optionalUuidList(body: Record<string, unknown>, field: string, bad: Bad): string[] | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every(isUuid))
    throw bad(`${field} must be a list of UUIDs`, `Pass ${field} as a JSON array of UUID strings.`);
  return v.map((s) => s.toLowerCase());
}

function optionalBool(body: Record<string, unknown>, field: string, bad: Bad): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw bad(`${field} must be a boolean`, `Pass true or false for ${field}.`);
  return v;
}

function optionalTime(v: unknown, field: string, bad: Bad): number | undefined {
  if (v === undefined || v === null) return undefined;
  const ms = parseTimeMicros(v);
  if (ms === undefined) throw bad(`${field} must be an RFC3339 date-time`, `Pass ${field} like 2024-01-15T10:30:00Z.`);
  return ms;
}
