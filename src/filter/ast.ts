/**
 * The filter-language syntax tree. A filter is always a call at the top (`and(...)`,
 * `eq(...)`, ...); arguments may be further calls, bare attribute names, literal values or
 * lists. Nodes are plain data so that a printed-then-parsed tree deep-equals the original:
 * source positions live beside the tree (see spans.ts), not inside it.
 */

export type FilterScalar = string | number | boolean | null;

export interface FilterCall {
  readonly type: "call";
  /** Operator name as written (`and`, `eq`, ...); whether it is known is a semantic question. */
  readonly op: string;
  readonly args: readonly FilterNode[];
}

export interface FilterAttributeRef {
  readonly type: "attribute";
  readonly name: string;
}

export interface FilterLiteral {
  readonly type: "literal";
  readonly value: FilterScalar;
}

export interface FilterList {
  readonly type: "list";
  readonly items: readonly FilterNode[];
}

export type FilterNode = FilterCall | FilterAttributeRef | FilterLiteral | FilterList;

/** A whole filter: the top of the tree is always a call. */
export type FilterExpr = FilterCall;

export const call = (op: string, ...args: FilterNode[]): FilterCall => ({ type: "call", op, args });
export const attr = (name: string): FilterAttributeRef => ({ type: "attribute", name });
export const lit = (value: FilterScalar): FilterLiteral => ({ type: "literal", value });
export const list = (...items: FilterNode[]): FilterList => ({ type: "list", items });

/** Words that read as literals, so they can never name an attribute or an operator. */
export const KEYWORDS: ReadonlyMap<string, FilterScalar> = new Map<string, FilterScalar>([
  ["true", true],
  ["false", false],
  ["null", null],
]);

export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Deepest nesting of calls and lists the parser accepts; keeps recursion far from the stack limit. */
export const MAX_NESTING_DEPTH = 64;
