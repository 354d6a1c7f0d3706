/**
 * What the export progress view draws, from export_status's structured result: one cell per
 * day partition keyed by status, and the workflow-timeout clock. Pure: no DOM.
 */

/** Status keys the view colours; LangSmith spells them Created, Running, Completed, Failed, Cancelled, TimedOut. */
export type CellStatus = "queued" | "running" | "completed" | "failed" | "cancelled" | "timedout" | "unknown";

export interface PartitionCell {
  id: string;
  /** ISO start of the partition (a UTC day unless `end` says otherwise). */
  start: string;
  end?: string;
  /** As LangSmith sent it. */
  status: string;
  key: CellStatus;
  retries: number;
  rows: number;
  files: number;
  lastError?: string;
}

const KEYS: Readonly<Record<string, CellStatus>> = {
  created: "queued",
  queued: "queued",
  pending: "queued",
  running: "running",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled",
  canceled: "cancelled",
  timedout: "timedout",
};

/** A status as LangSmith spells it (any case, with or without _ or space) → its key. */
export const statusKeyOf = (status: string): CellStatus => KEYS[status.toLowerCase().replace(/[\s_-]/g, "")] ?? "unknown";

export const TERMINAL: ReadonlySet<CellStatus> = new Set(["completed", "failed", "cancelled", "timedout"]);

/** The cells of export_status's `runs`, in partition order. */
export function partitionCells(runs: unknown): PartitionCell[] {
  if (!Array.isArray(runs)) return [];
  return runs
    .filter((run): run is Record<string, unknown> => typeof run === "object" && run !== null && typeof run["id"] === "string")
    .map((run) => ({
      id: run["id"] as string,
      start: String(run["partition_start"] ?? ""),
      ...(typeof run["partition_end"] === "string" && { end: run["partition_end"] }),
      status: String(run["status"] ?? ""),
      key: statusKeyOf(String(run["status"] ?? "")),
      retries: Number(run["retry_number"] ?? 0),
      rows: Number(run["rows_written"] ?? 0),
      files: Number(run["files_written"] ?? 0),
      ...(typeof run["last_error"] === "string" && { lastError: run["last_error"] }),
    }))
    .sort((a, b) => a.start.localeCompare(b.start));
}

/** The workflow-timeout clock: the share of the limit used, and what is left, in hours. */
export function timeoutClock(elapsedHours: number | undefined, limitHours: number): { share: number; leftHours: number } {
  const elapsed = Math.max(0, elapsedHours ?? 0);
  return { share: limitHours > 0 ? Math.min(1, elapsed / limitHours) : 0, leftHours: Math.max(0, limitHours - elapsed) };
}
