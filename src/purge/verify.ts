/**
 * Proving a purge: re-query exactly the recorded trace ids (per 1000, across the purge's
 * projects), decide the verdict from the table in limits.ts, correlate accepted batches with
 * `delete_runs` audit-log events (Enterprise), and record the check in the ledger.
 */
import { apiTimeIso } from "../api-time.js";
import { isLangSmithApiError } from "../langsmith/index.js";
import { isLedgerFault, type AuditMatch, type Ledger, type PurgeRecord, type Verdict, type VerificationRecord } from "../ledger/index.js";
import type { PurgeClient } from "./client.js";
import { paddedWindow, visiblePositions } from "./discover.js";
import { PURGE_LIMITS, VERDICT_TABLE } from "./limits.js";
import { RecordedIdsCache, type RecordedIds } from "./recorded-ids.js";

export interface AuditOutcome {
  status: "matched" | "partially_matched" | "no_events" | "not_available_on_plan" | "not_configured" | "error";
  detail: string;
  matches: AuditMatch[];
}

export interface Verification {
  verdict: Verdict;
  meaning: string;
  next: string;
  checked: number;
  /** Still visible, in batch order. */
  remaining: readonly string[];
  byBatch: Array<{ batch_no: number; remaining: number; of: number }>;
  checkedAt: Date;
  requests: number;
  audit: AuditOutcome | undefined;
  /** The query, in words, as recorded. */
  query: string;
  /** Why the check could not be recorded in the ledger (read-only, full…); the verdict stands. */
  notRecorded?: string;
}

export interface VerifyDeps {
  ledger: Ledger;
  client: Pick<PurgeClient, "iterateRunPages" | "iterateAuditLogPages" | "serverNow" | "capabilities">;
  signal: AbortSignal;
  /** Set when audit logs can be read (`LANGSMITH_ORGANIZATION_ID`). */
  organizationId: string | undefined;
  /** Where the purge's ids are kept between checks; the server's one cache unless a test gives its own. */
  recordedIds?: RecordedIdsCache;
}

/** The server's cache of recorded ids (recorded-ids.ts), shared by every check of this process. */
const recordedIds = new RecordedIdsCache();

/** The verdict table (limits.ts) applied in order. */
export function decideVerdict(purge: Pick<PurgeRecord, "batches" | "window">, remaining: number, total: number, now: Date): Verdict {
  if (remaining === 0) return "verified";
  if (purge.batches.some((b) => b.state !== "queued") || !purge.window) return "incomplete";
  if (now.getTime() >= Date.parse(purge.window.end)) return "overdue";
  return remaining === total ? "pending" : "partially_verified";
}

export async function verifyRecorded(purge: PurgeRecord, deps: VerifyDeps): Promise<Verification> {
  // Only the ids and their projects: an object per trace (start times unused) was the check's largest fixed cost.
  // The ids come from memory after the first check of this purge (immutable once recorded): `purge` is one the caller may see.
  const [recorded, projectIds] = await Promise.all([
    (deps.recordedIds ?? recordedIds).get(deps.ledger, purge.id),
    projectsOf(purge, deps.ledger),
  ]);
  const { ids } = recorded;
  const window = paddedWindow(
    [purge.earliest_start_time, purge.latest_start_time].filter((s): s is string => s !== null),
    deps.client.serverNow(),
  );
  const { seen, count, requests } = await visiblePositions(
    deps.client,
    { projectIds, ids, idChunks: recorded.chunks, position: recorded.position, ...window, what: "verify_deletion (re-querying a purge)" },
    deps.signal,
  );
  const now = deps.client.serverNow();
  const remaining = remainingOf(recorded, seen, count);
  // When none or all remain, so do none or all of each batch: its ids need not be read.
  const uniform = remaining.length === 0 || remaining.length === ids.length;
  const byBatch: { batch_no: number; remaining: number; of: number }[] = [];
  for (const b of purge.batches) {
    if (uniform) {
      byBatch.push({ batch_no: b.batch_no, remaining: remaining.length === 0 ? 0 : b.trace_count, of: b.trace_count });
      continue;
    }
    const batchIds = await deps.ledger.traceIds(purge.id, b.batch_no);
    const left = batchIds.filter((id) => seen[recorded.position.get(id) ?? -1] === 1).length;
    byBatch.push({ batch_no: b.batch_no, remaining: left, of: batchIds.length });
  }
  const verdict = decideVerdict(purge, remaining.length, ids.length, now);
  const audit = await correlateAudit(purge, deps, now);
  const row = VERDICT_TABLE.find((v) => v.verdict === verdict)!;
  const query =
    `POST /api/v2/runs/query is_root=true, the ${ids.length} recorded trace ids in chunks of ${PURGE_LIMITS.idsPerQuery}, ` +
    `project_ids ${projectIds.join(",")}, start ${window.minStart} … ${window.maxStart}`;
  const auditLine = audit ? `${audit.status}: ${audit.detail}` : null;
  const repeat = repeatsLast(purge.last_verification, { verdict, remaining_count: remaining.length, audit: auditLine });
  let notRecorded: string | undefined;
  try {
    await deps.ledger.recordVerification(
      purge.id,
      {
        at: now.toISOString(),
        checked: ids.length,
        remaining_count: remaining.length,
        remaining_ids: remaining.slice(0, PURGE_LIMITS.shownIds),
        verdict,
        audit: auditLine,
        requests,
        query,
      },
      { durable: !repeat },
    );
  } catch (error) {
    if (!isLedgerFault(error)) throw error;
    notRecorded = error.agentMessage;
  }
  return {
    verdict,
    meaning: row.when,
    next: row.next,
    checked: ids.length,
    remaining,
    byBatch,
    checkedAt: now,
    requests,
    audit,
    query,
    ...(notRecorded && { notRecorded }),
  };
}

/**
 * Whether a check says what the purge's last recorded check said (verdict, count, audit
 * finding). Every check is recorded (the report accounts for each), but only one that changes
 * what the record says waits for the disk before the answer: the first check, a new verdict
 * (the first "verified" among them), count or audit finding. A repeat claims nothing that is
 * not on disk already, since the first record saying the same was durable: no verdict is
 * answered before a record of it is on disk, and a power cut loses at most the repeats' times.
 */
export function repeatsLast(
  last: VerificationRecord | null,
  next: Pick<VerificationRecord, "verdict" | "remaining_count" | "audit">,
): boolean {
  return last !== null && last.verdict === next.verdict && last.remaining_count === next.remaining_count && last.audit === next.audit;
}

/**
 * The recorded ids still visible, in recorded order, from the marks by position. An id the
 * purge lists twice is visible at both places when its first is marked, as a set lookup
 * would answer. All visible answers the recorded list itself (read-only, shared).
 */
function remainingOf(recorded: RecordedIds, seen: Uint8Array, count: number): readonly string[] {
  if (count === 0) return [];
  const { ids, position } = recorded;
  if (!recorded.unique) return ids.filter((id) => seen[position.get(id)!] === 1);
  if (count === ids.length) return ids;
  return ids.filter((_, i) => seen[i] === 1);
}

/**
 * The purge's projects in order of first appearance. Each `trace_ids` batch holds one project's
 * traces and names it (cutBatches), so the batches answer without a pass over 10,000 rows; a
 * metadata batch, or one recorded before batches named a project (schema 1), does not: then the
 * ledger reads them from the traces.
 */
async function projectsOf(purge: PurgeRecord, ledger: Ledger): Promise<string[]> {
  const named = purge.batches.map((b) => b.project_id);
  if (named.length > 0 && named.every((id): id is string => id !== null)) return [...new Set(named)];
  return ledger.traceProjectIds(purge.id);
}

/** Matches each accepted batch to a successful `delete_runs` audit event naming all its trace ids. */
async function correlateAudit(purge: PurgeRecord, deps: VerifyDeps, now: Date): Promise<AuditOutcome | undefined> {
  const queued = purge.batches.filter((b) => b.state === "queued" && b.delete_requested_at);
  if (queued.length === 0) return undefined;
  if (!deps.organizationId) {
    return {
      status: "not_configured",
      detail: "not checked: set LANGSMITH_ORGANIZATION_ID (Enterprise plans) to correlate with delete_runs audit-log events.",
      matches: [],
    };
  }
  let first = Infinity;
  for (const b of queued) first = Math.min(first, Date.parse(b.delete_requested_at!));
  const query = {
    startTime: new Date(first - 3_600_000).toISOString(),
    endTime: new Date(Math.max(now.getTime(), first) + 3_600_000).toISOString(),
    operations: ["delete_runs"],
    limit: 100,
  };
  // A metadata delete names no trace ids: it is matched by its time alone, below.
  const wanted = new Map<number, string[]>();
  for (const b of queued) if (b.kind !== "metadata") wanted.set(b.batch_no, await deps.ledger.traceIds(purge.id, b.batch_no));
  const byTime = queued.filter((b) => b.kind === "metadata");
  const matches: AuditMatch[] = [];
  try {
    for await (const page of deps.client.iterateAuditLogPages(query, { maxPages: 50, signal: deps.signal })) {
      for (const item of page.items) {
        if ((item.status ?? "").toLowerCase() !== "success") continue;
        const original = item.unmapped?.original_audit_log;
        const resources = new Set(original?.enrichments?.resource_ids ?? []);
        for (const [batchNo, ids] of wanted) {
          if (ids.every((id) => resources.has(id))) {
            matches.push({
              batch_no: batchNo,
              event_uid: item.metadata?.uid ?? "unknown",
              event_time: eventTime(item.time, original?.request_time),
            });
            wanted.delete(batchNo);
          }
        }
        for (const b of [...byTime]) {
          const at = Date.parse(eventTime(item.time, original?.request_time));
          if (Math.abs(at - Date.parse(b.delete_requested_at!)) < 120_000) {
            matches.push({
              batch_no: b.batch_no,
              event_uid: item.metadata?.uid ?? "unknown",
              event_time: eventTime(item.time, original?.request_time),
            });
            byTime.splice(byTime.indexOf(b), 1);
          }
        }
      }
      if (wanted.size === 0 && byTime.length === 0) break;
    }
  } catch (error) {
    if (isLangSmithApiError(error) && error.status === 403) {
      return {
        status: "not_available_on_plan",
        detail:
          "not available on this plan: LangSmith answered 403 (audit logs need an Enterprise plan and an organization admin key). The " +
          "re-query above is the proof that counts.",
        matches: [],
      };
    }
    return { status: "error", detail: `could not read audit logs: ${error instanceof Error ? error.message : String(error)}`, matches: [] };
  }
  try {
    await deps.ledger.recordAuditMatches(purge.id, matches);
  } catch (error) {
    if (!isLedgerFault(error)) throw error;
  }
  const status = matches.length === queued.length ? "matched" : matches.length > 0 ? "partially_matched" : "no_events";
  return {
    status,
    detail:
      `${matches.length} of ${queued.length} accepted batch(es) match a successful delete_runs event naming all their trace ` +
      `ids${status === "matched" ? "" : "; the others have no matching event yet"}.`,
    matches,
  };
}

function eventTime(time: number | string | null | undefined, requestTime: string | null | undefined): string {
  if (typeof time === "number") return new Date(time).toISOString();
  return apiTimeIso(time ?? requestTime ?? null) ?? "unknown";
}
