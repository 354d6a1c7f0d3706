import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeLedgerContract, newPurge, uuid } from "../../test/support/ledger-contract.js";
import { expectedCompletionWindow } from "./completion-window.js";
import { openSqliteLedger } from "./sqlite-ledger.js";

const tempPath = (): string => join(mkdtempSync(join(tmpdir(), "ledger-")), "ledger.sqlite");

describeLedgerContract({
  name: "SQLite",
  fresh: async () => {
    const path = tempPath();
    return {
      ledger: openSqliteLedger(path),
      another: async () => openSqliteLedger(path),
      exec: async (sql) => {
        const db = new Database(path);
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
    };
  },
});

describe("SQLite ledger file", () => {
  it("survives reopening the file and migrates a fresh file to the current schema", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = `${mkdtempSync(`${tmpdir()}/ledger-`)}/nested/ledger.sqlite`;
    const first = openSqliteLedger(path);
    await first.createPurge(newPurge(3));
    await first.markSending("purge_1", 1, "2026-03-04T10:00:00Z");
    first.close();
    const second = openSqliteLedger(path);
    expect((await second.getPurge("purge_1"))!.batches[0]!.state).toBe("sending");
    await second.recordVerification("purge_1", {
      at: "a",
      checked: 3,
      remaining_count: 3,
      remaining_ids: [uuid(1)],
      verdict: "pending",
      audit: null,
      requests: 1,
    });
    expect((await second.listPurges())[0]!.last_verification).toMatchObject({ verdict: "pending", remaining_ids: [uuid(1)] });
    second.close();
  });
});

describe("how durably a verification is committed", () => {
  /** The ledger's own connection, with a temp trigger (seen by that connection only) noting the synchronous level each insert ran at. */
  const watched = async () => {
    const ledger = openSqliteLedger(tempPath());
    await ledger.createPurge(newPurge(3));
    const db = ledger["db"];
    db.exec(
      "CREATE TEMP TABLE seen (at TEXT, level INTEGER); CREATE TEMP TRIGGER seen_level AFTER INSERT ON main.verifications " +
        "BEGIN INSERT INTO seen SELECT new.at, synchronous FROM pragma_synchronous; END;",
    );
    return { ledger, db, seen: () => db.prepare("SELECT at, level FROM seen").all() };
  };
  const check = (at: string) => ({
    at,
    checked: 3,
    remaining_count: 3,
    remaining_ids: [],
    verdict: "pending" as const,
    audit: null,
    requests: 1,
  });
  // SQLite's levels: 1 NORMAL (in WAL: no fsync at commit), 2 FULL (fsync before the commit returns).
  it("waits for the disk unless told it need not, and relaxes only that one commit", async () => {
    const { ledger, db, seen } = await watched();
    await ledger.recordVerification("purge_1", check("first"));
    await ledger.recordVerification("purge_1", check("repeat"), { durable: false });
    await ledger.recordVerification("purge_1", check("asked durable"), { durable: true });
    expect(seen()).toEqual([
      { at: "first", level: 2 },
      { at: "repeat", level: 1 },
      { at: "asked durable", level: 2 },
    ]);
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
    expect((await ledger.verifications("purge_1")).map((v) => v.at)).toEqual(["first", "repeat", "asked durable"]);
    await ledger.close();
  });

  // NORMAL is safe from torn writes in WAL only: in a rollback journal a power cut during such a commit may corrupt the file.
  it("waits for the disk even for a repeat when the file is not in WAL (a file system without WAL's shared memory)", async () => {
    const { ledger, db, seen } = await watched();
    expect(db.pragma("journal_mode = DELETE", { simple: true })).toBe("delete");
    await ledger.recordVerification("purge_1", check("repeat"), { durable: false });
    expect(seen()).toEqual([{ at: "repeat", level: 2 }]);
    await ledger.close();
  });

  it("is back at FULL after a relaxed commit that failed", async () => {
    const { ledger, db } = await watched();
    // No such purge: the foreign key refuses the row.
    await expect(ledger.recordVerification("purge_none", check("x"), { durable: false })).rejects.toThrow();
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
    await ledger.close();
  });
});

describe("expected completion window", () => {
  it.each([
    ["2026-03-04T10:00:00Z", "2026-03-07T00:00:00.000Z", "2026-03-09T00:00:00.000Z"], // Wednesday → that weekend
    ["2026-03-07T01:00:00Z", "2026-03-14T00:00:00.000Z", "2026-03-16T00:00:00.000Z"], // during a weekend → the next full one
    ["2026-03-08T23:59:00Z", "2026-03-14T00:00:00.000Z", "2026-03-16T00:00:00.000Z"],
    ["2026-03-06T23:59:59Z", "2026-03-07T00:00:00.000Z", "2026-03-09T00:00:00.000Z"],
  ])("a request at %s is due in %s … %s", (at, start, end) => {
    expect(expectedCompletionWindow(new Date(at))).toEqual({ start, end });
  });
});

describe("default ledger location", () => {
  it("follows each platform's user data directory", async () => {
    const { defaultLedgerPath } = await import("../config.js");
    expect(defaultLedgerPath({ XDG_DATA_HOME: "/data" }, "linux", "/home/u")).toBe("/data/langsmith-mcp/ledger.sqlite");
    expect(defaultLedgerPath({}, "linux", "/home/u")).toBe("/home/u/.local/share/langsmith-mcp/ledger.sqlite");
    expect(defaultLedgerPath({}, "darwin", "/Users/u")).toBe("/Users/u/Library/Application Support/langsmith-mcp/ledger.sqlite");
    expect(defaultLedgerPath({ APPDATA: "C:\\Users\\u\\AppData\\Roaming" }, "win32", "C:\\Users\\u")).toMatch(
      /langsmith-mcp[\\/]ledger\.sqlite$/,
    );
  });
});

describe("SQLite ledger: old files and faults", () => {
  it("lists only one identity's purges, and purges of a schema-1 file for any identity of its endpoint", async () => {
    const Database = (await import("better-sqlite3")).default;
    const { MIGRATIONS } = await import("./migrations.js");
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = `${mkdtempSync(`${tmpdir()}/ledger-`)}/old.sqlite`;
    const old = new Database(path);
    old.exec(MIGRATIONS[0]!);
    old.pragma("user_version = 1");
    old
      .prepare(
        "INSERT INTO purges (id, created_at, endpoint, workspace_id, project_id, project_name, criteria_json, plan_digest, " +
          "token_digest, trace_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        "purge_old",
        "2026-01-01T00:00:00.000Z",
        "https://api.smith.langchain.com",
        null,
        uuid(0),
        "support-bot",
        JSON.stringify({ kind: "trace_ids", project_id: uuid(0), project_name: "support-bot", requested: 1, not_found: 0 }),
        "d",
        "t-old",
        1,
      );
    old.prepare("INSERT INTO batches (purge_id, batch_no, state, trace_count) VALUES ('purge_old', 1, 'queued', 1)").run();
    old.close();

    const ledger = openSqliteLedger(path);
    await ledger.createPurge(newPurge(1));
    await ledger.createPurge({
      ...newPurge(1),
      id: "purge_other",
      token_digest: "t2",
      owner: { scope: "https://api.smith.langchain.com|workspace:w2", key_fingerprint: null },
    });
    const mine = (await ledger.listPurges({ scope: "https://api.smith.langchain.com|workspace:w1" })).map((p) => p.id);
    expect(mine.sort()).toEqual(["purge_1", "purge_old"]);
    expect(await ledger.countPurges("https://eu.api.smith.langchain.com|workspace:w1")).toBe(0);
    expect(await ledger.getPurge("purge_old")).toMatchObject({
      scope: null,
      criteria: { projects: [{ id: uuid(0), name: "support-bot" }], send_as: "trace_batches" },
      batches: [{ project_id: uuid(0), kind: "trace_ids" }],
    });
    expect((await ledger.checkChain("purge_old")).intact).toBe(true);
    ledger.close();
  });

  it("turns SQLite and file-system failures into LedgerFaults that name the path and the fix", async () => {
    const { ledgerFaultOf } = await import("./faults.js");
    const fault = (code: string) => ledgerFaultOf("/data/ledger.sqlite", Object.assign(new Error("x"), { code }))!;
    expect(fault("SQLITE_FULL").agentMessage).toMatch(
      /^The deletion ledger at \/data\/ledger.sqlite cannot be written: the disk is full\. Free space/,
    );
    expect(fault("SQLITE_READONLY_DBMOVED").agentMessage).toMatch(/is read-only/);
    expect(fault("SQLITE_NOTADB").agentMessage).toMatch(/not a readable SQLite database.*Move the file aside/);
    expect(fault("EISDIR").agentMessage).toMatch(/is a directory/);
    expect(fault("SQLITE_BUSY").agentMessage).toMatch(/locked by another process/);
    expect(ledgerFaultOf("/x", new TypeError("a bug"))).toBeUndefined();
  });
});
