/**
 * The ledger in one SQLite file (better-sqlite3: synchronous, so a state write is on disk
 * before the HTTP call it guards starts). WAL so a reader (list_deletions, an auditor's
 * sqlite3 shell, another server process) never blocks the writer; `synchronous = FULL` so a
 * state change survives a crash or power loss, not only a process kill. The one exception is a
 * verification that repeats the last one (recordVerification with `durable: false`): NORMAL for
 * that commit when the file is in WAL, which a process crash never loses. `:memory:` for tests.
 *
 * Several server processes of one user share the default file: every write that depends on
 * what is there (a batch claim, the chain's last hash) runs in a `BEGIN IMMEDIATE`
 * transaction, which takes SQLite's write lock before it reads, so two processes cannot both
 * see a batch as free. Every change also appends an event to a hash chain (sha256 over the
 * previous hash and the event), so an edited or deleted row is detected by `checkChain`.
 */
import type Database from "better-sqlite3";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { ledgerFaultOf, LedgerFault, TokenAlreadyUsed } from "./faults.js";
import { MIGRATIONS } from "./migrations.js";
import {
  ChainWalk,
  claimedEventBody,
  claimRefusal,
  createdEventBody,
  crossCheck,
  cutBatches,
  eventHash,
  GENESIS_HASH,
  purgeRowOf,
  recordOf,
  toEvent,
  toVerification,
  type BatchRow,
  type ClaimRequest,
  type ClaimRow,
  type EventRow,
  type PurgeRow,
  type VerificationRow,
} from "./rows.js";
import type {
  AuditMatch,
  BatchState,
  ChainCheck,
  Claim,
  CompletionWindow,
  Ledger,
  LedgerEvent,
  ListOptions,
  NewPurge,
  PlannedTrace,
  PurgeRecord,
  RecordOptions,
  UnreadablePurge,
  VerificationRecord,
} from "./types.js";

/**
 * The native SQLite module, loaded when a ledger is first opened (require is synchronous, as
 * the ledger is), so a server whose deletion tools are never used never loads it. It stays
 * outside the bundle: a compiled .node file cannot be bundled.
 */
let nativeSqlite: typeof Database | undefined;
const sqlite = (): typeof Database => (nativeSqlite ??= createRequire(import.meta.url)("better-sqlite3") as typeof Database);

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
    const Database = sqlite();
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

  async createPurge(purge: NewPurge): Promise<PurgeRecord> {
    return this.guard(() => {
      const batches = cutBatches(purge);
      const r = purgeRowOf(purge);
      const insert = this.db.transaction(() => {
        const used = this.db.prepare("SELECT id FROM purges WHERE token_digest = ?").get(purge.token_digest) as { id: string } | undefined;
        if (used) throw new TokenAlreadyUsed(used.id);
        this.db
          .prepare(
            `INSERT INTO purges (id, created_at, endpoint, workspace_id, project_id, project_name, criteria_json, plan_digest,
               token_digest, trace_count, earliest_start_time, latest_start_time, scope, key_fingerprint)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            r.id,
            r.created_at,
            r.endpoint,
            r.workspace_id,
            r.project_id,
            r.project_name,
            r.criteria_json,
            r.plan_digest,
            r.token_digest,
            r.trace_count,
            r.earliest_start_time,
            r.latest_start_time,
            r.scope,
            r.key_fingerprint,
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
        this.append(purge.id, purge.created_at, "purge_created", createdEventBody(purge, batches));
      });
      try {
        insert.immediate();
      } catch (error) {
        // Two processes confirming one token: the loser's insert meets the UNIQUE index.
        if (isUniqueViolation(error)) throw new TokenAlreadyUsed(this.tokenOwner(purge.token_digest));
        throw error;
      }
      return this.readPurge(purge.id)!;
    });
  }

  async getPurge(id: string): Promise<PurgeRecord | undefined> {
    return this.guard(() => this.readPurge(id));
  }

  private readPurge(id: string): PurgeRecord | undefined {
    const row = this.db.prepare("SELECT * FROM purges WHERE id = ?").get(id) as PurgeRow | undefined;
    return row ? this.toRecord(row) : undefined;
  }

  async purgeIdForToken(tokenDigest: string): Promise<string | undefined> {
    return this.guard(() => this.tokenOwner(tokenDigest));
  }

  private tokenOwner(tokenDigest: string): string | undefined {
    return (this.db.prepare("SELECT id FROM purges WHERE token_digest = ?").get(tokenDigest) as { id: string } | undefined)?.id;
  }

  async listPurgesChecked(options: ListOptions = {}): Promise<{ purges: PurgeRecord[]; unreadable: UnreadablePurge[] }> {
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

  async listPurges(options: ListOptions = {}): Promise<PurgeRecord[]> {
    return (await this.listPurgesChecked(options)).purges;
  }

  async countPurges(scope?: string): Promise<number> {
    return this.guard(() => {
      const { where, params } = scopeFilter(scope);
      return (this.db.prepare(`SELECT count(*) AS n FROM purges ${where}`).get(...params) as { n: number }).n;
    });
  }

  async traceIds(purgeId: string, batchNo?: number): Promise<string[]> {
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

  async traces(purgeId: string): Promise<PlannedTrace[]> {
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

  async traceProjectIds(purgeId: string): Promise<string[]> {
    return this.guard(
      () =>
        this.db
          .prepare(
            "SELECT coalesce(t.project_id, p.project_id) AS project_id FROM purge_traces t JOIN purges p ON p.id = t.purge_id " +
              "WHERE t.purge_id = ? AND coalesce(t.project_id, p.project_id) IS NOT NULL GROUP BY 1 ORDER BY min(t.position)",
          )
          .pluck()
          .all(purgeId) as string[],
    );
  }

  async claimBatch(purgeId: string, batchNo: number, claim: ClaimRequest): Promise<Claim> {
    return this.guard(() =>
      this.db
        .transaction((): Claim => {
          const row = this.db
            .prepare("SELECT state, lease_owner, lease_until, sending_at, attempts FROM batches WHERE purge_id = ? AND batch_no = ?")
            .get(purgeId, batchNo) as ClaimRow | undefined;
          if (!row) throw new Error(`ledger: no batch ${batchNo} in purge ${purgeId}`);
          const refused = claimRefusal(row, claim);
          if (refused) return refused;
          // The conditional update: it only moves the row if it is still as read above.
          const moved = this.db
            .prepare(
              "UPDATE batches SET state = 'sending', attempts = attempts + 1, sending_at = ?, lease_owner = ?, lease_until = ?, error = " +
                "NULL WHERE purge_id = ? AND batch_no = ? AND state = ? AND attempts = ?",
            )
            .run(claim.at, claim.owner, claim.leaseUntil, purgeId, batchNo, row.state, row.attempts);
          if (moved.changes !== 1)
            return { claimed: false, state: row.state, owner: row.lease_owner, since: row.sending_at, until: row.lease_until };
          this.append(purgeId, claim.at, "batch_claimed", claimedEventBody(batchNo, row, claim));
          return { claimed: true };
        })
        .immediate(),
    );
  }

  async markSending(purgeId: string, batchNo: number, at: string): Promise<void> {
    const claim = await this.claimBatch(purgeId, batchNo, { owner: "legacy", at, leaseUntil: at, isDead: () => true });
    if (!claim.claimed) throw new Error(`ledger: batch ${batchNo} of purge ${purgeId} is ${claim.state}, not planned/failed/sending`);
  }

  async markQueued(purgeId: string, batchNo: number, requestedAt: string, window: CompletionWindow): Promise<void> {
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

  async markFailed(purgeId: string, batchNo: number, error: string): Promise<void> {
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

  async recordVerification(purgeId: string, v: VerificationRecord, options: RecordOptions = {}): Promise<void> {
    // synchronous is per connection and may change between transactions: NORMAL for this one
    // commit only (in WAL: no fsync at commit, never a torn write), FULL again after it, so every
    // other write, and a later durable one that syncs the WAL with this commit in it, waits for the disk.
    // In WAL only: in a rollback journal (a file system without WAL's shared memory) NORMAL risks a corrupt file on power loss.
    const relaxed = options.durable === false && this.db.pragma("journal_mode", { simple: true }) === "wal";
    this.guard(() => {
      if (relaxed) this.db.pragma("synchronous = NORMAL");
      try {
        this.insertVerification(purgeId, v);
      } finally {
        if (relaxed) this.db.pragma("synchronous = FULL");
      }
    });
  }

  private insertVerification(purgeId: string, v: VerificationRecord): void {
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
      .immediate();
  }

  async verifications(purgeId: string): Promise<VerificationRecord[]> {
    return this.guard(() =>
      (this.db.prepare("SELECT * FROM verifications WHERE purge_id = ? ORDER BY id").all(purgeId) as VerificationRow[]).map(toVerification),
    );
  }

  async recordAuditMatches(purgeId: string, matches: readonly AuditMatch[]): Promise<void> {
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

  async auditMatches(purgeId: string): Promise<AuditMatch[]> {
    return this.guard(
      () =>
        this.db
          .prepare("SELECT batch_no, event_uid, event_time FROM audit_matches WHERE purge_id = ? ORDER BY batch_no, event_time")
          .all(purgeId) as AuditMatch[],
    );
  }

  async events(purgeId: string): Promise<LedgerEvent[]> {
    return this.guard(() =>
      (this.db.prepare("SELECT * FROM events WHERE purge_id = ? ORDER BY seq").all(purgeId) as EventRow[]).map(toEvent),
    );
  }

  async checkChain(purgeId?: string): Promise<ChainCheck> {
    return this.guard(() => {
      const walk = new ChainWalk();
      for (const row of this.db.prepare("SELECT * FROM events ORDER BY seq").iterate() as IterableIterator<EventRow>) walk.next(row);
      const problems = walk.problems;
      const count = walk.count;
      const ids = purgeId === undefined ? (this.db.prepare("SELECT id FROM purges").all() as { id: string }[]).map((r) => r.id) : [purgeId];
      for (const id of ids) problems.push(...this.crossCheck(id));
      return { intact: problems.length === 0, events: count, problems };
    });
  }

  /** The purge's rows against what its events say they should be. */
  private crossCheck(purgeId: string): string[] {
    return crossCheck(purgeId, {
      events: this.db.prepare("SELECT * FROM events WHERE purge_id = ? ORDER BY seq").all(purgeId) as EventRow[],
      row: this.db.prepare("SELECT * FROM purges WHERE id = ?").get(purgeId) as PurgeRow | undefined,
      traceIds: (this.db.prepare("SELECT trace_id FROM purge_traces WHERE purge_id = ?").all(purgeId) as { trace_id: string }[]).map(
        (r) => r.trace_id,
      ),
      batches: this.db.prepare("SELECT * FROM batches WHERE purge_id = ? ORDER BY batch_no").all(purgeId) as BatchRow[],
      verifications: this.db.prepare("SELECT * FROM verifications WHERE purge_id = ? ORDER BY id").all(purgeId) as VerificationRow[],
    });
  }

  async close(): Promise<void> {
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
    const last = this.db.prepare("SELECT * FROM verifications WHERE purge_id = ? ORDER BY id DESC LIMIT 1").get(row.id) as
      | VerificationRow
      | undefined;
    return recordOf(this.location, row, batches, last);
  }
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
