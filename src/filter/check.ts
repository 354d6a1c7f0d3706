import { MAX_NESTING_DEPTH, type FilterCall, type FilterExpr, type FilterNode, type FilterScalar } from "./ast.js";
import { ATTRIBUTE_NAMES, findAttribute, type FilterAttribute, type FilterAttributeKind } from "./attributes.js";
import { FilterError } from "./error.js";
import { OPERATOR_NAMES, findOperator, type FilterOperator } from "./operators.js";
import { parseFilter } from "./parser.js";
import { printScalar } from "./printer.js";
import { sourceOf, spanOf } from "./spans.js";
import { didYouMean } from "./suggest.js";
import { parseDuration, parseIsoTimestamp, parseNumericString } from "./values.js";

export interface CheckedFilter {
  readonly expr: FilterExpr;
  /** Things that are accepted but may not behave as expected on a real LangSmith. */
  readonly warnings: string[];
}

export const NOT_WARNING =
  "not(...) is documented by LangSmith for dataset filters only; a real LangSmith may reject it on run queries. " +
  "Prefer neq(...) or the opposite comparator where one exists.";

/**
 * Parses and validates a filter: known operators with the right number of arguments, known
 * attributes, values that fit each attribute. Throws FilterError ("syntax" from the parser,
 * "semantic" from here) pointing at the offending token.
 */
export function checkFilter(text: string): CheckedFilter {
  const expr = parseFilter(text);
  return { expr, warnings: validateFilter(expr) };
}

/** Semantic validation of a tree (parsed or hand-built); returns warnings, throws FilterError. */
export function validateFilter(expr: FilterExpr): string[] {
  const checker = new Checker(sourceOf(expr));
  checker.filter(expr);
  return [...checker.warnings];
}

const EXPECTED_FILTER = "a comparator such as eq(...)";

const USAGE: Readonly<Record<FilterOperator["shape"], (op: string) => string>> = {
  logical: (op) => (op === "not" ? "not(filter)" : `${op}(filter, ...)`),
  compare: (op) => `${op}(attribute, value)`,
  membership: (op) => `${op}(attribute, [value, ...])`,
  search: () => 'search("text") or search(attribute, "text")',
};

const KIND_PHRASE: Readonly<Record<FilterAttributeKind, string>> = {
  string: "a text attribute",
  enum: "a text attribute",
  number: "a number",
  time: "a timestamp",
  duration: "a duration",
  boolean: "a boolean",
  list: "a list",
  "pair-key": "a key, compared as text",
  "pair-value": "a value",
};

const KIND_ADVICE: Readonly<Record<FilterAttributeKind, (name: string) => string>> = {
  string: () => "use eq, neq, in or search",
  enum: () => "use eq, neq, in or search",
  number: () => "use eq, neq, gt, gte, lt, lte or in",
  time: () => "use gt, gte, lt or lte with an ISO timestamp",
  duration: (name) => `use gt, gte, lt or lte, e.g. gt(${name}, "5s")`,
  boolean: (name) => `use eq(${name}, true) or eq(${name}, false)`,
  list: (name) => `use has(${name}, "x")`,
  "pair-key": () => "use eq, neq, in or search",
  "pair-value": () => "use eq, neq, in or search",
};

const EXAMPLE_TIMESTAMP = '"2024-05-01T00:00:00Z"';

class Checker {
  readonly warnings = new Set<string>();

  constructor(private readonly source: string | undefined) {}

  filter(node: FilterNode, depth = 1): void {
    // The parser caps nesting already; hand-built trees get the same limit here.
    if (depth > MAX_NESTING_DEPTH) {
      throw this.error(node, `at most ${MAX_NESTING_DEPTH} levels of nesting`, (at) => `filter nests deeper than ${MAX_NESTING_DEPTH} levels ${at}`);
    }
    if (node.type !== "call") throw this.error(node, EXPECTED_FILTER, (at) => `expected ${EXPECTED_FILTER} ${at}, found ${describeNode(node)}`);
    const operator = findOperator(node.op);
    if (!operator) {
      const expected = `an operator (${OPERATOR_NAMES.join(", ")})`;
      throw this.error(node, expected, (at) => `unknown operator "${node.op}" ${at}${didYouMean(node.op, OPERATOR_NAMES)}`);
    }
    this.arity(node, operator);
    switch (operator.shape) {
      case "logical":
        if (operator.name === "not") this.warnings.add(NOT_WARNING);
        for (const arg of node.args) this.filter(arg, depth + 1);
        return;
      case "compare": {
        const attribute = this.attribute(node, operator);
        this.value(node.args[1], attribute, operator);
        return;
      }
      case "membership": {
        const attribute = this.attribute(node, operator);
        const values = node.args[1];
        if (values?.type !== "list") {
          throw this.error(values ?? node, "a list such as [\"a\", \"b\"]", (at) =>
            `in(...) expects a list such as ["a", "b"] as its second argument ${at}, found ${describeNode(values)}`,
          );
        }
        for (const item of values.items) this.value(item, attribute, operator);
        return;
      }
      case "search": {
        if (node.args.length === 2) this.attribute(node, operator);
        const text = node.args[node.args.length - 1];
        if (text?.type !== "literal" || typeof text.value !== "string") {
          throw this.error(text ?? node, "a string to search for", (at) =>
            `search expects the text to find as a string ${at}, found ${describeNode(text)}`,
          );
        }
        return;
      }
    }
  }

  private arity(node: FilterCall, operator: FilterOperator): void {
    const count = node.args.length;
    if (count >= operator.minArgs && count <= operator.maxArgs) return;
    const usage = USAGE[operator.shape](operator.name);
    const wanted =
      operator.maxArgs === Infinity
        ? `at least ${operator.minArgs} argument${operator.minArgs === 1 ? "" : "s"}`
        : operator.minArgs === operator.maxArgs
          ? `${operator.minArgs} argument${operator.minArgs === 1 ? "" : "s"}`
          : `${operator.minArgs} or ${operator.maxArgs} arguments`;
    const extra = node.args[operator.maxArgs];
    // Too many: point at the first surplus argument. Too few: at the closing parenthesis.
    const position = extra ? this.start(extra) : Math.max(0, (spanOf(node)?.end ?? 1) - 1);
    throw new FilterError({
      kind: "semantic",
      source: this.source,
      position,
      expected: usage,
      describe: (at) => `${operator.name} takes ${wanted}, as in ${usage}; found ${count} ${at}`,
    });
  }

  private attribute(node: FilterCall, operator: FilterOperator): FilterAttribute {
    const arg = node.args[0];
    if (arg?.type !== "attribute") {
      const quotedName = arg?.type === "literal" && typeof arg.value === "string" && findAttribute(arg.value);
      throw this.error(arg ?? node, "an attribute name", (at) =>
        `${operator.name} expects an attribute name first ${at}, found ${describeNode(arg)}` +
        (quotedName ? ` (attribute names are written without quotes: ${arg.value})` : ""),
      );
    }
    const attribute = findAttribute(arg.name);
    if (!attribute) {
      throw this.error(arg, "an attribute name", (at) => `unknown attribute "${arg.name}" ${at}${didYouMean(arg.name, ATTRIBUTE_NAMES)}`);
    }
    const comparesAs = comparisonKind(attribute);
    if (!(operator.appliesTo ?? []).includes(comparesAs)) {
      throw this.error(arg, `an attribute ${operator.name} applies to`, (at) =>
        `${operator.name} does not apply to ${attribute.name} (${KIND_PHRASE[comparesAs]}) ${at}; ${KIND_ADVICE[comparesAs](attribute.name)}`,
      );
    }
    return attribute;
  }

  private value(node: FilterNode | undefined, attribute: FilterAttribute, operator: FilterOperator): void {
    if (node?.type !== "literal") {
      const hint = node?.type === "list" ? " (lists go in in(attribute, [...]))" : "";
      throw this.error(node ?? { type: "literal", value: null }, `a value for ${attribute.name}`, (at) =>
        `${operator.name} expects a value for ${attribute.name} ${at}, found ${describeNode(node)}${hint}`,
      );
    }
    const value = node.value;
    if (value === null) {
      if (attribute.nullable && !isOrdering(operator) && operator.name !== "has") return;
      const why = attribute.nullable ? `null only compares with eq, neq or in` : `${attribute.name} is never null`;
      throw this.error(node, expectedValue(attribute), (at) => `${why} ${at}; expected ${expectedValue(attribute)}`);
    }
    if (fits(attribute, value)) return;
    const suggestion =
      attribute.kind === "enum" && typeof value === "string" ? didYouMean(value, attribute.values ?? []) : "";
    throw this.error(node, expectedValue(attribute), (at) =>
      `${attribute.name} expects ${expectedValue(attribute)} ${at}, found ${describeNode(node)}${suggestion}`,
    );
  }

  private start(node: FilterNode): number {
    return spanOf(node)?.start ?? 0;
  }

  private error(node: FilterNode, expected: string, describe: (at: string) => string): FilterError {
    return new FilterError({ kind: "semantic", source: this.source, position: this.start(node), expected, describe });
  }
}

function isOrdering(operator: FilterOperator): boolean {
  return operator.shape === "compare" && operator.name !== "eq" && operator.name !== "neq" && operator.name !== "has";
}

/** Pair values compare like the scalar they hold: feedback scores as numbers, the rest as text. */
function comparisonKind(attribute: FilterAttribute): FilterAttributeKind {
  if (attribute.kind !== "pair-value") return attribute.kind;
  return attribute.valueType === "number" ? "number" : "string";
}

function expectedValue(attribute: FilterAttribute): string {
  switch (attribute.kind) {
    case "enum":
      return `one of ${(attribute.values ?? []).join(", ")}`;
    case "number":
      return "a number";
    case "time":
      return `an ISO timestamp such as ${EXAMPLE_TIMESTAMP}`;
    case "duration":
      return 'seconds or a duration such as "500ms", "5s", "2.5m", "1h"';
    case "boolean":
      return "true or false";
    case "pair-value":
      return attribute.valueType === "number" ? "a number" : "a string, number or boolean";
    default:
      return "a string";
  }
}

/** Whether `value` fits `attribute` (null is handled by the caller). */
function fits(attribute: FilterAttribute, value: Exclude<FilterScalar, null>): boolean {
  switch (attribute.kind) {
    case "string":
    case "list":
    case "pair-key":
      return typeof value === "string";
    case "enum":
      return typeof value === "string" && (attribute.values ?? []).includes(value.toLowerCase());
    case "number":
      return numeric(value);
    case "time":
      return typeof value === "string" && parseIsoTimestamp(value) !== undefined;
    case "duration":
      if (typeof value === "number") return Number.isFinite(value);
      return typeof value === "string" && parseDuration(value) !== undefined;
    case "boolean":
      return typeof value === "boolean";
    case "pair-value":
      return attribute.valueType === "number" ? numeric(value) : true;
  }
}

function numeric(value: Exclude<FilterScalar, null>): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "string" && parseNumericString(value) !== undefined;
}

function describeNode(node: FilterNode | undefined): string {
  if (node === undefined) return "nothing";
  switch (node.type) {
    case "call":
      return `a call to ${node.op}(...)`;
    case "attribute":
      return `the attribute ${node.name}`;
    case "list":
      return "a list";
    case "literal":
      return typeof node.value === "number" && !Number.isFinite(node.value) ? String(node.value) : printScalar(node.value);
  }
}

