/**
 * Reads an export's state from LangSmith with as few and as small requests as the answer
 * needs. LangSmith has no paging on an export's runs (`GET …/{id}/runs` returns them all) and
 * no filter on the export list, so:
 * - the runs of an export in a terminal status never change again: they are kept (a bounded
 *   cache per client) and not downloaded again by the next call;
 * - the workspace's export list is read only when the queueing reason depends on it (the
 *   export, or all its runs, wait; see needsWorkspaceExports);
 * - a wait polls the export alone (one small object) and re-reads the runs only every
 *   RUNS_REFRESH_MS for progress, and once at the end.
 */
import type { BulkExport, BulkExportRun } from "../langsmith/export-schemas.js";
import { needsWorkspaceExports } from "./state.js";
import { isTerminal } from "./statuses.js";

/** The three reads an export's state needs (LangSmithClient satisfies it). */
export interface ExportReads {
  getExport(id: string, signal?: AbortSignal): Promise<BulkExport>;
  listExportRuns(id: string, signal?: AbortSignal): Promise<BulkExportRun[]>;
  listExports(signal?: AbortSignal): Promise<BulkExport[]>;
}

export interface ExportSnapshot {
  export: BulkExport;
  runs: BulkExportRun[];
  /** Read only when the queueing reason needs it. */
  workspaceExports?: BulkExport[];
}

/** Finished exports whose runs are kept per client; the oldest read is dropped first. */
export const CACHED_FINISHED_EXPORTS = 32;
/** During a wait, the runs are re-read at most this often (the export itself every poll). */
export const RUNS_REFRESH_MS = 5_000;

const caches = new WeakMap<ExportReads, Map<string, BulkExportRun[]>>();

function cacheOf(reads: ExportReads): Map<string, BulkExportRun[]> {
  let cache = caches.get(reads);
  if (!cache) caches.set(reads, (cache = new Map()));
  return cache;
}

/** The runs of `exp`: from the cache when it is finished and was read before. */
export async function readRuns(reads: ExportReads, exp: BulkExport, signal?: AbortSignal): Promise<BulkExportRun[]> {
  const cache = cacheOf(reads);
  const finished = isTerminal(exp.status);
  const cached = finished ? cache.get(exp.id) : undefined;
  if (cached) return cached;
  const runs = await reads.listExportRuns(exp.id, signal);
  if (finished) {
    cache.set(exp.id, runs);
    if (cache.size > CACHED_FINISHED_EXPORTS) cache.delete(cache.keys().next().value as string);
  }
  return runs;
}

/** The export, its runs, and the workspace's exports when the queueing reason needs them. */
export async function readSnapshot(
  reads: ExportReads,
  exportId: string,
  signal?: AbortSignal,
  known?: BulkExport,
): Promise<ExportSnapshot> {
  const exp = known ?? (await reads.getExport(exportId, signal));
  const runs = await readRuns(reads, exp, signal);
  if (!needsWorkspaceExports(exp, runs)) return { export: exp, runs };
  return { export: exp, runs, workspaceExports: await reads.listExports(signal) };
}
