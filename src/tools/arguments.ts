import { ProtocolError, ProtocolErrorCode } from "@modelcontextprotocol/server";
import { z } from "zod";
import { UserInputError } from "../errors.js";
import type { AnyToolDefinition } from "./define-tool.js";

/**
 * The one seam where a tool call's arguments become a tool's input.
 *
 * Where the two error kinds go follows MCP 2025-11-25 (server/tools, "Error Handling", from
 * SEP-1303): protocol errors are for "Unknown tools" and "Malformed requests (requests that fail
 * to satisfy CallToolRequest schema)", while tool execution errors (`isError: true`) cover
 * "Input validation errors (e.g., date in wrong format, value out of range)", because "Tool
 * Execution Errors contain actionable feedback that language models can use to self-correct".
 * So an unknown tool answers JSON-RPC -32602 (`invalidParams`), as do arguments that are not an
 * object at all (the SDK checks that against the CallToolRequest schema before our handler
 * runs), and everything about a known tool's argument values is a UserInputError, which
 * the error boundary turns into `isError: true` text naming the field, why, and what to send.
 */

/** A JSON-RPC -32602 (invalid params) error; the SDK sends its message as it is. */
export const invalidParams = (message: string): ProtocolError => new ProtocolError(ProtocolErrorCode.InvalidParams, message);

/** Parses a tool call's arguments into the tool's input, or throws a UserInputError (an `isError` result). */
export function parseArguments(tool: AnyToolDefinition, args: unknown): unknown {
  const schema: z.ZodObject = tool.inputSchema;
  if (args !== undefined && args !== null && !isPlainObject(args)) {
    throw new UserInputError(
      undefined,
      `The arguments of ${tool.name} must be a JSON object of named arguments, not ${kindOf(args)}.`,
      `Its arguments: ${argumentList(schema)}.`,
    );
  }
  const given = withoutNullOptionals(schema, isPlainObject(args) ? args : {});
  const unknown = Object.keys(given).filter((key) => !Object.hasOwn(schema.shape, key));
  const parsed = schema.safeParse(given, { reportInput: true });
  const problems = [
    ...unknown.map((key) => unknownArgument(tool, key)),
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => describeIssue(schema, issue))),
  ];
  if (problems.length === 0) return parsed.data;
  if (problems.length === 1) throw new UserInputError(problems[0]!.field, problems[0]!.message, problems[0]!.hint);
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN);
  const lines = shown.map((p) => `- \`${p.field ?? "arguments"}\`: ${p.message}${p.hint ? ` ${p.hint}` : ""}`);
  if (problems.length > shown.length) lines.push(`- and ${problems.length - shown.length} more.`);
  throw new UserInputError(undefined, `${problems.length} arguments of ${tool.name} are invalid:\n${lines.join("\n")}`);
}

const MAX_PROBLEMS_SHOWN = 5;

/**
 * GPT-5.x, OpenAI strict mode, LibreChat and CrewAI send `null` for an optional argument they
 * mean to leave out. Null is "not given" wherever a field may be absent and null is not one of
 * its own values; then defaults apply as if the key were missing. Nested objects are read the
 * same way. A null for a required field stays, so the error names that field.
 */
export function withoutNullOptionals(schema: z.ZodObject, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const field = Object.hasOwn(schema.shape, key) ? (schema.shape[key] as z.ZodType) : undefined;
    if (!field) {
      out[key] = item;
    } else if (item === null) {
      if (!(field.safeParse(undefined).success && !field.safeParse(null).success)) out[key] = item;
    } else {
      out[key] = withoutNullsIn(field, item);
    }
  }
  return out;
}

function withoutNullsIn(field: z.ZodType, item: unknown): unknown {
  const inner = unwrap(field);
  if (inner instanceof z.ZodObject && isPlainObject(item)) return withoutNullOptionals(inner, item);
  if (inner instanceof z.ZodArray && Array.isArray(item)) return item.map((element) => withoutNullsIn(inner.element as z.ZodType, element));
  return item;
}

/** The schema under optional/default/nullable/pipe wrappers, where an object or array shape lives. */
function unwrap(field: z.ZodType): z.ZodType {
  let current = field;
  for (let depth = 0; depth < 16; depth++) {
    const def = current._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
    if (def.innerType && ["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"].includes(def.type))
      current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else break;
  }
  return current;
}

interface Problem {
  field: string | undefined;
  message: string;
  hint?: string;
}

function unknownArgument(tool: AnyToolDefinition, key: string): Problem {
  const known = Object.keys(tool.inputSchema.shape);
  const guess = closest(key, known);
  return {
    field: key,
    message: `is not an argument of ${tool.name}.${guess ? ` Did you mean \`${guess}\`?` : ""}`,
    hint: `Its arguments: ${argumentList(tool.inputSchema)}.`,
  };
}

function describeIssue(schema: z.ZodObject, issue: z.core.$ZodIssue): Problem {
  const field = issue.path.length ? formatPath(issue.path) : undefined;
  const top =
    typeof issue.path[0] === "string" && Object.hasOwn(schema.shape, issue.path[0])
      ? (schema.shape[issue.path[0]] as z.ZodType)
      : undefined;
  const description = top?.description;
  const expected = description ? `Expected: ${description}` : undefined;
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return { field, message: `is required (${issue.expected}).`, hint: expected };
      if (issue.input === null)
        return { field, message: `is required and cannot be null: send ${article(issue.expected)}.`, hint: expected };
      return { field, message: `must be ${article(issue.expected)}, not ${kindOf(issue.input)}.`, hint: expected };
    }
    case "invalid_value": {
      const allowed = issue.values.map((v) => JSON.stringify(v));
      const guess =
        typeof issue.input === "string"
          ? closest(
              issue.input,
              issue.values.filter((v): v is string => typeof v === "string"),
            )
          : undefined;
      return {
        field,
        message:
          `must be ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(", ")}`}` +
          `${typeof issue.input === "string" ? `, not ${JSON.stringify(issue.input)}` : ""}.${guess ? ` Did you mean "${guess}"?` : ""}` +
          ``,
      };
    }
    case "too_small":
      return { field, message: `${bound(issue.origin, issue.minimum, "at least", issue.inclusive ?? true)}.`, hint: expected };
    case "too_big":
      return { field, message: `${bound(issue.origin, issue.maximum, "at most", issue.inclusive ?? true)}.`, hint: expected };
    case "invalid_format":
      // A pattern with its own message (ids) says what to send; the generic one does not.
      return issue.message && !issue.message.startsWith("Invalid")
        ? { field, message: `${issue.message}.` }
        : { field, message: `is not in the expected ${issue.format === "regex" ? "form" : `${issue.format} format`}.`, hint: expected };
    case "invalid_union":
      return { field, message: "is none of the accepted forms.", hint: expected };
    case "not_multiple_of":
      return { field, message: `must be a multiple of ${issue.divisor}.`, hint: expected };
    default:
      return { field, message: `${issue.message.replace(/\.$/, "")}.`, hint: expected };
  }
}

function bound(origin: string, limit: number | bigint, words: "at least" | "at most", inclusive: boolean): string {
  const n = Number(limit);
  const edge = inclusive ? words : words === "at least" ? "more than" : "less than";
  switch (origin) {
    case "string":
      return n === 1 && words === "at least" ? "must not be empty" : `must be ${edge} ${n} characters long`;
    case "array":
    case "set":
      return `must have ${edge} ${n} item${n === 1 ? "" : "s"}`;
    default:
      return `must be ${edge} ${n}`;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i ? "." : ""}${String(part)}`)).join("");
}

function argumentList(schema: z.ZodObject): string {
  return Object.entries(schema.shape)
    .map(([name, field]) => ((field as z.ZodType).safeParse(undefined).success ? name : `${name} (required)`))
    .join(", ");
}

const article = (type: string): string => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a number";
  return article(typeof value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The candidate a misspelling most likely meant: same letters ignoring case and separators
 * (`pageSize` → `page_size`), else the nearest by edit distance within a third of its length.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  const exact = candidates.find((c) => squash(c) === squash(word));
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(squash(word), squash(candidate));
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
