/** The LangSmith trace query (filter) language: parse, print, check, evaluate. Pure, no I/O. */
export type { FilterAttributeRef, FilterCall, FilterExpr, FilterList, FilterLiteral, FilterNode, FilterScalar } from "./ast.js";
export { MAX_NESTING_DEPTH, attr, call, list, lit } from "./ast.js";
export { FilterError, isFilterError, type FilterErrorKind } from "./error.js";
export { parseFilter } from "./parser.js";
export { printFilter } from "./printer.js";
export {
  NOT_WARNING,
  SENT_AS_WRITTEN,
  assertEvaluable,
  checkFilter,
  reviewFilter,
  validateFilter,
  type CheckedFilter,
  type FilterIssue,
} from "./check.js";
export { compileFilter, evaluateFilter, type RunPredicate } from "./evaluate.js";
export {
  DOC_SOURCES,
  FILTER_ATTRIBUTES,
  PAIR_FAMILY_FIELDS,
  RUN_STATUSES,
  RUN_TYPES,
  findAttribute,
  type FilterAttribute,
  type FilterAttributeKind,
  type PairFamily,
} from "./attributes.js";
export { FILTER_OPERATORS, findOperator, type FilterOperator, type OperatorShape } from "./operators.js";
export { parseDuration, parseIsoTimestamp } from "./values.js";
export type { FilterableRun } from "./subject.js";
