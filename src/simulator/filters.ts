/**
 * Parsing the three filter fields of a run query into expressions, with the error a caller
 * of LangSmith sees. The client only warns about unknown operators and attributes and sends
 * the filter as written; here, standing in for LangSmith, the simulator is the judge and
 * answers 400 for anything it cannot give a meaning (with the position of the problem).
 */
import { assertEvaluable, checkFilter, isFilterError, type FilterExpr } from "../filter/index.js";

export type FilterField = "filter" | "trace_filter" | "tree_filter";
export const FILTER_FIELDS: readonly FilterField[] = ["filter", "trace_filter", "tree_filter"];

export type ParsedFilter = { ok: true; expr: FilterExpr | undefined } | { ok: false; message: string };

/** undefined/null/"" mean "no filter"; anything else must be a filter the simulator can evaluate. */
export function parseFilterField(field: FilterField, value: unknown): ParsedFilter {
  if (value === undefined || value === null || value === "") return { ok: true, expr: undefined };
  if (typeof value !== "string") return { ok: false, message: `Invalid ${field}: must be a string` };
  try {
    return { ok: true, expr: acceptedFilter(value) };
  } catch (e) {
    if (isFilterError(e)) return { ok: false, message: `Invalid ${field}: ${e.message}` };
    throw e;
  }
}

/**
 * The simulator's verdict on filter text: the parsed expression, or a FilterError for text
 * that does not parse or that names an operator, attribute or shape it does not know.
 */
export function acceptedFilter(text: string): FilterExpr {
  const { expr } = checkFilter(text);
  assertEvaluable(expr);
  return expr;
}
