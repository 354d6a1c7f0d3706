import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectedCompletionWindow } from "./completion-window.js";
import { openSqliteLedger } from "./sqlite-ledger.js";
import type { NewPurge } from "./types.js";

const uuid = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

function newPurge(traces: number): NewPurge {
  const ids = Array.from({ length: traces }, (_, i) => uuid(i + 1));
  return {
    id: "purge_1",
    created_at: "2026-03-04T10:00:00.000Z",
    endpoint: "https://api.smith.langchain.com",
    workspace_id: null,
    owner: { scope: "https://api.smith.langchain.com|workspace:w1", key_fingerprint: "sha256:0123456789abcdef" },
    criteria: {
      kind: "trace_ids",
      projects: [{ id: uuid(0), name: "support-bot" }],
      requested: traces,
      not_found: 0,
      send_as: "trace_batches",
    },
    // sha256 of the sorted ids, one per line, written out here rather than taken from the ledger.
    plan_digest: createHash("sha256")
      .update([...ids].sort().join("\n"))
      .digest("hex"),
    token_digest: "t",
    traces: Array.from({ length: traces }, (_, i) => ({
      trace_id: uuid(i + 1),
      start_time: `2026-03-0${1 + (i % 3)}T00:00:00.000Z`,
      project_id: uuid(0),
    })),
    batch_size: 1000,
  };
}

describe("SQLite ledger", () => {
  it("records a purge as planned batches of at most 1000 ids, in order", async () => {
    const ledger = openSqliteLedger(":memory:");
    const purge = await ledger.createPurge(newPurge(2500));
    expect(purge.batches.map((b) => [b.batch_no, b.state, b.trace_count])).toEqual([
      [1, "planned", 1000],
      [2, "planned", 1000],
      [3, "planned", 500],
    ]);
    expect(await ledger.traceIds("purge_1", 3)).toEqual(Array.from({ length: 500 }, (_, i) => uuid(2001 + i)));
    expect(purge).toMatchObject({
      earliest_start_time: "2026-03-01T00:00:00.000Z",
      latest_start_time: "2026-03-03T00:00:00.000Z",
      window: null,
    });
    expect(await ledger.purgeIdForToken("t")).toBe("purge_1");
  });

  it("allows only the legal transitions: planned → sending → queued | failed; failed and sending may be re-sent; queued never", async () => {
    const ledger = openSqliteLedger(":memory:");
    await ledger.createPurge(newPurge(10));
    const window = expectedCompletionWindow(new Date("2026-03-04T10:00:00Z"));
    await expect(ledger.markQueued("purge_1", 1, "x", window)).rejects.toThrow(/planned, not sending/);
    await ledger.markSending("purge_1", 1, "2026-03-04T10:00:00Z");
    await ledger.markFailed("purge_1", 1, "503");
    await ledger.markSending("purge_1", 1, "2026-03-04T10:01:00Z");
    await ledger.markSending("purge_1", 1, "2026-03-04T10:02:00Z"); // after a crash: ambiguous, sent again
    await ledger.markQueued("purge_1", 1, "2026-03-04T10:02:01Z", window);
    await expect(ledger.markSending("purge_1", 1, "later")).rejects.toThrow(/queued/);
    const purge = (await ledger.getPurge("purge_1"))!;
    expect(purge.batches[0]).toMatchObject({ state: "queued", attempts: 3, error: null, delete_requested_at: "2026-03-04T10:02:01Z" });
    expect(purge.window).toEqual(window);
  });

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

describe("ledger schema 2: claims, chain, scopes, old files", () => {
  const at = "2026-03-04T10:00:00.000Z";
  const until = "2026-03-04T10:02:00.000Z";

  it("claims a batch atomically: a second live owner is refused until the lease ends or its owner is dead", async () => {
    const ledger = openSqliteLedger(":memory:");
    await ledger.createPurge(newPurge(10));
    expect(await ledger.claimBatch("purge_1", 1, { owner: "a", at, leaseUntil: until })).toEqual({ claimed: true });
    expect(await ledger.claimBatch("purge_1", 1, { owner: "b", at, leaseUntil: until, isDead: () => false })).toEqual({
      claimed: false,
      state: "sending",
      owner: "a",
      since: at,
      until,
    });
    // Past the lease, or with its owner gone, it is taken over (and counted as another attempt).
    expect(
      await ledger.claimBatch("purge_1", 1, { owner: "b", at: "2026-03-04T10:03:00.000Z", leaseUntil: "2026-03-04T10:05:00.000Z" }),
    ).toEqual({ claimed: true });
    expect(await ledger.claimBatch("purge_1", 1, { owner: "c", at, leaseUntil: until, isDead: (owner) => owner === "b" })).toEqual({
      claimed: true,
    });
    await ledger.markQueued("purge_1", 1, at, expectedCompletionWindow(new Date(at)));
    expect(await ledger.claimBatch("purge_1", 1, { owner: "d", at, leaseUntil: until, isDead: () => true })).toMatchObject({
      claimed: false,
      state: "queued",
    });
    expect((await ledger.getPurge("purge_1"))!.batches[0]).toMatchObject({ state: "queued", attempts: 3, lease_owner: null });
  });

  it("refuses a second purge with the same token as 'already used', never as a constraint error", async () => {
    const { TokenAlreadyUsed } = await import("./faults.js");
    const ledger = openSqliteLedger(":memory:");
    await ledger.createPurge(newPurge(2));
    await expect(ledger.createPurge({ ...newPurge(2), id: "purge_2" })).rejects.toThrow(TokenAlreadyUsed);
    await expect(ledger.createPurge({ ...newPurge(2), id: "purge_2" })).rejects.toThrow(/already used: it queued purge purge_1/);
  });

  it("chains every change: intact as written, and an edited event or row is named", async () => {
    const ledger = openSqliteLedger(":memory:");
    await ledger.createPurge(newPurge(1500));
    await ledger.markSending("purge_1", 1, at);
    await ledger.markQueued("purge_1", 1, at, expectedCompletionWindow(new Date(at)));
    expect(await ledger.checkChain()).toEqual({ intact: true, events: 3, problems: [] });
    expect((await ledger.events("purge_1")).map((e) => e.kind)).toEqual(["purge_created", "batch_claimed", "batch_queued"]);
    const db = (ledger as unknown as { db: { prepare: (sql: string) => { run: (...a: unknown[]) => void } } }).db;
    db.prepare("UPDATE batches SET state = 'queued' WHERE batch_no = 2").run();
    db.prepare("UPDATE events SET at = '2020-01-01' WHERE seq = 2").run();
    const check = await ledger.checkChain("purge_1");
    expect(check.intact).toBe(false);
    expect(check.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/event 2 \(batch_claimed of purge_1\) was edited/),
        expect.stringMatching(/batch 2: the row says queued, its events say planned/),
      ]),
    );
    db.prepare("DELETE FROM events WHERE seq = 2").run();
    expect((await ledger.checkChain()).problems).toEqual(expect.arrayContaining([expect.stringMatching(/events 2…2 are missing/)]));
  });

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
