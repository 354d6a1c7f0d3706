import type { FilterCall, FilterExpr, FilterNode, FilterScalar } from "./ast.js";
import { PAIR_FAMILY_FIELDS, findAttribute, type FilterAttribute, type PairFamily } from "./attributes.js";
import { assertEvaluable } from "./check.js";
import { findOperator } from "./operators.js";
import type { FilterableRun } from "./subject.js";
import { parseDuration, parseIsoTimestamp, parseNumericString } from "./values.js";

/**
 * Evaluates filters against runs: the simulator's stand-in for LangSmith's own evaluation.
 *
 * Pairing: the key and value attributes of one collection (`metadata_key`/`metadata_value`,
 * `feedback_key`/`feedback_score`/`feedback_value`, `input_key`/`input_value`,
 * `output_key`/`output_value`) compared positively (anything but `neq`) under the same
 * nearest enclosing `and(...)` all refer to ONE entry of that collection: the `and` holds
 * when some single entry satisfies them all. Outside any `and`, each such comparison asks
 * "is there an entry for which this holds".
 *
 * Negation follows LangSmith's "Negative filtering on key-value pairs" examples
 * (docs.langchain.com/langsmith/export-traces):
 * - `neq(metadata_key, "k")`: the run has no key k (whatever else the `and` says);
 * - `and(eq(metadata_key, "k"), neq(metadata_value, "v"))`: key k is there and its value is not v;
 * - `neq(metadata_value, "v")` with no positive key beside it: no entry has the value v.
 *
 * Values of metadata, inputs and outputs compare as text: strings as they are, numbers and
 * booleans as their JSON text (metadata 123 equals "123"), objects and arrays as their
 * compact JSON text. Inputs and outputs are also entered at their nested paths, with dots
 * and without array indexes: `{"messages": [{"content": "hi"}]}` has the entry
 * `messages.content` = "hi" (the bulk-export docs filter on `eq(input_key, "messages.content")`).
 *
 * `neq` on any other attribute is the negation of `eq`: `neq(thread_id, "t")` holds for runs
 * without a thread. Ordering comparisons (`gt`, ...) and `like` never hold for a null value.
 */
export type RunPredicate = (run: FilterableRun) => boolean;

export function evaluateFilter(expr: FilterExpr, run: FilterableRun): boolean {
  return compileFilter(expr)(run);
}

const compiled = new WeakMap<FilterExpr, RunPredicate>();

/**
 * Checks that every comparison has a meaning here (throwing FilterError at the first one
 * that has not: unknown operator or attribute, wrong shape, unreadable value) and returns a
 * predicate, with timestamps and durations already decoded: the form to use over many runs.
 */
export function compileFilter(expr: FilterExpr): RunPredicate {
  const cached = compiled.get(expr);
  if (cached) return cached;
  assertEvaluable(expr);
  const predicate = compileNode(expr);
  const top: RunPredicate = (run) => predicate(run, NO_BINDINGS);
  compiled.set(expr, top);
  return top;
}

interface Entry {
  readonly key: string;
  readonly value: unknown;
  /** Feedback only: the categorical values given under the key. */
  readonly labels?: readonly string[];
}

type Bindings = Readonly<Partial<Record<PairFamily, Entry>>>;
type Predicate = (run: FilterableRun, bound: Bindings) => boolean;
/** Tests one attribute value (a run field, an entry's key or an entry's value). */
type ValueTest = (value: unknown) => boolean;

const NO_BINDINGS: Bindings = Object.freeze({});

function compileNode(node: FilterNode): Predicate {
  // assertEvaluable has run: every boolean position holds a call to a known operator.
  const call = node as FilterCall;
  const operator = findOperator(call.op);
  switch (operator?.shape) {
    case "logical":
      return compileLogical(call);
    case "search":
      if (call.args.length === 1) return compileGlobalSearch(textOfLiteral(call.args[0]));
      return compileAttributeTest(call, searchTest(attributeOf(call), textOfLiteral(call.args[1])));
    case "exists": {
      const key = textOfLiteral(call.args[1]);
      return compileAttributeTest(call, (v) => isPlainObject(v) && Object.hasOwn(v, key));
    }
    case "membership": {
      const attribute = attributeOf(call);
      const items = call.args[1]?.type === "list" ? call.args[1].items : [];
      const tests = items.map((item) => equalityTest(attribute, literalOf(item)));
      return compileAttributeTest(call, (v) => tests.some((t) => t(v)));
    }
    case "compare":
      if (call.op === "neq") {
        return compileAttributeTest(call, equalityTest(attributeOf(call), literalOf(call.args[1])), true);
      }
      return compileAttributeTest(call, comparisonTest(call.op, attributeOf(call), literalOf(call.args[1])));
    default:
      return () => false;
  }
}

function compileLogical(call: FilterCall): Predicate {
  const children = call.args.map(compileNode);
  if (call.op === "not") {
    const [child] = children;
    return (run, bound) => !(child?.(run, bound) ?? false);
  }
  if (call.op === "or") return (run, bound) => children.some((c) => c(run, bound));
  const all: Predicate = (run, bound) => children.every((c) => c(run, bound));
  const families = familiesBoundBy(call);
  if (families.length === 0) return all;
  return (run, bound) => someBinding(run, families, 0, bound, all);
}

/** Tries every combination of entries of the families this `and` binds. */
function someBinding(run: FilterableRun, families: readonly PairFamily[], index: number, bound: Bindings, body: Predicate): boolean {
  const family = families[index];
  if (family === undefined) return body(run, bound);
  for (const entry of entriesOf(run, family)) {
    if (someBinding(run, families, index + 1, { ...bound, [family]: entry }, body)) return true;
  }
  return false;
}

/** Families of positive pair comparisons whose nearest enclosing `and` is `and` itself. */
function familiesBoundBy(and: FilterCall): PairFamily[] {
  const found = new Set<PairFamily>();
  const visit = (node: FilterNode): void => {
    if (node.type !== "call") return;
    const shape = findOperator(node.op)?.shape;
    if (shape === "logical") {
      if (node.op !== "and") node.args.forEach(visit);
      return;
    }
    if (node.op === "neq") return;
    const first = node.args[0];
    const family = first?.type === "attribute" ? findAttribute(first.name)?.family : undefined;
    if (family) found.add(family);
  };
  and.args.forEach(visit);
  return [...found];
}

function entriesOf(run: FilterableRun, family: PairFamily): Entry[] {
  switch (family) {
    case "feedback": {
      const keys = new Set([...Object.keys(run.feedback), ...Object.keys(run.feedback_values)]);
      return [...keys].map((key) => ({ key, value: run.feedback[key] ?? null, labels: run.feedback_values[key] ?? [] }));
    }
    case "metadata":
      return Object.entries(run.metadata).map(([key, value]) => ({ key, value }));
    case "input":
    case "output": {
      const entries: Entry[] = [];
      for (const [key, value] of Object.entries(run[PAIR_FAMILY_FIELDS[family]])) {
        entries.push({ key, value });
        if (typeof value === "object" && value !== null) nestedEntries(value, key, entries, 1);
      }
      return entries;
    }
  }
}

/** Leaves below a top-level key, at dotted paths; array items sit at their array's path. */
function nestedEntries(value: object, path: string, out: Entry[], depth: number): void {
  if (depth >= MAX_SEARCH_DEPTH) return;
  const children: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item) => [path, item])
    : Object.entries(value).map(([k, v]) => [`${path}.${k}`, v]);
  for (const [childPath, child] of children) {
    if (typeof child === "object" && child !== null) nestedEntries(child, childPath, out, depth + 1);
    else out.push({ key: childPath, value: child });
  }
}

/** What of an entry a pair attribute reads: its key, its value, or (feedback_value) its labels. */
function candidatesOf(attribute: FilterAttribute): (e: Entry) => readonly unknown[] {
  if (attribute.kind === "pair-key") return (e) => [e.key];
  if (attribute.name === "feedback_value") return (e) => e.labels ?? [];
  return (e) => [e.value];
}

/**
 * Applies a value test to what the call's attribute reads, honouring pair bindings.
 * `negated` is neq: see the header for how it reads on pairs.
 */
function compileAttributeTest(call: FilterCall, test: ValueTest, negated = false): Predicate {
  const attribute = attributeOf(call);
  const family = attribute.family;
  if (family === undefined) {
    const field = attribute.reads;
    return negated ? (run) => !test(run[field]) : (run) => test(run[field]);
  }
  const candidates = candidatesOf(attribute);
  const holds = (e: Entry): boolean => candidates(e).some(test);
  if (negated && attribute.kind === "pair-key") return (run) => !entriesOf(run, family).some(holds);
  if (negated) {
    return (run, bound) => {
      const entry = bound[family];
      return entry ? !holds(entry) : !entriesOf(run, family).some(holds);
    };
  }
  return (run, bound) => {
    const entry = bound[family];
    if (entry) return holds(entry);
    return entriesOf(run, family).some(holds);
  };
}

/** The canonical form of a value for equality: what both sides are reduced to before ===. */
type Normalize = (value: unknown) => unknown;

function normalizerFor(attribute: FilterAttribute): Normalize {
  switch (attribute.kind) {
    case "enum":
      return (v) => (typeof v === "string" ? v.toLowerCase() : v);
    case "number":
      return (v) => (typeof v === "string" ? (parseNumericString(v) ?? v) : v);
    case "time":
      return (v) => (typeof v === "string" ? (parseIsoTimestamp(v) ?? v) : v);
    case "duration":
      return (v) => (typeof v === "string" ? (parseDuration(v) ?? v) : v);
    case "pair-value":
      return attribute.valueType === "number" ? (v) => (typeof v === "string" ? (parseNumericString(v) ?? v) : v) : (v) => textOf(v);
    default:
      return (v) => (v === undefined ? null : v);
  }
}

function equalityTest(attribute: FilterAttribute, literal: FilterScalar): ValueTest {
  const normalize = normalizerFor(attribute);
  const wanted = literal === null ? null : normalize(literal);
  if (attribute.kind === "list") {
    return (v) => Array.isArray(v) && v.includes(wanted);
  }
  return (v) => {
    const actual = v === undefined ? null : normalize(v);
    return actual === wanted;
  };
}

type Ordering = (actual: number, wanted: number) => boolean;

const ORDERINGS: Readonly<Record<string, Ordering>> = {
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
};

function comparisonTest(op: string, attribute: FilterAttribute, literal: FilterScalar): ValueTest {
  const ordering = ORDERINGS[op];
  if (ordering) {
    const wanted = literal === null ? undefined : normalizerFor(attribute)(literal);
    if (typeof wanted !== "number") return () => false;
    return (v) => typeof v === "number" && ordering(v, wanted);
  }
  if (op === "like") return likeTest(attribute, typeof literal === "string" ? literal : "");
  if (op === "has" && attribute.kind === "json") return containmentTest(literal);
  return equalityTest(attribute, literal);
}

/**
 * SQL LIKE, case-sensitive as in SQL (ClickHouse's `like`; `ilike` is the case-insensitive
 * one): `%` any run of characters, `_` exactly one, a backslash makes the next one literal.
 */
function likeTest(attribute: FilterAttribute, pattern: string): ValueTest {
  const regex = likePattern(pattern);
  const matches = (v: unknown): boolean => {
    const text = textOf(v);
    return text !== null && regex.test(text);
  };
  if (attribute.kind === "list") return (v) => Array.isArray(v) && v.some(matches);
  return matches;
}

function likePattern(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i);
    if (ch === "\\" && i + 1 < pattern.length) {
      source += escapeRegex(pattern.charAt(++i));
    } else if (ch === "%") {
      source += "[\\s\\S]*";
    } else if (ch === "_") {
      source += "[\\s\\S]";
    } else {
      source += escapeRegex(ch);
    }
  }
  return new RegExp(`^${source}$`, "u");
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * `has(metadata, '{"user_id": "47461"}')`: every key of the object is in the metadata with an
 * equal JSON value, read as PostgreSQL's jsonb `@>` (objects contain sub-objects, arrays
 * contain the listed items, scalars equal with their type: 47461 is not "47461").
 */
function containmentTest(literal: FilterScalar): ValueTest {
  let wanted: unknown;
  try {
    wanted = typeof literal === "string" ? JSON.parse(literal) : undefined;
  } catch {
    wanted = undefined;
  }
  if (!isPlainObject(wanted)) return () => false;
  return (v) => jsonContains(v, wanted, 0);
}

function jsonContains(actual: unknown, wanted: unknown, depth: number): boolean {
  if (depth > MAX_SEARCH_DEPTH) return false;
  if (Array.isArray(wanted)) {
    return Array.isArray(actual) && wanted.every((w) => actual.some((a) => jsonContains(a, w, depth + 1)));
  }
  if (isPlainObject(wanted)) {
    return (
      isPlainObject(actual) && Object.entries(wanted).every(([k, w]) => Object.hasOwn(actual, k) && jsonContains(actual[k], w, depth + 1))
    );
  }
  return actual === wanted;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function searchTest(attribute: FilterAttribute, text: string): ValueTest {
  const needle = text.toLowerCase();
  const contains = (v: unknown): boolean => {
    const hay = textOf(v);
    return hay?.toLowerCase().includes(needle) ?? false;
  };
  if (attribute.kind === "list") return (v) => Array.isArray(v) && v.some(contains);
  return contains;
}

/** Global search: name, error, tags, and every scalar inside inputs, outputs and metadata values. */
function compileGlobalSearch(text: string): Predicate {
  const needle = text.toLowerCase();
  const hit = (s: string): boolean => s.toLowerCase().includes(needle);
  return (run) =>
    hit(run.name) ||
    (run.error !== null && hit(run.error)) ||
    run.tags.some(hit) ||
    someLeaf(run.inputs, hit, 0) ||
    someLeaf(run.outputs, hit, 0) ||
    Object.values(run.metadata).some((v) => someLeaf(v, hit, 0));
}

/** Run payloads are JSON documents; the depth cap only guards against pathological nesting. */
const MAX_SEARCH_DEPTH = 32;

function someLeaf(value: unknown, hit: (s: string) => boolean, depth: number): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "string") return hit(value);
  if (typeof value === "number" || typeof value === "boolean") return hit(String(value));
  if (depth >= MAX_SEARCH_DEPTH || typeof value !== "object") return false;
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => someLeaf(child, hit, depth + 1));
}

/** Text form of a metadata, input or output value; null for null/undefined. */
function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}

function attributeOf(call: FilterCall): FilterAttribute {
  const first = call.args[0];
  const attribute = first?.type === "attribute" ? findAttribute(first.name) : undefined;
  if (!attribute) throw new Error(`filter not validated: ${call.op} has no known attribute`);
  return attribute;
}

function literalOf(node: FilterNode | undefined): FilterScalar {
  return node?.type === "literal" ? node.value : null;
}

function textOfLiteral(node: FilterNode | undefined): string {
  const value = literalOf(node);
  return typeof value === "string" ? value : "";
}
