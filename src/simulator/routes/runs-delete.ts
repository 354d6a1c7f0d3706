/**
 * `POST /api/v1/runs/delete`, contract §5 and seed 003: validates, queues for the weekend
 * batch (deletion-queue.ts) and answers `200 {}` with no id and no count. Errors are FastAPI's
 * (`{"detail": "..."}`, 422 lists for malformed fields).
 *
 * Control API (no auth, not logged), next to the route it steers:
 * GET  /_sim/deletion   → {"requests": [{seq, received_at, purge_at, status: queued|purged|dropped,
 *                          session_id, trace_ids, metadata, purged_traces}], "drop_rule": {skip, drop}}
 * POST /_sim/deletion   body: {"drop_next_requests": n, "after_requests"?: k (default 0)}
 *                       → the state: of the next accepted delete requests, k pass and then n are
 *                       accepted (200, audit event) but silently skipped by their weekend batch.
 */
import type { DeletionCriteria } from "../deletion-queue.js";
import { isRecord, isUuid, json, v1Error, v1Validation, type Reply } from "../http.js";
import { aliased, type RequestContext, type Route } from "../router.js";
import { V1_PREFIXES } from "./sessions.js";

/** Seed 003: at most 1000 trace ids per request. */
export const MAX_TRACE_IDS_PER_DELETE = 1000;

async function deleteHandler(ctx: RequestContext): Promise<Reply> {
  const parsed = await ctx.body();
  if (parsed.kind === "too_large") throw v1Error(413, "Request body too large");
  if (parsed.kind !== "ok" || !isRecord(parsed.value)) {
    throw v1Validation({
      loc: ["body"],
      msg: "Input should be a valid dictionary or object to extract fields from",
      type: "model_attributes_type",
    });
  }
  const criteria = parseCriteria(parsed.value, ctx);
  const principal = ctx.principal;
  ctx.sim.deletions.accept({
    tenantId: ctx.tenantId,
    now: ctx.sim.clock.now(),
    criteria,
    apiKey: principal?.apiKey ?? "",
    userAgent: String(ctx.req.headers["user-agent"] ?? ""),
  });
  return json({});
}

function parseCriteria(body: Record<string, unknown>, ctx: RequestContext): DeletionCriteria {
  const traceIds = body["trace_ids"];
  const sessionId = body["session_id"];
  const metadata = body["metadata"];
  const hasIds = traceIds !== undefined && traceIds !== null;
  const hasMetadata = metadata !== undefined && metadata !== null;
  if (hasIds && hasMetadata) throw v1Error(400, "Provide either trace_ids with session_id, or metadata, not both");
  if (!hasIds && !hasMetadata) throw v1Error(400, "Either trace_ids (with session_id) or metadata must be provided");

  if (hasMetadata) {
    if (!isRecord(metadata) || Object.keys(metadata).length === 0)
      throw v1Error(400, "metadata must be a non-empty object of key/value pairs");
    const pairs: Record<string, string> = {};
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
        throw v1Validation({ loc: ["body", "metadata", k], msg: "Input should be a valid string", type: "string_type" });
      }
      pairs[k] = String(v);
    }
    return { kind: "metadata", metadata: pairs };
  }

  if (!Array.isArray(traceIds)) throw v1Validation({ loc: ["body", "trace_ids"], msg: "Input should be a valid list", type: "list_type" });
  if (sessionId === undefined || sessionId === null || sessionId === "")
    throw v1Error(400, "session_id is required when deleting by trace_ids");
  if (!isUuid(sessionId)) throw v1Validation({ loc: ["body", "session_id"], msg: "Input should be a valid UUID", type: "uuid_parsing" });
  if (traceIds.length === 0) throw v1Error(400, "trace_ids must not be empty");
  if (traceIds.length > MAX_TRACE_IDS_PER_DELETE) {
    throw v1Error(400, `Too many trace_ids: ${traceIds.length} given, at most ${MAX_TRACE_IDS_PER_DELETE} per request`);
  }
  const bad = traceIds.findIndex((id) => !isUuid(id));
  if (bad !== -1) throw v1Validation({ loc: ["body", "trace_ids", bad], msg: "Input should be a valid UUID", type: "uuid_parsing" });
  const project = ctx.sim.store.project(sessionId.toLowerCase());
  if (!project || project.tenant_id !== ctx.tenantId) throw v1Error(404, "Session not found");
  return { kind: "trace_ids", session_id: project.id, trace_ids: [...new Set((traceIds as string[]).map((id) => id.toLowerCase()))] };
}

function deletionState(ctx: RequestContext): Reply {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return json({
    requests: ctx.sim.deletions.list().map((r) => ({
      seq: r.seq,
      received_at: iso(r.received_at),
      purge_at: iso(r.purge_at),
      status: r.status,
      session_id: r.criteria.kind === "trace_ids" ? r.criteria.session_id : null,
      trace_ids: r.criteria.kind === "trace_ids" ? r.criteria.trace_ids : null,
      metadata: r.criteria.kind === "metadata" ? r.criteria.metadata : null,
      purged_traces: r.purged_traces,
    })),
    drop_rule: ctx.sim.deletions.pendingDropRule,
  });
}

async function setDeletionControl(ctx: RequestContext): Promise<Reply> {
  const result = await ctx.body();
  const body = result.kind === "ok" && isRecord(result.value) ? result.value : result.kind === "empty" ? {} : undefined;
  if (!body) throw v1Error(400, "body must be a JSON object");
  const drop = body["drop_next_requests"];
  const after = body["after_requests"] ?? 0;
  const count = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
  if (!count(drop)) throw v1Error(400, "drop_next_requests must be a non-negative integer");
  if (!count(after)) throw v1Error(400, "after_requests must be a non-negative integer");
  ctx.sim.deletions.setDropRule(after, drop);
  return deletionState(ctx);
}

export const runsDeleteRoutes: Route[] = [
  ...aliased(V1_PREFIXES, { method: "POST", path: "/runs/delete", auth: true, handler: deleteHandler }),
  { method: "GET", path: "/_sim/deletion", auth: false, handler: deletionState },
  { method: "POST", path: "/_sim/deletion", auth: false, handler: setDeletionControl },
];
