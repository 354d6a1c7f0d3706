/**
 * Validates simulator responses against LangSmith's published OpenAPI (the merged, overlaid
 * document of test/support/langsmith-openapi.ts) with Ajv's JSON Schema 2020-12 dialect, the
 * dialect of OpenAPI 3.1. Every deliberate difference from the document is listed in
 * EXCEPTIONS with its reason; everything else must match the spec exactly.
 */
import type { Ajv2020, ValidateFunction } from "ajv/dist/2020.js";
import { loadLangSmithSpec, rebaseRefs, specAjv, type OpenApiDocument } from "../support/langsmith-openapi.js";

type Json = Record<string, unknown>;

/** The documented exceptions, by name; each names what it allows and why. */
export const EXCEPTIONS = {
  unprefixedAliases:
    "LangSmith serves its v1 API also without `/api/v1` (the official SDKs call `<api url>/runs/query` on a bare API URL) and its v2 API under `/v2`: " +
    "such paths are checked as the `/api/v1/…` and `/api/v2/…` operation of the spec.",
  fastApiHttpExceptions:
    "FastAPI's generated OpenAPI lists only 200 and 422 for v1 operations, while the service answers HTTPException statuses " +
    '(400, 401, 403, 404, 409, 413, 429) with FastAPI\'s `{"detail": "<message>"}` body (contract §1): those are checked against that body.',
  gatewayWorkspaceError:
    'An org-scoped key without X-Tenant-Id is refused by LangSmith\'s gateway, before any route, with 403 `{"error": "org_scoped_key_requires_workspace"}` (contract §1).',
  v2UnlistedStatuses:
    "runs.yml lists no 413 or 429 for the v2 operations, yet LangSmith limits body size and rate (contract §1): the simulator answers them as the spec's " +
    "v2 error body, shared.ProblemDetails, and they are checked against it.",
  naiveDateTimes:
    "FastAPI (v1) serialises naive UTC datetimes without an offset (`2026-11-29T10:00:00.123456`) where its schema says `format: date-time`: " +
    "v1 bodies accept an ISO date-time with an optional offset; v2 bodies must be strict RFC 3339.",
  pendingEndTime:
    'query.RunResponse.end_time is typed as a plain string, but its own description says "JSON null if the run has not finished yet": null is accepted there.',
} as const;

/** The FastAPI HTTPException body (exception fastApiHttpExceptions). */
const FASTAPI_HTTP_EXCEPTION: Json = { type: "object", required: ["detail"], properties: { detail: { type: "string" } } };
/** The gateway's refusal (exception gatewayWorkspaceError). */
const GATEWAY_ERROR: Json = {
  type: "object",
  required: ["error"],
  additionalProperties: false,
  properties: { error: { const: "org_scoped_key_requires_workspace" } },
};

export interface SpecOperation {
  /** The spec's path template, e.g. `/api/v1/bulk-exports/{bulk_export_id}`. */
  specPath: string;
  method: string;
  operation: Json;
  /** v1 (FastAPI) or v2 (Go service, problem details). */
  api: "v1" | "v2";
}

export interface ValidationResult {
  ok: boolean;
  /** Which schema was used (a component name, an inline title, or an exception). */
  against: string;
  errors: string[];
}

export class SpecResponseValidator {
  readonly doc: OpenApiDocument;
  private readonly strictAjv: Ajv2020;
  private readonly naiveAjv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ specPath: string; pattern: RegExp; literalSegments: number }>;

  constructor() {
    this.doc = loadLangSmithSpec();
    allowNullEndTime(this.doc);
    this.strictAjv = makeAjv(this.doc, false);
    this.naiveAjv = makeAjv(this.doc, true);
    this.templates = Object.keys(this.doc.paths).map((specPath) => ({
      specPath,
      pattern: new RegExp(
        `^${specPath
          .split("/")
          .map((s) => (/^\{[^}]+\}$/.test(s) ? "[^/]+" : escapeRegExp(s)))
          .join("/")}$`,
      ),
      literalSegments: specPath.split("/").filter((s) => s !== "" && !s.startsWith("{")).length,
    }));
  }

  /** The spec path a served path (or a route pattern such as `/runs/:run_id`) is, after the alias rule. */
  canonicalPath(path: string): string {
    const concrete = path.replace(/:([A-Za-z_]+)/g, "x");
    if (concrete.startsWith("/api/")) return concrete;
    if (concrete === "/v2" || concrete.startsWith("/v2/")) return `/api${concrete}`;
    return `/api/v1${concrete}`;
  }

  /** The spec operation serving `method path`, the most literal template first; undefined when the spec has none. */
  operationFor(method: string, path: string): SpecOperation | undefined {
    const canonical = this.canonicalPath(path);
    const candidates = this.templates.filter((t) => t.pattern.test(canonical) && this.doc.paths[t.specPath]?.[method.toLowerCase()]);
    candidates.sort((a, b) => b.literalSegments - a.literalSegments);
    const best = candidates[0];
    if (!best) return undefined;
    return {
      specPath: best.specPath,
      method: method.toLowerCase(),
      operation: this.doc.paths[best.specPath]?.[method.toLowerCase()] as Json,
      api: best.specPath.startsWith("/api/v2/") ? "v2" : "v1",
    };
  }

  validate(method: string, path: string, status: number, body: unknown): ValidationResult {
    const op = this.operationFor(method, path);
    if (!op) return { ok: false, against: "-", errors: [`the spec has no ${method} ${this.canonicalPath(path)}`] };
    const responses = (op.operation["responses"] ?? {}) as Record<string, Json>;
    const documented = responses[String(status)];
    let schema: Json | undefined;
    let against: string;
    if (documented) {
      const content = documented["content"] as Record<string, { schema?: Json }> | undefined;
      schema = content?.["application/json"]?.schema;
      against = `${op.specPath} ${status}`;
      if (!schema) return { ok: false, against, errors: ["the documented response has no application/json schema"] };
    } else if (status === 403 && isRecord(body) && "error" in body) {
      schema = GATEWAY_ERROR;
      against = "exception gatewayWorkspaceError";
    } else if (op.api === "v1" && status >= 400 && status < 500) {
      schema = FASTAPI_HTTP_EXCEPTION;
      against = "exception fastApiHttpExceptions";
    } else if (op.api === "v2" && (status === 413 || status === 429)) {
      schema = { $ref: "#/components/schemas/shared.ProblemDetails" };
      against = "exception v2UnlistedStatuses";
    } else {
      return { ok: false, against: "-", errors: [`the spec lists no ${status} response for ${op.method.toUpperCase()} ${op.specPath}`] };
    }
    const validator = this.compile(schema, op.api === "v1");
    const ok = validator(body) as boolean;
    return {
      ok,
      against,
      errors: ok ? [] : (validator.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`),
    };
  }

  private compile(schema: Json, naive: boolean): ValidateFunction {
    const key = `${naive ? "v1" : "v2"}:${JSON.stringify(schema)}`;
    let fn = this.cache.get(key);
    if (!fn) {
      fn = (naive ? this.naiveAjv : this.strictAjv).compile(rebase(schema));
      this.cache.set(key, fn);
    }
    return fn;
  }
}

/** Points the document's local `#/components/…` references at the registered document. */
const rebase = (schema: Json): Json => rebaseRefs(schema);

function makeAjv(doc: OpenApiDocument, naiveDateTimes: boolean): Ajv2020 {
  const ajv = specAjv(doc);
  // Go's swag writes number formats JSON Schema has no vocabulary for; their type is checked.
  ajv.addFormat("float64", { type: "number", validate: () => true });
  if (naiveDateTimes) {
    const iso = ajv.formats["iso-date-time"];
    if (!iso) throw new Error("ajv-formats has no iso-date-time format");
    ajv.addFormat("date-time", iso);
  }
  return ajv;
}

/** Exception pendingEndTime. */
function allowNullEndTime(doc: OpenApiDocument): void {
  const run = doc.components.schemas["query.RunResponse"] as { properties: Record<string, Json> } | undefined;
  const endTime = run?.properties["end_time"];
  if (!run || !endTime) throw new Error("query.RunResponse.end_time is not in the spec any more: drop the pendingEndTime exception");
  const { description, example, ...rest } = endTime;
  run.properties["end_time"] = { anyOf: [rest, { type: "null" }], description, example };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
