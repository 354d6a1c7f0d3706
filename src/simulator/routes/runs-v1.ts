/**
 * v1 runs, contract §3.3: what the official SDKs call (`listRuns`, `readRun`). Served under
 * `/api/v1` and without the prefix, as the SDKs do with a bare API URL. Errors are FastAPI's:
 * `{"detail": "..."}`, and 422 lists for body validation.
 */
import { fingerprint } from "../cursor.js";
import { FILTER_FIELDS, parseFilterField } from "../filters.js";
import type { FilterExpr } from "../../filter/index.js";
import {
  isRecord,
  isUuid,
  json,
  parseTimeMicros,
  v1Error,
  v1Validation,
  type BodyResult,
  type Reply,
  type ValidationIssue,
} from "../http.js";
import { startMicros, type RunType } from "../model.js";
import { queryRuns, type RunQuery } from "../query.js";
import { aliased, type RequestContext, type Route } from "../router.js";
import { isV1Select, toV1, type V1Select } from "../views.js";
import { V1_PREFIXES } from "./sessions.js";

const RUN_TYPES: readonly RunType[] = ["tool", "chain", "llm", "retriever", "embedding", "prompt", "parser"];

export const runsV1Routes: Route[] = [
  ...aliased(V1_PREFIXES, { method: "POST", path: "/runs/query", auth: true, rateClass: "runs_query", handler: queryHandler }),
  ...aliased(V1_PREFIXES, { method: "POST", path: "/runs/query/validate", auth: true, handler: validateHandler }),
  ...aliased(V1_PREFIXES, { method: "GET", path: "/runs/:run_id", auth: true, rateClass: "run_read", handler: getRunHandler }),
];

export interface ParsedV1Query {
  issues: ValidationIssue[];
  filterErrors: Array<{ field: string; message: string }>;
  sessions?: string[];
  ids?: string[];
  trace?: string;
  parentRun?: string;
  referenceExample?: string;
  runType?: RunType;
  /** Epoch microseconds. */
  startTime?: number;
  endTime?: number;
  error?: boolean;
  isRoot?: boolean;
  executionOrder?: number;
  filters: Array<FilterExpr | undefined>;
  limit: number;
  select?: V1Select[];
  order: "asc" | "desc";
  cursor?: string;
}

/**
 * What a parsed v1 body selects, as the store's query criteria: the sessions (each must be the
 * caller's, else 404), or the whole workspace when ids, a trace, a parent run or a reference
 * example narrow it (else 400, as LangSmith answers); window, flags and the three filters.
 * Shared by `runs/query` and `runs/stats`, which select runs alike.
 */
export function v1RunCriteria(ctx: RequestContext, q: ParsedV1Query): Omit<RunQuery, "order" | "limit" | "after"> {
  const store = ctx.sim.store;
  let projectIds: string[];
  if (q.sessions && q.sessions.length > 0) {
    for (const id of q.sessions) {
      const p = store.project(id);
      if (!p || p.tenant_id !== ctx.tenantId) throw v1Error(404, `Session ${id} not found`);
    }
    projectIds = q.sessions;
  } else if (q.ids || q.trace || q.parentRun || q.referenceExample) {
    projectIds = store.projectsOfTenant(ctx.tenantId).map((p) => p.id);
  } else {
    throw v1Error(400, "At least one of 'session', 'id', 'parent_run', 'trace' or 'reference_example' must be specified");
  }
  const [filter, traceFilter, treeFilter] = q.filters;
  return {
    projectIds,
    minStart: q.startTime ?? null,
    maxStart: q.endTime ?? null,
    ...(q.ids ? { ids: new Set(q.ids) } : {}),
    ...(q.trace ? { traceId: q.trace } : {}),
    ...(q.parentRun ? { parentRunId: q.parentRun } : {}),
    ...(q.referenceExample ? { referenceExamples: new Set([q.referenceExample]) } : {}),
    ...(q.isRoot !== undefined ? { isRoot: q.isRoot } : {}),
    ...(q.error !== undefined ? { hasError: q.error } : {}),
    ...(q.runType ? { runType: q.runType } : {}),
    ...(q.executionOrder !== undefined ? { executionOrder: q.executionOrder } : {}),
    ...(filter ? { filter } : {}),
    ...(traceFilter ? { traceFilter } : {}),
    ...(treeFilter ? { treeFilter } : {}),
  };
}

/** Collects every problem instead of stopping at the first, so `validate` can list them all. */
export function parseV1Query(body: Record<string, unknown>): ParsedV1Query {
  const issues: ValidationIssue[] = [];
  const issue = (field: string, msg: string, type: string): void => {
    issues.push({ loc: ["body", field], msg, type });
  };
  const absent = (v: unknown): boolean => v === undefined || v === null;
  const uuidList = (field: string): string[] | undefined => {
    const v = body[field];
    if (absent(v)) return undefined;
    const list = Array.isArray(v) ? v : [v];
    if (!list.every(isUuid)) {
      issue(field, "Input should be a valid UUID", "uuid_parsing");
      return undefined;
    }
    return list.map((s) => s.toLowerCase());
  };
  const uuid = (field: string): string | undefined => {
    const v = body[field];
    if (absent(v)) return undefined;
    if (!isUuid(v)) {
      issue(field, "Input should be a valid UUID", "uuid_parsing");
      return undefined;
    }
    return v.toLowerCase();
  };
  const bool = (field: string): boolean | undefined => {
    const v = body[field];
    if (absent(v)) return undefined;
    if (typeof v !== "boolean") {
      issue(field, "Input should be a valid boolean", "bool_type");
      return undefined;
    }
    return v;
  };
  const time = (field: string): number | undefined => {
    const v = body[field];
    if (absent(v)) return undefined;
    const ms = parseTimeMicros(v);
    if (ms === undefined) issue(field, "Input should be a valid datetime", "datetime_parsing");
    return ms;
  };

  const parsed: ParsedV1Query = { issues, filterErrors: [], filters: [], limit: 100, order: "desc" };
  const sessions = uuidList("session");
  if (sessions) parsed.sessions = sessions;
  const ids = uuidList("id");
  if (ids) parsed.ids = ids;
  const trace = uuid("trace");
  if (trace) parsed.trace = trace;
  const parentRun = uuid("parent_run");
  if (parentRun) parsed.parentRun = parentRun;
  const referenceExample = uuidList("reference_example")?.[0];
  if (referenceExample) parsed.referenceExample = referenceExample;
  const startTime = time("start_time");
  if (startTime !== undefined) parsed.startTime = startTime;
  const endTime = time("end_time");
  if (endTime !== undefined) parsed.endTime = endTime;
  const error = bool("error");
  if (error !== undefined) parsed.error = error;
  const isRoot = bool("is_root");
  if (isRoot !== undefined) parsed.isRoot = isRoot;

  const runType = body["run_type"];
  if (!absent(runType)) {
    if (typeof runType === "string" && (RUN_TYPES as readonly string[]).includes(runType)) parsed.runType = runType as RunType;
    else issue("run_type", `Input should be ${RUN_TYPES.map((t) => `'${t}'`).join(", ")}`, "enum");
  }
  const executionOrder = body["execution_order"];
  if (!absent(executionOrder)) {
    if (typeof executionOrder === "number" && Number.isInteger(executionOrder) && executionOrder >= 1)
      parsed.executionOrder = executionOrder;
    else issue("execution_order", "Input should be greater than or equal to 1", "greater_than_equal");
  }
  const limit = body["limit"];
  if (!absent(limit)) {
    if (typeof limit !== "number" || !Number.isInteger(limit)) issue("limit", "Input should be a valid integer", "int_type");
    else if (limit < 1) issue("limit", "Input should be greater than or equal to 1", "greater_than_equal");
    else if (limit > 100) issue("limit", "Input should be less than or equal to 100", "less_than_equal");
    else parsed.limit = limit;
  }
  const order = body["order"];
  if (!absent(order)) {
    if (order === "asc" || order === "desc") parsed.order = order;
    else issue("order", "Input should be 'asc' or 'desc'", "enum");
  }
  const select = body["select"];
  if (!absent(select)) {
    if (!Array.isArray(select)) issue("select", "Input should be a valid list", "list_type");
    else {
      const unknown = select.filter((s) => !isV1Select(s));
      if (unknown.length > 0)
        issue("select", `Input should be a valid run field; got ${unknown.map((s) => JSON.stringify(s)).join(", ")}`, "enum");
      else parsed.select = select as V1Select[];
    }
  }
  const cursor = body["cursor"];
  if (!absent(cursor)) {
    if (typeof cursor === "string") parsed.cursor = cursor;
    else issue("cursor", "Input should be a valid string", "string_type");
  }

  for (const field of FILTER_FIELDS) {
    const result = parseFilterField(field, body[field]);
    if (result.ok) parsed.filters.push(result.expr);
    else {
      parsed.filters.push(undefined);
      parsed.filterErrors.push({ field, message: result.message });
    }
  }
  // `query` is the SDK's free-text search: LangSmith treats it as search("...").
  const text = body["query"];
  if (typeof text === "string" && text !== "") {
    const result = parseFilterField("filter", `search(${JSON.stringify(text)})`);
    if (result.ok && result.expr) {
      const current = parsed.filters[0];
      parsed.filters[0] = current ? { type: "call", op: "and", args: [current, result.expr] } : result.expr;
    }
  }
  return parsed;
}

export function requireObjectBody(result: BodyResult): Record<string, unknown> {
  if (result.kind === "too_large") throw v1Error(413, "Request Entity Too Large");
  if (result.kind === "invalid")
    throw v1Validation({ loc: ["body", 0], msg: `JSON decode error: ${result.message}`, type: "json_invalid" });
  const body = result.kind === "empty" ? {} : result.value;
  if (!isRecord(body))
    throw v1Validation({
      loc: ["body"],
      msg: "Input should be a valid dictionary or object to extract fields from",
      type: "model_attributes_type",
    });
  return body;
}

async function queryHandler(ctx: RequestContext): Promise<Reply> {
  const body = requireObjectBody(await ctx.body());
  const q = parseV1Query(body);
  if (q.issues.length > 0) throw v1Validation(...q.issues);
  const firstFilterError = q.filterErrors[0];
  if (firstFilterError) throw v1Error(400, firstFilterError.message);

  const store = ctx.sim.store;
  // Sessions are checked before the cursor, as before: an unknown session is a 404 whatever the cursor.
  const criteria = v1RunCriteria(ctx, q);

  const print = fingerprint({ ...body, cursor: undefined, limit: undefined, select: undefined });
  let after: RunQuery["after"];
  if (q.cursor) {
    const position = ctx.sim.cursors.decode(q.cursor, "v1", print);
    if (!position) throw v1Error(400, "Invalid cursor");
    after = { startTime: position.startTime, id: position.id };
  }
  const page = queryRuns(store, {
    ...criteria,
    order: q.order,
    ...(after ? { after } : {}),
    limit: q.limit,
  });
  const last = page.runs[page.runs.length - 1];
  const next =
    page.hasMore && last
      ? ctx.sim.cursors.encode({
          api: "v1",
          fingerprint: print,
          order: q.order,
          startTime: startMicros(last),
          id: last.id,
          min: q.startTime ?? null,
          max: q.endTime ?? null,
        })
      : null;
  return json({ runs: page.runs.map((r) => toV1(r, store, q.select)), cursors: { next, prev: null } });
}

async function validateHandler(ctx: RequestContext): Promise<Reply> {
  const body = requireObjectBody(await ctx.body());
  const q = parseV1Query(body);
  const errors = [...q.issues.map((i) => ({ field: String(i.loc[1] ?? "body"), message: i.msg })), ...q.filterErrors];
  return json({ valid: errors.length === 0, errors });
}

function getRunHandler(ctx: RequestContext): Reply {
  const id = ctx.params["run_id"] ?? "";
  if (!isUuid(id)) throw v1Validation({ loc: ["path", "run_id"], msg: "Input should be a valid UUID", type: "uuid_parsing" });
  const run = ctx.sim.store.run(id.toLowerCase());
  if (!run || run.tenant_id !== ctx.tenantId) throw v1Error(404, "Run not found");
  return json(toV1(run, ctx.sim.store));
}
