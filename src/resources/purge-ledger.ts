/**
 * `ledger://purges/{id}`: one compliance purge as the deletion ledger records it: criteria,
 * batches and their states, the expected completion window, every verification and the
 * audit-log matches. The ledger stores no secrets; trace ids are left out (a purge may hold
 * thousands) and counted instead.
 */
import type { Ledger, PurgeRecord } from "../ledger/index.js";

export const PURGE_TEMPLATE = "ledger://purges/{id}";
export const purgeUri = (purgeId: string): string => `ledger://purges/${purgeId}`;

/** What the purge resources read from the ledger. */
export type PurgeReader = Pick<Ledger, "getPurge" | "listPurges" | "verifications" | "auditMatches">;

/** Purges the resource list shows: the newest, like list_deletions. */
export const LISTED_PURGES = 20;

export function readPurge(ledger: PurgeReader, purgeId: string): unknown | undefined {
  const purge = ledger.getPurge(purgeId);
  if (!purge) return undefined;
  return {
    purge,
    batches_by_state: countBy(purge.batches.map((batch) => batch.state)),
    verifications: ledger.verifications(purgeId),
    audit_matches: ledger.auditMatches(purgeId),
    next: "verify_deletion {purge_id} re-checks LangSmith and records the verdict here; list_deletions shows every purge.",
  };
}

export function describePurge(purge: PurgeRecord): string {
  const verdict = purge.last_verification?.verdict ?? "not verified yet";
  return `${purge.trace_count} traces of ${purge.criteria.projects.map((p) => p.name).join(", ")}, ${purge.batches.length} batches, created ${purge.created_at}; ${verdict}.`;
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
