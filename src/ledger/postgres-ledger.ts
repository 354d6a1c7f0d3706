/**
 * The ledger on a PostgreSQL server, shared by every replica of a team deployment, through the
 * same interface and the same rules (rows.ts) as the SQLite file. What a SQLite `BEGIN
 * IMMEDIATE` gives one host, Postgres gives many:
 * - a batch claim reads its row `FOR UPDATE` (a row lock held to commit), so two replicas
 *   claiming one batch take turns and the second sees the first's lease. Not `SKIP LOCKED`:
 *   the refusal names the holder and its lease, which a skipped row cannot say; the wait is
 *   one short transaction (no HTTP call happens inside it).
 * - every event is appended under a transaction-scoped advisory lock, so the hash chain stays
 *   one line across replicas (a gap or fork would read as tampering). It is taken last, after
 *   any row lock, so no two writers wait on each other in opposite orders; only a verification
 *   takes it first (its row holds no lock anyone waits on), so verification ids follow the chain.
 * - migrations run under another advisory lock, so replicas starting at once migrate once.
 * The `pg` driver is imported here only, when a `postgres://` ledger is opened: SQLite users
 * never load it.
 */
import type { Pool, PoolClient } from "pg";
import { LedgerFault, TokenAlreadyUsed } from "./faults.js";
import { PG_MIGRATIONS } from "./migrations.js";
import { ledgerUrlSecrets, postgresFaultOf, redactLedgerUrl } from "./postgres-url.js";
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
  UnreadablePurge,
  VerificationRecord,
} from "./types.js";

/** Advisory lock names (hashed by Postgres' own hashtext into lock keys). */
const MIGRATION_LOCK = "langsmith-mcp:ledger:migrate";
const CHAIN_LOCK = "langsmith-mcp:ledger:chain";
const SCHEMA_TABLE = "langsmith_mcp_schema";

/** Rows per INSERT … SELECT FROM unnest(…) when recording a purge's traces. */
const INSERT_CHUNK = 5_000;
/** Events read per page when the whole chain is checked. */
const CHAIN_PAGE = 5_000;

export interface PostgresOpenOptions {
  /** Every transaction read-only (`default_transaction_read_only`), no migration. */
  readOnly?: boolean;
  /** Connections per process (default 5). */
  poolSize?: number;
}

/**
 * Connects, migrates (unless read-only) and returns the ledger. Throws a LedgerFault naming the
 * server without credentials when it cannot be reached, logged into or migrated.
 */
export async function openPostgresLedger(url: string, options: PostgresOpenOptions = {}): Promise<PostgresLedger> {
  const location = redactLedgerUrl(url);
  const secrets = ledgerUrlSecrets(url);
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 5,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: "langsmith-mcp",
    // A ledger statement never takes long; one that does is stuck behind a lock, and a call
    // waiting on it should fail with a message rather than hang.
    statement_timeout: 30_000,
    ...(options.readOnly && { options: "-c default_transaction_read_only=on" }),
  });
  // An idle connection dropped by the server (a restart, a failover) must not end the process:
  // the next query opens a new one, and a failing one is reported as a fault.
  pool.on("error", () => undefined);
  try {
    await migrate(pool, location, options.readOnly ?? false);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw postgresFaultOf(location, error, secrets) ?? error;
  }
  return new PostgresLedger(pool, location, secrets);
}

async function migrate(pool: Pool, location: string, readOnly: boolean): Promise<void> {
  const client = await pool.connect();
  try {
    if (readOnly) {
      const exists = (await client.query<{ t: string | null }>("SELECT to_regclass($1) AS t", [SCHEMA_TABLE])).rows[0]?.t;
      const version = exists ? ((await client.query<{ version: number }>(`SELECT version FROM ${SCHEMA_TABLE}`)).rows[0]?.version ?? 0) : 0;
      if (version !== PG_MIGRATIONS.length) {
        throw new LedgerFault(
          location,
          `has schema ${version} and read-only mode cannot create or upgrade it to ${PG_MIGRATIONS.length}.`,
          "Start one server without --read-only against this database first (it creates the tables), then restart this one.",
        );
      }
      return;
    }
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [MIGRATION_LOCK]);
      // Only when missing: a user granted read/write on existing tables may lack CREATE.
      const exists = (await client.query<{ t: string | null }>("SELECT to_regclass($1) AS t", [SCHEMA_TABLE])).rows[0]?.t;
      if (!exists) await client.query(`CREATE TABLE ${SCHEMA_TABLE} (version INTEGER NOT NULL)`);
      const row = (await client.query<{ version: number }>(`SELECT version FROM ${SCHEMA_TABLE}`)).rows[0];
      const version = row?.version ?? 0;
      if (!row) await client.query(`INSERT INTO ${SCHEMA_TABLE} (version) VALUES (0)`);
      if (version > PG_MIGRATIONS.length) {
        throw new LedgerFault(
          location,
          `was written by a newer langsmith-mcp (schema ${version}, this one knows ${PG_MIGRATIONS.length}).`,
          "Upgrade this replica to the version the others run.",
        );
      }
      for (let v = version; v < PG_MIGRATIONS.length; v++) await client.query(PG_MIGRATIONS[v]!);
      await client.query(`UPDATE ${SCHEMA_TABLE} SET version = $1`, [PG_MIGRATIONS.length]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  } finally {
    client.release();
  }
}

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "23505";

export class PostgresLedger implements Ledger {
  constructor(
    private readonly pool: Pool,
    /** The URL without its password. */
    readonly location: string,
    private readonly secrets: readonly string[],
  ) {}

  /** Every public call goes through here: a driver or server error becomes a LedgerFault naming the server. */
  private async guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw postgresFaultOf(this.location, error, this.secrets) ?? error;
    }
  }

  /** Runs `work` in one transaction on one connection; rolls back on any error. */
  private async tx<T>(work: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    let broken = false;
    try {
      await c.query("BEGIN");
      const out = await work(c);
      await c.query("COMMIT");
      return out;
    } catch (error) {
      broken = await c.query("ROLLBACK").then(
        () => false,
        () => true,
      );
      throw error;
    } finally {
      // A connection whose rollback failed is in an unknown state: drop it, not back to the pool.
      c.release(broken);
    }
  }

  private async query<R extends object>(sql: string, values: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, values)).rows;
  }

  /** Holds the chain until the transaction ends (re-entrant: taking it twice is harmless). */
  private async lockChain(c: PoolClient): Promise<void> {
    await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [CHAIN_LOCK]);
  }

  /** Appends one event to the chain, last in its transaction (see the module note on lock order). */
  private async append(c: PoolClient, purgeId: string, at: string, kind: string, body: Record<string, unknown>): Promise<void> {
    await this.lockChain(c);
    const last = (await c.query<{ seq: number; hash: string }>("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")).rows[0];
    const seq = (last?.seq ?? 0) + 1;
    const prev = last?.hash ?? GENESIS_HASH;
    const bodyJson = JSON.stringify(body);
    await c.query("INSERT INTO events (seq, purge_id, at, kind, body_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
      seq,
      purgeId,
      at,
      kind,
      bodyJson,
      prev,
      eventHash(prev, seq, purgeId, at, kind, bodyJson),
    ]);
  }

  async createPurge(purge: NewPurge): Promise<PurgeRecord> {
    return this.guard(async () => {
      const batches = cutBatches(purge);
      const r = purgeRowOf(purge);
      try {
        await this.tx(async (c) => {
          const used = (await c.query<{ id: string }>("SELECT id FROM purges WHERE token_digest = $1", [purge.token_digest])).rows[0];
          if (used) throw new TokenAlreadyUsed(used.id);
          await c.query(
            `INSERT INTO purges (id, created_at, endpoint, workspace_id, project_id, project_name, criteria_json, plan_digest,
               token_digest, trace_count, earliest_start_time, latest_start_time, scope, key_fingerprint)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
            [
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
            ],
          );
          await c.query(
            `INSERT INTO batches (purge_id, batch_no, state, trace_count, kind, project_id)
             SELECT $1, b, 'planned', n, k, p FROM unnest($2::int[], $3::int[], $4::text[], $5::text[]) AS u(b, n, k, p)`,
            [
              purge.id,
              batches.map((b) => b.batch_no),
              batches.map((b) => b.traces.length),
              batches.map((b) => b.kind),
              batches.map((b) => b.project_id),
            ],
          );
          const rows = batches.flatMap((b) => b.traces.map((t) => ({ ...t, batch_no: b.batch_no })));
          for (let from = 0; from < rows.length; from += INSERT_CHUNK) {
            const chunk = rows.slice(from, from + INSERT_CHUNK);
            await c.query(
              `INSERT INTO purge_traces (purge_id, position, trace_id, batch_no, start_time, project_id)
               SELECT $1, pos, t, b, s, p FROM unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::text[]) AS u(pos, t, b, s, p)`,
              [
                purge.id,
                chunk.map((_, i) => from + i),
                chunk.map((t) => t.trace_id),
                chunk.map((t) => t.batch_no),
                chunk.map((t) => t.start_time),
                chunk.map((t) => t.project_id),
              ],
            );
          }
          await this.append(c, purge.id, purge.created_at, "purge_created", createdEventBody(purge, batches));
        });
      } catch (error) {
        // Two replicas confirming one token: the loser's insert meets the UNIQUE index.
        if (isUniqueViolation(error)) throw new TokenAlreadyUsed(await this.purgeIdForToken(purge.token_digest));
        throw error;
      }
      return (await this.getPurge(purge.id))!;
    });
  }

  async getPurge(id: string): Promise<PurgeRecord | undefined> {
    return this.guard(async () => {
      const row = (await this.query<PurgeRow>("SELECT * FROM purges WHERE id = $1", [id]))[0];
      return row ? this.toRecord(row) : undefined;
    });
  }

  async purgeIdForToken(tokenDigest: string): Promise<string | undefined> {
    return this.guard(
      async () => (await this.query<{ id: string }>("SELECT id FROM purges WHERE token_digest = $1", [tokenDigest]))[0]?.id,
    );
  }

  async listPurgesChecked(options: ListOptions = {}): Promise<{ purges: PurgeRecord[]; unreadable: UnreadablePurge[] }> {
    return this.guard(async () => {
      const { where, params } = scopeFilter(options.scope);
      const rows = await this.query<PurgeRow>(
        `SELECT * FROM purges ${where} ORDER BY created_at DESC, ordinal DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, options.limit ?? 20, options.offset ?? 0],
      );
      // Three queries for the page, not two per purge: each one is a round trip to the server.
      const ids = rows.map((r) => r.id);
      const batchesOf = new Map<string, BatchRow[]>(ids.map((id) => [id, []]));
      for (const b of await this.query<BatchRow & { purge_id: string }>(
        "SELECT * FROM batches WHERE purge_id = ANY($1) ORDER BY purge_id, batch_no",
        [ids],
      ))
        batchesOf.get(b.purge_id)?.push(b);
      const lastOf = new Map(
        (
          await this.query<VerificationRow & { purge_id: string }>(
            "SELECT DISTINCT ON (purge_id) * FROM verifications WHERE purge_id = ANY($1) ORDER BY purge_id, id DESC",
            [ids],
          )
        ).map((v) => [v.purge_id, v]),
      );
      const purges: PurgeRecord[] = [];
      const unreadable: UnreadablePurge[] = [];
      for (const row of rows) {
        try {
          purges.push(recordOf(this.location, row, batchesOf.get(row.id) ?? [], lastOf.get(row.id)));
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
    return this.guard(async () => {
      const { where, params } = scopeFilter(scope);
      return (await this.query<{ n: number }>(`SELECT count(*)::int AS n FROM purges ${where}`, params))[0]!.n;
    });
  }

  async traceIds(purgeId: string, batchNo?: number): Promise<string[]> {
    return this.guard(async () => {
      const rows =
        batchNo === undefined
          ? await this.query<{ trace_id: string }>("SELECT trace_id FROM purge_traces WHERE purge_id = $1 ORDER BY position", [purgeId])
          : await this.query<{ trace_id: string }>(
              "SELECT trace_id FROM purge_traces WHERE purge_id = $1 AND batch_no = $2 ORDER BY position",
              [purgeId, batchNo],
            );
      return rows.map((r) => r.trace_id);
    });
  }

  async traces(purgeId: string): Promise<PlannedTrace[]> {
    return this.guard(() =>
      this.query<PlannedTrace>(
        "SELECT t.trace_id, t.start_time, coalesce(t.project_id, p.project_id) AS project_id FROM purge_traces t JOIN purges p ON " +
          "p.id = t.purge_id WHERE t.purge_id = $1 ORDER BY t.position",
        [purgeId],
      ),
    );
  }

  async traceProjectIds(purgeId: string): Promise<string[]> {
    return this.guard(async () =>
      (
        await this.query<{ project_id: string }>(
          "SELECT coalesce(t.project_id, p.project_id) AS project_id FROM purge_traces t JOIN purges p ON p.id = t.purge_id " +
            "WHERE t.purge_id = $1 AND coalesce(t.project_id, p.project_id) IS NOT NULL GROUP BY 1 ORDER BY min(t.position)",
          [purgeId],
        )
      ).map((r) => r.project_id),
    );
  }

  async claimBatch(purgeId: string, batchNo: number, claim: ClaimRequest): Promise<Claim> {
    return this.guard(() =>
      this.tx(async (c): Promise<Claim> => {
        // The row lock: a second replica claiming this batch waits here until this one commits.
        const row = (
          await c.query<ClaimRow>(
            "SELECT state, lease_owner, lease_until, sending_at, attempts FROM batches WHERE purge_id = $1 AND batch_no = $2 FOR UPDATE",
            [purgeId, batchNo],
          )
        ).rows[0];
        if (!row) throw new Error(`ledger: no batch ${batchNo} in purge ${purgeId}`);
        const refused = claimRefusal(row, claim);
        if (refused) return refused;
        await c.query(
          "UPDATE batches SET state = 'sending', attempts = attempts + 1, sending_at = $1, lease_owner = $2, lease_until = $3, " +
            "error = NULL WHERE purge_id = $4 AND batch_no = $5",
          [claim.at, claim.owner, claim.leaseUntil, purgeId, batchNo],
        );
        await this.append(c, purgeId, claim.at, "batch_claimed", claimedEventBody(batchNo, row, claim));
        return { claimed: true };
      }),
    );
  }

  async markSending(purgeId: string, batchNo: number, at: string): Promise<void> {
    const claim = await this.claimBatch(purgeId, batchNo, { owner: "legacy", at, leaseUntil: at, isDead: () => true });
    if (!claim.claimed) throw new Error(`ledger: batch ${batchNo} of purge ${purgeId} is ${claim.state}, not planned/failed/sending`);
  }

  async markQueued(purgeId: string, batchNo: number, requestedAt: string, window: CompletionWindow): Promise<void> {
    await this.transition(
      purgeId,
      batchNo,
      ["sending"],
      "UPDATE batches SET state = 'queued', delete_requested_at = $1, window_start = $2, window_end = $3, error = NULL, lease_owner = " +
        "NULL, lease_until = NULL WHERE purge_id = $4 AND batch_no = $5",
      [requestedAt, window.start, window.end],
      { at: requestedAt, kind: "batch_queued", body: { batch_no: batchNo, delete_requested_at: requestedAt, window } },
    );
  }

  async markFailed(purgeId: string, batchNo: number, error: string): Promise<void> {
    const text = error.slice(0, 2_000);
    await this.transition(
      purgeId,
      batchNo,
      ["sending"],
      "UPDATE batches SET state = 'failed', error = $1, lease_owner = NULL, lease_until = NULL WHERE purge_id = $2 AND batch_no = $3",
      [text],
      { at: new Date().toISOString(), kind: "batch_failed", body: { batch_no: batchNo, error: text } },
    );
  }

  async recordVerification(purgeId: string, v: VerificationRecord): Promise<void> {
    await this.guard(() =>
      this.tx(async (c) => {
        // The chain lock before the row: verification ids must follow the chain's order, which
        // checkChain compares one by one (taken after, two replicas' rows could cross).
        await this.lockChain(c);
        await c.query(
          "INSERT INTO verifications (purge_id, at, checked, remaining_count, remaining_ids_json, verdict, audit, requests, query) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
          [purgeId, v.at, v.checked, v.remaining_count, JSON.stringify(v.remaining_ids), v.verdict, v.audit, v.requests, v.query ?? null],
        );
        await this.append(c, purgeId, v.at, "verification", { ...v });
      }),
    );
  }

  async verifications(purgeId: string): Promise<VerificationRecord[]> {
    return this.guard(async () =>
      (await this.query<VerificationRow>("SELECT * FROM verifications WHERE purge_id = $1 ORDER BY id", [purgeId])).map(toVerification),
    );
  }

  async recordAuditMatches(purgeId: string, matches: readonly AuditMatch[]): Promise<void> {
    await this.guard(() =>
      this.tx(async (c) => {
        // Rows first, events after: the chain lock stays last in the transaction.
        const added: AuditMatch[] = [];
        for (const m of matches) {
          const inserted = await c.query(
            "INSERT INTO audit_matches (purge_id, batch_no, event_uid, event_time) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            [purgeId, m.batch_no, m.event_uid, m.event_time],
          );
          if (inserted.rowCount === 1) added.push(m);
        }
        for (const m of added) await this.append(c, purgeId, m.event_time, "audit_match", { ...m });
      }),
    );
  }

  async auditMatches(purgeId: string): Promise<AuditMatch[]> {
    return this.guard(() =>
      this.query<AuditMatch>(
        "SELECT batch_no, event_uid, event_time FROM audit_matches WHERE purge_id = $1 ORDER BY batch_no, event_time",
        [purgeId],
      ),
    );
  }

  async events(purgeId: string): Promise<LedgerEvent[]> {
    return this.guard(async () =>
      (await this.query<EventRow>("SELECT * FROM events WHERE purge_id = $1 ORDER BY seq", [purgeId])).map(toEvent),
    );
  }

  async checkChain(purgeId?: string): Promise<ChainCheck> {
    return this.guard(async () => {
      const walk = new ChainWalk();
      for (let after = 0; ; ) {
        const page = await this.query<EventRow>("SELECT * FROM events WHERE seq > $1 ORDER BY seq LIMIT $2", [after, CHAIN_PAGE]);
        for (const row of page) walk.next(row);
        if (page.length < CHAIN_PAGE) break;
        after = page[page.length - 1]!.seq;
      }
      const ids = purgeId === undefined ? (await this.query<{ id: string }>("SELECT id FROM purges")).map((r) => r.id) : [purgeId];
      const problems = [...walk.problems];
      for (const id of ids) problems.push(...(await this.crossCheck(id)));
      return { intact: problems.length === 0, events: walk.count, problems };
    });
  }

  private async crossCheck(purgeId: string): Promise<string[]> {
    return crossCheck(purgeId, {
      events: await this.query<EventRow>("SELECT * FROM events WHERE purge_id = $1 ORDER BY seq", [purgeId]),
      row: (await this.query<PurgeRow>("SELECT * FROM purges WHERE id = $1", [purgeId]))[0],
      traceIds: (await this.query<{ trace_id: string }>("SELECT trace_id FROM purge_traces WHERE purge_id = $1", [purgeId])).map(
        (r) => r.trace_id,
      ),
      batches: await this.query<BatchRow>("SELECT * FROM batches WHERE purge_id = $1 ORDER BY batch_no", [purgeId]),
      verifications: await this.query<VerificationRow>("SELECT * FROM verifications WHERE purge_id = $1 ORDER BY id", [purgeId]),
    });
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  /** A state change that is only legal from `from`; anything else is a bug worth stopping on. */
  private async transition(
    purgeId: string,
    batchNo: number,
    from: readonly BatchState[],
    sql: string,
    values: unknown[],
    event: { at: string; kind: string; body: Record<string, unknown> },
  ): Promise<void> {
    await this.guard(() =>
      this.tx(async (c) => {
        const current = (
          await c.query<{ state: BatchState }>("SELECT state FROM batches WHERE purge_id = $1 AND batch_no = $2 FOR UPDATE", [
            purgeId,
            batchNo,
          ])
        ).rows[0];
        if (!current) throw new Error(`ledger: no batch ${batchNo} in purge ${purgeId}`);
        if (!from.includes(current.state))
          throw new Error(`ledger: batch ${batchNo} of purge ${purgeId} is ${current.state}, not ${from.join("/")}`);
        await c.query(sql, [...values, purgeId, batchNo]);
        await this.append(c, purgeId, event.at, event.kind, event.body);
      }),
    );
  }

  private async toRecord(row: PurgeRow): Promise<PurgeRecord> {
    const batches = await this.query<BatchRow>("SELECT * FROM batches WHERE purge_id = $1 ORDER BY batch_no", [row.id]);
    const last = (
      await this.query<VerificationRow>("SELECT * FROM verifications WHERE purge_id = $1 ORDER BY id DESC LIMIT 1", [row.id])
    )[0];
    return recordOf(this.location, row, batches, last);
  }
}

/** Purges of one identity scope; rows without a scope belong to every identity of their endpoint origin. */
function scopeFilter(scope: string | undefined): { where: string; params: string[] } {
  if (scope === undefined) return { where: "", params: [] };
  return { where: "WHERE scope = $1 OR (scope IS NULL AND endpoint = $2)", params: [scope, scope.split("|")[0]!] };
}
