/**
 * The deletion ledger: the system of record seed 003 asks for ("store (trace_id, session_id,
 * delete_requested_at) in your system of record"), because LangSmith's delete answers `{}`
 * and has no status API. One purge request = its criteria, the trace ids it discovered (with
 * their project), the batches sent (one project and at most 1000 ids each, or one
 * workspace-wide metadata delete), the expected completion window, verification attempts and
 * audit-log matches. Every change is also appended to a hash-chained event log, from which the
 * evidence report is built. Secrets are never stored: no API key (a fingerprint of it), no
 * share URL, no token (its digest).
 */

/**
 * Batch states, as data. Each is written BEFORE and AFTER the HTTP call that moves it, so a
 * crash leaves an accurate record.
 */
export const BATCH_STATES = {
  planned: "recorded, not sent yet",
  sending: "delete request in flight (claimed by a process under a lease), or interrupted (crash): LangSmith may or may not have it",
  queued: "LangSmith accepted it (200 {}): waiting for the weekend batch",
  failed: "the request failed or was refused; sent again on resume",
} as const;
export type BatchState = keyof typeof BATCH_STATES;

/**
 * What a resume sends. `sending` is ambiguous after a crash: the POST may have landed or not.
 * Deleting a trace that is already queued is harmless (the batch deletes it once), while
 * skipping it would leave personal data behind, so ambiguous batches are sent again once their
 * lease has expired (or their owner process is gone); `queued` batches never are.
 */
export const RESENDABLE_STATES: readonly BatchState[] = ["planned", "failed", "sending"];

/**
 * How a batch is sent. `trace_ids`: `{"session_id", "trace_ids": [≤1000]}`, one project.
 * `metadata`: `{"metadata": {...}}`, LangSmith's workspace-wide delete (any pair matches).
 */
export type BatchKind = "trace_ids" | "metadata";

export interface ProjectRef {
  id: string;
  name: string;
}

/** What selected the traces of a purge, as the user asked for it. */
export interface PurgeCriteria {
  kind: "filter" | "trace_ids" | "metadata";
  /** The projects searched; every project of the workspace when `all_projects`. */
  projects: ProjectRef[];
  all_projects?: boolean | undefined;
  filter?: string | undefined;
  tree_filter?: string | undefined;
  metadata?: Record<string, string> | undefined;
  start_time?: string | undefined;
  end_time?: string | undefined;
  /** Explicit trace ids: how many were given and how many were not found. */
  requested?: number | undefined;
  not_found?: number | undefined;
  /** How the batches are sent. */
  send_as: "trace_batches" | "metadata_delete";
}

export interface PlannedTrace {
  trace_id: string;
  start_time: string;
  project_id: string;
}

/** Who made a purge: the LangSmith identity it is scoped to, never the key itself. */
export interface PurgeOwner {
  /** The isolation key: endpoint origin and workspace (tenant) id. */
  scope: string;
  /** sha256 fingerprint of the API key (prefix), for the evidence report. */
  key_fingerprint: string | null;
}

export interface NewPurge {
  id: string;
  created_at: string;
  /** LangSmith API origin (no credentials). */
  endpoint: string;
  workspace_id: string | null;
  owner: PurgeOwner;
  criteria: PurgeCriteria;
  /** sha256 of the sorted trace ids: what the confirmation token was bound to. */
  plan_digest: string;
  /** sha256 of the confirmation token that created it, so the token cannot queue twice. */
  token_digest: string;
  /** In batch order: grouped by project, each group cut into batches of `batch_size`. */
  traces: readonly PlannedTrace[];
  batch_size: number;
  /** Set for a metadata-wide delete: one batch, sent as `{"metadata": ...}`. */
  metadata_delete?: Record<string, string> | undefined;
}

export interface BatchRecord {
  batch_no: number;
  kind: BatchKind;
  /** The project (session_id) of a `trace_ids` batch; null for a metadata delete. */
  project_id: string | null;
  state: BatchState;
  trace_count: number;
  attempts: number;
  error: string | null;
  /** When the latest POST was started (local clock). */
  sending_at: string | null;
  /** When LangSmith accepted it (LangSmith's clock). */
  delete_requested_at: string | null;
  /** Who holds the send claim and until when (local clock). */
  lease_owner: string | null;
  lease_until: string | null;
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
  /** The query that checked, in words (ids re-queried, projects, window). */
  query?: string | undefined;
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
  /** Null for purges recorded before identities were (schema 1). */
  scope: string | null;
  key_fingerprint: string | null;
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

/** A purge row the ledger could not read (edited by hand, damaged): reported, not fatal. */
export interface UnreadablePurge {
  id: string;
  reason: string;
}

/** The outcome of a claim: the batch is ours to send, or another live process holds it. */
export type Claim =
  | { claimed: true }
  | { claimed: false; state: BatchState; owner: string | null; since: string | null; until: string | null };

/** How a write may be committed; see Ledger.recordVerification. */
export interface RecordOptions {
  /** false: may resolve before the commit is on disk (only for a record that repeats one already durable). Default true. */
  durable?: boolean;
}

/** One entry of the hash-chained event log. */
export interface LedgerEvent {
  seq: number;
  purge_id: string;
  at: string;
  kind: string;
  body: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** What checking the chain found: every break, by sequence number. */
export interface ChainCheck {
  intact: boolean;
  events: number;
  problems: string[];
}

export interface ListOptions {
  limit?: number;
  offset?: number;
  /** Only purges of this identity scope; all when undefined (local tools, tests). */
  scope?: string | undefined;
}

/**
 * The ledger's operations. Every call returns a Promise, so one interface covers a local
 * SQLite file (synchronous underneath) and a shared PostgreSQL server (a network round trip).
 */
export interface Ledger {
  /** Where it lives (a path or :memory:), for messages. */
  readonly location: string;
  /** Records the purge and all its batches as `planned`, in one transaction. */
  createPurge(purge: NewPurge): Promise<PurgeRecord>;
  getPurge(id: string): Promise<PurgeRecord | undefined>;
  purgeIdForToken(tokenDigest: string): Promise<string | undefined>;
  /** Newest first; rows that cannot be read are skipped and named in `unreadable`. */
  listPurgesChecked(options?: ListOptions): Promise<{ purges: PurgeRecord[]; unreadable: UnreadablePurge[] }>;
  /** Newest first (unreadable rows skipped). */
  listPurges(options?: ListOptions): Promise<PurgeRecord[]>;
  countPurges(scope?: string): Promise<number>;
  /** Trace ids of one batch, or of the whole purge, in batch order. */
  traceIds(purgeId: string, batchNo?: number): Promise<string[]>;
  /** Trace ids with their project, in batch order. */
  traces(purgeId: string): Promise<PlannedTrace[]>;
  /**
   * The distinct projects of a purge's traces (a trace without one takes the purge's), in order of
   * first appearance: what a re-query needs besides `traceIds`, without a row object per trace.
   */
  traceProjectIds(purgeId: string): Promise<string[]>;
  /**
   * Claims a batch for sending, atomically: planned/failed, or sending whose lease expired (or
   * whose owner `isDead`). Moves it to `sending` with a lease until `leaseUntil`.
   */
  claimBatch(
    purgeId: string,
    batchNo: number,
    claim: { owner: string; at: string; leaseUntil: string; isDead?: (owner: string) => boolean },
  ): Promise<Claim>;
  /** Legacy form of claimBatch without a lease holder check (tests, old callers). */
  markSending(purgeId: string, batchNo: number, at: string): Promise<void>;
  markQueued(purgeId: string, batchNo: number, requestedAt: string, window: CompletionWindow): Promise<void>;
  markFailed(purgeId: string, batchNo: number, error: string): Promise<void>;
  /**
   * Appends a check (row and chain event). Durable before it resolves unless `durable: false`:
   * then the backend may answer before the commit reaches the disk (SQLite: this one commit in
   * WAL with synchronous NORMAL). Such a commit survives a crash of this process and is never
   * half-written; an OS crash or power cut may lose it (a tail of the chain, which stays intact),
   * and the next durable commit flushes it. Postgres commits durably either way.
   */
  recordVerification(purgeId: string, verification: VerificationRecord, options?: RecordOptions): Promise<void>;
  verifications(purgeId: string): Promise<VerificationRecord[]>;
  recordAuditMatches(purgeId: string, matches: readonly AuditMatch[]): Promise<void>;
  auditMatches(purgeId: string): Promise<AuditMatch[]>;
  /** The purge's events, in order. */
  events(purgeId: string): Promise<LedgerEvent[]>;
  /** Recomputes the whole hash chain and cross-checks the purge's rows against its events. */
  checkChain(purgeId?: string): Promise<ChainCheck>;
  close(): Promise<void>;
}
