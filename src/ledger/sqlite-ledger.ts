/**
 * The ledger in one SQLite file (better-sqlite3: synchronous, so a state write is on disk
 * before the HTTP call it guards starts). WAL so a reader (list_deletions, an auditor's
 * sqlite3 shell, another server process) never blocks the writer; `synchronous = FULL` so a
 * state change survives a crash or power loss, not only a process kill. `:memory:` for tests.
 *
 * Several server processes of one user share the default file: every write that depends on
 * what is there (a batch claim, the chain's last hash) runs in a `BEGIN IMMEDIATE`
 * transaction, which takes SQLite's write lock before it reads, so two processes cannot both
 * see a batch as free. Every change also appends an event to a hash chain (sha256 over the
 * previous hash and the event), so an edited or deleted row is detected by `checkChain`.
 */
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { ledgerFaultOf, LedgerFault, TokenAlreadyUsed } from "./faults.js";
import { MIGRATIONS } from "./migrations.js";
import type {
  AuditMatch,
  BatchKind,
  BatchRecord,
  BatchState,
  ChainCheck,
  Claim,
  CompletionWindow,
  Ledger,
  LedgerEvent,
  ListOptions,
  NewPurge,
  PlannedTrace,
  PurgeCriteria,
  PurgeRecord,
  UnreadablePurge,
  Verdict,
  VerificationRecord,
} from "./types.js";

interface PurgeRow {
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

interface BatchRow extends BatchRecord {
  window_start: string | null;
  window_end: string | null;
}

interface VerificationRow {
  at: string;
  checked: number;
  remaining_count: number;
  remaining_ids_json: string;
  verdict: string;
  audit: string | null;
  requests: number;
  query: string | null;
}

interface EventRow {
  seq: number;
  purge_id: string;
  at: string;
  kind: string;
  body_json: string;
  prev_hash: string;
  hash: string;
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

export interface OpenOptions {
  /** Open without writing: no directory created, no migration, no WAL switch. */
  readOnly?: boolean;
}

/**
 * Opens (and migrates) the ledger. Throws a LedgerFault (path, what is wrong, how to fix it)
 * when the file cannot be used; `openLedger` (open-ledger.ts) turns that into a ledger that
 * answers every call with the fault, so the server still starts.
 */
export function openSqliteLedger(path: string, options: OpenOptions = {}): SqliteLedger {
  const location = path;
  let db: Database.Database | undefined;
  try {
    if (options.readOnly) {
      if (path === ":memory:" || !existsSync(path)) {
        // Nothing recorded yet, and read-only mode must not create the file: an empty ledger.
        db = new Database(":memory:");
        migrate(db, location);
      } else {
        db = new Database(path, { readonly: true, fileMustExist: true });
        db.pragma("busy_timeout = 5000");
        const version = db.pragma("user_version", { simple: true }) as number;
        if (version !== MIGRATIONS.length) {
          throw new LedgerFault(
            location,
            `has schema ${version} and read-only mode cannot upgrade it to ${MIGRATIONS.length}.`,
            "Start the server once without --read-only to upgrade the file, or point --ledger at another one.",
          );
        }
      }
    } else {
      if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      db.pragma("foreign_keys = ON");
      db.pragma("busy_timeout = 5000");
      migrate(db, location);
    }
    return new SqliteLedger(db, location);
  } catch (error) {
    db?.close();
    throw ledgerFaultOf(location, error) ?? error;
  }
}

function migrate(db: Database.Database, location: string): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new LedgerFault(
      location,
      `was written by a newer langsmith-mcp (schema ${version}, this one knows ${MIGRATIONS.length}).`,
      "Upgrade the server, or point --ledger at another file.",
    );
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

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

export class SqliteLedger implements Ledger {
  constructor(
    private readonly db: Database.Database,
    readonly location: string,
  ) {}

  /** Every public call goes through here: a SQLite error becomes a LedgerFault naming the file. */
  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw ledgerFaultOf(this.location, error) ?? error;
    }
  }

  /** Appends one event to the chain; call inside an immediate transaction. */
  private append(purgeId: string, at: string, kind: string, body: Record<string, unknown>): void {
    const last = this.db.prepare("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").get() as
      | { seq: number; hash: string }
      | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const prev = last?.hash ?? GENESIS_HASH;
    const bodyJson = JSON.stringify(body);
    this.db
      .prepare("INSERT INTO events (seq, purge_id, at, kind, body_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(seq, purgeId, at, kind, bodyJson, prev, eventHash(prev, seq, purgeId, at, kind, bodyJson));
  }

  createPurge(purge: NewPurge): PurgeRecord {
    return this.guard(() => {
      const starts = purge.traces.map((t) => t.start_time).sort();
      const batches = cutBatches(purge);
      const insert = this.db.transaction(() => {
        const used = this.db.prepare("SELECT id FROM purges WHERE token_digest = ?").get(purge.token_digest) as { id: string } | undefined;
        if (used) throw new TokenAlreadyUsed(used.id);
        const first = purge.criteria.projects[0];
        const single = purge.criteria.projects.length === 1 && !purge.criteria.all_projects;
        this.db
          .prepare(
            `INSERT INTO purges (id, created_at, endpoint, workspace_id, project_id, project_name, criteria_json, plan_digest,
               token_digest, trace_count, earliest_start_time, latest_start_time, scope, key_fingerprint)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            purge.id,
            purge.created_at,
            purge.endpoint,
            purge.workspace_id,
            single && first ? first.id : "*",
            single && first ? first.name : `${purge.criteria.all_projects ? "all" : purge.criteria.projects.length} projects`,
            JSON.stringify(purge.criteria),
            purge.plan_digest,
            purge.token_digest,
            purge.traces.length,
            starts[0] ?? null,
            starts[starts.length - 1] ?? null,
            purge.owner.scope,
            purge.owner.key_fingerprint,
          );
        const trace = this.db.prepare(
          "INSERT INTO purge_traces (purge_id, position, trace_id, batch_no, start_time, project_id) VALUES (?, ?, ?, ?, ?, ?)",
        );
        const batch = this.db.prepare(
          "INSERT INTO batches (purge_id, batch_no, state, trace_count, kind, project_id) VALUES (?, ?, 'planned', ?, ?, ?)",
        );
        let position = 0;
        for (const b of batches) {
          batch.run(purge.id, b.batch_no, b.traces.length, b.kind, b.project_id);
          for (const t of b.traces) trace.run(purge.id, position++, t.trace_id, b.batch_no, t.start_time, t.project_id);
        }
        this.append(purge.id, purge.created_at, "purge_created", {
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
        });
      });
      try {
        insert.immediate();
      } catch (error) {
        // Two processes confirming one token: the loser's insert meets the UNIQUE index.
        if (isUniqueViolation(error)) throw new TokenAlreadyUsed(this.purgeIdForToken(purge.token_digest));
        throw error;
      }
      return this.getPurge(purge.id)!;
    });
  }

  getPurge(id: string): PurgeRecord | undefined {
    return this.guard(() => {
      const row = this.db.prepare("SELECT * FROM purges WHERE id = ?").get(id) as PurgeRow | undefined;
      return row ? this.toRecord(row) : undefined;
    });
  }

  purgeIdForToken(tokenDigest: string): string | undefined {
    return this.guard(
      () => (this.db.prepare("SELECT id FROM purges WHERE token_digest = ?").get(tokenDigest) as { id: string } | undefined)?.id,
    );
  }

  listPurgesChecked(options: ListOptions = {}): { purges: PurgeRecord[]; unreadable: UnreadablePurge[] } {
    return this.guard(() => {
      const { where, params } = scopeFilter(options.scope);
      const rows = this.db
        .prepare(`SELECT * FROM purges ${where} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`)
        .all(...params, options.limit ?? 20, options.offset ?? 0) as PurgeRow[];
      const purges: PurgeRecord[] = [];
      const unreadable: UnreadablePurge[] = [];
      for (const row of rows) {
        try {
          purges.push(this.toRecord(row));
        } catch (error) {
          unreadable.push({ id: String(row.id), reason: error instanceof Error ? error.message : String(error) });
        }
      }
      return { purges, unreadable };
    });
  }

  listPurges(options: ListOptions = {}): PurgeRecord[] {
    return this.listPurgesChecked(options).purges;
  }

  countPurges(scope?: string): number {
    return this.guard(() => {
      const { where, params } = scopeFilter(scope);
      return (this.db.prepare(`SELECT count(*) AS n FROM purges ${where}`).get(...params) as { n: number }).n;
    });
  }

  traceIds(purgeId: string, batchNo?: number): string[] {
    return this.guard(() => {
      // pluck(): the one column as is, without a row object each (purges hold up to 200,000 traces).
      const ids =
        batchNo === undefined
          ? this.db.prepare("SELECT trace_id FROM purge_traces WHERE purge_id = ? ORDER BY position").pluck().all(purgeId)
          : this.db
              .prepare("SELECT trace_id FROM purge_traces WHERE purge_id = ? AND batch_no = ? ORDER BY position")
              .pluck()
              .all(purgeId, batchNo);
      return ids as string[];
    });
  }

  traces(purgeId: string): PlannedTrace[] {
    return this.guard(() => {
      // raw(): rows as arrays, about half the cost of better-sqlite3's row objects for 10,000 rows.
      const rows = this.db
        .prepare(
          "SELECT t.trace_id, t.start_time, coalesce(t.project_id, p.project_id) AS project_id FROM purge_traces t JOIN purges p ON " +
            "p.id = t.purge_id WHERE t.purge_id = ? ORDER BY t.position",
        )
        .raw()
        .all(purgeId) as [string, string, string][];
      return rows.map(([trace_id, start_time, project_id]) => ({ trace_id, start_time, project_id }));
    });
  }

  claimBatch(
    purgeId: string,
    batchNo: number,
    claim: { owner: string; at: string; leaseUntil: string; isDead?: (owner: string) => boolean },
  ): Claim {
    return this.guard(() =>
      this.db
        .transaction((): Claim => {
          const row = this.db
            .prepare("SELECT state, lease_owner, lease_until, sending_at, attempts FROM batches WHERE purge_id = ? AND batch_no = ?")
            .get(purgeId, batchNo) as
            | { state: BatchState; lease_owner: string | null; lease_until: string | null; sending_at: string | null; attempts: number }
            | undefined;
          if (!row) throw new Error(`ledger: no batch ${batchNo} in purge ${purgeId}`);
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
          // The conditional update: it only moves the row if it is still as read above.
          const moved = this.db
            .prepare(
              "UPDATE batches SET state = 'sending', attempts = attempts + 1, sending_at = ?, lease_owner = ?, lease_until = ?, error = " +
                "NULL WHERE purge_id = ? AND batch_no = ? AND state = ? AND attempts = ?",
            )
            .run(claim.at, claim.owner, claim.leaseUntil, purgeId, batchNo, row.state, row.attempts);
          if (moved.changes !== 1) return refuse;
          this.append(purgeId, claim.at, "batch_claimed", {
            batch_no: batchNo,
            attempt: row.attempts + 1,
            owner: claim.owner,
            lease_until: claim.leaseUntil,
            ...(row.state === "sending" && { taken_over_from: row.lease_owner }),
          });
          return { claimed: true };
        })
        .immediate(),
    );
  }

  markSending(purgeId: string, batchNo: number, at: string): void {
    const claim = this.claimBatch(purgeId, batchNo, { owner: "legacy", at, leaseUntil: at, isDead: () => true });
    if (!claim.claimed) throw new Error(`ledger: batch ${batchNo} of purge ${purgeId} is ${claim.state}, not planned/failed/sending`);
  }

  markQueued(purgeId: string, batchNo: number, requestedAt: string, window: CompletionWindow): void {
    this.transition(
      purgeId,
      batchNo,
      ["sending"],
      "UPDATE batches SET state = 'queued', delete_requested_at = ?, window_start = ?, window_end = ?, error = NULL, lease_owner = " +
        "NULL, lease_until = NULL WHERE purge_id = ? AND batch_no = ?",
      [requestedAt, window.start, window.end],
      { at: requestedAt, kind: "batch_queued", body: { batch_no: batchNo, delete_requested_at: requestedAt, window } },
    );
  }

  markFailed(purgeId: string, batchNo: number, error: string): void {
    const text = error.slice(0, 2_000);
    this.transition(
      purgeId,
      batchNo,
      ["sending"],
      "UPDATE batches SET state = 'failed', error = ?, lease_owner = NULL, lease_until = NULL WHERE purge_id = ? AND batch_no = ?",
      [text],
      {
        at: new Date().toISOString(),
        kind: "batch_failed",
        body: { batch_no: batchNo, error: text },
      },
    );
  }

  recordVerification(purgeId: string, v: VerificationRecord): void {
    this.guard(() =>
      this.db
        .transaction(() => {
          this.db
            .prepare(
              "INSERT INTO verifications (purge_id, at, checked, remaining_count, remaining_ids_json, verdict, audit, requests, query) " +
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .run(
              purgeId,
              v.at,
              v.checked,
              v.remaining_count,
              JSON.stringify(v.remaining_ids),
              v.verdict,
              v.audit,
              v.requests,
              v.query ?? null,
            );
          this.append(purgeId, v.at, "verification", { ...v });
        })
        .immediate(),
    );
  }

  verifications(purgeId: string): VerificationRecord[] {
    return this.guard(() =>
      (this.db.prepare("SELECT * FROM verifications WHERE purge_id = ? ORDER BY id").all(purgeId) as VerificationRow[]).map(toVerification),
    );
  }

  recordAuditMatches(purgeId: string, matches: readonly AuditMatch[]): void {
    this.guard(() => {
      const insert = this.db.prepare("INSERT OR IGNORE INTO audit_matches (purge_id, batch_no, event_uid, event_time) VALUES (?, ?, ?, ?)");
      this.db
        .transaction(() => {
          for (const m of matches) {
            if (insert.run(purgeId, m.batch_no, m.event_uid, m.event_time).changes === 1)
              this.append(purgeId, m.event_time, "audit_match", { ...m });
          }
        })
        .immediate();
    });
  }

  auditMatches(purgeId: string): AuditMatch[] {
    return this.guard(
      () =>
        this.db
          .prepare("SELECT batch_no, event_uid, event_time FROM audit_matches WHERE purge_id = ? ORDER BY batch_no, event_time")
          .all(purgeId) as AuditMatch[],
    );
  }

  events(purgeId: string): LedgerEvent[] {
    return this.guard(() =>
      (this.db.prepare("SELECT * FROM events WHERE purge_id = ? ORDER BY seq").all(purgeId) as EventRow[]).map(toEvent),
    );
  }

  checkChain(purgeId?: string): ChainCheck {
    return this.guard(() => {
      const problems: string[] = [];
      let prev = GENESIS_HASH;
      let expectedSeq = 1;
      let count = 0;
      for (const row of this.db.prepare("SELECT * FROM events ORDER BY seq").iterate() as IterableIterator<EventRow>) {
        count++;
        if (row.seq !== expectedSeq) problems.push(`events ${expectedSeq}…${row.seq - 1} are missing (deleted rows).`);
        if (row.prev_hash !== prev)
          problems.push(`event ${row.seq} does not follow the event before it (a row before it was edited or deleted).`);
        if (eventHash(row.prev_hash, row.seq, row.purge_id, row.at, row.kind, row.body_json) !== row.hash)
          problems.push(`event ${row.seq} (${row.kind} of ${row.purge_id}) was edited after it was written.`);
        prev = row.hash;
        expectedSeq = row.seq + 1;
      }
      const ids = purgeId === undefined ? (this.db.prepare("SELECT id FROM purges").all() as { id: string }[]).map((r) => r.id) : [purgeId];
      for (const id of ids) problems.push(...this.crossCheck(id));
      return { intact: problems.length === 0, events: count, problems };
    });
  }

  /** The purge's rows against what its events say they should be. */
  private crossCheck(purgeId: string): string[] {
    const problems: string[] = [];
    const events = (this.db.prepare("SELECT * FROM events WHERE purge_id = ? ORDER BY seq").all(purgeId) as EventRow[]).map(toEvent);
    const created = events.find((e) => e.kind === "purge_created");
    const row = this.db.prepare("SELECT * FROM purges WHERE id = ?").get(purgeId) as PurgeRow | undefined;
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
    const ids = (this.db.prepare("SELECT trace_id FROM purge_traces WHERE purge_id = ?").all(purgeId) as { trace_id: string }[]).map(
      (r) => r.trace_id,
    );
    if (traceSetDigest(ids) !== body.plan_digest)
      problems.push(
        `purge ${purgeId}: its trace-id rows no longer match the plan digest (${ids.length} rows, ${body.trace_count} planned): rows ` +
          `were edited or deleted.`,
      );
    const batches = this.db.prepare("SELECT * FROM batches WHERE purge_id = ? ORDER BY batch_no").all(purgeId) as BatchRow[];
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
    const verifications = this.db.prepare("SELECT * FROM verifications WHERE purge_id = ? ORDER BY id").all(purgeId) as VerificationRow[];
    const recorded = events.filter((e) => e.kind === "verification");
    if (verifications.length !== recorded.length)
      problems.push(`purge ${purgeId}: ${verifications.length} verification rows, ${recorded.length} in the event log.`);
    verifications.forEach((v, i) => {
      const e = recorded[i];
      if (e && (e.body["verdict"] !== v.verdict || e.body["remaining_count"] !== v.remaining_count || e.body["at"] !== v.at)) {
        problems.push(
          `purge ${purgeId}: verification ${i + 1} (${v.at}) was edited (it says ${v.verdict}, ${v.remaining_count} remaining).`,
        );
      }
    });
    return problems;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** A state change that is only legal from `from`; anything else is a bug worth stopping on. */
  private transition(
    purgeId: string,
    batchNo: number,
    from: readonly BatchState[],
    sql: string,
    values: unknown[],
    event: { at: string; kind: string; body: Record<string, unknown> },
  ): void {
    this.guard(() =>
      this.db
        .transaction(() => {
          const current = this.db.prepare("SELECT state FROM batches WHERE purge_id = ? AND batch_no = ?").get(purgeId, batchNo) as
            | { state: BatchState }
            | undefined;
          if (!current) throw new Error(`ledger: no batch ${batchNo} in purge ${purgeId}`);
          if (!from.includes(current.state))
            throw new Error(`ledger: batch ${batchNo} of purge ${purgeId} is ${current.state}, not ${from.join("/")}`);
          this.db.prepare(sql).run(...values, purgeId, batchNo);
          this.append(purgeId, event.at, event.kind, event.body);
        })
        .immediate(),
    );
  }

  private toRecord(row: PurgeRow): PurgeRecord {
    const batches = this.db.prepare("SELECT * FROM batches WHERE purge_id = ? ORDER BY batch_no").all(row.id) as BatchRow[];
    const starts = batches
      .map((b) => b.window_start)
      .filter((s): s is string => s !== null)
      .sort();
    const ends = batches
      .map((b) => b.window_end)
      .filter((s): s is string => s !== null)
      .sort();
    const last = this.db.prepare("SELECT * FROM verifications WHERE purge_id = ? ORDER BY id DESC LIMIT 1").get(row.id) as
      | VerificationRow
      | undefined;
    let criteria: PurgeCriteria;
    try {
      criteria = normaliseCriteria(JSON.parse(row.criteria_json), row);
    } catch (error) {
      throw new LedgerFault(
        this.location,
        `holds purge ${row.id}, whose criteria cannot be read (${error instanceof Error ? error.message : String(error)}): the row was ` +
          `damaged or edited.`,
        "Restore the file from a backup; the other purges are unaffected, and the row's hash-chained events in the file still say what " +
          "it held.",
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
}

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

/**
 * Purges of one identity scope ("<origin>|workspace:<id>"); purges recorded before scopes
 * (schema 1) belong to every identity of the same endpoint origin.
 */
function scopeFilter(scope: string | undefined): { where: string; params: string[] } {
  if (scope === undefined) return { where: "", params: [] };
  return { where: "WHERE scope = ? OR (scope IS NULL AND endpoint = ?)", params: [scope, scope.split("|")[0]!] };
}

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === "object" &&
  error !== null &&
  "code" in error &&
  String((error as { code: unknown }).code).startsWith("SQLITE_CONSTRAINT");

function toVerification(row: VerificationRow): VerificationRecord {
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

function toEvent(row: EventRow): LedgerEvent {
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
