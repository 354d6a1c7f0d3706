/**
 * The purge domain through its real seams: a LangSmithClient against the simulator over
 * loopback HTTP, and an in-memory SQLite ledger. Expected values are read off the simulator's
 * seeded data with plain loops (not its filter evaluator) or written by hand from seed 003.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LangSmithClient } from "../langsmith/index.js";
import { ProjectResolver } from "../langsmith/project-resolver.js";
import { openSqliteLedger, TokenAlreadyUsed, type Ledger } from "../ledger/index.js";
import { resolveWindow } from "../tools/time-range.js";
import { control, startSimulator, type RunningSimulator } from "../simulator/index.js";
import { planPurge, recordPurge, resolveIdentity, sendPending, verifyRecorded, type PurgeRequest } from "./index.js";
import { RecordedIdsCache } from "./recorded-ids.js";
import { repeatsLast } from "./verify.js";

const START = "2026-03-04T10:00:00.000Z"; // a Wednesday

let sim: RunningSimulator;
let client: LangSmithClient;
let resolver: ProjectResolver;
const signal = new AbortController().signal;
const now = () => new Date(START);

beforeAll(async () => {
  sim = await startSimulator({ port: 0, scale: 0.5, now: START });
  client = new LangSmithClient({ endpoint: sim.url, apiKey: sim.apiKey });
  resolver = new ProjectResolver(client);
});
afterAll(async () => {
  await client?.close();
  await sim?.close();
});

const plan = (request: PurgeRequest) =>
  planPurge(request, { client, resolveProject: (r, f, s) => resolver.resolve(r, f, s), resolveWindow, signal });

/** Root traces of user 123, per project name of the default workspace, read off the seeded runs. */
function rootsOfUser(userId: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const project of sim.store.projectsOfTenant(sim.workspaceId)) {
    const ids = sim.store
      .runsOfProject(project.id)
      .filter((r) => r.parent_run_id === null && r.metadata["user_id"] === userId)
      .map((r) => r.id);
    out.set(project.name, ids);
  }
  return out;
}

interface SimDeletion {
  session_id: string | null;
  trace_ids: string[] | null;
  metadata: Record<string, string> | null;
}
const simDeletions = async (): Promise<SimDeletion[]> => (await control<{ requests: SimDeletion[] }>(sim, "GET", "deletion")).body.requests;

const freshLedger = (): Ledger => openSqliteLedger(":memory:");

describe("planning a workspace-wide purge", () => {
  it("finds user 123 in every project, counts per project, and cuts batches of one project each", async () => {
    const expected = rootsOfUser("123");
    const p = await plan({ all_projects: true, metadata: { user_id: "123" } });
    const counts = Object.fromEntries(p.counts.map((c) => [c.name, c.traces]));
    expect(counts).toEqual(Object.fromEntries([...expected].map(([name, ids]) => [name, ids.length])));
    const total = [...expected.values()].reduce((n, ids) => n + ids.length, 0);
    expect(total).toBeGreaterThan(0);
    expect(p.traces).toHaveLength(total);
    expect(new Set(p.traces.map((t) => t.trace_id))).toEqual(new Set([...expected.values()].flat()));
    // One batch per project here (fewer than 1000 each), each naming its project.
    const withTraces = p.counts.filter((c) => c.traces > 0);
    expect(p.batches.map((b) => [b.project_id, b.trace_count])).toEqual(withTraces.map((c) => [c.id, c.traces]));
    expect(p.metadataDeleteFits).toBe(true);
    expect(p.criteria).toMatchObject({ kind: "metadata", all_projects: true, metadata: { user_id: "123" }, send_as: "trace_batches" });
  });

  it("cuts a project's traces into batches of at most 1000", async () => {
    const p = await plan({ projects: ["checkout-bot", "support-bot"], start_time: "400d" });
    const sizes = (name: string) =>
      p.batches.filter((b) => b.project_id === p.counts.find((c) => c.name === name)!.id).map((b) => b.trace_count);
    const checkout = p.counts.find((c) => c.name === "checkout-bot")!.traces;
    expect(checkout).toBeGreaterThan(0);
    for (const name of ["checkout-bot", "support-bot"]) {
      const n = p.counts.find((c) => c.name === name)!.traces;
      const want = Array.from({ length: Math.ceil(n / 1000) }, (_, i) => Math.min(1000, n - i * 1000));
      expect(sizes(name)).toEqual(want);
    }
  });

  it("finds explicit trace ids across projects and says which are not traces there", async () => {
    const byProject = rootsOfUser("123");
    const a = byProject.get("checkout-bot")!.slice(0, 2);
    const b = byProject.get("rag-search")!.slice(0, 1);
    const unknown = "00000000-0000-4000-8000-000000000001";
    const p = await plan({ all_projects: true, trace_ids: [...a, ...b, unknown] });
    expect(p.notFound).toEqual([unknown]);
    expect(Object.fromEntries(p.counts.filter((c) => c.traces > 0).map((c) => [c.name, c.traces]))).toEqual({
      "checkout-bot": 2,
      "rag-search": 1,
    });
    // Batched by project: the traces of one project sit together.
    expect(p.batches.map((b) => b.trace_count).sort()).toEqual([1, 2]);
  });

  it("offers the metadata-wide delete only where it fits, and says why not elsewhere", async () => {
    await expect(plan({ projects: ["checkout-bot"], metadata: { user_id: "123" }, send_as: "metadata_delete" })).rejects.toThrow(
      /fits only metadata criteria with all_projects/,
    );
    await expect(
      plan({ all_projects: true, metadata: { user_id: "123" }, start_time: "7d", send_as: "metadata_delete" }),
    ).rejects.toMatchObject({ field: "send_as" });
    await expect(plan({ project: "checkout-bot", all_projects: true, start_time: "7d" })).rejects.toThrow(/not several/);
    await expect(plan({ all_projects: true })).rejects.toThrow(/no criteria/);
  });
});

describe("recording and sending", () => {
  it("sends one request per batch with its own session_id, and never a queued batch again", async () => {
    const ledger = freshLedger();
    const identity = await resolveIdentity(client);
    const p = await plan({ all_projects: true, metadata: { user_id: "123" } });
    const before = (await simDeletions()).length;
    const purge = await recordPurge(p, "token-1", { ledger, client, identity, now });
    const outcome = await sendPending(purge.id, { ledger, client, signal, now });
    expect(outcome).toEqual({ sent: p.batches.length, failure: null, busy: null });
    const sent = (await simDeletions()).slice(before);
    expect(sent.map((r) => [r.session_id, r.trace_ids!.length])).toEqual(p.batches.map((b) => [b.project_id, b.trace_count]));
    const again = await sendPending(purge.id, { ledger, client, signal, now });
    expect(again.sent).toBe(0);
    expect((await simDeletions()).length).toBe(before + p.batches.length);
    await expect(recordPurge(p, "token-1", { ledger, client, identity, now })).rejects.toThrow(TokenAlreadyUsed);
    // The re-query names each project once, in batch order (read off the plan here, not the ledger).
    const projects = [...new Set(p.batches.map((b) => b.project_id))];
    expect(projects.length).toBeGreaterThan(1);
    const check = await verifyRecorded((await ledger.getPurge(purge.id))!, { ledger, client, signal, organizationId: undefined });
    expect(check).toMatchObject({ verdict: "pending", checked: p.traces.length });
    expect(check.query).toContain(`project_ids ${projects.join(",")}, start`);
  });

  it("sends the metadata-wide delete as one request when asked, and verifies the recorded ids", async () => {
    const ledger = freshLedger();
    const identity = await resolveIdentity(client);
    const p = await plan({ all_projects: true, metadata: { user_id: "123" }, send_as: "metadata_delete" });
    expect(p.batches).toEqual([{ batch_no: 1, kind: "metadata", project_id: null, trace_count: p.traces.length }]);
    const before = (await simDeletions()).length;
    const purge = await recordPurge(p, "token-2", { ledger, client, identity, now });
    await sendPending(purge.id, { ledger, client, signal, now });
    expect((await simDeletions()).slice(before)).toEqual([expect.objectContaining({ metadata: { user_id: "123" }, trace_ids: null })]);
    const pending = await verifyRecorded((await ledger.getPurge(purge.id))!, { ledger, client, signal, organizationId: undefined });
    expect(pending).toMatchObject({ verdict: "pending", checked: p.traces.length });
    expect(pending.remaining).toHaveLength(p.traces.length);
    // A metadata batch names no project: the traces' own, in order of first appearance.
    expect(pending.query).toContain(`project_ids ${[...new Set(p.traces.map((t) => t.project_id))].join(",")}, start`);
  });

  it("refuses a batch another live call holds, and takes over one whose process is gone", async () => {
    const ledger = freshLedger();
    const identity = await resolveIdentity(client);
    const p = await plan({ project: "eval-nightly", start_time: "400d" });
    const purge = await recordPurge(p, "token-3", { ledger, client, identity, now });
    const at = new Date();
    const later = new Date(at.getTime() + 60_000).toISOString();
    // A live holder: another call of this very process.
    const { newClaimOwner } = await import("./lease.js");
    expect(await ledger.claimBatch(purge.id, 1, { owner: newClaimOwner(), at: at.toISOString(), leaseUntil: later })).toEqual({
      claimed: true,
    });
    const before = (await simDeletions()).length;
    const refused = await sendPending(purge.id, { ledger, client, signal, now: () => at });
    expect(refused).toMatchObject({ sent: 0, busy: { batch_no: 1, by: "another call of this server", until: later } });
    expect((await simDeletions()).length).toBe(before);

    // A holder whose process no longer runs (a pid that cannot exist) is taken over at once.
    const dead = `${(await import("node:os")).hostname()}/4194305/deadbeef/000000`;
    await ledger.markFailed(purge.id, 1, "reset for the test");
    expect(await ledger.claimBatch(purge.id, 1, { owner: dead, at: at.toISOString(), leaseUntil: later })).toEqual({ claimed: true });
    const taken = await sendPending(purge.id, { ledger, client, signal, now: () => at });
    expect(taken).toMatchObject({ sent: p.batches.length, busy: null });
    expect((await ledger.getPurge(purge.id))!.batches[0]).toMatchObject({ state: "queued", attempts: 3 });
  });
});

describe("checking a purge again", () => {
  it("reads the purge's trace ids from the ledger on the first check only, and answers the same on the next", async () => {
    const ledger = freshLedger();
    const identity = await resolveIdentity(client);
    const p = await plan({ project: "eval-nightly", start_time: "400d" });
    const purge = await recordPurge(p, "token-again", { ledger, client, identity, now });
    // The real ledger, with its id reads counted.
    const reads: string[] = [];
    const counted = new Proxy(ledger, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property === "traceIds") {
          return (...args: [string, number?]) => {
            reads.push(args[0]);
            return target.traceIds(...args);
          };
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const deps = { ledger: counted, client, signal, organizationId: undefined, recordedIds: new RecordedIdsCache() };
    const first = await verifyRecorded((await ledger.getPurge(purge.id))!, deps);
    expect(reads).toEqual([purge.id]);
    const second = await verifyRecorded((await ledger.getPurge(purge.id))!, deps);
    expect(reads).toEqual([purge.id]);
    const expected = p.traces.map((t) => t.trace_id);
    // Never sent: every trace remains and the batches are not accepted (the verdict table's "incomplete").
    for (const check of [first, second]) {
      expect({ verdict: check.verdict, checked: check.checked, remaining: [...check.remaining] }).toEqual({
        verdict: "incomplete",
        checked: expected.length,
        remaining: expected,
      });
    }
    // Both checks are recorded, each in full.
    expect((await ledger.verifications(purge.id)).map((v) => v.remaining_count)).toEqual([expected.length, expected.length]);
  });
});

describe("which checks may be recorded without waiting for the disk", () => {
  const last = {
    at: "2026-03-05T00:00:00.000Z",
    checked: 10,
    remaining_count: 10,
    remaining_ids: [],
    verdict: "pending" as const,
    audit: "not_configured: not checked",
    requests: 1,
  };
  it("only a check saying what the last recorded one said: same verdict, count and audit finding", () => {
    const same = { verdict: "pending" as const, remaining_count: 10, audit: "not_configured: not checked" };
    expect(repeatsLast(last, same)).toBe(true);
    expect(repeatsLast(null, same)).toBe(false); // the first check
    expect(repeatsLast(last, { ...same, verdict: "overdue" })).toBe(false);
    expect(repeatsLast(last, { ...same, remaining_count: 9 })).toBe(false);
    expect(repeatsLast(last, { ...same, audit: "matched: 1 of 1" })).toBe(false);
    expect(repeatsLast(last, { ...same, audit: null })).toBe(false);
    // The first "verified" is a change; a verified after a verified repeats it.
    const verified = { ...last, verdict: "verified" as const, remaining_count: 0 };
    expect(repeatsLast(last, { verdict: "verified", remaining_count: 0, audit: last.audit })).toBe(false);
    expect(repeatsLast(verified, { verdict: "verified", remaining_count: 0, audit: last.audit })).toBe(true);
  });
});
