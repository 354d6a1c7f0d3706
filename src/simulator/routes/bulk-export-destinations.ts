/**
 * Bulk export destinations, contract §4.1 and seed 001: create (after a test write to the
 * object store), list, get, and credential rotation (PATCH, after a test write with the new
 * credentials and the existing config). Writes need WORKSPACES_MANAGE. Responses carry
 * `credentials_keys`, never credential values.
 */
import { requirePermission } from "../auth.js";
import {
  CREDENTIALS_REQUIRED,
  destinationView,
  parseCredentials,
  parseDestinationBody,
  testWrite,
  type DestinationRecord,
} from "../destinations.js";
import { isRecord, isUuid, json, v1Error, v1Validation, type Reply, type ValidationIssue } from "../http.js";
import type { RequestContext, Route } from "../router.js";

const BASE = "/api/v1/bulk-exports/destinations";

export const bulkExportDestinationRoutes: Route[] = [
  { method: "POST", path: BASE, auth: true, handler: createDestination },
  { method: "GET", path: BASE, auth: true, handler: listDestinations },
  { method: "GET", path: `${BASE}/:destination_id`, auth: true, handler: getDestination },
  { method: "PATCH", path: `${BASE}/:destination_id`, auth: true, handler: rotateCredentials },
];

/** The JSON body, or FastAPI's 422 for a body that is not JSON. */
export async function jsonBody(ctx: RequestContext): Promise<unknown> {
  const result = await ctx.body();
  if (result.kind === "too_large") throw v1Error(413, "Request body too large");
  if (result.kind === "invalid")
    throw v1Validation({ loc: ["body", 0], msg: `JSON decode error: ${result.message}`, type: "json_invalid" });
  if (result.kind === "empty") throw v1Validation({ loc: ["body"], msg: "Field required", type: "missing" });
  return result.value;
}

async function createDestination(ctx: RequestContext): Promise<Reply> {
  requirePermission(ctx.principal, "WORKSPACES_MANAGE");
  const { display_name, config, credentials } = parseDestinationBody(await jsonBody(ctx));
  const { sim } = ctx;
  if (credentials === null && !sim.config.selfHosted) throw v1Error(400, CREDENTIALS_REQUIRED);
  const engine = sim.exports;
  const now = sim.clock.now();
  testWrite(config, credentials, sim.objectStore, now, engine.newId());
  const record: DestinationRecord = {
    id: engine.newId(),
    tenant_id: ctx.tenantId,
    display_name,
    config,
    credentials,
    created_at: now,
    updated_at: now,
  };
  engine.destinations.set(record.id, record);
  return json(destinationView(record));
}

function listDestinations(ctx: RequestContext): Reply {
  const own = [...ctx.sim.exports.destinations.values()].filter((d) => d.tenant_id === ctx.tenantId);
  return json(own.map(destinationView));
}

function destinationOf(ctx: RequestContext): DestinationRecord {
  const id = ctx.params["destination_id"] ?? "";
  if (!isUuid(id)) throw v1Validation({ loc: ["path", "destination_id"], msg: "Input should be a valid UUID", type: "uuid_parsing" });
  const record = ctx.sim.exports.destinations.get(id.toLowerCase());
  if (!record || record.tenant_id !== ctx.tenantId) throw v1Error(404, "Bulk export destination not found");
  return record;
}

function getDestination(ctx: RequestContext): Reply {
  return json(destinationView(destinationOf(ctx)));
}

async function rotateCredentials(ctx: RequestContext): Promise<Reply> {
  requirePermission(ctx.principal, "WORKSPACES_MANAGE");
  const record = destinationOf(ctx);
  const body = await jsonBody(ctx);
  if (!isRecord(body)) throw v1Validation({ loc: ["body"], msg: "Input should be a valid dictionary", type: "dict_type" });
  const issues: ValidationIssue[] = [];
  if (body["credentials"] === undefined || body["credentials"] === null)
    issues.push({ loc: ["body", "credentials"], msg: "Field required", type: "missing" });
  const credentials = parseCredentials(body["credentials"], issues);
  if (issues.length > 0 || credentials === null) throw v1Validation(...issues);
  const { sim } = ctx;
  const now = sim.clock.now();
  testWrite(record.config, credentials, sim.objectStore, now, sim.exports.newId());
  // Runs already started keep the credentials they captured; new runs take these.
  record.credentials = credentials;
  record.updated_at = now;
  return json(destinationView(record));
}
