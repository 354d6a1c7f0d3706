import type { FilterAttributeKind } from "./attributes.js";

/**
 * The operators of the trace query language as data: how many arguments each takes and,
 * for comparators, which attribute kinds they apply to. Like the attribute table, this is
 * what we know, not an allow-list: an operator missing here earns a warning, and LangSmith
 * decides.
 */

export type OperatorShape =
  /** and/or/not: arguments are further filters. */
  | "logical"
  /** op(attribute, value) */
  | "compare"
  /** in(attribute, [values]) */
  | "membership"
  /** search("text") or search(attribute, "text") */
  | "search"
  /** exists(attribute, "key"): the JSON document has the key */
  | "exists";

export interface FilterOperator {
  readonly name: string;
  readonly shape: OperatorShape;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Attribute kinds the operator applies to; pair values count as the kind they compare as. */
  readonly appliesTo?: readonly FilterAttributeKind[];
  readonly description: string;
  /** Where LangSmith documents it, when not the contract's own list (contract §6). */
  readonly source?: string;
}

const ALL_KINDS: readonly FilterAttributeKind[] = ["string", "enum", "number", "time", "duration", "boolean", "list", "pair-key"];
// Pair values (metadata_value, feedback_score, ...) are matched here as the kind they compare
// as: feedback_score as a number, the others as a string.
const ORDERED_KINDS: readonly FilterAttributeKind[] = ["number", "time", "duration"];
const TEXT_KINDS: readonly FilterAttributeKind[] = ["string", "enum", "list", "pair-key"];

export const FILTER_OPERATORS: readonly FilterOperator[] = Object.freeze([
  { name: "and", shape: "logical", minArgs: 1, maxArgs: Infinity, description: "all arguments hold" },
  { name: "or", shape: "logical", minArgs: 1, maxArgs: Infinity, description: "at least one argument holds" },
  { name: "not", shape: "logical", minArgs: 1, maxArgs: 1, description: "the argument does not hold (documented for dataset filters)" },
  { name: "eq", shape: "compare", minArgs: 2, maxArgs: 2, appliesTo: ALL_KINDS, description: "equal" },
  { name: "neq", shape: "compare", minArgs: 2, maxArgs: 2, appliesTo: ALL_KINDS, description: "not equal" },
  { name: "gt", shape: "compare", minArgs: 2, maxArgs: 2, appliesTo: ORDERED_KINDS, description: "greater than" },
  { name: "gte", shape: "compare", minArgs: 2, maxArgs: 2, appliesTo: ORDERED_KINDS, description: "greater than or equal" },
  { name: "lt", shape: "compare", minArgs: 2, maxArgs: 2, appliesTo: ORDERED_KINDS, description: "less than" },
  { name: "lte", shape: "compare", minArgs: 2, maxArgs: 2, appliesTo: ORDERED_KINDS, description: "less than or equal" },
  {
    name: "has",
    shape: "compare",
    minArgs: 2,
    maxArgs: 2,
    appliesTo: ["list", "json"],
    description: `the tag list contains the value, or the metadata contains the JSON object, as in has(metadata, '{"user_id": "47461"}')`,
    source: 'docs.langchain.com/langsmith/trace-query-syntax ("check if run contains a tag or metadata json blob")',
  },
  {
    name: "like",
    shape: "compare",
    minArgs: 2,
    maxArgs: 2,
    appliesTo: TEXT_KINDS,
    description: 'SQL LIKE, case-sensitive: % is any run of characters, _ one character, \\ escapes, e.g. like(input_value, "%refund%")',
    source: 'docs.langchain.com/langsmith/data-export: like(input_value, "%messages.content%")',
  },
  {
    name: "exists",
    shape: "exists",
    minArgs: 2,
    maxArgs: 2,
    appliesTo: ["json"],
    description: 'the metadata has the key, as in exists(metadata, "tenant_id")',
    source: "docs.langchain.com/langsmith/manage-datasets-programmatically (documented for example filters)",
  },
  { name: "in", shape: "membership", minArgs: 2, maxArgs: 2, appliesTo: ALL_KINDS, description: "equals one of the listed values" },
  {
    name: "search",
    shape: "search",
    minArgs: 1,
    maxArgs: 2,
    appliesTo: TEXT_KINDS,
    description: "case-insensitive substring, over the whole run or one attribute",
  },
] satisfies FilterOperator[]);

const BY_NAME: ReadonlyMap<string, FilterOperator> = new Map(FILTER_OPERATORS.map((o) => [o.name, o]));

export function findOperator(name: string): FilterOperator | undefined {
  return BY_NAME.get(name);
}

export const OPERATOR_NAMES: readonly string[] = FILTER_OPERATORS.map((o) => o.name);
