/**
 * verify_deletion records every check, and what it answers is on disk before it answers: a
 * check that changes the record (the first, a new verdict such as the first "verified", a new
 * count or audit finding) is committed with SQLite's synchronous FULL; a repeat of the last
 * check (same verdict, count and audit finding, so its content is already on disk) may be
 * committed without waiting for the disk (NORMAL, in WAL: survives a crash of the process,
 * never half-written). Through the SDK Client ↔ buildServer in memory ↔ the simulator; the
 * level each commit ran at is read by SQLite itself, in a temp trigger on the ledger's
 * connection. A ledger file (in WAL), not `:memory:`: only WAL makes a NORMAL commit safe.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openSqliteLedger, type SqliteLedger } from "../../src/ledger/index.js";
import { control } from "../../src/simulator/index.js";
import { rootsOf } from "../support/deletion.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { textOf } from "../support/stack.js";

const START = "2026-03-04T10:00:00.000Z"; // a Wednesday; the weekend batch runs Saturday 02:00 UTC
/** SQLite's synchronous levels. */
const NORMAL = 1;
const FULL = 2;

let stack: InMemoryStack;
let ledger: SqliteLedger;

beforeAll(async () => {
  ledger = openSqliteLedger(join(mkdtempSync(join(tmpdir(), "verify-durability-")), "ledger.sqlite"));
  stack = await startInMemoryStack({ sim: { scale: 0.3, now: START }, server: { ledger } });
});
afterAll(async () => {
  await stack?.close();
  ledger?.close();
});

const ok = <T>(result: CallToolResult): T => {
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as T;
};

it("commits the first check and a changed verdict durably, and a repeat of the last check without waiting for the disk", async () => {
  const args = { project: "checkout-bot", trace_ids: rootsOf(stack.sim, "checkout-bot").slice(0, 5) };
  const plan = ok<{ confirmation_token: string }>(await stack.call("queue_deletion", args));
  const queued = ok<{ purge: { purge_id: string } }>(
    await stack.call("queue_deletion", { ...args, confirmation_token: plan.confirmation_token }),
  );
  const purgeId = queued.purge.purge_id;
  const db = ledger["db"];
  db.exec(
    "CREATE TEMP TABLE seen (verdict TEXT, level INTEGER); CREATE TEMP TRIGGER seen_level AFTER INSERT ON main.verifications " +
      "BEGIN INSERT INTO seen SELECT new.verdict, synchronous FROM pragma_synchronous; END;",
  );
  const verify = async () => ok<{ verdict: string; remaining_count: number }>(await stack.call("verify_deletion", { purge_id: purgeId }));

  expect(await verify()).toMatchObject({ verdict: "pending", remaining_count: 5 });
  expect(await verify()).toMatchObject({ verdict: "pending", remaining_count: 5 });
  await control(stack.sim, "POST", "clock", { set: "2026-03-07T03:00:00Z" });
  expect(await verify()).toMatchObject({ verdict: "verified", remaining_count: 0 });
  expect(await verify()).toMatchObject({ verdict: "verified", remaining_count: 0 });

  expect(db.prepare("SELECT verdict, level FROM seen").all()).toEqual([
    { verdict: "pending", level: FULL },
    { verdict: "pending", level: NORMAL },
    { verdict: "verified", level: FULL },
    { verdict: "verified", level: NORMAL },
  ]);
  // Every check is in the record, and the connection is back at FULL for whatever comes next.
  expect((await ledger.verifications(purgeId)).map((v) => v.verdict)).toEqual(["pending", "pending", "verified", "verified"]);
  expect(db.pragma("synchronous", { simple: true })).toBe(FULL);
  expect((await ledger.checkChain(purgeId)).intact).toBe(true);
  db.exec("DROP TRIGGER temp.seen_level");
  await control(stack.sim, "POST", "clock", { set: START });
});
