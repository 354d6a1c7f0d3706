/**
 * Ledger faults never take the server down. A ledger file that cannot be opened, with the built
 * server over stdio (a directory as the ledger path, a path under a regular file, a damaged
 * file, read-only mode with no file): the server starts without opening it (lazy-ledger.ts),
 * and the first deletion tool opens it, reports the fault and logs it. Faults while running, in
 * memory (a full disk, as SQLite's page limit makes it; a file opened read-only, as SQLite's
 * query_only makes it; one damaged row). Read tools
 * keep working; the deletion tools name the path, what is wrong and how to fix it. Tests run
 * as root here, so permission bits cannot make a file unwritable: the SQLite pragmas produce
 * the same SQLITE_FULL and SQLITE_READONLY errors the real conditions do.
 */
import Database from "better-sqlite3";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openSqliteLedger, type Ledger } from "../../src/ledger/index.js";
import { control } from "../../src/simulator/index.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { startStack, textOf, type Stack } from "../support/stack.js";
import { rootsOf, tempLedgerPath } from "../support/deletion.js";

const START = "2026-03-04T10:00:00.000Z";
const BUG = /bug in the server/i;
const deletionCount = async (stack: InMemoryStack): Promise<number> =>
  (await control<{ requests: unknown[] }>(stack.sim, "GET", "deletion")).body.requests.length;

const open: Array<Stack | InMemoryStack> = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

/** The built server with this ledger path: it must start, and list_projects must work. */
async function serverWith(ledgerPath: string, args: string[] = []): Promise<Stack> {
  const stack = await startStack({ sim: { scale: 0.1, now: START }, args: ["--ledger", ledgerPath, ...args] });
  open.push(stack);
  const projects = await stack.call("list_projects", { limit: 2 });
  expect(projects.isError, textOf(projects)).toBeFalsy();
  return stack;
}

const expectFault = (result: CallToolResult, path: string, what: RegExp) => {
  expect(result.isError).toBe(true);
  const text = textOf(result);
  expect(text).toContain(`The deletion ledger at ${path}`);
  expect(text).toMatch(what);
  expect(text).toMatch(/--ledger|Free space|Move the file|Make it writable|Retry/);
  expect(text).not.toMatch(BUG);
};

describe("an unusable ledger file: the server starts, read tools work, the first deletion tool says what is wrong", () => {
  it("a directory given as the ledger path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ledger-dir-"));
    const stack = await serverWith(dir);
    expectFault(await stack.call("list_deletions"), dir, /is a directory|cannot be opened/);
    expectFault(await stack.call("queue_deletion", { project: "checkout-bot", start_time: "7d" }), dir, /is a directory|cannot be opened/);
    // Logged when the first deletion tool opened it; stderr is another pipe than the answer's.
    await vi.waitFor(() => expect(stack.stderr()).toMatch(/deletion ledger unavailable/));
  });

  it("a path whose parent is a regular file (the directory cannot be created)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "ledger-parent-")), "not-a-dir");
    writeFileSync(file, "x");
    const path = join(file, "ledger.sqlite");
    const stack = await serverWith(path);
    expectFault(await stack.call("list_deletions"), path, /cannot be opened \((EEXIST|ENOTDIR): a part of its directory path is a file/);
  });

  it("a damaged file", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "ledger-corrupt-")), "ledger.sqlite");
    writeFileSync(path, "this is not a database, just text that happens to be long enough ".repeat(100));
    const stack = await serverWith(path);
    expectFault(await stack.call("list_deletions"), path, /is not a readable SQLite database/);
    expectFault(await stack.call("verify_deletion", { purge_id: "purge_20260304_0123456789" }), path, /is not a readable SQLite database/);
  });

  it("--read-only never creates or writes the ledger: with no file yet it lists no purge", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "ledger-ro-")), "missing");
    const path = join(dir, "ledger.sqlite");
    const stack = await serverWith(path, ["--read-only"]);
    const listed = await stack.call("list_deletions");
    expect(listed.isError, textOf(listed)).toBeFalsy();
    expect(textOf(listed)).toMatch(/No purge recorded/);
    expect(existsSync(dir)).toBe(false);
  });

  it("--read-only opens an existing ledger without writing: its purges are listed", async () => {
    const path = tempLedgerPath();
    const writer = openSqliteLedger(path);
    writer.close();
    const before = new Database(path).pragma("user_version", { simple: true });
    const stack = await serverWith(path, ["--read-only"]);
    const listed = await stack.call("list_deletions");
    expect(listed.isError, textOf(listed)).toBeFalsy();
    expect(new Database(path).pragma("user_version", { simple: true })).toBe(before);
  });
});

describe("faults while running", () => {
  /** In memory, with a file ledger the test can reach into. */
  async function stackWithLedger(): Promise<{ stack: InMemoryStack; ledger: Ledger; path: string; db: Database.Database }> {
    const path = tempLedgerPath();
    const ledger = openSqliteLedger(path);
    const stack = await startInMemoryStack({ sim: { scale: 0.2, now: START }, server: { ledger } });
    open.push(stack);
    // The ledger's own connection: the pragmas below are per connection.
    const db = (ledger as unknown as { db: Database.Database }).db;
    return { stack, ledger, path, db };
  }
  const confirmPurge = async (stack: InMemoryStack, ids: string[]) => {
    const args = { project: "eval-nightly", trace_ids: ids };
    const plan = await stack.call("queue_deletion", args);
    expect(plan.isError, textOf(plan)).toBeFalsy();
    return stack.call("queue_deletion", {
      ...args,
      confirmation_token: (plan.structuredContent as { confirmation_token: string }).confirmation_token,
    });
  };

  it("a full disk: the purge is refused with the path and what to do, nothing is sent, the server goes on", async () => {
    const { stack, path, db } = await stackWithLedger();
    const pages = db.pragma("page_count", { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const sentBefore = await deletionCount(stack);
    // Hundreds of trace rows: more than the pages the file has room left in.
    const args = { project: "checkout-bot", start_time: "400d" };
    const plan = await stack.call("queue_deletion", args);
    const result = await stack.call("queue_deletion", {
      ...args,
      confirmation_token: (plan.structuredContent as { confirmation_token: string }).confirmation_token,
    });
    expectFault(result, path, /the disk is full/);
    expect(await deletionCount(stack)).toBe(sentBefore);
    expect((await stack.call("list_projects", { limit: 1 })).isError).toBeFalsy();
    expect((await stack.call("list_deletions")).isError).toBeFalsy();
  });

  it("a file that cannot be written: the purge is refused; a verification still answers and says it was not recorded", async () => {
    const { stack, path, db } = await stackWithLedger();
    const queued = await confirmPurge(stack, rootsOf(stack.sim, "eval-nightly").slice(3, 5));
    expect(queued.isError, textOf(queued)).toBeFalsy();
    const purgeId = (queued.structuredContent as { purge: { purge_id: string } }).purge.purge_id;
    db.pragma("query_only = ON");
    expectFault(await confirmPurge(stack, rootsOf(stack.sim, "eval-nightly").slice(5, 7)), path, /is read-only/);
    const verified = await stack.call("verify_deletion", { purge_id: purgeId });
    expect(verified.isError, textOf(verified)).toBeFalsy();
    expect(textOf(verified)).toMatch(/not recorded in the ledger: The deletion ledger at .* is read-only/);
  });

  it("one damaged row is reported and skipped; the other purges are still listed", async () => {
    const { stack, db } = await stackWithLedger();
    const ids = rootsOf(stack.sim, "eval-nightly");
    const first = await confirmPurge(stack, ids.slice(0, 2));
    const second = await confirmPurge(stack, ids.slice(2, 4));
    const damaged = (first.structuredContent as { purge: { purge_id: string } }).purge.purge_id;
    const intact = (second.structuredContent as { purge: { purge_id: string } }).purge.purge_id;
    db.prepare("UPDATE purges SET criteria_json = '{not json' WHERE id = ?").run(damaged);
    const listed = await stack.call("list_deletions");
    expect(listed.isError, textOf(listed)).toBeFalsy();
    const body = listed.structuredContent as {
      total: number;
      purges: { purge_id: string }[];
      unreadable: { purge_id: string; reason: string }[];
    };
    expect(body.total).toBe(2);
    expect(body.purges.map((p) => p.purge_id)).toEqual([intact]);
    expect(body.unreadable).toEqual([{ purge_id: damaged, reason: expect.stringMatching(/criteria cannot be read/) }]);
    expect(textOf(listed)).toMatch(new RegExp(`${damaged}: could not be read`));
  });
});
