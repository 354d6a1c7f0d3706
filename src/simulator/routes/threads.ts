/**
 * v2 threads (alpha, spec threads.yml): `POST /api/v2/threads/query` lists the conversation
 * threads of a project active in a window, most recent first; `GET
 * /api/v2/threads/{thread_id}/traces` lists one thread's turns (root runs) in start order.
 * Runs are selected by the shared run query engine; figures are defined in ../threads.ts.
 * Served under `/api/v2` and `/v2`, errors as problem details, like the v2 runs routes.
 */
import { compileFilter, type FilterExpr } from "../../filter/index.js";
import { fingerprint } from "../cursor.js";
import { parseFilterField } from "../filters.js";
import { isRecord, isUuid, json, parseTimeMicros, problem, type Reply } from "../http.js";
import { queryRuns } from "../query.js";
import { aliased, type RequestContext, type Route } from "../router.js";
import { pageWindow, type Bad } from "./runs-v2.js";
import type { SimProject, SimRun } from "../model.js";
import {
  isThreadTraceSelect,
  rootsByThread,
  summariseThread,
  THREAD_TRACE_SELECTS,
  toThreadTrace,
  type ThreadTraceSelect,
} from "../threads.js";

const PREFIXES = ["/api/v2", "/v2"] as const;
const DAY_US = 24 * 60 * 60 * 1_000_000;
const PAGE_SIZE = { min: 1, max: 100, default: 20 } as const;
const FILTER_DOCS = "Fix the expression; see https://docs.langchain.com/langsmith/trace-query-syntax#filter-query-language.";

export const threadsRoutes: Route[] = [
  ...aliased(PREFIXES, { method: "POST", path: "/threads/query", auth: true, handler: queryThreadsHandler }),
  ...aliased(PREFIXES, { method: "GET", path: "/threads/:thread_id/traces", auth: true, handler: threadTracesHandler }),
];

const absent = (v: unknown): boolean => v === undefined || v === null || v === "";
const startUs = (r: SimRun): number => r.start_time * 1000 + r.start_us;

/** The project named by `project_id`: 400 when absent, 422 when not a UUID (spec), 404 when unknown. */
function projectOf(ctx: RequestContext, raw: unknown, bad: Bad): SimProject {
  if (absent(raw))
    throw bad("project_id is required", "Pass project_id, the tracing project's UUID (list projects with GET /api/v1/sessions).");
  if (!isUuid(raw)) throw problem(422, "project_id must be a UUID", ctx.path, "Pass the tracing project's UUID, not its name.");
  const project = ctx.sim.store.project(raw.toLowerCase());
  if (!project || project.tenant_id !== ctx.tenantId)
    throw problem(404, `tracing project ${raw} not found`, ctx.path, "List projects with GET /api/v1/sessions and use one of their ids.");
  return project;
}

function pageSizeOf(raw: unknown, bad: Bad): number {
  if (absent(raw)) return PAGE_SIZE.default;
  const n = typeof raw === "string" ? Number(raw) : raw;
  if (typeof n !== "number" || !Number.isInteger(n) || n < PAGE_SIZE.min || n > PAGE_SIZE.max) {
    throw bad(
      `page_size must be between ${PAGE_SIZE.min} and ${PAGE_SIZE.max} inclusive`,
      `Pass a page_size from ${PAGE_SIZE.min} to ${PAGE_SIZE.max}, or omit it for ${PAGE_SIZE.default}.`,
    );
  }
  return n;
}

function filterOf(raw: unknown, bad: Bad): FilterExpr | undefined {
  const parsed = parseFilterField("filter", raw);
  if (!parsed.ok) throw bad(parsed.message, FILTER_DOCS);
  return parsed.expr;
}

async function queryThreadsHandler(ctx: RequestContext): Promise<Reply> {
  const bad: Bad = (detail, remedy) => problem(400, detail, ctx.path, remedy);
  const parsed = await ctx.body();
  if (parsed.kind === "too_large") throw problem(413, "request body exceeds 5 MB", ctx.path, "Send a smaller request body.");
  if (parsed.kind === "invalid") throw bad(`request body is not valid JSON: ${parsed.message}`, "Send a JSON object as the request body.");
  const body = parsed.kind === "empty" ? {} : parsed.value;
  if (!isRecord(body)) throw bad("request body must be a JSON object", "Send a JSON object as the request body.");

  const project = projectOf(ctx, body["project_id"], bad);
  const time = (field: "min_start_time" | "max_start_time"): number | undefined => {
    const v = body[field];
    if (absent(v)) return undefined;
    const us = parseTimeMicros(v);
    if (us === undefined) throw bad(`${field} must be an RFC3339 date-time`, `Pass ${field} like 2024-01-15T10:30:00Z.`);
    return us;
  };
  const minGiven = time("min_start_time");
  const maxGiven = time("max_start_time");
  const filter = filterOf(body["filter"], bad);
  const pageSize = pageSizeOf(body["page_size"], bad);
  const print = fingerprint({
    project_id: project.id,
    min_start_time: body["min_start_time"],
    max_start_time: body["max_start_time"],
    filter: body["filter"],
  });

  const { minStart, maxStart, after } = pageWindow(ctx, body["cursor"], "threads", print, bad, {
    ...(maxGiven !== undefined ? { max: maxGiven } : {}),
    defaultMin: (now) => minGiven ?? (maxGiven ?? now) - DAY_US,
  });

  const base = { projectIds: [project.id], minStart, maxStart, isRoot: true, order: "asc" as const, limit: Number.MAX_SAFE_INTEGER };
  const threads = rootsByThread(queryRuns(ctx.sim.store, base).runs);
  // The filter picks threads (any turn in the window matches); the figures stay over all their turns.
  const picked = filter ? new Set(queryRuns(ctx.sim.store, { ...base, filter }).runs.map((r) => r.thread_id)) : undefined;
  const summaries = [...threads]
    .filter(([id]) => !picked || picked.has(id))
    .map(([id, turns]) => summariseThread(id, turns))
    .sort((a, b) => b.lastStartUs - a.lastStartUs || (a.threadId < b.threadId ? 1 : -1))
    .filter((s) => !after || s.lastStartUs < after.startTime || (s.lastStartUs === after.startTime && s.threadId < after.id));
  const page = summaries.slice(0, pageSize);
  const last = page[page.length - 1];
  const hasMore = summaries.length > pageSize;
  return json({
    items: page.map((s) => s.item),
    has_more: hasMore,
    ...(hasMore && last
      ? {
          next_cursor: ctx.sim.cursors.encode({
            api: "threads",
            fingerprint: print,
            order: "desc",
            startTime: last.lastStartUs,
            id: last.threadId,
            min: minStart,
            max: maxStart,
          }),
        }
      : {}),
  });
}

function threadTracesHandler(ctx: RequestContext): Reply {
  const bad: Bad = (detail, remedy) => problem(400, detail, ctx.path, remedy);
  const rawThreadId = ctx.params["thread_id"] ?? "";
  // Thread ids are free strings; the SDKs mint UUIDs, stored lower case like every id.
  const threadId = isUuid(rawThreadId) ? rawThreadId.toLowerCase() : rawThreadId;
  const project = projectOf(ctx, ctx.query.get("project_id"), bad);
  const filter = filterOf(ctx.query.get("filter"), bad);
  const pageSize = pageSizeOf(ctx.query.get("page_size"), bad);
  const selectsRaw = ctx.query.getAll("selects");
  const unknown = selectsRaw.filter((s) => !isThreadTraceSelect(s));
  if (unknown.length > 0)
    throw bad(
      `invalid selects value(s): ${unknown.map((s) => JSON.stringify(s)).join(", ")}`,
      `Use upper-case field names: ${THREAD_TRACE_SELECTS.join(", ")}.`,
    );
  const selects = [...new Set(selectsRaw as ThreadTraceSelect[])];

  const turns = ctx.sim.store.runsOfProject(project.id).filter((r) => r.parent_run_id === null && r.thread_id === threadId);
  if (turns.length === 0) {
    throw problem(
      404,
      `thread ${threadId} not found in project ${project.id}`,
      ctx.path,
      "List the project's threads with POST /api/v2/threads/query and use one of their thread_id values.",
    );
  }
  const predicate = filter ? compileFilter(filter) : undefined;
  const matching = predicate ? turns.filter((r) => predicate(ctx.sim.store.filterable(r))) : turns;

  const print = fingerprint({ thread_id: threadId, project_id: project.id, filter: ctx.query.get("filter") });
  const cursorRaw = ctx.query.get("cursor");
  let rest = matching;
  if (!absent(cursorRaw)) {
    const position = ctx.sim.cursors.decode(cursorRaw as string, "thread_traces", print);
    if (!position)
      throw bad(
        "Invalid cursor",
        "Pass next_cursor from the previous response unchanged, with the same query; or drop cursor to start over.",
      );
    rest = matching.filter((r) => startUs(r) > position.startTime || (startUs(r) === position.startTime && r.id > position.id));
  }
  const page = rest.slice(0, pageSize);
  const last = page[page.length - 1];
  const hasMore = rest.length > pageSize;
  return json({
    items: page.map((r) => toThreadTrace(r, selects)),
    has_more: hasMore,
    ...(hasMore && last
      ? {
          next_cursor: ctx.sim.cursors.encode({
            api: "thread_traces",
            fingerprint: print,
            order: "asc",
            startTime: startUs(last),
            id: last.id,
            min: null,
            max: null,
          }),
        }
      : {}),
  });
}
