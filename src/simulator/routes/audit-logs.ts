/**
 * `GET /api/v1/audit-logs`, contract §5: organization-scoped (`X-Organization-Id`), Enterprise
 * plan only, org admin only; items in the OCSF API Activity shape with LangSmith's original
 * record under `unmapped.original_audit_log`. The simulator records accepted delete requests
 * (deletion-queue.ts) as `delete_runs` events; `enrichments.resource_ids` names the session and
 * the trace ids of the request.
 *
 * The route authenticates itself (auth: false in the table) because an org-level API does not
 * take a workspace: the org-scoped key needs no X-Tenant-Id here. The workspace key of the
 * simulator belongs to an org admin; the read-only key does not.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { AuditEvent } from "../deletion-queue.js";
import { HttpError, json, parseTime, v1Error, v1Validation, type Reply, type ValidationIssue } from "../http.js";
import { aliased, type RequestContext, type Route } from "../router.js";
import { V1_PREFIXES } from "./sessions.js";

/** Operations the simulator records; the API knows many more. */
const KNOWN_OPERATIONS = ["delete_runs"] as const;
const LIMIT = { min: 1, max: 100, default: 10 } as const;

/** Cursor signing secret: cursors are opaque and a tampered one is refused. */
const CURSOR_SECRET = randomBytes(16);

function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.req.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
}

function auditLogs(ctx: RequestContext): Reply {
  const { store, config } = ctx.sim;
  const apiKey = header(ctx, "x-api-key");
  if (!apiKey || ![store.apiKey, store.orgApiKey, ctx.sim.readOnlyApiKey].includes(apiKey))
    throw new HttpError(json({ detail: "Invalid token" }, 401));
  const orgId = header(ctx, "x-organization-id");
  if (!orgId) throw v1Error(403, "X-Organization-Id header is required for organization-level APIs");
  if (orgId !== store.organization.id) throw v1Error(403, "Forbidden");
  if (config.plan !== "enterprise") throw v1Error(403, "Audit logs are available on the Enterprise plan only");
  if (apiKey === ctx.sim.readOnlyApiKey) throw v1Error(403, "Forbidden: audit logs require the organization admin role");

  const issues: ValidationIssue[] = [];
  const time = (field: string, required: boolean): number | undefined => {
    const raw = ctx.query.get(field);
    if (raw === null || raw === "") {
      if (required) issues.push({ loc: ["query", field], msg: "Field required", type: "missing" });
      return undefined;
    }
    const ms = parseTime(raw);
    if (ms === undefined) issues.push({ loc: ["query", field], msg: "Input should be a valid datetime", type: "datetime_parsing" });
    return ms;
  };
  const start = time("start_time", true);
  const end = time("end_time", true);
  const limitRaw = ctx.query.get("limit");
  const limit = limitRaw === null ? LIMIT.default : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < LIMIT.min || limit > LIMIT.max) {
    issues.push({ loc: ["query", "limit"], msg: `Input should be between ${LIMIT.min} and ${LIMIT.max}`, type: "less_than_equal" });
  }
  const operations = ctx.query
    .getAll("operations")
    .flatMap((o) => o.split(","))
    .filter(Boolean);
  if (issues.length > 0) throw v1Validation(...issues);

  const cursorRaw = ctx.query.get("cursor");
  let offset = 0;
  if (cursorRaw) {
    const decoded = decodeCursor(cursorRaw);
    if (decoded === undefined) throw v1Error(400, "Invalid cursor");
    offset = decoded;
  }

  const workspaceIds = new Set(store.workspaces.filter((w) => w.organization_id === orgId).map((w) => w.id));
  const wanted = operations.length === 0 || operations.some((o) => (KNOWN_OPERATIONS as readonly string[]).includes(o));
  const events = wanted
    ? ctx.sim.deletions.auditEvents().filter((e) => workspaceIds.has(e.tenant_id) && e.time >= (start ?? 0) && e.time < (end ?? Infinity))
    : [];
  const page = events.slice(offset, offset + limit);
  const nextOffset = offset + page.length;
  return json({
    cursor: nextOffset < events.length ? encodeCursor(nextOffset) : null,
    items: page.map((e) => toOcsf(e, orgId)),
  });
}

function sign(payload: string): string {
  return createHmac("sha256", CURSOR_SECRET).update(payload).digest("base64url").slice(0, 16);
}
function encodeCursor(offset: number): string {
  const payload = Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
  return `${payload}.${sign(payload)}`;
}
function decodeCursor(cursor: string): number | undefined {
  const [payload, signature] = cursor.split(".");
  if (!payload || !signature || sign(payload) !== signature) return undefined;
  try {
    const o = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { o?: unknown }).o;
    return typeof o === "number" && Number.isInteger(o) && o >= 0 ? o : undefined;
  } catch {
    return undefined;
  }
}

/** The user an API key belongs to (the org admin who made it): a stable uuid per key. */
function userIdOf(apiKeyId: string): string {
  const h = createHmac("sha256", "user-of-key").update(apiKeyId).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * OCSF 1.x API Activity (class 6003), activity Delete (4), in the shape of the spec's
 * `OCSFApiActivity` (audit-logs.yml): severity 99 (the only value it lists), the API key as
 * the actor's credential, the deleted session and traces as resources.
 */
function toOcsf(event: AuditEvent, orgId: string): Record<string, unknown> {
  const iso = new Date(event.time).toISOString();
  const resourceIds = event.criteria.kind === "trace_ids" ? [event.criteria.session_id, ...event.criteria.trace_ids] : [];
  const userId = userIdOf(event.api_key_id);
  return {
    time: event.time,
    class_uid: 6003,
    class_name: "API Activity",
    category_uid: 6,
    category_name: "Application Activity",
    activity_id: 4,
    activity_name: "Delete",
    type_uid: 600304,
    severity_id: 99,
    status: "Success",
    status_id: 1,
    metadata: { uid: event.uid, version: "1.3.0", product: { name: "LangSmith", vendor_name: "LangChain" } },
    api: { operation: "delete_runs", service: { name: "langsmith" }, request: { uid: event.uid } },
    actor: { user: { uid: userId, credential_uid: event.api_key_id, type: "api_key" } },
    http_request: { http_method: "POST", url: { path: "/api/v1/runs/delete" }, user_agent: event.user_agent },
    http_response: { code: 200 },
    src_endpoint: { ip: null, port: null, intermediate_ips: null },
    resources: resourceIds.map((uid) => ({ uid })),
    unmapped: {
      original_audit_log: {
        id: event.uid,
        operation_name: "delete_runs",
        operation_succeeded: true,
        request_time: iso,
        api_key_id: event.api_key_id,
        user_id: userId,
        ls_user_id: userId,
        organization_id: orgId,
        workspace_id: event.tenant_id,
        enrichments: {
          request_method: "POST",
          request_path: "/api/v1/runs/delete",
          response_status_code: 200,
          resource_ids: resourceIds,
          ...(event.criteria.kind === "trace_ids"
            ? { session_id: event.criteria.session_id, trace_count: event.criteria.trace_ids.length }
            : {}),
          ...(event.criteria.kind === "metadata" ? { metadata: event.criteria.metadata } : {}),
        },
      },
    },
  };
}

export const auditLogRoutes: Route[] = [...aliased(V1_PREFIXES, { method: "GET", path: "/audit-logs", auth: false, handler: auditLogs })];
