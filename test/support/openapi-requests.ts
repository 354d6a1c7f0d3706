/**
 * Checks requests against LangSmith's published OpenAPI (the merged, vendored copy): the path
 * and method exist, required parameters are present, no parameter or top-level body field is
 * sent that the spec does not declare, and every value validates against its schema (Ajv,
 * JSON Schema 2020-12 as OpenAPI 3.1 uses). The strict writer's half of "tolerant reader,
 * strict writer": what the spec does not list, a real server may reject or ignore.
 */
import type { Ajv2020, ValidateFunction } from "ajv/dist/2020.js";
import { loadLangSmithSpec, rebaseRefs, SPEC_ID, specAjv, type OpenApiDocument } from "./langsmith-openapi.js";

export interface RecordedRequest {
  method: string;
  /** Path with its query string, as sent. */
  path: string;
  /** JSON text of the body, if any. */
  body?: string | undefined;
}

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: "query" | "path" | "header" | "cookie";
  required?: boolean;
  schema?: Json;
}

interface Operation {
  template: string;
  matcher: RegExp;
  pathNames: string[];
  parameters: Parameter[];
  body: Json | undefined;
}

export class SpecRequestChecker {
  private readonly ajv: Ajv2020;
  private readonly operations = new Map<string, Operation[]>();
  private readonly compiled = new Map<Json, ValidateFunction>();
  readonly spec: OpenApiDocument;

  constructor(spec: OpenApiDocument = loadLangSmithSpec()) {
    // Refs inside operations point at "#/components/…" of the document; register the document
    // under an id and point every ref there, so inline schemas compile on their own.
    this.spec = rebaseRefs(spec);
    this.ajv = specAjv(spec);
    for (const [template, item] of Object.entries(this.spec.paths)) {
      const pathNames: string[] = [];
      const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => {
        pathNames.push(name);
        return "([^/]+)";
      });
      const common = (item["parameters"] as Parameter[] | undefined) ?? [];
      for (const [method, op] of Object.entries(item)) {
        if (method === "parameters") continue;
        const operation = op as Json;
        const body = ((operation["requestBody"] as Json | undefined)?.["content"] as Json | undefined)?.["application/json"] as
          | Json
          | undefined;
        const list = this.operations.get(method.toUpperCase()) ?? [];
        list.push({
          template,
          matcher: new RegExp(`^${pattern}$`),
          pathNames,
          parameters: [...common, ...(((operation["parameters"] as Parameter[] | undefined) ?? []) as Parameter[])],
          body: body?.["schema"] as Json | undefined,
        });
        this.operations.set(method.toUpperCase(), list);
      }
    }
    // Literal paths before templated ones: `/bulk-exports/destinations` is not an export id.
    for (const list of this.operations.values()) list.sort((a, b) => a.pathNames.length - b.pathNames.length);
  }

  /** Every way the request departs from the spec; empty when it conforms. */
  check(request: RecordedRequest): string[] {
    const url = new URL(request.path, "http://x");
    const method = request.method.toUpperCase();
    const op = this.operations.get(method)?.find((o) => o.matcher.test(url.pathname));
    const where = `${method} ${url.pathname}`;
    if (!op) return [`${where}: no such operation in LangSmith's OpenAPI`];
    const problems: string[] = [];
    const match = op.matcher.exec(url.pathname)!;
    op.pathNames.forEach((name, i) => {
      const param = op.parameters.find((p) => p.in === "path" && p.name === name);
      if (param?.schema) problems.push(...this.validate(param.schema, decodeURIComponent(match[i + 1]!), `${where} path ${name}`));
    });
    const queryParams = op.parameters.filter((p) => p.in === "query");
    for (const name of new Set(url.searchParams.keys())) {
      const param = queryParams.find((p) => p.name === name);
      if (!param) {
        problems.push(`${where}: query parameter ${name} is not in the spec (${op.template})`);
        continue;
      }
      const values = url.searchParams.getAll(name);
      const schema = param.schema ?? {};
      const value =
        schemaType(schema) === "array" ? values.map((v) => coerce(itemSchema(schema), v)) : coerce(schema, values[values.length - 1]!);
      problems.push(...this.validate(schema, value, `${where} query ${name}`));
    }
    for (const param of queryParams) {
      if (param.required && !url.searchParams.has(param.name)) problems.push(`${where}: required query parameter ${param.name} is missing`);
    }
    if (request.body !== undefined && request.body !== "") {
      if (!op.body) {
        problems.push(`${where}: sends a body but the spec declares none`);
      } else {
        const body = JSON.parse(request.body) as unknown;
        problems.push(...this.validate(op.body, body, `${where} body`));
        const declared = this.declaredProperties(op.body);
        if (declared && body && typeof body === "object" && !Array.isArray(body)) {
          for (const key of Object.keys(body)) if (!declared.has(key)) problems.push(`${where} body: field ${key} is not in the spec`);
        }
      }
    }
    return problems;
  }

  private validate(schema: Json, value: unknown, where: string): string[] {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (e) => `${where}${e.instancePath}: ${e.message ?? "invalid"} (${JSON.stringify(value).slice(0, 120)})`,
    );
  }

  /** Top-level property names a body schema declares (through $ref, allOf, anyOf), or null if open. */
  private declaredProperties(schema: Json): Set<string> | null {
    const resolved = this.resolve(schema);
    const names = new Set<string>();
    const parts = [
      resolved,
      ...((resolved["allOf"] as Json[] | undefined) ?? []),
      ...((resolved["anyOf"] as Json[] | undefined) ?? []),
    ].map((s) => this.resolve(s));
    let any = false;
    for (const part of parts) {
      const props = part["properties"] as Json | undefined;
      if (props) {
        any = true;
        for (const key of Object.keys(props)) names.add(key);
      }
    }
    return any ? names : null;
  }

  private resolve(schema: Json): Json {
    const ref = schema["$ref"];
    if (typeof ref !== "string") return schema;
    const name = ref.replace(`${SPEC_ID}#/components/schemas/`, "");
    return this.resolve((this.spec.components.schemas[name] ?? {}) as Json);
  }
}

function schemaType(schema: Json): string | undefined {
  const t = schema["type"];
  if (typeof t === "string") return t;
  const anyOf = schema["anyOf"] as Json[] | undefined;
  return anyOf?.map((s) => s["type"]).find((x): x is string => typeof x === "string" && x !== "null");
}

function itemSchema(schema: Json): Json {
  if (schema["items"]) return schema["items"] as Json;
  const anyOf = (schema["anyOf"] as Json[] | undefined)?.find((s) => s["type"] === "array");
  return (anyOf?.["items"] as Json | undefined) ?? {};
}

/** Query values arrive as text: read them as the schema's scalar type. */
function coerce(schema: Json, raw: string): unknown {
  const type = schemaType(schema);
  if (type === "integer" || type === "number") return raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  if (type === "boolean") return raw === "true" ? true : raw === "false" ? false : raw;
  return raw;
}
