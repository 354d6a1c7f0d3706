/**
 * LangSmith's published OpenAPI 3.1 description, merged from the per-tag files vendored in
 * test/fixtures/langsmith-openapi/ (see its README for source and commit), with the documented
 * corrections of OVERLAY applied. This is the outside truth that the simulator's responses,
 * the client's requests and Prism's generated responses are checked against; nothing here is
 * derived from our own client or simulator.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";

export const SPEC_DIR = fileURLToPath(new URL("../fixtures/langsmith-openapi/", import.meta.url));

type Json = Record<string, unknown>;
export interface OpenApiDocument extends Json {
  openapi: string;
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
}

/**
 * Corrections from LangSmith's own, newer descriptions, each naming its source. The vendored
 * copy predates them; where they disagree, the newer published contract wins.
 */
export const OVERLAY: ReadonlyArray<{ what: string; source: string; apply: (doc: OpenApiDocument) => void }> = [
  {
    what: "BulkExport.session_id is nullable (all_experiments exports have no project)",
    source: "langchain-ai/docs src/langsmith/langsmith-platform-openapi.json, BulkExport",
    apply: (doc) => nullable(schema(doc, "BulkExport"), "session_id"),
  },
  {
    what: "BulkExportDestinationS3Config.bucket_name is nullable",
    source: "langchain-ai/docs src/langsmith/langsmith-platform-openapi.json, BulkExportDestinationS3Config",
    apply: (doc) => nullable(schema(doc, "BulkExportDestinationS3Config"), "bucket_name"),
  },
  {
    what: "bulk export compression defaults to zstandard",
    source: "langchain-ai/docs src/langsmith/langsmith-platform-openapi.json, BulkExportCreate/BulkExport",
    apply: (doc) => {
      for (const name of ["BulkExport", "BulkExportCreate"]) {
        const compression = props(schema(doc, name))["compression"] as Json | undefined;
        if (compression) compression["default"] = "zstandard";
      }
    },
  },
  {
    what: "GET /api/v2/runs/{run_id}: start_time is optional",
    source: "langsmith (npm) 0.12 resources/runs/runs.d.ts, RunRetrieveV2Params.start_time?",
    apply: (doc) => {
      const get = doc.paths["/api/v2/runs/{run_id}"]?.["get"] as { parameters?: Json[] } | undefined;
      for (const p of get?.parameters ?? []) if (p["name"] === "start_time" && p["in"] === "query") p["required"] = false;
    },
  },
];

/** The vendored per-tag files, parsed, in file-name order. */
export function loadSpecFiles(): Array<{ file: string; doc: OpenApiDocument }> {
  return readdirSync(SPEC_DIR)
    .filter((f) => f.endsWith(".yml"))
    .sort()
    .map((file) => ({ file, doc: parse(readFileSync(join(SPEC_DIR, file), "utf8")) as OpenApiDocument }));
}

/**
 * One OpenAPI document from all vendored files. Paths that the per-tag files write without the
 * `/api` prefix (`/v2/runs/query`, `/v2/threads/query`, `/runs`) are served by LangSmith under
 * `/api` (the official SDK calls `/api/v2/runs/query`), so they get it here.
 * @throws when two files define the same component schema differently or the same operation twice.
 */
export function loadLangSmithSpec(options: { overlay?: boolean } = {}): OpenApiDocument {
  const merged: OpenApiDocument = {
    openapi: "3.1.0",
    info: { title: "LangSmith API (merged from the vendored per-tag files)", version: "0.1.0" },
    servers: [{ url: "/" }],
    paths: {},
    components: { schemas: {}, securitySchemes: {} },
  };
  for (const { file, doc } of loadSpecFiles()) {
    for (const [rawPath, item] of Object.entries(doc.paths ?? {})) {
      const path = rawPath.startsWith("/api/") ? rawPath : `/api${rawPath}`;
      const target = (merged.paths[path] ??= {});
      for (const [method, op] of Object.entries(item)) {
        if (target[method]) throw new Error(`${file}: ${method.toUpperCase()} ${path} is defined twice`);
        target[method] = op;
      }
    }
    for (const [name, value] of Object.entries(doc.components?.schemas ?? {})) {
      const existing = merged.components.schemas[name];
      if (existing && JSON.stringify(existing) !== JSON.stringify(value))
        throw new Error(`${file}: schema ${name} differs from an earlier file`);
      merged.components.schemas[name] = value;
    }
    Object.assign(merged.components.securitySchemes, doc.components?.securitySchemes ?? {});
  }
  if (options.overlay !== false) for (const fix of OVERLAY) fix.apply(merged);
  return merged;
}

/** Writes the merged document as JSON to a temporary file (for Prism) and returns its path. */
export function writeMergedSpec(dir: string = tmpdir()): string {
  const path = join(dir, `langsmith-openapi-${process.pid}-${Date.now()}.json`);
  writeFileSync(path, JSON.stringify(loadLangSmithSpec()));
  return path;
}

function schema(doc: OpenApiDocument, name: string): Json {
  const found = doc.components.schemas[name];
  if (!found) throw new Error(`overlay: schema ${name} is not in the spec`);
  return found;
}

function props(s: Json): Record<string, Json> {
  return (s["properties"] ?? {}) as Record<string, Json>;
}

/**
 * Makes `field` accept null as well. It stays in `required` if listed: the correction is "the
 * field is present but may be null", not "the field may be absent".
 */
function nullable(s: Json, field: string): void {
  const p = props(s);
  const current = p[field];
  if (!current) throw new Error(`overlay: no property ${field}`);
  if (Array.isArray(current["anyOf"]) && (current["anyOf"] as Json[]).some((v) => v["type"] === "null")) return;
  const { title, ...rest } = current;
  p[field] = { anyOf: [rest, { type: "null" }], ...(title !== undefined ? { title } : {}) };
}

/** The id under which `specAjv` registers the spec's components. */
export const SPEC_ID = "https://langsmith.example/openapi.json";

/** Points a document's local `#/components/…` references at the components `specAjv` registered. */
export function rebaseRefs<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/components/', `"${SPEC_ID}#/components/`)) as T;
}

/**
 * An Ajv for JSON Schema 2020-12 (OpenAPI 3.1's dialect) that knows the spec's components under
 * SPEC_ID, with ajv-formats. `strict: false` only because the spec carries OpenAPI keywords
 * (example, discriminator, x-…); types, required fields, enums, patterns and formats are enforced.
 */
export function specAjv(doc: OpenApiDocument = loadLangSmithSpec()): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: SPEC_ID, components: rebaseRefs(doc.components) });
  return ajv;
}
