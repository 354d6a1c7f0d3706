/**
 * The ledger in one SQLite file (better-sqlite3: synchronous, so a state write is on disk
 * before the HTTP call it guards starts). WAL so a reader (list_deletions, an auditor's
 * sqlite3 shell) never blocks the writer; `synchronous = FULL` so a state change survives a
 * crash or power loss, not only a process kill. `:memory:` for tests.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { MIGRATIONS } from "./migrations.js";
import type {
  AuditMatch,
  BatchRecord,
  BatchState,
  CompletionWindow,
  Ledger,
  NewPurge,
  PurgeCriteria,
  PurgeRecord,
  Verdict,
  VerificationRecord,
} from "./types.js";

interface PurgeRow {
  id: string;
  created_at: string;
  endpoint: string;
  workspace_id: string | null;
  criteria_json: string;
  plan_digest: string;
  trace_count: number;
  earliest_start_time: string | null;
  latest_start_time: string | null;
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
}

export function openSqliteLedger(path: string): SqliteLedger {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  return new SqliteLedger(db);
}

function migrate(db: Database.Database): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(`the ledger was written by a newer langsmith-mcp (schema ${version}, this one knows ${MIGRATIONS.length}); upgrade the server`);
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

export class SqliteLedger implements Ledger {
  constructor(private readonly db: Database.Database) {}

  createPurge(purge: NewPurge): PurgeRecord {
    const starts = purge.traces.map((t) => t.start_time).sort();
    const insert = this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO purges (id, created_at, endpoint, workspace_id, project_id, project_name, criteria_json, plan_digest, token_digest, trace_count, earliest_start_time, latest_start_time)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          purge.id,
          purge.created_at,
          purge.endpoint,
          purge.workspace_id,
          purge.criteria.project_id,
          purge.criteria.project_name,
          JSON.stringify(purge.criteria),
          purge.plan_digest,
          purge.token_digest,
          purge.traces.length,
          starts[0] ?? null,
          starts[starts.length - 1] ?? null,
        );
      const trace = this.db.prepare("INSERT INTO purge_traces (purge_id, position, trace_id, batch_no, start_time) VALUES (?, ?, ?, ?, ?)");
      purge.traces.forEach((t, i) => trace.run(purge.id, i, t.trace_id, Math.floor(i / purge.batch_size) + 1, t.start_time));
      const batch = this.db.prepare("INSERT INTO batches (purge_id, batch_no, state, trace_count) VALUES (?, ?, 'planned', ?)");
      for (let b = 0; b * purge.batch_size < purge.traces.length; b++) {
        batch.run(purge.id, b + 1, Math.min(purge.batch_size, purge.traces.length - b * purge.batch_size));
      }
    });
    insert();
    return this.getPurge(purge.id)!;
  }

  getPurge(id: string): PurgeRecord | undefined {
    const row = this.db.prepare("SELECT * FROM purges WHERE id = ?").get(id) as PurgeRow | undefined;
    return row ? this.toRecord(row) : undefined;
  }

  purgeIdForToken(tokenDigest: string): string | undefined {
    return (this.db.prepare("SELECT id FROM purges WHERE token_digest = ?").get(tokenDigest) as { id: string } | undefined)?.id;
  }

  listPurges(options: { limit?: number; offset?: number } = {}): PurgeRecord[] {
    const rows = this.db
      .prepare("SELECT * FROM purges ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?")
      .all(options.limit ?? 20, options.offset ?? 0) as PurgeRow[];
    return rows.map((row) => this.toRecord(row));
  }

  countPurges(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM purges").get() as { n: number }).n;
  }

  traceIds(purgeId: string, batchNo?: number): string[] {
    const rows =
      batchNo === undefined
        ? this.db.prepare("SELECT trace_id FROM purge_traces WHERE purge_id = ? ORDER BY position").all(purgeId)
        : this.db.prepare("SELECT trace_id FROM purge_traces WHERE purge_id = ? AND batch_no = ? ORDER BY position").all(purgeId, batchNo);
    return (rows as { trace_id: string }[]).map((r) => r.trace_id);
  }

  markSending(purgeId: string, batchNo: number, at: string): void {
    this.transition(purgeId, batchNo, ["planned", "failed", "sending"], "UPDATE batches SET state = 'sending', attempts = attempts + 1, sending_at = ?, error = NULL WHERE purge_id = ? AND batch_no = ?", [at]);
  }

  markQueued(purgeId: string, batchNo: number, requestedAt: string, window: CompletionWindow): void {
    this.transition(
      purgeId,
      batchNo,
      ["sending"],
      "UPDATE batches SET state = 'queued', delete_requested_at = ?, window_start = ?, window_end = ?, error = NULL WHERE purge_id = ? AND batch_no = ?",
      [requestedAt, window.start, window.end],
    );
  }

  markFailed(purgeId: string, batchNo: number, error: string): void {
    this.transition(purgeId, batchNo, ["sending"], "UPDATE batches SET state = 'failed', error = ? WHERE purge_id = ? AND batch_no = ?", [error.slice(0, 2_000)]);
  }

  recordVerification(purgeId: string, v: VerificationRecord): void {
    this.db
      .prepare(
        "INSERT INTO verifications (purge_id, at, checked, remaining_count, remaining_ids_json, verdict, audit, requests) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(purgeId, v.at, v.checked, v.remaining_count, JSON.stringify(v.remaining_ids), v.verdict, v.audit, v.requests);
  }

  verifications(purgeId: string): VerificationRecord[] {
    const rows = this.db.prepare("SELECT * FROM verifications WHERE purge_id = ? ORDER BY id").all(purgeId) as VerificationRow[];
    return rows.map(toVerification);
  }

  recordAuditMatches(purgeId: string, matches: readonly AuditMatch[]): void {
    const insert = this.db.prepare("INSERT OR IGNORE INTO audit_matches (purge_id, batch_no, event_uid, event_time) VALUES (?, ?, ?, ?)");
    this.db.transaction(() => {
      for (const m of matches) insert.run(purgeId, m.batch_no, m.event_uid, m.event_time);
    })();
  }

  auditMatches(purgeId: string): AuditMatch[] {
    return this.db.prepare("SELECT batch_no, event_uid, event_time FROM audit_matches WHERE purge_id = ? ORDER BY batch_no, event_time").all(purgeId) as AuditMatch[];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** A state change that is only legal from `from`; anything else is a bug worth stopping on. */
  private transition(purgeId: string, batchNo: number, from: readonly BatchState[], sql: string, values: unknown[]): void {
    const current = this.db.prepare("SELECT state FROM batches WHERE purge_id = ? AND batch_no = ?").get(purgeId, batchNo) as { state: BatchState } | undefined;
    if (!current) throw new Error(`ledger: no batch ${batchNo} in purge ${purgeId}`);
    if (!from.includes(current.state)) throw new Error(`ledger: batch ${batchNo} of purge ${purgeId} is ${current.state}, not ${from.join("/")}`);
    this.db.prepare(sql).run(...values, purgeId, batchNo);
  }

  private toRecord(row: PurgeRow): PurgeRecord {
    const batches = this.db.prepare("SELECT * FROM batches WHERE purge_id = ? ORDER BY batch_no").all(row.id) as BatchRow[];
    const starts = batches.map((b) => b.window_start).filter((s): s is string => s !== null).sort();
    const ends = batches.map((b) => b.window_end).filter((s): s is string => s !== null).sort();
    const last = this.db.prepare("SELECT * FROM verifications WHERE purge_id = ? ORDER BY id DESC LIMIT 1").get(row.id) as VerificationRow | undefined;
    return {
      id: row.id,
      created_at: row.created_at,
      endpoint: row.endpoint,
      workspace_id: row.workspace_id,
      criteria: JSON.parse(row.criteria_json) as PurgeCriteria,
      plan_digest: row.plan_digest,
      trace_count: row.trace_count,
      earliest_start_time: row.earliest_start_time,
      latest_start_time: row.latest_start_time,
      batches: batches.map(({ window_start: _s, window_end: _e, ...batch }) => batch),
      window: starts.length > 0 ? { start: starts[0]!, end: ends[ends.length - 1]! } : null,
      last_verification: last ? toVerification(last) : null,
    };
  }
}

function toVerification(row: VerificationRow): VerificationRecord {
  return {
    at: row.at,
    checked: row.checked,
    remaining_count: row.remaining_count,
    remaining_ids: JSON.parse(row.remaining_ids_json) as string[],
    verdict: row.verdict as Verdict,
    audit: row.audit,
    requests: row.requests,
  };
}
