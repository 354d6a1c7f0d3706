/**
 * The narrow view of LangSmith a purge needs: list projects, query root traces (v2), delete,
 * read audit logs, LangSmith's clock. The real LangSmithClient satisfies it; nothing else of
 * the client is reachable from the purge domain.
 */
import { UserInputError } from "../errors.js";
import { isRouteNotFound, needsV2Message, type LangSmithClient } from "../langsmith/index.js";
import type { ResolvedProject } from "../langsmith/project-resolver.js";

export type PurgeClient = Pick<
  LangSmithClient,
  "listProjects" | "iterateRunPages" | "deleteRuns" | "iterateAuditLogPages" | "serverNow" | "endpoint" | "capabilities"
>;

/** Turns a project name or id into the project (ProjectResolver.resolve). */
export type ResolveProject = (reference: string, field: string, signal: AbortSignal) => Promise<ResolvedProject>;

/**
 * A purge needs the v2 runs query (ids, is_root, tree_filter in one request, the same query
 * for plan and proof). v1 `POST /api/v1/runs/query` could list root traces too, but its
 * `tree_filter`/`is_root` semantics and paging differ, and a purge verified by a different
 * query than the one that planned it proves little; so on an install without v2 it says what
 * it needs.
 */
export async function requireRunsV2(client: Pick<PurgeClient, "capabilities">, what: string): Promise<void> {
  const support = await client.capabilities.runsApi("runs");
  if (!support.v2)
    throw new UserInputError(
      undefined,
      needsV2Message(what, support),
      "Upgrade the self-hosted install, or delete the traces in the LangSmith UI.",
    );
}

/** A v2 query, with route-not-found (an install without v2 that reported no version) worded as what it is. */
export async function v2Query<T>(client: Pick<PurgeClient, "capabilities">, what: string, run: () => Promise<T>): Promise<T> {
  await requireRunsV2(client, what);
  try {
    return await run();
  } catch (error) {
    if (isRouteNotFound(error)) await requireRunsV2(client, what);
    throw error;
  }
}

/** Runs `tasks` with at most `limit` in flight; results in task order. */
export async function bounded<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

export const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};
