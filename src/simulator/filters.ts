/**
 * Parsing the three filter fields of a run query into expressions, with the error a caller
 * of LangSmith sees for an expression that does not parse or names an unknown attribute.
 */
import { checkFilter, isFilterError, type FilterExpr } from "../filter/index.js";

export type FilterField = "filter" | "trace_filter" | "tree_filter";
export const FILTER_FIELDS: readonly FilterField[] = ["filter", "trace_filter", "tree_filter"];

export type ParsedFilter = { ok: true; expr: FilterExpr | undefined } | { ok: false; message: string };

/** undefined/null/"" mean "no filter"; anything else must be a valid expression. */
export function parseFilterField(field: FilterField, value: unknown): ParsedFilter {
  if (value === undefined || value === null || value === "") return { ok: true, expr: undefined };
  if (typeof value !== "string") return { ok: false, message: `Invalid ${field}: must be a string` };
  try {
    return { ok: true, expr: checkFilter(value).expr };
  } catch (e) {
    if (isFilterError(e)) return { ok: false, message: `Invalid ${field}: ${e.message}` };
    throw e;
  }
}
