import { UserInputError } from "../errors.js";
import { checkFilter, FilterError } from "../filter/index.js";

const FILTER_FIELDS = ["filter", "trace_filter", "tree_filter"] as const;

/**
 * Checks the filter arguments locally, before anything is sent, and returns the warnings the
 * checker raised (e.g. `not(...)` is documented for dataset filters only). A filter that does
 * not parse becomes a UserInputError naming the argument and the position.
 */
export function filterWarnings(args: Partial<Record<(typeof FILTER_FIELDS)[number], string>>): string[] {
  const warnings: string[] = [];
  for (const field of FILTER_FIELDS) {
    const text = args[field];
    if (text === undefined) continue;
    try {
      warnings.push(...checkFilter(text).warnings.map((w) => `${field}: ${w}`));
    } catch (error) {
      if (error instanceof FilterError) {
        throw new UserInputError(field, error.message + ".", 'Filters are prefix calls such as and(eq(run_type, "llm"), gt(latency, "5s")); fix the expression at that column.');
      }
      throw error;
    }
  }
  return warnings;
}
