/**
 * Reads an export's state from LangSmith with as few and as small requests as the answer
 * needs. LangSmith has no paging on an export's runs (`GET …/{id}/runs` returns them all) and
 * no filter on the export list, so:
 * - the export asked for is read alone (`GET …/{id}`), never the workspace's list, unless the
 *   queueing reason depends on it (the export, or all its runs, wait; see needsWorkspaceExports);
 * - an export's runs are kept between calls (a bounded cache per client). A run in a terminal
 *   status never changes again, so the next read re-reads only the runs still open, one by one
 *   (`GET …/{id}/runs/{run_id}`), when they are few and the kept runs cover every day partition
 *   of the export; otherwise (many open, or runs LangSmith may not have created yet) the list once;
 * - once every kept run is terminal, nothing is read again;
 * - a wait polls the export alone (one small object) and re-reads the runs only every
 *   RUNS_REFRESH_MS for progress, and once at the end.
 */
import { apiTimeMs } from "../api-time.js";
import { isLangSmithApiError } from "../langsmith/errors.js";
import type { BulkExport, BulkExportRun } from "../langsmith/export-schemas.js";
import { utcDayPartitions } from "./partitions.js";
import { needsWorkspaceExports } from "./state.js";
import { isTerminal } from "./statuses.js";

/** The reads an export's state needs (LangSmithClient satisfies it). */
export interface ExportReads {
  getExport(id: string, signal?: AbortSignal): Promise<BulkExport>;
  listExportRuns(id: string, signal?: AbortSignal): Promise<BulkExportRun[]>;
  getExportRun(exportId: string, runId: string, signal?: AbortSignal): Promise<BulkExportRun>;
  listExports(signal?: AbortSignal): Promise<BulkExport[]>;
}

export interface ExportSnapshot {
  export: BulkExport;
  runs: BulkExportRun[];
  /** Read only when the queueing reason needs it. */
  workspaceExports?: BulkExport[];
}

/** Exports whose runs are kept per client; the least recently read is dropped first. */
export const CACHED_EXPORTS = 32;
/** During a wait, the runs are re-read at most this often (the export itself every poll). */
export const RUNS_REFRESH_MS = 5_000;
/**
 * Open runs re-read one by one at most; more, and the whole list is one request instead. One
 * run is ~300 bytes and the list of a year's export ~100 kB: 20 single reads cost a twentieth
 * of the bytes, within the documented default limit of 1000 requests per 10 s.
 */
export const MAX_SINGLE_RUN_READS = 20;
/** Single reads in flight at once. */
const SINGLE_READS_IN_FLIGHT = 4;

const caches = new WeakMap<ExportReads, Map<string, BulkExportRun[]>>();

function cacheOf(reads: ExportReads): Map<string, BulkExportRun[]> {
  let cache = caches.get(reads);
  if (!cache) caches.set(reads, (cache = new Map()));
  return cache;
}

function keep(cache: Map<string, BulkExportRun[]>, id: string, runs: BulkExportRun[]): void {
  cache.delete(id);
  cache.set(id, runs);
  if (cache.size > CACHED_EXPORTS) cache.delete(cache.keys().next().value as string);
}

/** Whether `runs` hold one run for every UTC day partition of the export's range (so none is still to be created). */
function coversEveryPartition(exp: BulkExport, runs: readonly BulkExportRun[]): boolean {
  if (!exp.end_time) return false;
  const start = apiTimeMs(exp.start_time);
  const end = apiTimeMs(exp.end_time);
  if (!Number.isFinite(start) || !Number.isFinite(end)) return false;
  return utcDayPartitions([{ start, end }]).length === runs.length;
}

/** The runs of `exp`: the kept ones, with only those that can still change read again (see the file comment). */
export async function readRuns(reads: ExportReads, exp: BulkExport, signal?: AbortSignal): Promise<BulkExportRun[]> {
  const cache = cacheOf(reads);
  const kept = cache.get(exp.id);
  const open = kept?.filter((run) => !isTerminal(run.status)) ?? [];
  if (kept && open.length === 0 && kept.length > 0) {
    keep(cache, exp.id, kept);
    return kept;
  }
  let runs: BulkExportRun[];
  const fresh =
    kept && open.length <= MAX_SINGLE_RUN_READS && coversEveryPartition(exp, kept)
      ? await readEach(reads, exp.id, open, signal)
      : undefined;
  if (kept && fresh) runs = kept.map((run) => fresh.get(run.id) ?? run);
  else runs = await reads.listExportRuns(exp.id, signal);
  keep(cache, exp.id, runs);
  return runs;
}

/** `runs` read again one by one; undefined when one is gone (404), so the caller reads the list instead. */
async function readEach(
  reads: ExportReads,
  exportId: string,
  runs: readonly BulkExportRun[],
  signal?: AbortSignal,
): Promise<Map<string, BulkExportRun> | undefined> {
  const fresh = new Map<string, BulkExportRun>();
  try {
    for (let i = 0; i < runs.length; i += SINGLE_READS_IN_FLIGHT) {
      const batch = runs.slice(i, i + SINGLE_READS_IN_FLIGHT);
      for (const run of await Promise.all(batch.map((r) => reads.getExportRun(exportId, r.id, signal)))) fresh.set(run.id, run);
    }
  } catch (error) {
    if (isLangSmithApiError(error) && error.status === 404) return undefined;
    throw error;
  }
  return fresh;
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
