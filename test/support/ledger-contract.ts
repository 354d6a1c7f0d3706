/**
 * The ledger's contract, run against every back end (src/ledger/sqlite-ledger.test.ts,
 * src/ledger/postgres-ledger.test.ts): the same calls, the same expected records, written by
 * hand from the ledger's documented rules (types.ts: batch states, claims with a lease, the
 * hash chain, identity scopes). A back end passes when it cannot be told apart from the others
 * through the Ledger interface, including by a second connection writing at the same time
 * (another process on one SQLite file, another replica on one Postgres database).
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectedCompletionWindow } from "../../src/ledger/completion-window.js";
import { TokenAlreadyUsed } from "../../src/ledger/faults.js";
import type { Ledger, NewPurge } from "../../src/ledger/types.js";

export const uuid = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

const SCOPE_W1 = "https://api.smith.langchain.com|workspace:w1";
const SCOPE_W2 = "https://api.smith.langchain.com|workspace:w2";

/** A purge of `traces` traces in one project, token "t", owner workspace w1. */
export function newPurge(traces: number, overrides: Partial<NewPurge> = {}): NewPurge {
  const ids = Array.from({ length: traces }, (_, i) => uuid(i + 1));
  return {
    id: "purge_1",
    created_at: "2026-03-04T10:00:00.000Z",
    endpoint: "https://api.smith.langchain.com",
    workspace_id: null,
    owner: { scope: SCOPE_W1, key_fingerprint: "sha256:0123456789abcdef" },
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
    ...overrides,
  };
}

/** One fresh, empty ledger store of a back end. */
export interface LedgerStore {
  ledger: Ledger;
  /** A second connection to the same store, as another process or replica would open it. */
  another: () => Promise<Ledger>;
  /** Runs raw SQL on the store, as someone editing it by hand would (the same SQL on both back ends). */
  exec: (sql: string) => Promise<void>;
}

export interface LedgerBackend {
  name: string;
  fresh: () => Promise<LedgerStore>;
}

/** Registers the contract suite for `backend`. */
export function describeLedgerContract(backend: LedgerBackend): void {
  const at = "2026-03-04T10:00:00.000Z";
  const until = "2026-03-04T10:02:00.000Z";
  const window = expectedCompletionWindow(new Date(at));

  describe(`ledger contract: ${backend.name}`, () => {
    it("records a purge as planned batches of at most 1000 ids, in order", async () => {
      const { ledger } = await backend.fresh();
      const purge = await ledger.createPurge(newPurge(2500));
      expect(purge.batches.map((b) => [b.batch_no, b.state, b.trace_count, b.kind, b.project_id])).toEqual([
        [1, "planned", 1000, "trace_ids", uuid(0)],
        [2, "planned", 1000, "trace_ids", uuid(0)],
        [3, "planned", 500, "trace_ids", uuid(0)],
      ]);
      expect(await ledger.traceIds("purge_1", 3)).toEqual(Array.from({ length: 500 }, (_, i) => uuid(2001 + i)));
      expect(await ledger.traceIds("purge_1")).toHaveLength(2500);
      expect((await ledger.traces("purge_1"))[0]).toEqual({
        trace_id: uuid(1),
        start_time: "2026-03-01T00:00:00.000Z",
        project_id: uuid(0),
      });
      expect(await ledger.traceProjectIds("purge_1")).toEqual([uuid(0)]);
      expect(await ledger.traceProjectIds("purge_none")).toEqual([]);
      expect(purge).toMatchObject({
        trace_count: 2500,
        scope: SCOPE_W1,
        key_fingerprint: "sha256:0123456789abcdef",
        earliest_start_time: "2026-03-01T00:00:00.000Z",
        latest_start_time: "2026-03-03T00:00:00.000Z",
        window: null,
        last_verification: null,
      });
      expect(await ledger.purgeIdForToken("t")).toBe("purge_1");
      expect(await ledger.purgeIdForToken("other")).toBeUndefined();
      expect(await ledger.getPurge("purge_none")).toBeUndefined();
    });

    it("names a purge's projects in order of first appearance, once each, and a trace without one by the purge's", async () => {
      const { ledger, exec } = await backend.fresh();
      const base = newPurge(6);
      // Projects p2, p1, p2 in batch order (batches of 2): p2 first, each named once.
      const p1 = uuid(9001);
      const p2 = uuid(9002);
      const projectOf = [p2, p2, p1, p1, p2, p2];
      await ledger.createPurge({ ...base, batch_size: 2, traces: base.traces.map((t, i) => ({ ...t, project_id: projectOf[i]! })) });
      expect(await ledger.traceProjectIds("purge_1")).toEqual([p2, p1]);
      // A purge recorded before traces had a project column (schema 1): the purge's own project
      // (its criteria's first, uuid(0) in newPurge) stands in.
      await exec("UPDATE purge_traces SET project_id = NULL");
      expect(await ledger.traceProjectIds("purge_1")).toEqual([uuid(0)]);
    });

    it("records a metadata-wide delete as one batch with no project", async () => {
      const { ledger } = await backend.fresh();
      const purge = await ledger.createPurge(
        newPurge(1200, {
          metadata_delete: { user_id: "123" },
          criteria: { kind: "metadata", projects: [], all_projects: true, metadata: { user_id: "123" }, send_as: "metadata_delete" },
        }),
      );
      expect(purge.batches).toEqual([expect.objectContaining({ batch_no: 1, kind: "metadata", project_id: null, trace_count: 1200 })]);
    });

    it("allows only the legal transitions: planned → sending → queued | failed; failed and sending may be re-sent; queued never", async () => {
      const { ledger } = await backend.fresh();
      await ledger.createPurge(newPurge(10));
      await expect(ledger.markQueued("purge_1", 1, "x", window)).rejects.toThrow(/planned, not sending/);
      await ledger.markSending("purge_1", 1, "2026-03-04T10:00:00Z");
      await ledger.markFailed("purge_1", 1, "503");
      expect((await ledger.getPurge("purge_1"))!.batches[0]).toMatchObject({ state: "failed", error: "503", lease_owner: null });
      await ledger.markSending("purge_1", 1, "2026-03-04T10:01:00Z");
      await ledger.markSending("purge_1", 1, "2026-03-04T10:02:00Z"); // after a crash: ambiguous, sent again
      await ledger.markQueued("purge_1", 1, "2026-03-04T10:02:01Z", window);
      await expect(ledger.markSending("purge_1", 1, "later")).rejects.toThrow(/queued/);
      const purge = (await ledger.getPurge("purge_1"))!;
      expect(purge.batches[0]).toMatchObject({ state: "queued", attempts: 3, error: null, delete_requested_at: "2026-03-04T10:02:01Z" });
      expect(purge.window).toEqual(window);
    });

    it("claims a batch atomically: a second live owner is refused until the lease ends or its owner is dead", async () => {
      const { ledger } = await backend.fresh();
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
      await ledger.markQueued("purge_1", 1, at, window);
      expect(await ledger.claimBatch("purge_1", 1, { owner: "d", at, leaseUntil: until, isDead: () => true })).toMatchObject({
        claimed: false,
        state: "queued",
      });
      expect((await ledger.getPurge("purge_1"))!.batches[0]).toMatchObject({ state: "queued", attempts: 3, lease_owner: null });
      const claims = (await ledger.events("purge_1")).filter((e) => e.kind === "batch_claimed");
      expect(claims.map((e) => [e.body["owner"], e.body["attempt"], e.body["taken_over_from"]])).toEqual([
        ["a", 1, undefined],
        ["b", 2, "a"],
        ["c", 3, "b"],
      ]);
    });

    it("two connections claiming one batch at once: exactly one wins, the other is told who holds it", async () => {
      const { ledger, another } = await backend.fresh();
      const other = await another();
      try {
        await ledger.createPurge(newPurge(3000));
        for (const batch of [1, 2, 3]) {
          const results = await Promise.all([
            ledger.claimBatch("purge_1", batch, { owner: "replica-a", at, leaseUntil: until, isDead: () => false }),
            other.claimBatch("purge_1", batch, { owner: "replica-b", at, leaseUntil: until, isDead: () => false }),
          ]);
          expect(results.filter((r) => r.claimed)).toHaveLength(1);
          const loser = results.find((r) => !r.claimed);
          expect(loser).toMatchObject({ claimed: false, state: "sending", since: at, until });
          expect(["replica-a", "replica-b"]).toContain((loser as { owner: string }).owner);
        }
        expect((await other.getPurge("purge_1"))!.batches.map((b) => b.attempts)).toEqual([1, 1, 1]);
        expect(await ledger.checkChain()).toEqual({ intact: true, events: 4, problems: [] });
      } finally {
        await other.close();
      }
    });

    it("refuses a second purge with the same token as 'already used', never as a constraint error, also when two confirm at once", async () => {
      const { ledger, another } = await backend.fresh();
      await ledger.createPurge(newPurge(2));
      await expect(ledger.createPurge(newPurge(2, { id: "purge_2" }))).rejects.toThrow(TokenAlreadyUsed);
      await expect(ledger.createPurge(newPurge(2, { id: "purge_2" }))).rejects.toThrow(/already used: it queued purge purge_1/);

      const other = await another();
      try {
        const outcomes = await Promise.allSettled([
          ledger.createPurge(newPurge(2, { id: "purge_a", token_digest: "t2" })),
          other.createPurge(newPurge(2, { id: "purge_b", token_digest: "t2" })),
        ]);
        expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
        const rejected = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
        expect(rejected.reason).toBeInstanceOf(TokenAlreadyUsed);
        expect(String(rejected.reason.message)).toMatch(/already used: it queued purge purge_[ab]/);
        expect(await ledger.countPurges()).toBe(2);
      } finally {
        await other.close();
      }
    });

    it("chains every change: intact as written, and an edited event or row, or a deleted event, is named", async () => {
      const { ledger, exec } = await backend.fresh();
      await ledger.createPurge(newPurge(1500));
      await ledger.markSending("purge_1", 1, at);
      await ledger.markQueued("purge_1", 1, at, window);
      expect(await ledger.checkChain()).toEqual({ intact: true, events: 3, problems: [] });
      const events = await ledger.events("purge_1");
      expect(events.map((e) => [e.seq, e.kind])).toEqual([
        [1, "purge_created"],
        [2, "batch_claimed"],
        [3, "batch_queued"],
      ]);
      expect(events[0]!.prev_hash).toBe("0".repeat(64));
      expect(events[1]!.prev_hash).toBe(events[0]!.hash);
      // The first hash, recomputed here from its documented inputs.
      const e1 = events[0]!;
      expect(e1.hash).toBe(
        createHash("sha256")
          .update(["0".repeat(64), "1", "purge_1", e1.at, "purge_created", JSON.stringify(e1.body)].join("\n"))
          .digest("hex"),
      );
      await exec("UPDATE batches SET state = 'queued' WHERE batch_no = 2");
      await exec("UPDATE events SET at = '2020-01-01' WHERE seq = 2");
      const check = await ledger.checkChain("purge_1");
      expect(check.intact).toBe(false);
      expect(check.problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/event 2 \(batch_claimed of purge_1\) was edited/),
          expect.stringMatching(/batch 2: the row says queued, its events say planned/),
        ]),
      );
      await exec("DELETE FROM events WHERE seq = 2");
      expect((await ledger.checkChain()).problems).toEqual(expect.arrayContaining([expect.stringMatching(/events 2…2 are missing/)]));
    });

    it("keeps one linear chain when two connections write at once", async () => {
      const { ledger, another } = await backend.fresh();
      const other = await another();
      try {
        await ledger.createPurge(newPurge(10));
        await other.createPurge(newPurge(10, { id: "purge_2", token_digest: "t2" }));
        const verification = (i: number) => ({
          at: `2026-03-04T11:00:${String(i).padStart(2, "0")}.000Z`,
          checked: 10,
          remaining_count: 10,
          remaining_ids: [],
          verdict: "pending" as const,
          audit: null,
          requests: 1,
        });
        await Promise.all(
          Array.from({ length: 12 }, (_, i) => (i % 2 ? other : ledger).recordVerification(i % 3 ? "purge_1" : "purge_2", verification(i))),
        );
        const check = await other.checkChain();
        expect(check).toEqual({ intact: true, events: 14, problems: [] });
        expect((await ledger.verifications("purge_1")).length + (await ledger.verifications("purge_2")).length).toBe(12);
      } finally {
        await other.close();
      }
    });

    it("records verifications and audit matches in order, each in the chain once", async () => {
      const { ledger } = await backend.fresh();
      await ledger.createPurge(newPurge(3));
      await ledger.markSending("purge_1", 1, at);
      await ledger.markQueued("purge_1", 1, at, window);
      const v1 = {
        at: "2026-03-05T00:00:00.000Z",
        checked: 3,
        remaining_count: 3,
        remaining_ids: [uuid(1)],
        verdict: "pending" as const,
        audit: null,
        requests: 1,
      };
      const v2 = {
        ...v1,
        at: "2026-03-09T00:00:00.000Z",
        remaining_count: 0,
        remaining_ids: [],
        verdict: "verified" as const,
        query: "ids re-queried",
      };
      // A repeat may be committed without waiting for the disk: recorded and chained all the same.
      const v1again = { ...v1, at: "2026-03-06T00:00:00.000Z" };
      await ledger.recordVerification("purge_1", v1);
      await ledger.recordVerification("purge_1", v1again, { durable: false });
      await ledger.recordVerification("purge_1", v2);
      expect(await ledger.verifications("purge_1")).toEqual([v1, v1again, v2]);
      expect((await ledger.getPurge("purge_1"))!.last_verification).toEqual(v2);
      const match = { batch_no: 1, event_uid: "evt-1", event_time: "2026-03-08T01:00:00.000Z" };
      await ledger.recordAuditMatches("purge_1", [match]);
      await ledger.recordAuditMatches("purge_1", [match]); // seen again on the next verification: recorded once
      expect(await ledger.auditMatches("purge_1")).toEqual([match]);
      expect((await ledger.events("purge_1")).map((e) => e.kind)).toEqual([
        "purge_created",
        "batch_claimed",
        "batch_queued",
        "verification",
        "verification",
        "verification",
        "audit_match",
      ]);
      expect((await ledger.checkChain()).intact).toBe(true);
    });

    it("scopes listing to one identity: newest first, counted, paged", async () => {
      const { ledger } = await backend.fresh();
      await ledger.createPurge(newPurge(1));
      await ledger.createPurge(newPurge(1, { id: "purge_other", token_digest: "t2", owner: { scope: SCOPE_W2, key_fingerprint: null } }));
      await ledger.createPurge(newPurge(1, { id: "purge_3", token_digest: "t3", created_at: "2026-03-05T10:00:00.000Z" }));
      expect((await ledger.listPurges({ scope: SCOPE_W1 })).map((p) => p.id)).toEqual(["purge_3", "purge_1"]);
      expect((await ledger.listPurges({ scope: SCOPE_W1, limit: 1, offset: 1 })).map((p) => p.id)).toEqual(["purge_1"]);
      expect((await ledger.listPurges({ scope: SCOPE_W2 })).map((p) => p.id)).toEqual(["purge_other"]);
      expect(await ledger.countPurges(SCOPE_W1)).toBe(2);
      expect(await ledger.countPurges("https://eu.api.smith.langchain.com|workspace:w1")).toBe(0);
      expect(await ledger.countPurges()).toBe(3);
      expect((await ledger.listPurges()).map((p) => p.id)).toEqual(["purge_3", "purge_other", "purge_1"]);
    });

    it("reports a damaged row as unreadable and still lists the others", async () => {
      const { ledger, exec } = await backend.fresh();
      await ledger.createPurge(newPurge(1));
      await ledger.createPurge(newPurge(1, { id: "purge_2", token_digest: "t2" }));
      await exec("UPDATE purges SET criteria_json = '{not json' WHERE id = 'purge_1'");
      const { purges, unreadable } = await ledger.listPurgesChecked();
      expect(purges.map((p) => p.id)).toEqual(["purge_2"]);
      expect(unreadable).toEqual([{ id: "purge_1", reason: expect.stringMatching(/purge purge_1, whose criteria cannot be read/) }]);
      expect((await ledger.checkChain("purge_1")).problems).toEqual([
        expect.stringMatching(/purge purge_1: its criteria differ from those recorded when it was created/),
      ]);
    });

    it("shows another connection everything the first wrote", async () => {
      const { ledger, another } = await backend.fresh();
      await ledger.createPurge(newPurge(3));
      await ledger.markSending("purge_1", 1, at);
      const other = await another();
      try {
        expect((await other.getPurge("purge_1"))!.batches[0]).toMatchObject({ state: "sending", lease_owner: "legacy" });
        await other.markQueued("purge_1", 1, at, window);
        expect((await ledger.getPurge("purge_1"))!.window).toEqual(window);
      } finally {
        await other.close();
      }
    });
  });
}
