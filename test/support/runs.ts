import { expandRunTable, type RunTable } from "../../src/tools/run-table.js";

export type ListedRun = Record<string, unknown> & { id: string };

/**
 * The runs of a query_runs result (the result itself or its structuredContent), one object per
 * run, read from its table the way the output schema tells a program to: `same` on every run,
 * refs resolved, times written in full. No runs: [].
 */
export function runsOf<R extends ListedRun = ListedRun>(result: unknown): R[] {
  const structured = (result as { structuredContent?: unknown })?.structuredContent ?? result;
  const table = (structured as { runs?: RunTable } | undefined)?.runs;
  return table ? (expandRunTable(table) as R[]) : [];
}

/** The nodes of a get_trace result (the result or its structuredContent), in tree order, one object each. */
export function nodesOf<R extends ListedRun = ListedRun>(result: unknown): R[] {
  const structured = (result as { structuredContent?: unknown })?.structuredContent ?? result;
  const table = (structured as { nodes?: RunTable } | undefined)?.nodes;
  return table ? (expandRunTable(table) as R[]) : [];
}
