/**
 * The JSON Schema subsets that agent clients' model APIs accept for a function's parameters,
 * written down from their documentation (not derived from our own schemas), and checkers that
 * list where a schema leaves them.
 */

type Schema = Record<string, unknown>;

/**
 * Gemini API function declarations: `parameters` is a `Schema`, "a select subset of an OpenAPI
 * 3.0 schema object". Fields of google.ai.generativelanguage.v1beta.Schema as published in
 * @google-ai/generativelanguage 3.7.0
 * (https://docs.cloud.google.com/nodejs/docs/reference/generativelanguage/latest/generativelanguage/protos.google.ai.generativelanguage.v1beta.ischema,
 * the same list as https://ai.google.dev/api/caching#Schema). An unknown field (`$schema`,
 * `additionalProperties`, `const`, `oneOf`, `$ref`…) fails the whole request. Earlier releases of
 * the proto (googleapis/googleapis content.proto, 2025) lacked minLength, maxLength, pattern,
 * minProperties, maxProperties and example.
 */
export const GEMINI = {
  source: "google.ai.generativelanguage.v1beta.Schema (ai.google.dev/api/caching#Schema)",
  fields: new Set([
    "type",
    "format",
    "title",
    "description",
    "nullable",
    "enum",
    "maxItems",
    "minItems",
    "properties",
    "required",
    "minProperties",
    "maxProperties",
    "minLength",
    "maxLength",
    "pattern",
    "example",
    "anyOf",
    "propertyOrdering",
    "default",
    "items",
    "minimum",
    "maximum",
  ]),
  /** `Type`: STRING, NUMBER, INTEGER, BOOLEAN, ARRAY, OBJECT, NULL (one type, never a list). */
  types: new Set(["STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL"]),
  /** content.proto on `format`: "for NUMBER type: float, double; for INTEGER type: int32, int64; for STRING type: enum, date-time". */
  formats: { STRING: new Set(["enum", "date-time"]), NUMBER: new Set(["float", "double"]), INTEGER: new Set(["int32", "int64"]) } as Record<
    string,
    Set<string>
  >,
  /** `enum`: "repeated string". */
  /** FunctionDeclaration.parameters (Vertex AI reference): "Parameter names must start with a letter or an underscore and must only contain chars a-z, A-Z, 0-9, or underscores with a maximum length of 64." */
  parameterName: /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
  /** FunctionDeclaration.name: "Must be a-z, A-Z, 0-9, or contain underscores and dashes, with a maximum length of 63." */
  functionName: /^[A-Za-z0-9_-]{1,63}$/,
};

/** Where `schema` (a function's parameters) leaves Gemini's Schema subset; empty when it fits. */
export function geminiProblems(schema: Schema, path = "parameters"): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(schema)) if (!GEMINI.fields.has(key)) problems.push(`${path}: field "${key}" is not in ${GEMINI.source}`);
  const type = schema.type;
  if (type === undefined) {
    // The proto marks type required; a node that is only an anyOf carries its types in the branches.
    if (!Array.isArray(schema.anyOf)) problems.push(`${path}: no type`);
  } else if (typeof type !== "string" || !GEMINI.types.has(type.toUpperCase())) {
    problems.push(`${path}: type ${JSON.stringify(type)} is not one Gemini Type`);
  }
  if (schema.format !== undefined) {
    const allowed = typeof type === "string" ? GEMINI.formats[type.toUpperCase()] : undefined;
    if (!allowed?.has(String(schema.format)))
      problems.push(`${path}: format "${String(schema.format)}" is not supported for type ${String(type)}`);
  }
  if (schema.enum !== undefined && !(Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === "string")))
    problems.push(`${path}: enum values must be strings`);
  if (schema.properties) {
    for (const [name, sub] of Object.entries(schema.properties as Record<string, Schema>)) {
      if (path === "parameters" && !GEMINI.parameterName.test(name)) problems.push(`${path}: parameter name "${name}" is not allowed`);
      problems.push(...geminiProblems(sub, `${path}.${name}`));
    }
  }
  if (String(type).toUpperCase() === "ARRAY" && !schema.items) problems.push(`${path}: an array needs items`);
  if (schema.items) problems.push(...geminiProblems(schema.items as Schema, `${path}[]`));
  if (Array.isArray(schema.anyOf))
    for (const [i, sub] of (schema.anyOf as Schema[]).entries()) problems.push(...geminiProblems(sub, `${path}.anyOf[${i}]`));
  return problems;
}

/**
 * OpenAI function calling with `strict: true` (Structured Outputs), from
 * https://platform.openai.com/docs/guides/structured-outputs#supported-schemas: "all fields must
 * be required" (an optional field is emulated as a union with null), "additionalProperties: false
 * must always be set in objects", root must be an object and not anyOf. Supported properties
 * besides type, properties, required, additionalProperties, items, enum, const, anyOf,
 * description, $ref/$defs: for strings pattern, format; for numbers multipleOf, maximum,
 * exclusiveMaximum, minimum, exclusiveMinimum; for arrays minItems, maxItems. Anything else (here:
 * minLength, maxLength, default) is refused in strict mode. Without `strict`, function parameters
 * are plain JSON Schema, which the Ajv test covers.
 */
export const OPENAI_STRICT = {
  source: "platform.openai.com/docs/guides/structured-outputs#supported-schemas",
  keywords: new Set([
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "anyOf",
    "description",
    "title",
    "$ref",
    "$defs",
    "pattern",
    "format",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "minItems",
    "maxItems",
  ]),
  formats: new Set(["date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"]),
};

/** Where `schema` leaves OpenAI's strict subset as it stands. */
export function openAiStrictProblems(schema: Schema, path = "parameters"): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(schema))
    if (!OPENAI_STRICT.keywords.has(key)) problems.push(`${path}: "${key}" is not supported in strict mode`);
  if (schema.format !== undefined && !OPENAI_STRICT.formats.has(String(schema.format)))
    problems.push(`${path}: format "${String(schema.format)}"`);
  if (schema.properties) {
    const required = new Set((schema.required as string[] | undefined) ?? []);
    if (schema.additionalProperties !== false) problems.push(`${path}: additionalProperties is not false`);
    for (const [name, sub] of Object.entries(schema.properties as Record<string, Schema>)) {
      if (!required.has(name)) problems.push(`${path}.${name}: not required`);
      problems.push(...openAiStrictProblems(sub, `${path}.${name}`));
    }
  }
  if (schema.items) problems.push(...openAiStrictProblems(schema.items as Schema, `${path}[]`));
  if (Array.isArray(schema.anyOf))
    for (const [i, sub] of (schema.anyOf as Schema[]).entries()) problems.push(...openAiStrictProblems(sub, `${path}.anyOf[${i}]`));
  return problems;
}

/**
 * The rewrite strict-mode clients apply to a tool's schema (the documented way to express an
 * optional field): every object closed with additionalProperties: false, every property required,
 * each formerly optional one widened to also accept null. Our argument parser reads those nulls as
 * "not given", so the rewrite changes nothing for the server.
 */
export function strictRewrite(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (schema.properties) {
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const properties: Record<string, Schema> = {};
    for (const [name, sub] of Object.entries(schema.properties as Record<string, Schema>)) {
      const strict = strictRewrite(sub);
      properties[name] = required.has(name) ? strict : { anyOf: [strict, { type: "null" }] };
    }
    out.properties = properties;
    out.required = Object.keys(properties);
    out.additionalProperties = false;
  }
  if (schema.items) out.items = strictRewrite(schema.items as Schema);
  if (Array.isArray(schema.anyOf)) out.anyOf = (schema.anyOf as Schema[]).map(strictRewrite);
  return out;
}
