/**
 * Control API for the bulk export world, under `/_sim/` like the rest (no auth, not logged).
 * It changes the object store while exports run, and arms export fault scenarios. The
 * storage view never shows a secret access key or a session token.
 *
 * GET    /_sim/storage                    → {"buckets": [{name, provider, region, endpoint, objects: [{key, size, written_at}]}],
 *                                             "access_keys": [{access_key_id, provider, endpoint, active, requires_session_token,
 *                                             expires_at, principal, grants: {bucket: [PutObject|DeleteObject|GetObject]}}],
 *                                             "environment_access_key_id"}
 * POST   /_sim/storage/buckets            body: {"name", "provider"?: "aws"|"gcs"|"minio" (aws), "region"?, "endpoint"?}
 *                                          → 201 the bucket
 * DELETE /_sim/storage/buckets/{name}     → {"deleted": name} (objects go with it); 404 when unknown
 * POST   /_sim/storage/keys/{key_id}      body: {"grant"?: {"bucket", "permissions": [...]}, "revoke"?: {...},
 *                                          "active"?: bool} → the key (no secret); 404 when unknown
 * POST   /_sim/export-faults              body: {"scenario", "export_id"?, "partition"?: "YYYY-MM-DD" | run id, "times"?: n | -1}
 *                                          → 201 the rule; without export_id it binds to the next export created
 * GET    /_sim/export-faults              → {"faults": [rules], "scenarios": [{scenario, failure_type, retried, default_times}]}
 * DELETE /_sim/export-faults              → {"cleared": n}
 * POST   /_sim/exports/all-experiments    body: {"start_time", "end_time"? (default now), "destination_id"? (default the
 *                                          default workspace's newest destination)} → 201 a BulkExport with `session_id`
 *                                          null (LangSmith's "all experiments" export); it runs over every project of the
 *                                          workspace and lists, reads and pages like any export
 * POST   /_sim/exports/{export_id}/force-status
 *                                          body: {"status"?: any string, "run_status"?: any string} → the BulkExport; the
 *                                          export (and/or all its runs) shows that status, e.g. "Paused" from a newer
 *                                          server, and the engine leaves the export alone from then on
 */
import { EXPORT_FAULT_SCENARIOS, isExportFaultScenario, SCENARIO_SPECS } from "../export-faults.js";
import { isRecord, isUuid, json, parseTime, v1Error, type Reply } from "../http.js";
import { isValidBucketName, keyView, STORAGE_OPERATIONS, DEFAULT_AWS_REGION, GCS_ENDPOINT } from "../object-store.js";
import type { RequestContext, Route } from "../router.js";
import type { StorageOperation, StorageProvider } from "../storage-errors.js";

async function objectBody(ctx: RequestContext): Promise<Record<string, unknown>> {
  const result = await ctx.body();
  if (result.kind === "empty") return {};
  if (result.kind !== "ok" || !isRecord(result.value)) throw v1Error(400, "body must be a JSON object");
  return result.value;
}

const PROVIDERS: readonly StorageProvider[] = ["aws", "gcs", "minio"];

async function addBucket(ctx: RequestContext): Promise<Reply> {
  const body = await objectBody(ctx);
  const name = body["name"];
  if (typeof name !== "string" || !isValidBucketName(name))
    throw v1Error(400, "name must be a valid bucket name (3-63 lowercase letters, digits, dots, hyphens)");
  const provider = body["provider"] ?? "aws";
  if (!PROVIDERS.includes(provider as StorageProvider)) throw v1Error(400, `provider must be one of ${PROVIDERS.join(", ")}`);
  const region = body["region"] ?? (provider === "gcs" ? "europe-west1" : DEFAULT_AWS_REGION);
  if (typeof region !== "string") throw v1Error(400, "region must be a string");
  let endpoint: string | null = null;
  if (provider === "gcs") endpoint = GCS_ENDPOINT;
  if (provider === "minio") {
    const raw = body["endpoint"];
    if (typeof raw !== "string" || !URL.canParse(raw))
      throw v1Error(400, "a minio bucket needs an endpoint URL, e.g. http://minio.local:9000");
    endpoint = new URL(raw).origin;
  }
  if (ctx.sim.objectStore.buckets.has(name)) throw v1Error(409, `bucket ${name} already exists`);
  const bucket = ctx.sim.objectStore.addBucket({ name, provider: provider as StorageProvider, region, endpoint });
  return json({ name: bucket.name, provider: bucket.provider, region: bucket.region, endpoint: bucket.endpoint }, 201);
}

function deleteBucket(ctx: RequestContext): Reply {
  const name = ctx.params["name"] ?? "";
  if (!ctx.sim.objectStore.deleteBucket(name)) throw v1Error(404, `bucket ${name} not found`);
  return json({ deleted: name });
}

function operationsOf(raw: unknown, field: string): { bucket: string; permissions: StorageOperation[] } {
  if (!isRecord(raw) || typeof raw["bucket"] !== "string" || !Array.isArray(raw["permissions"])) {
    throw v1Error(400, `${field} must be {"bucket": name, "permissions": [${STORAGE_OPERATIONS.join(", ")}]}`);
  }
  const permissions = raw["permissions"] as unknown[];
  for (const p of permissions) {
    if (!STORAGE_OPERATIONS.includes(p as StorageOperation))
      throw v1Error(400, `${field}.permissions may only hold ${STORAGE_OPERATIONS.join(", ")}`);
  }
  return { bucket: raw["bucket"], permissions: permissions as StorageOperation[] };
}

async function changeKey(ctx: RequestContext): Promise<Reply> {
  const id = ctx.params["key_id"] ?? "";
  const objects = ctx.sim.objectStore;
  const key = objects.keys.get(id);
  if (!key) throw v1Error(404, `access key ${id} not found`);
  const body = await objectBody(ctx);
  if (body["grant"] !== undefined) {
    const g = operationsOf(body["grant"], "grant");
    objects.grant(id, g.bucket, g.permissions);
  }
  if (body["revoke"] !== undefined) {
    const r = operationsOf(body["revoke"], "revoke");
    objects.revoke(id, r.bucket, r.permissions);
  }
  if (body["active"] !== undefined) {
    if (typeof body["active"] !== "boolean") throw v1Error(400, "active must be a boolean");
    key.active = body["active"];
  }
  return json(keyView(key));
}

async function armExportFault(ctx: RequestContext): Promise<Reply> {
  const body = await objectBody(ctx);
  const scenario = body["scenario"];
  if (!isExportFaultScenario(scenario)) throw v1Error(400, `scenario must be one of ${EXPORT_FAULT_SCENARIOS.join(", ")}`);
  const exportId = body["export_id"] ?? null;
  if (exportId !== null && (!isUuid(exportId) || !ctx.sim.exports.exportById(exportId.toLowerCase())))
    throw v1Error(400, "export_id must be the id of an existing bulk export");
  const partition = body["partition"] ?? null;
  if (partition !== null && (typeof partition !== "string" || !(/^\d{4}-\d{2}-\d{2}$/.test(partition) || isUuid(partition)))) {
    throw v1Error(400, "partition must be a YYYY-MM-DD day or a bulk export run id");
  }
  const spec = SCENARIO_SPECS[scenario];
  const times = body["times"] ?? spec.defaultTimes;
  if (typeof times !== "number" || !Number.isInteger(times) || (times < 1 && times !== -1))
    throw v1Error(400, "times must be a positive integer or -1");
  const rule = ctx.sim.exportFaults.add({
    scenario,
    export_id: typeof exportId === "string" ? exportId.toLowerCase() : null,
    partition: typeof partition === "string" ? partition.toLowerCase() : null,
    // A change to the world or to the export's shape happens once.
    remaining: spec.how.layer === "attempt" ? times : 1,
  });
  if (rule.export_id !== null) ctx.sim.exports.applyArmedFaults(rule.export_id, ctx.sim.clock.now());
  return json(rule, 201);
}

function listExportFaults(ctx: RequestContext): Reply {
  return json({
    faults: ctx.sim.exportFaults.list(),
    scenarios: EXPORT_FAULT_SCENARIOS.map((s) => ({
      scenario: s,
      failure_type: SCENARIO_SPECS[s].failureType,
      retried: SCENARIO_SPECS[s].retried,
      default_times: SCENARIO_SPECS[s].defaultTimes,
    })),
  });
}

async function createAllExperimentsExport(ctx: RequestContext): Promise<Reply> {
  const body = await objectBody(ctx);
  const { sim } = ctx;
  const tenantId = sim.store.defaultWorkspace.id;
  const start = parseTime(body["start_time"]);
  if (start === undefined) throw v1Error(400, "start_time must be an ISO date-time");
  const end = body["end_time"] === undefined || body["end_time"] === null ? sim.clock.now() : parseTime(body["end_time"]);
  if (end === undefined) throw v1Error(400, "end_time must be an ISO date-time");
  if (start >= end) throw v1Error(400, "start_time must be before end_time");
  const destinationId = body["destination_id"];
  const own = [...sim.exports.destinations.values()].filter((d) => d.tenant_id === tenantId);
  const destination =
    destinationId === undefined || destinationId === null
      ? own[own.length - 1]
      : own.find((d) => isUuid(destinationId) && d.id === destinationId.toLowerCase());
  if (!destination)
    throw v1Error(
      400,
      "destination_id must be the id of a destination of the default workspace (create one with POST /api/v1/bulk-exports/destinations)",
    );
  sim.exports.advance(sim.clock.now());
  const record = sim.exports.create(
    {
      tenant_id: tenantId,
      bulk_export_destination_id: destination.id,
      session_id: null,
      start_time: start,
      end_time: end,
      filter: null,
      filterExpr: null,
      format_version: "v1",
      compression: "zstandard",
      interval_hours: null,
      export_fields: null,
    },
    sim.clock.now(),
  );
  return json(sim.exports.exportView(record), 201);
}

async function forceStatus(ctx: RequestContext): Promise<Reply> {
  const id = ctx.params["export_id"] ?? "";
  const record = isUuid(id) ? ctx.sim.exports.exportById(id.toLowerCase()) : undefined;
  if (!record) throw v1Error(404, `bulk export ${id} not found`);
  const body = await objectBody(ctx);
  const status = body["status"] ?? null;
  const runStatus = body["run_status"] ?? null;
  if (status !== null && (typeof status !== "string" || status === "")) throw v1Error(400, "status must be a non-empty string");
  if (runStatus !== null && (typeof runStatus !== "string" || runStatus === ""))
    throw v1Error(400, "run_status must be a non-empty string");
  if (status === null && runStatus === null) throw v1Error(400, "give status and/or run_status");
  ctx.sim.exports.forceStatus(record, status, runStatus, ctx.sim.clock.now());
  return json(ctx.sim.exports.exportView(record));
}

export const exportControlRoutes: Route[] = [
  { method: "GET", path: "/_sim/storage", auth: false, handler: (ctx) => json(ctx.sim.objectStore.view()) },
  { method: "POST", path: "/_sim/storage/buckets", auth: false, handler: addBucket },
  { method: "DELETE", path: "/_sim/storage/buckets/:name", auth: false, handler: deleteBucket },
  { method: "POST", path: "/_sim/storage/keys/:key_id", auth: false, handler: changeKey },
  { method: "POST", path: "/_sim/export-faults", auth: false, handler: armExportFault },
  { method: "GET", path: "/_sim/export-faults", auth: false, handler: listExportFaults },
  { method: "DELETE", path: "/_sim/export-faults", auth: false, handler: (ctx) => json({ cleared: ctx.sim.exportFaults.clear() }) },
  { method: "POST", path: "/_sim/exports/all-experiments", auth: false, handler: createAllExperimentsExport },
  { method: "POST", path: "/_sim/exports/:export_id/force-status", auth: false, handler: forceStatus },
];
