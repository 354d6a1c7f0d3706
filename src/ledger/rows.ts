/**
 * What both ledger back ends (a SQLite file, a PostgreSQL server) share: the row shapes they
 * store, the hash chain's arithmetic, how rows become records, how a claim is decided and how
 * a purge's rows are cross-checked against its events. Each back end only runs SQL; the rules
 * live here once, so the two cannot drift.
 */
import { createHash } from "node:crypto";
import { LedgerFault } from "./faults.js";
import type {
  BatchKind,
  BatchRecord,
  BatchState,
  Claim,
  LedgerEvent,
  NewPurge,
  PlannedTrace,
  PurgeCriteria,
  PurgeRecord,
  Verdict,
  VerificationRecord,
} from "./types.js";

export interface PurgeRow {
  id: string;
  created_at: string;
  endpoint: string;
  workspace_id: string | null;
  project_id: string;
  project_name: string;
  criteria_json: string;
  plan_digest: string;
  trace_count: number;
  earliest_start_time: string | null;
  latest_start_time: string | null;
  scope: string | null;
  key_fingerprint: string | null;
}

export interface BatchRow extends BatchRecord {
  window_start: string | null;
  window_end: string | null;
}

export interface VerificationRow {
  at: string;
  checked: number;
  remaining_count: number;
  remaining_ids_json: string;
  verdict: string;
  audit: string | null;
  requests: number;
  query: string | null;
}

export interface EventRow {
  seq: number;
  purge_id: string;
  at: string;
  kind: string;
  body_json: string;
  prev_hash: string;
  hash: string;
}

/** The claim-relevant columns of a batch row. */
export interface ClaimRow {
  state: BatchState;
  lease_owner: string | null;
  lease_until: string | null;
  sending_at: string | null;
  attempts: number;
}

export interface ClaimRequest {
  owner: string;
  at: string;
  leaseUntil: string;
  isDead?: (owner: string) => boolean;
}

/** The chain's first `prev_hash`. */
export const GENESIS_HASH = "0".repeat(64);

/** sha256 over the previous hash and every field of the event, newline-separated. */
export function eventHash(prevHash: string, seq: number, purgeId: string, at: string, kind: string, bodyJson: string): string {
  return createHash("sha256")
    .update([prevHash, String(seq), purgeId, at, kind, bodyJson].join("\n"))
    .digest("hex");
}

/** sha256 of the sorted ids: what a confirmation token and a ledger record are bound to. */
export const traceSetDigest = (ids: readonly string[]): string =>
  createHash("sha256")
    .update([...ids].sort().join("\n"))
    .digest("hex");

export interface CutBatch {
  batch_no: number;
  kind: BatchKind;
  project_id: string | null;
  traces: PlannedTrace[];
}

/**
 * Batches in order: a metadata delete is one batch holding every trace; otherwise the traces
 * (already grouped by project) are cut per project into batches of `batch_size`.
 */
export function cutBatches(purge: Pick<NewPurge, "traces" | "batch_size" | "metadata_delete">): CutBatch[] {
  if (purge.metadata_delete) return [{ batch_no: 1, kind: "metadata", project_id: null, traces: [...purge.traces] }];
  const out: CutBatch[] = [];
  let current: CutBatch | undefined;
  for (const t of purge.traces) {
    if (!current || current.project_id !== t.project_id || current.traces.length >= purge.batch_size) {
      current = { batch_no: out.length + 1, kind: "trace_ids", project_id: t.project_id, traces: [] };
      out.push(current);
    }
    current.traces.push(t);
  }
  return out;
}

/** The purges row of a new purge: one project's id and name, or "*" and a count. */
export function purgeRowOf(purge: NewPurge): PurgeRow & { token_digest: string } {
  const starts = purge.traces.map((t) => t.start_time).sort();
  const first = purge.criteria.projects[0];
  const single = purge.criteria.projects.length === 1 && !purge.criteria.all_projects;
  return {
    id: purge.id,
    created_at: purge.created_at,
    endpoint: purge.endpoint,
    workspace_id: purge.workspace_id,
    project_id: single && first ? first.id : "*",
    project_name: single && first ? first.name : `${purge.criteria.all_projects ? "all" : purge.criteria.projects.length} projects`,
    criteria_json: JSON.stringify(purge.criteria),
    plan_digest: purge.plan_digest,
    token_digest: purge.token_digest,
    trace_count: purge.traces.length,
    earliest_start_time: starts[0] ?? null,
    latest_start_time: starts[starts.length - 1] ?? null,
    scope: purge.owner.scope,
    key_fingerprint: purge.owner.key_fingerprint,
  };
}

/** The body of a purge's first event: what it was created with, per batch a digest of its ids. */
export function createdEventBody(purge: NewPurge, batches: readonly CutBatch[]): Record<string, unknown> {
  return {
    endpoint: purge.endpoint,
    workspace_id: purge.workspace_id,
    scope: purge.owner.scope,
    key_fingerprint: purge.owner.key_fingerprint,
    criteria: purge.criteria,
    plan_digest: purge.plan_digest,
    trace_count: purge.traces.length,
    batches: batches.map((b) => ({
      batch_no: b.batch_no,
      kind: b.kind,
      project_id: b.project_id,
      trace_count: b.traces.length,
      ids_digest: traceSetDigest(b.traces.map((t) => t.trace_id)),
    })),
  };
}

/**
 * Whether `claim` may take a batch in the state `row` shows: planned/failed always; sending
 * when its lease ended, it is the claimant's own, or its owner is dead; queued never.
 */
export function claimRefusal(row: ClaimRow, claim: ClaimRequest): Claim | undefined {
  const refuse: Claim = { claimed: false, state: row.state, owner: row.lease_owner, since: row.sending_at, until: row.lease_until };
  if (row.state === "queued") return refuse;
  if (
    row.state === "sending" &&
    row.lease_owner &&
    row.lease_owner !== claim.owner &&
    row.lease_until &&
    row.lease_until > claim.at &&
    !claim.isDead?.(row.lease_owner)
  ) {
    return refuse;
  }
  return undefined;
}

/** The event a successful claim appends. */
export const claimedEventBody = (batchNo: number, row: ClaimRow, claim: ClaimRequest): Record<string, unknown> => ({
  batch_no: batchNo,
  attempt: row.attempts + 1,
  owner: claim.owner,
  lease_until: claim.leaseUntil,
  ...(row.state === "sending" && { taken_over_from: row.lease_owner }),
});

/** Schema-1 criteria named one project at the top level. */
function normaliseCriteria(raw: unknown, row: PurgeRow): PurgeCriteria {
  const c = raw as Record<string, unknown>;
  if (Array.isArray(c["projects"])) return c as unknown as PurgeCriteria;
  const { project_id: _id, project_name: _name, ...rest } = c;
  return {
    ...(rest as Omit<PurgeCriteria, "projects" | "send_as">),
    kind: (c["kind"] as PurgeCriteria["kind"]) ?? "filter",
    projects: [{ id: row.project_id, name: row.project_name }],
    send_as: "trace_batches",
  };
}

/** A purge's record from its row, its batch rows and its latest verification row. */
export function recordOf(location: string, row: PurgeRow, batches: readonly BatchRow[], last: VerificationRow | undefined): PurgeRecord {
  const starts = batches
    .map((b) => b.window_start)
    .filter((s): s is string => s !== null)
    .sort();
  const ends = batches
    .map((b) => b.window_end)
    .filter((s): s is string => s !== null)
    .sort();
  let criteria: PurgeCriteria;
  try {
    criteria = normaliseCriteria(JSON.parse(row.criteria_json), row);
  } catch (error) {
    throw new LedgerFault(
      location,
      `holds purge ${row.id}, whose criteria cannot be read (${error instanceof Error ? error.message : String(error)}): the row was ` +
        `damaged or edited.`,
      "Restore the ledger from a backup; the other purges are unaffected, and the row's hash-chained events in the ledger still say " +
        "what it held.",
    );
  }
  return {
    id: row.id,
    created_at: row.created_at,
    endpoint: row.endpoint,
    workspace_id: row.workspace_id,
    scope: row.scope,
    key_fingerprint: row.key_fingerprint,
    criteria,
    plan_digest: row.plan_digest,
    trace_count: row.trace_count,
    earliest_start_time: row.earliest_start_time,
    latest_start_time: row.latest_start_time,
    batches: batches.map(({ window_start: _s, window_end: _e, ...batch }) => ({
      ...batch,
      kind: (batch.kind ?? "trace_ids") as BatchKind,
      project_id: batch.project_id ?? (batch.kind === "metadata" ? null : row.project_id),
    })),
    window: starts.length > 0 ? { start: starts[0]!, end: ends[ends.length - 1]! } : null,
    last_verification: last ? toVerification(last) : null,
  };
}

export function toVerification(row: VerificationRow): VerificationRecord {
  return {
    at: row.at,
    checked: row.checked,
    remaining_count: row.remaining_count,
    remaining_ids: JSON.parse(row.remaining_ids_json) as string[],
    verdict: row.verdict as Verdict,
    audit: row.audit,
    requests: row.requests,
    ...(row.query && { query: row.query }),
  };
}

export function toEvent(row: EventRow): LedgerEvent {
  return {
    seq: row.seq,
    purge_id: row.purge_id,
    at: row.at,
    kind: row.kind,
    body: JSON.parse(row.body_json) as Record<string, unknown>,
    prev_hash: row.prev_hash,
    hash: row.hash,
  };
}

/** Walks the whole chain in order; call `next` per row, then `problems` for what was found. */
export class ChainWalk {
  private prev = GENESIS_HASH;
  private expectedSeq = 1;
  count = 0;
  readonly problems: string[] = [];

  next(row: EventRow): void {
    this.count++;
    if (row.seq !== this.expectedSeq) this.problems.push(`events ${this.expectedSeq}…${row.seq - 1} are missing (deleted rows).`);
    if (row.prev_hash !== this.prev)
      this.problems.push(`event ${row.seq} does not follow the event before it (a row before it was edited or deleted).`);
    if (eventHash(row.prev_hash, row.seq, row.purge_id, row.at, row.kind, row.body_json) !== row.hash)
      this.problems.push(`event ${row.seq} (${row.kind} of ${row.purge_id}) was edited after it was written.`);
    this.prev = row.hash;
    this.expectedSeq = row.seq + 1;
  }
}

/** One purge's rows as stored, for the cross-check against its events. */
export interface PurgeRows {
  events: EventRow[];
  row: PurgeRow | undefined;
  traceIds: string[];
  batches: BatchRow[];
  verifications: VerificationRow[];
}

/** The purge's rows against what its events say they should be. */
export function crossCheck(purgeId: string, rows: PurgeRows): string[] {
  const problems: string[] = [];
  const events = rows.events.map(toEvent);
  const created = events.find((e) => e.kind === "purge_created");
  const row = rows.row;
  // A schema-1 purge (no scope) was recorded before the chain existed: nothing to check it against.
  if (!created)
    return row && row.scope !== null
      ? [`purge ${purgeId} has no creation event: its row was added outside the server, or its events were deleted.`]
      : [];
  if (!row) return [`purge ${purgeId} is in the event log but its row was deleted.`];
  const body = created.body as {
    criteria: unknown;
    plan_digest: string;
    trace_count: number;
    batches: { batch_no: number; trace_count: number; ids_digest: string; project_id: string | null }[];
  };
  if (row.criteria_json !== JSON.stringify(body.criteria))
    problems.push(`purge ${purgeId}: its criteria differ from those recorded when it was created.`);
  if (row.plan_digest !== body.plan_digest || row.trace_count !== body.trace_count)
    problems.push(`purge ${purgeId}: its plan digest or trace count was edited.`);
  const ids = rows.traceIds;
  if (traceSetDigest(ids) !== body.plan_digest)
    problems.push(
      `purge ${purgeId}: its trace-id rows no longer match the plan digest (${ids.length} rows, ${body.trace_count} planned): rows ` +
        `were edited or deleted.`,
    );
  const batches = rows.batches;
  if (batches.length !== body.batches.length)
    problems.push(`purge ${purgeId}: ${batches.length} batch rows, ${body.batches.length} planned.`);
  for (const b of batches) {
    const mine = events.filter((e) => e.body["batch_no"] === b.batch_no);
    const claims = mine.filter((e) => e.kind === "batch_claimed").length;
    const last = [...mine].reverse().find((e) => e.kind !== "audit_match");
    const state: BatchState = !last
      ? "planned"
      : last.kind === "batch_claimed"
        ? "sending"
        : last.kind === "batch_queued"
          ? "queued"
          : "failed";
    if (b.state !== state) problems.push(`purge ${purgeId} batch ${b.batch_no}: the row says ${b.state}, its events say ${state}.`);
    if (b.attempts !== claims)
      problems.push(`purge ${purgeId} batch ${b.batch_no}: the row says ${b.attempts} attempt(s), its events ${claims}.`);
    const queued = last?.kind === "batch_queued" ? String(last.body["delete_requested_at"]) : null;
    if (state === "queued" && b.delete_requested_at !== queued)
      problems.push(`purge ${purgeId} batch ${b.batch_no}: its accepted time was edited.`);
  }
  const verifications = rows.verifications;
  const recorded = events.filter((e) => e.kind === "verification");
  if (verifications.length !== recorded.length)
    problems.push(`purge ${purgeId}: ${verifications.length} verification rows, ${recorded.length} in the event log.`);
  verifications.forEach((v, i) => {
    const e = recorded[i];
    if (e && (e.body["verdict"] !== v.verdict || e.body["remaining_count"] !== v.remaining_count || e.body["at"] !== v.at)) {
      problems.push(`purge ${purgeId}: verification ${i + 1} (${v.at}) was edited (it says ${v.verdict}, ${v.remaining_count} remaining).`);
    }
  });
  return problems;
}
