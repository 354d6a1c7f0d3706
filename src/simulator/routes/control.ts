/**
 * The simulator's control API, under `/_sim/`. No auth, never faulted, never rate limited,
 * not recorded in the request log. Errors are `{"detail": "..."}` with status 400.
 *
 * GET  /_sim/clock                  → {"now": ISO, "rate": n}
 * POST /_sim/clock                  body: {"set": ISO} | {"advance_seconds": n} | {"rate": multiple}
 *                                   (combinable; applied in that order) → {"now": ISO, "rate": n}; the export
 *                                   engine replays everything due by the new time before answering
 * POST /_sim/faults                 body: {"match": {"method"?: "POST", "path"?: "/api/v2/runs/query" | "/api/v1/runs/*"},
 *                                          "kind": "status" | "reset" | "reset_after_processing" | "delay" | "slow_answer"
 *                                                  | "malformed_json",
 *                                          "status"?: 503, "retry_after_seconds"?: 2, "body"?: any,
 *                                          "delay_ms"?: 100, "times"?: 1 (default 1; -1 = until cleared)}
 *                                   → 201 {"id"}. A path ending in `*` matches as a prefix.
 *                                   status: answers that status; 429 {"detail":"Too many requests"} (+ Retry-After
 *                                   when retry_after_seconds), 502/504 an nginx HTML page, 503
 *                                   {"detail":"Service Unavailable"}; `body` overrides the body.
 *                                   reset: destroys the socket without answering (the request is not processed).
 *                                   reset_after_processing: processes the request, then destroys the socket.
 *                                   delay: waits delay_ms real milliseconds, then answers normally.
 *                                   slow_answer: processes the request, then waits delay_ms before answering.
 *                                   malformed_json: answers 200 application/json with a truncated body.
 * GET  /_sim/faults                 → {"faults": [{id, match, kind, …, "remaining"}]}
 * DELETE /_sim/faults               → {"cleared": n}
 * GET  /_sim/requests               → {"requests": [{"seq", "at" (sim ISO), "method", "path" (no query),
 *                                          "status" (null when reset), "fault" (kind or null), "bytes" (response body),
 *                                          "items" (runs or array elements the body listed)}]}, oldest first,
 *                                   the last 20,000 API requests
 * DELETE /_sim/requests             → {"cleared": true}
 * GET  /_sim/config                 → {"rate_limits": bool, "ai_query": bool, "self_hosted": bool, "exports": {limits},
 *                                          "langsmithVersion": "0.16.2", "exportRunErrorsAsObjects": bool, "v2HasMore": "always"}
 * POST /_sim/config                 body: {"rate_limits"?: bool, "ai_query"?: bool, "exports"?: {"max_runs_per_export"?,
 *                                          "max_exports_per_workspace"?, "workflow_timeout_hours"?, "run_timeout_hours"?,
 *                                          "max_retries"?, "retry_delay_seconds"?, "rows_per_second"?, "rows_per_file"?},
 *                                          "langsmithVersion"?: "0.15.3" (below 0.16.0: no v2 API, 404),
 *                                          "exportRunErrorsAsObjects"?: bool (errors.retry_N as {message, type, retry_number}),
 *                                          "v2HasMore"?: "always" | "never" (v2 queries without has_more)}
 *                                   → the config (export limits apply from now on)
 * POST /_sim/reset                  reseeds the data and resets clock, config, faults, limiter and log, and the
 *                                   bulk export world (object store, destinations, exports, export faults)
 *                                   → {"reset": true, "now": ISO}
 * GET/POST /_sim/deletion         the deletion queue and its drop rule: see routes/runs-delete.ts
 * GET  /_sim/summary                → {"now", "organization_id", "workspaces": [{id, name, projects:
 *                                          [{id, name, runs, traces}]}], "total_runs"}
 */
import { updateExportLimits } from "../export-limits.js";
import { FAULT_KINDS, type FaultKind } from "../faults.js";
import { isRecord, json, parseTime, v1Error, type Reply } from "../http.js";
import type { RequestContext, Route } from "../router.js";
import { isVersion } from "./info.js";

async function objectBody(ctx: RequestContext): Promise<Record<string, unknown>> {
  const result = await ctx.body();
  if (result.kind === "empty") return {};
  if (result.kind !== "ok" || !isRecord(result.value)) throw v1Error(400, "body must be a JSON object");
  return result.value;
}

function clockState(ctx: RequestContext): Reply {
  return json({ now: new Date(ctx.sim.clock.now()).toISOString(), rate: ctx.sim.clock.rate });
}

async function setClock(ctx: RequestContext): Promise<Reply> {
  const body = await objectBody(ctx);
  const { clock } = ctx.sim;
  // The rate first: `{set, rate: 0}` must freeze at exactly `set`. Set first, the clock would run
  // at the old rate until the rate changed, and a descheduled process drifts by milliseconds.
  if (body["rate"] !== undefined) {
    const rate = body["rate"];
    if (typeof rate !== "number" || !Number.isFinite(rate) || rate < 0) throw v1Error(400, "rate must be a number >= 0");
    clock.setRate(rate);
  }
  if (body["set"] !== undefined) {
    const ms = typeof body["set"] === "number" ? body["set"] : parseTime(body["set"]);
    if (ms === undefined || !Number.isFinite(ms)) throw v1Error(400, "set must be an ISO date-time or epoch milliseconds");
    clock.set(ms);
  }
  if (body["advance_seconds"] !== undefined) {
    const s = body["advance_seconds"];
    if (typeof s !== "number" || !Number.isFinite(s)) throw v1Error(400, "advance_seconds must be a number");
    clock.advance(s * 1000);
  }
  ctx.sim.exports.advance(clock.now());
  ctx.sim.deletions.advance(clock.now());
  return clockState(ctx);
}

async function addFault(ctx: RequestContext): Promise<Reply> {
  const body = await objectBody(ctx);
  const kind = body["kind"];
  if (typeof kind !== "string" || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw v1Error(400, `kind must be one of ${FAULT_KINDS.join(", ")}`);
  }
  const match = body["match"] ?? {};
  if (!isRecord(match)) throw v1Error(400, "match must be an object");
  const method = match["method"];
  const path = match["path"];
  if (method !== undefined && typeof method !== "string") throw v1Error(400, "match.method must be a string");
  if (path !== undefined && (typeof path !== "string" || !path.startsWith("/")))
    throw v1Error(400, "match.path must be a path starting with /");
  const times = body["times"] ?? 1;
  if (typeof times !== "number" || !Number.isInteger(times) || (times < 1 && times !== -1))
    throw v1Error(400, "times must be a positive integer or -1");
  const status = body["status"];
  if (kind === "status" && (typeof status !== "number" || !Number.isInteger(status) || status < 400 || status > 599)) {
    throw v1Error(400, "status faults need a status between 400 and 599");
  }
  const retryAfter = body["retry_after_seconds"];
  if (retryAfter !== undefined && (typeof retryAfter !== "number" || !Number.isInteger(retryAfter) || retryAfter < 0)) {
    throw v1Error(400, "retry_after_seconds must be a non-negative integer");
  }
  const delay = body["delay_ms"];
  if (
    (kind === "delay" || kind === "slow_answer") &&
    (typeof delay !== "number" || !Number.isFinite(delay) || delay < 0 || delay > 600_000)
  ) {
    throw v1Error(400, `${kind} faults need delay_ms between 0 and 600000`);
  }
  const rule = ctx.sim.faults.add({
    match: { ...(method ? { method: method.toUpperCase() } : {}), ...(path ? { path } : {}) },
    kind: kind as FaultKind,
    ...(typeof status === "number" ? { status } : {}),
    ...(typeof retryAfter === "number" ? { retry_after_seconds: retryAfter } : {}),
    ...(body["body"] !== undefined ? { body: body["body"] } : {}),
    ...(typeof delay === "number" ? { delay_ms: delay } : {}),
    remaining: times,
  });
  return json({ id: rule.id }, 201);
}

async function setConfig(ctx: RequestContext): Promise<Reply> {
  const body = await objectBody(ctx);
  for (const [field, key] of [
    ["rate_limits", "rateLimits"],
    ["ai_query", "aiQuery"],
  ] as const) {
    const v = body[field];
    if (v === undefined) continue;
    if (typeof v !== "boolean") throw v1Error(400, `${field} must be a boolean`);
    ctx.sim.config[key] = v;
    if (key === "rateLimits") ctx.sim.rateLimiter.clear();
  }
  const version = body["langsmithVersion"];
  if (version !== undefined) {
    if (!isVersion(version)) throw v1Error(400, "langsmithVersion must be a version such as 0.16.2");
    ctx.sim.config.langsmithVersion = version;
  }
  const errorsAsObjects = body["exportRunErrorsAsObjects"];
  if (errorsAsObjects !== undefined) {
    if (typeof errorsAsObjects !== "boolean") throw v1Error(400, "exportRunErrorsAsObjects must be a boolean");
    ctx.sim.config.exportRunErrorsAsObjects = errorsAsObjects;
  }
  const hasMore = body["v2HasMore"];
  if (hasMore !== undefined) {
    if (hasMore !== "always" && hasMore !== "never") throw v1Error(400, 'v2HasMore must be "always" or "never"');
    ctx.sim.config.v2HasMore = hasMore;
  }
  const exports = body["exports"];
  if (exports !== undefined) {
    if (!isRecord(exports)) throw v1Error(400, "exports must be an object of limits");
    const error = updateExportLimits(ctx.sim.config.exports, exports);
    if (error) throw v1Error(400, error);
    // Raised limits let queued runs start now.
    ctx.sim.exports.advance(ctx.sim.clock.now());
  }
  return configState(ctx);
}

function configState(ctx: RequestContext): Reply {
  const { config } = ctx.sim;
  return json({
    rate_limits: config.rateLimits,
    ai_query: config.aiQuery,
    self_hosted: config.selfHosted,
    exports: { ...config.exports },
    langsmithVersion: config.langsmithVersion,
    exportRunErrorsAsObjects: config.exportRunErrorsAsObjects,
    v2HasMore: config.v2HasMore,
  });
}

function summary(ctx: RequestContext): Reply {
  const { store, clock } = ctx.sim;
  return json({
    now: new Date(clock.now()).toISOString(),
    organization_id: store.organization.id,
    workspaces: store.workspaces.map((w) => ({
      id: w.id,
      name: w.name,
      projects: store.projectsOfTenant(w.id).map((p) => {
        const runs = store.runsOfProject(p.id);
        return { id: p.id, name: p.name, runs: runs.length, traces: runs.filter((r) => r.parent_run_id === null).length };
      }),
    })),
    total_runs: store.runCount,
  });
}

export const controlRoutes: Route[] = [
  { method: "GET", path: "/_sim/clock", auth: false, handler: clockState },
  { method: "POST", path: "/_sim/clock", auth: false, handler: setClock },
  { method: "POST", path: "/_sim/faults", auth: false, handler: addFault },
  { method: "GET", path: "/_sim/faults", auth: false, handler: (ctx) => json({ faults: ctx.sim.faults.list() }) },
  {
    method: "DELETE",
    path: "/_sim/faults",
    auth: false,
    handler: (ctx) => {
      const cleared = ctx.sim.faults.list().length;
      ctx.sim.faults.clear();
      return json({ cleared });
    },
  },
  { method: "GET", path: "/_sim/requests", auth: false, handler: (ctx) => json({ requests: ctx.sim.requestLog.list() }) },
  {
    method: "DELETE",
    path: "/_sim/requests",
    auth: false,
    handler: (ctx) => {
      ctx.sim.requestLog.clear();
      return json({ cleared: true });
    },
  },
  { method: "GET", path: "/_sim/config", auth: false, handler: configState },
  { method: "POST", path: "/_sim/config", auth: false, handler: setConfig },
  {
    method: "POST",
    path: "/_sim/reset",
    auth: false,
    handler: (ctx) => {
      ctx.sim.reset();
      return json({ reset: true, now: new Date(ctx.sim.clock.now()).toISOString() });
    },
  },
  { method: "GET", path: "/_sim/summary", auth: false, handler: summary },
];
