/**
 * Bulk exports, contract §4.2 and seed 000: create (validated like FastAPI: 422 for shapes,
 * an unknown `export_fields` name included; 400/404 for meaning; `compression` defaults to
 * zstandard as the current spec says), list, get, cancel (PATCH {"status": "Cancelled"}; a
 * finished export cannot be restarted → 409), and the export's runs. Execution is the engine's.
 */
import { requirePermission } from "../auth.js";
import { isFilterError, type FilterExpr } from "../../filter/index.js";
import { acceptedFilter } from "../filters.js";
import {
  EXPORT_COMPRESSIONS,
  EXPORT_FIELDS,
  EXPORT_FORMAT_VERSIONS,
  type ExportCompression,
  type ExportFormatVersion,
} from "../export-layout.js";
import { isTerminal, type ExportRecord } from "../export-engine.js";
import { isRecord, isUuid, json, parseTime, v1Error, v1Validation, type Reply, type ValidationIssue } from "../http.js";
import type { RequestContext, Route } from "../router.js";
import { jsonBody } from "./bulk-export-destinations.js";

const BASE = "/api/v1/bulk-exports";
const MAX_INTERVAL_HOURS = 168;

export const bulkExportRoutes: Route[] = [
  { method: "POST", path: BASE, auth: true, handler: createExport },
  { method: "GET", path: BASE, auth: true, handler: listExports },
  { method: "GET", path: `${BASE}/:export_id`, auth: true, handler: getExport },
  { method: "PATCH", path: `${BASE}/:export_id`, auth: true, handler: patchExport },
  { method: "GET", path: `${BASE}/:export_id/runs`, auth: true, handler: listRuns },
  { method: "GET", path: `${BASE}/:export_id/runs/:run_id`, auth: true, handler: getRun },
];

const enumIssue = (field: string, values: readonly string[]): ValidationIssue => ({
  loc: ["body", field],
  msg: `Input should be ${values
    .map((v) => `'${v}'`)
    .join(", ")
    .replace(/, ([^,]*)$/, " or $1")}`,
  type: "enum",
});

function enumField<T extends string>(
  body: Record<string, unknown>,
  field: string,
  values: readonly T[],
  fallback: T,
  issues: ValidationIssue[],
): T {
  const v = body[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v === "string" && (values as readonly string[]).includes(v)) return v as T;
  issues.push(enumIssue(field, values));
  return fallback;
}

function timeField(body: Record<string, unknown>, field: string, required: boolean, issues: ValidationIssue[]): number | null {
  const v = body[field];
  if (v === undefined || v === null) {
    if (required) issues.push({ loc: ["body", field], msg: "Field required", type: "missing" });
    return null;
  }
  const ms = parseTime(v);
  if (ms === undefined) issues.push({ loc: ["body", field], msg: "Input should be a valid datetime", type: "datetime_parsing" });
  return ms ?? null;
}

function uuidField(body: Record<string, unknown>, field: string, issues: ValidationIssue[]): string {
  const v = body[field];
  if (v === undefined || v === null) issues.push({ loc: ["body", field], msg: "Field required", type: "missing" });
  else if (!isUuid(v)) issues.push({ loc: ["body", field], msg: "Input should be a valid UUID", type: "uuid_parsing" });
  return typeof v === "string" ? v.toLowerCase() : "";
}

async function createExport(ctx: RequestContext): Promise<Reply> {
  requirePermission(ctx.principal, "WORKSPACES_MANAGE");
  const body = await jsonBody(ctx);
  if (!isRecord(body)) throw v1Validation({ loc: ["body"], msg: "Input should be a valid dictionary", type: "dict_type" });
  const issues: ValidationIssue[] = [];
  const destinationId = uuidField(body, "bulk_export_destination_id", issues);
  const sessionId = uuidField(body, "session_id", issues);
  const start = timeField(body, "start_time", true, issues);
  const end = timeField(body, "end_time", false, issues);
  if (body["format"] !== undefined && body["format"] !== null && body["format"] !== "Parquet")
    issues.push(enumIssue("format", ["Parquet"]));
  const formatVersion = enumField<ExportFormatVersion>(body, "format_version", EXPORT_FORMAT_VERSIONS, "v1", issues);
  const compression = enumField<ExportCompression>(body, "compression", EXPORT_COMPRESSIONS, "zstandard", issues);
  const intervalRaw = body["interval_hours"];
  let interval: number | null = null;
  if (intervalRaw !== undefined && intervalRaw !== null) {
    if (typeof intervalRaw !== "number" || !Number.isInteger(intervalRaw))
      issues.push({ loc: ["body", "interval_hours"], msg: "Input should be a valid integer", type: "int_type" });
    else if (intervalRaw < 1)
      issues.push({ loc: ["body", "interval_hours"], msg: "Input should be greater than or equal to 1", type: "greater_than_equal" });
    else if (intervalRaw > MAX_INTERVAL_HOURS)
      issues.push({
        loc: ["body", "interval_hours"],
        msg: `Input should be less than or equal to ${MAX_INTERVAL_HOURS}`,
        type: "less_than_equal",
      });
    else interval = intervalRaw;
  }
  const fieldsRaw = body["export_fields"];
  let exportFields: string[] | null = null;
  if (fieldsRaw !== undefined && fieldsRaw !== null) {
    if (!Array.isArray(fieldsRaw) || fieldsRaw.some((f) => typeof f !== "string")) {
      issues.push({ loc: ["body", "export_fields"], msg: "Input should be a valid list of strings", type: "list_type" });
    } else {
      exportFields = fieldsRaw as string[];
      exportFields.forEach((f, i) => {
        if (!(EXPORT_FIELDS as readonly string[]).includes(f))
          issues.push({ ...enumIssue("export_fields", EXPORT_FIELDS), loc: ["body", "export_fields", i] });
      });
    }
  }
  const filterRaw = body["filter"];
  if (filterRaw !== undefined && filterRaw !== null && typeof filterRaw !== "string")
    issues.push({ loc: ["body", "filter"], msg: "Input should be a valid string", type: "string_type" });
  if (issues.length > 0) throw v1Validation(...issues);

  if (end === null && interval === null) throw v1Error(400, "end_time is required unless interval_hours is set (scheduled export)");
  if (end !== null && interval !== null)
    throw v1Error(400, "end_time cannot be set for a scheduled export (interval_hours); omit end_time");
  if (end !== null && (start as number) >= end) throw v1Error(400, "start_time must be before end_time");
  let filterExpr: FilterExpr | null = null;
  const filter = typeof filterRaw === "string" && filterRaw.trim() !== "" ? filterRaw : null;
  if (filter !== null) {
    try {
      filterExpr = acceptedFilter(filter);
    } catch (e) {
      if (isFilterError(e)) throw v1Error(400, `Invalid filter: ${e.message}`);
      throw e;
    }
  }

  const { sim } = ctx;
  const destination = sim.exports.destinations.get(destinationId);
  if (!destination || destination.tenant_id !== ctx.tenantId) throw v1Error(404, `Bulk export destination ${destinationId} not found`);
  const project = sim.store.project(sessionId);
  if (!project || project.tenant_id !== ctx.tenantId) throw v1Error(404, "Session not found");

  const record = sim.exports.create(
    {
      tenant_id: ctx.tenantId,
      bulk_export_destination_id: destinationId,
      session_id: sessionId,
      start_time: start as number,
      end_time: end,
      filter,
      filterExpr,
      format_version: formatVersion,
      compression,
      interval_hours: interval,
      export_fields: exportFields,
    },
    sim.clock.now(),
  );
  return json(sim.exports.exportView(record));
}

/** A forced status from a newer server is not in the spec's enums: say so to `onResponse`. */
const NEWER_SERVER = "a status forced through /_sim/exports/{id}/force-status emulates a newer server than the published spec";
const marked = (reply: Reply, records: readonly ExportRecord[], ctx: RequestContext): Reply =>
  records.some((r) => ctx.sim.exports.showsUnknownStatus(r)) ? { ...reply, offSpec: NEWER_SERVER } : reply;

function listExports(ctx: RequestContext): Reply {
  const engine = ctx.sim.exports;
  // Newest first, as LangSmith lists them.
  const records = engine.exportsOfTenant(ctx.tenantId).reverse();
  return marked(json(records.map((e) => engine.exportView(e))), records, ctx);
}

function exportOf(ctx: RequestContext): ExportRecord {
  const id = ctx.params["export_id"] ?? "";
  if (!isUuid(id)) throw v1Validation({ loc: ["path", "export_id"], msg: "Input should be a valid UUID", type: "uuid_parsing" });
  const record = ctx.sim.exports.exportById(id.toLowerCase());
  if (!record || record.tenant_id !== ctx.tenantId) throw v1Error(404, "Bulk export not found");
  return record;
}

function getExport(ctx: RequestContext): Reply {
  const record = exportOf(ctx);
  return marked(json(ctx.sim.exports.exportView(record)), [record], ctx);
}

async function patchExport(ctx: RequestContext): Promise<Reply> {
  requirePermission(ctx.principal, "WORKSPACES_MANAGE");
  const record = exportOf(ctx);
  const body = await jsonBody(ctx);
  const status = isRecord(body) ? body["status"] : undefined;
  if (status === undefined) throw v1Validation({ loc: ["body", "status"], msg: "Field required", type: "missing" });
  if (isTerminal(record.status)) {
    throw v1Error(409, `Bulk export ${record.id} is ${record.status} and cannot be restarted or changed; create a new bulk export instead`);
  }
  if (status !== "Cancelled") throw v1Validation({ ...enumIssue("status", ["Cancelled"]), loc: ["body", "status"] });
  const now = ctx.sim.clock.now();
  ctx.sim.exports.cancel(record, now);
  return marked(json(ctx.sim.exports.exportView(record)), [record], ctx);
}

function listRuns(ctx: RequestContext): Reply {
  const record = exportOf(ctx);
  return marked(json(record.runs.map((run) => ctx.sim.exports.runView(record, run))), [record], ctx);
}

function getRun(ctx: RequestContext): Reply {
  const record = exportOf(ctx);
  const runId = ctx.params["run_id"] ?? "";
  if (!isUuid(runId)) throw v1Validation({ loc: ["path", "run_id"], msg: "Input should be a valid UUID", type: "uuid_parsing" });
  const run = record.runs.find((r) => r.id === runId.toLowerCase());
  if (!run) throw v1Error(404, "Bulk export run not found");
  return marked(json(ctx.sim.exports.runView(record, run)), [record], ctx);
}
