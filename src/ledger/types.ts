/**
 * The deletion ledger: the system of record seed 003 asks for ("store (trace_id, session_id,
 * delete_requested_at) in your system of record"), because LangSmith's delete answers `{}`
 * and has no status API. One purge request = its criteria, the trace ids it discovered, the
 * batches sent (at most 1000 ids each), the expected completion window, verification attempts
 * and audit-log matches. Secrets are never stored: no API key, no share URL, no token.
 */

/**
 * Batch states, as data. Each is written BEFORE and AFTER the HTTP call that moves it, so a
 * crash leaves an accurate record.
 */
export const BATCH_STATES = {
  planned: "recorded, not sent yet",
  sending: "delete request in flight, or interrupted (crash): LangSmith may or may not have it",
  queued: "LangSmith accepted it (200 {}): waiting for the weekend batch",
  failed: "the request failed or was refused; sent again on resume",
} as const;
export type BatchState = keyof typeof BATCH_STATES;

/**
 * What a resume sends. `sending` is ambiguous after a crash: the POST may have landed or not.
 * Deleting a trace that is already queued is harmless (the batch deletes it once), while
 * skipping it would leave personal data behind, so ambiguous batches are sent again; `queued`
 * batches never are.
 */
export const RESENDABLE_STATES: readonly BatchState[] = ["planned", "failed", "sending"];

export type PurgeCriteria =
  | {
      kind: "filter";
      project_id: string;
      project_name: string;
      filter?: string | undefined;
      tree_filter?: string | undefined;
      start_time: string;
      end_time: string;
    }
  | { kind: "trace_ids"; project_id: string; project_name: string; requested: number; not_found: number };

export interface PlannedTrace {
  trace_id: string;
  start_time: string;
}

export interface NewPurge {
  id: string;
  created_at: string;
  /** LangSmith API origin (no credentials). */
  endpoint: string;
  workspace_id: string | null;
  criteria: PurgeCriteria;
  /** sha256 of the sorted trace ids: what the confirmation token was bound to. */
  plan_digest: string;
  /** sha256 of the confirmation token that created it, so the token cannot queue twice. */
  token_digest: string;
  /** In batch order; cut into batches of `batch_size`. */
  traces: readonly PlannedTrace[];
  batch_size: number;
}

export interface BatchRecord {
  batch_no: number;
  state: BatchState;
  trace_count: number;
  attempts: number;
  error: string | null;
  /** When the latest POST was started (local clock). */
  sending_at: string | null;
  /** When LangSmith accepted it (LangSmith's clock). */
  delete_requested_at: string | null;
}

export interface CompletionWindow {
  start: string;
  end: string;
}

export const VERDICTS = ["verified", "pending", "partially_verified", "overdue", "incomplete", "not_verified"] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface VerificationRecord {
  at: string;
  checked: number;
  remaining_count: number;
  /** Capped sample of the ids still visible. */
  remaining_ids: string[];
  verdict: Verdict;
  /** "matched n/m batches", "not available on this plan", "not configured"… */
  audit: string | null;
  requests: number;
}

export interface AuditMatch {
  batch_no: number;
  event_uid: string;
  event_time: string;
}

export interface PurgeRecord {
  id: string;
  created_at: string;
  endpoint: string;
  workspace_id: string | null;
  criteria: PurgeCriteria;
  plan_digest: string;
  trace_count: number;
  earliest_start_time: string | null;
  latest_start_time: string | null;
  batches: BatchRecord[];
  /** From the first to the last accepted batch; null until one is queued. */
  window: CompletionWindow | null;
  last_verification: VerificationRecord | null;
}

export interface Ledger {
  /** Records the purge and all its batches as `planned`, in one transaction. */
  createPurge(purge: NewPurge): PurgeRecord;
  getPurge(id: string): PurgeRecord | undefined;
  purgeIdForToken(tokenDigest: string): string | undefined;
  /** Newest first. */
  listPurges(options?: { limit?: number; offset?: number }): PurgeRecord[];
  countPurges(): number;
  /** Trace ids of one batch, or of the whole purge, in batch order. */
  traceIds(purgeId: string, batchNo?: number): string[];
  markSending(purgeId: string, batchNo: number, at: string): void;
  markQueued(purgeId: string, batchNo: number, requestedAt: string, window: CompletionWindow): void;
  markFailed(purgeId: string, batchNo: number, error: string): void;
  recordVerification(purgeId: string, verification: VerificationRecord): void;
  verifications(purgeId: string): VerificationRecord[];
  recordAuditMatches(purgeId: string, matches: readonly AuditMatch[]): void;
  auditMatches(purgeId: string): AuditMatch[];
  close(): void;
}
