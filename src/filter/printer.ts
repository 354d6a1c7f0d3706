import { IDENTIFIER_PATTERN, KEYWORDS, type FilterExpr, type FilterNode, type FilterScalar } from "./ast.js";
import { FilterError } from "./error.js";

/**
 * Canonical text of a tree: `op(arg, arg)`, double-quoted strings, `", "` between arguments.
 * parseFilter(printFilter(e)) deep-equals e. Throws FilterError for trees no text can denote
 * (an operator or attribute name that is not an identifier, a non-finite number).
 */
export function printFilter(expr: FilterExpr): string {
  return printNode(expr);
}

function printNode(node: FilterNode): string {
  switch (node.type) {
    case "call":
      return `${identifier(node.op, "an operator name")}(${node.args.map(printNode).join(", ")})`;
    case "attribute":
      return identifier(node.name, "an attribute name");
    case "list":
      return `[${node.items.map(printNode).join(", ")}]`;
    case "literal":
      return printScalar(node.value);
  }
}

export function printScalar(value: FilterScalar): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string") return quote(value);
  if (!Number.isFinite(value)) throw unprintable(`${value} is not a finite number`, "a finite number");
  return Object.is(value, -0) ? "-0" : String(value);
}

function identifier(name: string, what: string): string {
  if (!IDENTIFIER_PATTERN.test(name) || KEYWORDS.has(name)) {
    throw unprintable(`${JSON.stringify(name)} cannot be written as ${what}`, what);
  }
  return name;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\t": "\\t",
  "\r": "\\r",
  "\b": "\\b",
  "\f": "\\f",
};

// Control characters are escaped so the canonical text is one printable line.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f]/g;

function quote(value: string): string {
  const body = value.replace(NEEDS_ESCAPE, (ch) => ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `"${body}"`;
}

function unprintable(problem: string, expected: string): FilterError {
  return new FilterError({ kind: "semantic", position: 0, expected, describe: () => `cannot print filter: ${problem}` });
}
