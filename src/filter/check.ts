import { MAX_NESTING_DEPTH, type FilterCall, type FilterExpr, type FilterNode, type FilterScalar } from "./ast.js";
import { ATTRIBUTE_NAMES, findAttribute, type FilterAttribute, type FilterAttributeKind } from "./attributes.js";
import { FilterError } from "./error.js";
import { OPERATOR_NAMES, findOperator, type FilterOperator } from "./operators.js";
import { parseFilter } from "./parser.js";
import { printScalar } from "./printer.js";
import { sourceOf, spanOf } from "./spans.js";
import { didYouMean } from "./suggest.js";
import { parseDuration, parseIsoTimestamp, parseNumericString } from "./values.js";

/**
 * Something the checker thinks may be wrong with a filter that parses. LangSmith is the
 * judge of what it accepts, so an issue never stops a filter from being sent as written.
 */
export interface FilterIssue {
  /** Agent-facing text with the location, e.g. `unknown attribute "lantency" at column 4 (did you mean "latency"?)`. */
  readonly message: string;
  /** 0-based offset into the filter text. */
  readonly position: number;
  readonly line: number;
  readonly column: number;
  /**
   * True when the filter has no meaning this project knows how to evaluate (unknown operator or
   * attribute, wrong shape, a value that cannot be read). The simulator, standing in for
   * LangSmith, answers 400 for these; the client still sends them and lets LangSmith decide.
   */
  readonly blocking: boolean;
}

export interface CheckedFilter {
  readonly expr: FilterExpr;
  /** Every issue as one line of text, for tools to show as notes. */
  readonly warnings: string[];
  readonly issues: readonly FilterIssue[];
}

export const NOT_WARNING =
  "not(...) is documented by LangSmith for dataset filters only; a real LangSmith may reject it on run queries. " +
  "Prefer neq(...) or the opposite comparator where one exists.";

/** Added to warnings about what we do not know, so an agent reads them as doubts, not refusals. */
export const SENT_AS_WRITTEN = "the filter is sent as written and LangSmith decides";

/**
 * Parses a filter and reviews it. Throws FilterError (kind "syntax", with the column) only
 * when the text does not parse; everything else is returned as warnings.
 */
export function checkFilter(text: string): CheckedFilter {
  const expr = parseFilter(text);
  const issues = reviewFilter(expr);
  return { expr, issues, warnings: issues.map(warningText) };
}

/** Semantic review of a tree (parsed or hand-built): the issues found, never throws. */
export function reviewFilter(expr: FilterExpr): FilterIssue[] {
  const reviewer = new Reviewer(sourceOf(expr));
  reviewer.filter(expr);
  return reviewer.issues;
}

/** The warnings of reviewFilter, as text. */
export function validateFilter(expr: FilterExpr): string[] {
  return reviewFilter(expr).map(warningText);
}

/**
 * Throws a FilterError (kind "semantic") at the first blocking issue: the strict reading the
 * evaluator and the simulator need, since they must give every comparison a meaning.
 */
export function assertEvaluable(expr: FilterExpr): void {
  const blocking = reviewFilter(expr).find((i) => i.blocking);
  if (!blocking) return;
  throw new FilterError({
    kind: "semantic",
    source: sourceOf(expr),
    position: blocking.position,
    expected: "a filter LangSmith understands",
    describe: () => blocking.message,
  });
}

function warningText(issue: FilterIssue): string {
  return issue.blocking ? `${issue.message}; ${SENT_AS_WRITTEN}` : issue.message;
}

const EXPECTED_FILTER = "a comparator such as eq(...)";

const USAGE: Readonly<Record<FilterOperator["shape"], (op: string) => string>> = {
  logical: (op) => (op === "not" ? "not(filter)" : `${op}(filter, ...)`),
  compare: (op) => `${op}(attribute, value)`,
  membership: (op) => `${op}(attribute, [value, ...])`,
  search: () => 'search("text") or search(attribute, "text")',
  exists: (op) => `${op}(metadata, "key")`,
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
  json: "a JSON document",
};

const KIND_ADVICE: Readonly<Record<FilterAttributeKind, (name: string) => string>> = {
  string: () => "use eq, neq, in, like or search",
  enum: () => "use eq, neq, in, like or search",
  number: () => "use eq, neq, gt, gte, lt, lte or in",
  time: () => "use gt, gte, lt or lte with an ISO timestamp",
  duration: (name) => `use gt, gte, lt or lte, e.g. gt(${name}, "5s")`,
  boolean: (name) => `use eq(${name}, true) or eq(${name}, false)`,
  list: (name) => `use has(${name}, "x")`,
  "pair-key": () => "use eq, neq, in, like or search",
  "pair-value": () => "use eq, neq, in, like or search",
  json: (name) => `use has(${name}, '{"key": "value"}') or exists(${name}, "key")`,
};

const EXAMPLE_TIMESTAMP = '"2024-05-01T00:00:00Z"';

/** Value kinds whose literal the evaluator must decode; a literal it cannot read is blocking. */
const DECODED_KINDS: ReadonlySet<FilterAttributeKind> = new Set(["number", "time", "duration", "boolean"]);

class Reviewer {
  readonly issues: FilterIssue[] = [];

  constructor(private readonly source: string | undefined) {}

  filter(node: FilterNode, depth = 1): void {
    // The parser caps nesting already; hand-built trees get the same limit here.
    if (depth > MAX_NESTING_DEPTH) {
      this.report(node, true, (at) => `filter nests deeper than ${MAX_NESTING_DEPTH} levels ${at}`);
      return;
    }
    if (node.type !== "call") {
      this.report(node, true, (at) => `expected ${EXPECTED_FILTER} ${at}, found ${describeNode(node)}`);
      return;
    }
    const operator = findOperator(node.op);
    if (!operator) {
      this.report(node, true, (at) => `unknown operator "${node.op}" ${at}${didYouMean(node.op, OPERATOR_NAMES)}`);
      return;
    }
    if (!this.arity(node, operator)) return;
    switch (operator.shape) {
      case "logical":
        if (operator.name === "not") this.advise(NOT_WARNING);
        for (const arg of node.args) this.filter(arg, depth + 1);
        return;
      case "compare": {
        const attribute = this.attribute(node, operator);
        if (attribute) this.value(node.args[1], attribute, operator);
        return;
      }
      case "membership": {
        const attribute = this.attribute(node, operator);
        const values = node.args[1];
        if (values?.type !== "list") {
          this.report(
            values ?? node,
            true,
            (at) => `in(...) expects a list such as ["a", "b"] as its second argument ${at}, found ${describeNode(values)}`,
          );
          return;
        }
        if (attribute) for (const item of values.items) this.value(item, attribute, operator);
        return;
      }
      case "search": {
        if (node.args.length === 2) this.attribute(node, operator);
        this.text(node, node.args[node.args.length - 1], "search expects the text to find as a string");
        return;
      }
      case "exists": {
        this.attribute(node, operator);
        this.text(node, node.args[1], 'exists expects the key as a string, as in exists(metadata, "user_id"),');
        return;
      }
    }
  }

  private arity(node: FilterCall, operator: FilterOperator): boolean {
    const count = node.args.length;
    if (count >= operator.minArgs && count <= operator.maxArgs) return true;
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
    this.reportAt(position, true, (at) => `${operator.name} takes ${wanted}, as in ${usage}; found ${count} ${at}`);
    return false;
  }

  private attribute(node: FilterCall, operator: FilterOperator): FilterAttribute | undefined {
    const arg = node.args[0];
    if (arg?.type !== "attribute") {
      const quotedName = arg?.type === "literal" && typeof arg.value === "string" && findAttribute(arg.value);
      this.report(
        arg ?? node,
        true,
        (at) =>
          `${operator.name} expects an attribute name first ${at}, found ${describeNode(arg)}` +
          (quotedName ? ` (attribute names are written without quotes: ${arg.value})` : ""),
      );
      return undefined;
    }
    const attribute = findAttribute(arg.name);
    if (!attribute) {
      this.report(arg, true, (at) => `unknown attribute "${arg.name}" ${at}${didYouMean(arg.name, ATTRIBUTE_NAMES)}`);
      return undefined;
    }
    const comparesAs = comparisonKind(attribute);
    if (!(operator.appliesTo ?? []).includes(comparesAs)) {
      this.report(
        arg,
        true,
        (at) =>
          `${operator.name} does not apply to ${attribute.name} (${KIND_PHRASE[comparesAs]}) ${at}; ` +
          `${KIND_ADVICE[comparesAs](attribute.name)}`,
      );
      return undefined;
    }
    return attribute;
  }

  private text(node: FilterCall, arg: FilterNode | undefined, what: string): void {
    if (arg?.type === "literal" && typeof arg.value === "string") return;
    this.report(arg ?? node, true, (at) => `${what} ${at}, found ${describeNode(arg)}`);
  }

  private value(node: FilterNode | undefined, attribute: FilterAttribute, operator: FilterOperator): void {
    if (node?.type !== "literal") {
      const hint = node?.type === "list" ? " (lists go in in(attribute, [...]))" : "";
      this.report(
        node ?? { type: "literal", value: null },
        true,
        (at) => `${operator.name} expects a value for ${attribute.name} ${at}, found ${describeNode(node)}${hint}`,
      );
      return;
    }
    const value = node.value;
    if (value === null) {
      if (attribute.nullable && !isOrdering(operator) && operator.name !== "has" && operator.name !== "like") return;
      const why = attribute.nullable ? `null only compares with eq, neq or in` : `${attribute.name} is never null`;
      this.report(node, false, (at) => `${why} ${at}; expected ${expectedValue(attribute, operator)}`);
      return;
    }
    if (operator.name === "has" && attribute.kind === "json") {
      if (typeof value !== "string" || !isJsonObject(value)) {
        this.report(
          node,
          true,
          (at) =>
            `has(${attribute.name}, ...) expects a JSON object in a string ${at}, as in has(${attribute.name}, '{"user_id": ` +
            `"47461"}'), found ${describeNode(node)}`,
        );
      }
      return;
    }
    if (operator.name === "like") {
      if (typeof value !== "string") {
        this.report(node, true, (at) => `like expects a pattern string such as "%text%" ${at}, found ${describeNode(node)}`);
      }
      return;
    }
    if (typeof value === "string" && attribute.nullable && value.trim().toLowerCase() === "null" && !isOrdering(operator)) {
      // `neq(error, "null")` compares with the four-letter text, so it matches every errored run and every run without one.
      this.report(
        node,
        false,
        (at) =>
          `${operator.name}(${attribute.name}, ${printScalar(value)}) compares ${attribute.name} with the text "null" ${at}; ` +
          `write ${operator.name}(${attribute.name}, null) without quotes to compare with null`,
      );
      return;
    }
    if (
      attribute.kind === "duration" &&
      typeof value === "string" &&
      /[0-9.](ms|m|h)\s*$/i.test(value) &&
      parseDuration(value) !== undefined
    ) {
      this.report(
        node,
        false,
        (at) =>
          `LangSmith documents only seconds for ${attribute.name} ("5s" or 5); ${printScalar(value)} ${at} may be refused: ` +
          `write ${printScalar(`${formatSeconds(parseDuration(value) ?? 0)}s`)}`,
      );
      return;
    }
    if (fits(attribute, value)) return;
    const suggestion = attribute.kind === "enum" && typeof value === "string" ? didYouMean(value, attribute.values ?? []) : "";
    this.report(
      node,
      DECODED_KINDS.has(comparisonKind(attribute)),
      (at) => `${attribute.name} expects ${expectedValue(attribute, operator)} ${at}, found ${describeNode(node)}${suggestion}`,
    );
  }

  private advise(message: string): void {
    if (this.issues.some((i) => i.message === message)) return;
    this.issues.push({ message, position: 0, line: 1, column: 1, blocking: false });
  }

  private start(node: FilterNode): number {
    return spanOf(node)?.start ?? 0;
  }

  private report(node: FilterNode, blocking: boolean, describe: (at: string) => string): void {
    this.reportAt(this.start(node), blocking, describe);
  }

  private reportAt(position: number, blocking: boolean, describe: (at: string) => string): void {
    // FilterError knows how to turn an offset into "at column N" (or line and column).
    const located = new FilterError({ kind: "semantic", source: this.source, position, expected: "", describe });
    this.issues.push({ message: located.message, position, line: located.line, column: located.column, blocking });
  }
}

function isOrdering(operator: FilterOperator): boolean {
  return ["gt", "gte", "lt", "lte"].includes(operator.name);
}

/** Pair values compare like the scalar they hold: feedback scores as numbers, the rest as text. */
function comparisonKind(attribute: FilterAttribute): FilterAttributeKind {
  if (attribute.kind !== "pair-value") return attribute.kind;
  return attribute.valueType === "number" ? "number" : "string";
}

function expectedValue(attribute: FilterAttribute, operator: FilterOperator): string {
  switch (attribute.kind) {
    case "enum":
      return `one of ${(attribute.values ?? []).join(", ")}`;
    case "number":
      return "a number";
    case "time":
      return `an ISO timestamp such as ${EXAMPLE_TIMESTAMP}`;
    case "duration":
      return 'seconds, as a number or a string such as "5s"';
    case "boolean":
      return "true or false";
    case "pair-value":
      return attribute.valueType === "number" ? "a number" : "a string, number or boolean";
    case "json":
      return operator.name === "has" ? `a JSON object in a string, as in '{"user_id": "47461"}'` : "a key";
    default:
      return "a string";
  }
}

/** Whether `value` fits `attribute` (null, like and has(metadata) are handled by the caller). */
function fits(attribute: FilterAttribute, value: Exclude<FilterScalar, null>): boolean {
  switch (attribute.kind) {
    case "string":
    case "list":
    case "pair-key":
    case "json":
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

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

function formatSeconds(seconds: number): string {
  return String(Number(seconds.toFixed(6)));
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
