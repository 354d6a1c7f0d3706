/**
 * Compliance purge end to end: MCP client ↔ built server over stdio ↔ simulator over HTTP,
 * with the ledger file read beside the running server at each step. The simulator starts on
 * a Wednesday; its weekend batch runs Saturday 02:00 UTC on the sim clock.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LangSmithClient } from "../../src/langsmith/index.js";
import { control, apiCall, startSimulator, type RunningSimulator } from "../../src/simulator/index.js";
import { textOf } from "../support/stack.js";
import { purgeIn, readLedger, rootsOf, startServer, tempLedgerPath, type ServerProcess } from "./deletion-stack.js";

const START = "2026-03-04T10:00:00.000Z"; // a Wednesday
const DELETE_PATH = "/api/v1/runs/delete";

interface Plan {
  status: string;
  plan?: { trace_count: number; batches: { batch_no: number; trace_count: number }[]; sample: unknown[]; expected_completion_window_if_queued_now: { start: string; end: string } };
  purge?: { purge_id: string; batch_states: Record<string, number>; batches: { batch_no: number; state: string; attempts: number }[]; expected_completion_window: { start: string; end: string } | null };
  confirmation_token?: string;
}
interface Verification {
  verdict: string;
  remaining_count: number;
  remaining_ids: string[];
  next_ids_offset?: number;
  remaining_by_batch: { batch_no: number; remaining: number; of: number }[];
  queries: number;
  audit?: { status: string; detail: string; matches: unknown[] };
}

const ok = <T>(result: CallToolResult): T => {
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as T;
};

interface SimDeletion {
  seq: number;
  status: string;
  session_id: string | null;
  trace_ids: string[] | null;
}
const simDeletions = async (sim: RunningSimulator): Promise<SimDeletion[]> => (await control<{ requests: SimDeletion[] }>(sim, "GET", "deletion")).body.requests;
const deletePosts = async (sim: RunningSimulator) =>
  (await control<{ requests: { method: string; path: string; status: number | null }[] }>(sim, "GET", "requests")).body.requests.filter((r) => r.method === "POST" && r.path === DELETE_PATH);

let sim: RunningSimulator;
const servers: ServerProcess[] = [];
const start = async (ledger: string, env?: Record<string, string>) => {
  const server = await startServer(sim, ledger, env);
  servers.push(server);
  return server;
};

beforeAll(async () => {
  // Scale 2: checkout-bot, support-bot and rag-search each hold 2,600–2,800 traces (3 batches).
  sim = await startSimulator({ port: 0, scale: 2, now: START });
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await sim?.close();
});

describe("queue_deletion → verify_deletion", () => {
  it("purges 2,700 traces in 3 batches: plan, confirm, pending before the weekend, verified after it", async () => {
    const ledgerPath = tempLedgerPath();
    const server = await start(ledgerPath);
    const expected = rootsOf(sim, "checkout-bot");
    expect(expected.length).toBeGreaterThanOrEqual(2500);
    const criteria = { project: "checkout-bot", start_time: "30d" };

    const plan = ok<Plan>(await server.call("queue_deletion", criteria));
    expect(plan.status).toBe("plan");
    expect(plan.plan!.trace_count).toBe(expected.length);
    expect(plan.plan!.batches.map((b) => b.trace_count)).toEqual([1000, 1000, expected.length - 2000]);
    expect(plan.plan!.expected_completion_window_if_queued_now).toEqual({ start: "2026-03-07T00:00:00.000Z", end: "2026-03-09T00:00:00.000Z" });
    expect(readLedger(ledgerPath, (l) => l.countPurges())).toBe(0);
    expect(await simDeletions(sim)).toHaveLength(0);

    const queued = ok<Plan>(await server.call("queue_deletion", { ...criteria, confirmation_token: plan.confirmation_token }));
    expect(queued.status).toBe("queued");
    const purgeId = queued.purge!.purge_id;
    const record = purgeIn(ledgerPath, purgeId);
    expect(record.batches.map((b) => [b.state, b.trace_count, b.attempts])).toEqual([
      ["queued", 1000, 1],
      ["queued", 1000, 1],
      ["queued", expected.length - 2000, 1],
    ]);
    expect(record.batches.every((b) => b.delete_requested_at?.startsWith("2026-03-04"))).toBe(true);
    expect(record.window).toEqual({ start: "2026-03-07T00:00:00.000Z", end: "2026-03-09T00:00:00.000Z" });
    const requests = await simDeletions(sim);
    expect(requests.map((r) => r.trace_ids!.length)).toEqual([1000, 1000, expected.length - 2000]);
    expect(new Set(requests.flatMap((r) => r.trace_ids!))).toEqual(new Set(expected));

    await control(sim, "DELETE", "requests");
    const pending = ok<Verification>(await server.call("verify_deletion", { purge_id: purgeId }));
    expect(pending).toMatchObject({ verdict: "pending", remaining_count: expected.length, queries: 3 });
    const queries = (await control<{ requests: { path: string }[] }>(sim, "GET", "requests")).body.requests.filter((r) => r.path === "/api/v2/runs/query");
    expect(queries).toHaveLength(3); // 2,700 ids re-queried with 3 HTTP requests, not 2,700
    expect(purgeIn(ledgerPath, purgeId).last_verification).toMatchObject({ verdict: "pending", remaining_count: expected.length });

    await control(sim, "POST", "clock", { set: "2026-03-07T03:00:00Z" });
    const verified = ok<Verification>(await server.call("verify_deletion", { purge_id: purgeId }));
    expect(verified).toMatchObject({ verdict: "verified", remaining_count: 0 });
    // No id remains, so the empty list is left out.
    expect(verified).not.toHaveProperty("remaining_ids");
    expect(rootsOf(sim, "checkout-bot")).toHaveLength(0);
    expect(sim.store.runsOfTrace(expected[0]!)).toHaveLength(0); // descendants went with the root
    expect(readLedger(ledgerPath, (l) => l.verifications(purgeId).map((v) => v.verdict))).toEqual(["pending", "verified"]);

    const listed = ok<{ purges: { purge_id: string; last_verification: { verdict: string } }[] }>(await server.call("list_deletions"));
    expect(listed.purges[0]).toMatchObject({ purge_id: purgeId, last_verification: { verdict: "verified" } });
  });

  it("reports overdue with exactly the ids of the batch LangSmith silently skipped", async () => {
    const ledgerPath = tempLedgerPath();
    const server = await start(ledgerPath);
    const criteria = { project: "rag-search", start_time: "30d" };
    // Of the next delete requests, the first passes and the second is dropped by its weekend batch.
    await control(sim, "POST", "deletion", { after_requests: 1, drop_next_requests: 1 });
    const plan = ok<Plan>(await server.call("queue_deletion", criteria));
    const queued = ok<Plan>(await server.call("queue_deletion", { ...criteria, confirmation_token: plan.confirmation_token }));
    const purgeId = queued.purge!.purge_id;
    const window = purgeIn(ledgerPath, purgeId).window!;
    const droppedIds = readLedger(ledgerPath, (l) => l.traceIds(purgeId, 2));

    await control(sim, "POST", "clock", { set: new Date(Date.parse(window.end) + 3_600_000).toISOString() });
    const result = await server.call("verify_deletion", { purge_id: purgeId, max_ids: 1000 });
    const overdue = ok<Verification>(result);
    expect(overdue.verdict).toBe("overdue");
    expect(overdue.remaining_count).toBe(1000);
    // 1000 ids overrun the token budget of one result: the rest come with ids_offset.
    const listed = [...overdue.remaining_ids];
    for (let offset = overdue.next_ids_offset; offset !== undefined; ) {
      const page = ok<Verification>(await server.call("verify_deletion", { purge_id: purgeId, max_ids: 1000, ids_offset: offset }));
      listed.push(...page.remaining_ids);
      offset = page.next_ids_offset;
    }
    expect(listed).toHaveLength(1000);
    expect(new Set(listed)).toEqual(new Set(droppedIds));
    expect(overdue.remaining_by_batch.map((b) => b.remaining)).toEqual([0, 1000, 0]);
    expect(textOf(result)).toMatch(/Re-queue the remaining ids/);
    expect((await simDeletions(sim)).filter((r) => r.status === "dropped").map((r) => r.trace_ids!.length)).toEqual([1000]);
  });

  it("survives a SIGKILL mid-queue: the ledger shows what was queued and a resume sends only the rest", async () => {
    const ledgerPath = tempLedgerPath();
    const criteria = { project: "support-bot", start_time: "30d" };
    const expected = rootsOf(sim, "support-bot");
    const before = (await simDeletions(sim)).length;
    const server = await start(ledgerPath);
    const plan = ok<Plan>(await server.call("queue_deletion", criteria));
    // Batch 1 answers after a short delay; batch 2 hangs long enough to kill the server with it in flight.
    await control(sim, "POST", "faults", { match: { method: "POST", path: DELETE_PATH }, kind: "delay", delay_ms: 100 });
    await control(sim, "POST", "faults", { match: { method: "POST", path: DELETE_PATH }, kind: "delay", delay_ms: 6_000 });
    const inFlight = server.call("queue_deletion", { ...criteria, confirmation_token: plan.confirmation_token }).catch((e: unknown) => e);

    let purgeId: string | undefined;
    for (let i = 0; i < 400 && !purgeId; i++) {
      await new Promise((r) => setTimeout(r, 25)); // polling a real process's file, not timing an assertion
      purgeId = readLedger(ledgerPath, (l) => {
        const p = l.listPurges()[0];
        return p && p.batches[0]!.state === "queued" && p.batches[1]!.state === "sending" ? p.id : undefined;
      });
    }
    expect(purgeId, "batch 2 never reached sending").toBeDefined();
    server.kill();
    await inFlight;
    await control(sim, "DELETE", "faults");

    const afterCrash = purgeIn(ledgerPath, purgeId!);
    expect(afterCrash.batches.map((b) => b.state)).toEqual(["queued", "sending", "planned"]);

    const restarted = await start(ledgerPath);
    const listed = ok<{ purges: { purge_id: string; batch_states: Record<string, number> }[] }>(await restarted.call("list_deletions"));
    expect(listed.purges[0]).toMatchObject({ purge_id: purgeId, batch_states: { queued: 1, sending: 1, planned: 0 + 1, failed: 0 } });
    const resumed = ok<Plan>(await restarted.call("queue_deletion", { purge_id: purgeId }));
    expect(resumed.status).toBe("queued");
    expect(resumed.purge!.batches.map((b) => [b.state, b.attempts])).toEqual([
      ["queued", 1],
      ["queued", 2],
      ["queued", 1],
    ]);
    // A second resume sends nothing: queued batches are never sent again.
    ok<Plan>(await restarted.call("queue_deletion", { purge_id: purgeId }));

    const accepted = (await simDeletions(sim)).slice(before);
    const ids = accepted.flatMap((r) => r.trace_ids!);
    expect(accepted.map((r) => r.trace_ids!.length)).toEqual([1000, 1000, expected.length - 2000]);
    expect(ids).toHaveLength(new Set(ids).size); // no trace sent twice
    expect(new Set(ids)).toEqual(new Set(expected)); // none skipped
    for (const batch of [1, 2, 3]) {
      expect(new Set(accepted[batch - 1]!.trace_ids)).toEqual(new Set(readLedger(ledgerPath, (l) => l.traceIds(purgeId!, batch))));
    }
  });
});

describe("queue_deletion refuses bad input and queues nothing", () => {
  it("unknown project, zero matches, a token for another plan, a reused token, and over-long id lists", async () => {
    const ledgerPath = tempLedgerPath();
    const server = await start(ledgerPath);
    const acceptedBefore = (await simDeletions(sim)).length;

    const unknown = await server.call("queue_deletion", { project: "no-such-project", start_time: "7d" });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/no project named "no-such-project"/);

    const none = ok<Plan>(await server.call("queue_deletion", { project: "eval-nightly", filter: 'eq(name, "no-such-run")' }));
    expect(none.status).toBe("nothing_to_delete");

    const evalRoots = rootsOf(sim, "eval-nightly");
    const planA = ok<Plan>(await server.call("queue_deletion", { project: "eval-nightly", trace_ids: evalRoots.slice(0, 3) }));
    const wrong = await server.call("queue_deletion", { project: "eval-nightly", trace_ids: evalRoots.slice(0, 4), confirmation_token: planA.confirmation_token });
    expect(wrong.isError).toBe(true);
    expect(textOf(wrong)).toMatch(/does not match this request/);

    const noCriteria = await server.call("queue_deletion", { project: "eval-nightly" });
    expect(textOf(noCriteria)).toMatch(/no criteria/);

    const tooMany = await server.call("queue_deletion", { project: "eval-nightly", trace_ids: Array.from({ length: 10_001 }, () => evalRoots[0]) });
    expect(tooMany.isError).toBe(true);
    expect(textOf(tooMany)).toMatch(/trace_ids/);
    expect(readLedger(ledgerPath, (l) => l.countPurges())).toBe(0);
    expect((await simDeletions(sim)).length).toBe(acceptedBefore);

    const queued = ok<Plan>(await server.call("queue_deletion", { project: "eval-nightly", trace_ids: evalRoots.slice(0, 3), confirmation_token: planA.confirmation_token }));
    expect(queued.status).toBe("queued");
    const reused = await server.call("queue_deletion", { project: "eval-nightly", trace_ids: evalRoots.slice(0, 3), confirmation_token: planA.confirmation_token });
    expect(reused.isError).toBe(true);
    expect(textOf(reused)).toMatch(new RegExp(`already used: it queued purge ${queued.purge!.purge_id}`));
    expect(readLedger(ledgerPath, (l) => l.countPurges())).toBe(1);
    expect((await simDeletions(sim)).length).toBe(acceptedBefore + 1);
  });

  it("the API edge refuses more than 1000 trace ids: the simulator with 400, the client before sending", async () => {
    const project = sim.store.projectByName(sim.workspaceId, "eval-nightly")!;
    const ids = Array.from({ length: 1001 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const direct = await apiCall(sim, "POST", DELETE_PATH, { session_id: project.id, trace_ids: ids });
    expect(direct.status).toBe(400);
    expect(direct.body.detail).toMatch(/at most 1000/);
    const missingSession = await apiCall(sim, "POST", DELETE_PATH, { trace_ids: ids.slice(0, 2) });
    expect(missingSession.status).toBe(400);
    const unknownSession = await apiCall(sim, "POST", DELETE_PATH, { session_id: ids[0], trace_ids: ids.slice(0, 2) });
    expect(unknownSession.status).toBe(404);

    const posts = (await deletePosts(sim)).length;
    const client = new LangSmithClient({ endpoint: sim.url, apiKey: sim.apiKey });
    await expect(client.deleteRuns({ session_id: project.id, trace_ids: ids })).rejects.toThrow(/at most 1000 per delete request/);
    await client.close();
    expect((await deletePosts(sim)).length).toBe(posts);
  });
});

describe("audit-log correlation", () => {
  it("says clearly that audit logs are not available on a Plus plan", async () => {
    const ledgerPath = tempLedgerPath();
    const server = await start(ledgerPath, { LANGSMITH_ORGANIZATION_ID: sim.organizationId });
    const ids = rootsOf(sim, "eval-nightly").slice(10, 12);
    const plan = ok<Plan>(await server.call("queue_deletion", { project: "eval-nightly", trace_ids: ids }));
    const queued = ok<Plan>(await server.call("queue_deletion", { project: "eval-nightly", trace_ids: ids, confirmation_token: plan.confirmation_token }));
    const result = await server.call("verify_deletion", { purge_id: queued.purge!.purge_id });
    expect(ok<Verification>(result).audit?.status).toBe("not_available_on_plan");
    expect(textOf(result)).toMatch(/not available on this plan/);
  });

  it("matches every queued batch to a delete_runs event on an Enterprise workspace", async () => {
    const enterprise = await startSimulator({ port: 0, scale: 0.3, now: START, plan: "enterprise" });
    try {
      const server = await startServer(enterprise, tempLedgerPath(), { LANGSMITH_ORGANIZATION_ID: enterprise.organizationId });
      servers.push(server);
      const ids = rootsOf(enterprise, "checkout-bot").slice(0, 5);
      for (let i = 0; i < 12; i++) {
        // Noise: other delete requests, so the match has to page (limit 100) and pick the right events.
        await apiCall(enterprise, "POST", DELETE_PATH, { session_id: enterprise.store.projectByName(enterprise.workspaceId, "rag-search")!.id, trace_ids: rootsOf(enterprise, "rag-search").slice(i, i + 1) });
      }
      const plan = ok<Plan>(await server.call("queue_deletion", { project: "checkout-bot", trace_ids: ids }));
      const queued = ok<Plan>(await server.call("queue_deletion", { project: "checkout-bot", trace_ids: ids, confirmation_token: plan.confirmation_token }));
      const verification = ok<Verification>(await server.call("verify_deletion", { purge_id: queued.purge!.purge_id }));
      expect(verification.verdict).toBe("pending");
      expect(verification.audit).toMatchObject({ status: "matched", matches: [{ batch_no: 1 }] });

      const page = await apiCall(enterprise, "GET", `/api/v1/audit-logs?start_time=2026-03-01T00:00:00Z&end_time=2026-03-05T00:00:00Z&operations=delete_runs&limit=5`, undefined, {
        "x-organization-id": enterprise.organizationId,
      });
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(5);
      expect(page.body.cursor).toEqual(expect.any(String));
      expect(page.body.items[0]).toMatchObject({ class_name: "API Activity", status: "Success", api: { operation: "delete_runs" } });
      const noOrg = await apiCall(enterprise, "GET", `/api/v1/audit-logs?start_time=2026-03-01T00:00:00Z&end_time=2026-03-05T00:00:00Z`);
      expect(noOrg.status).toBe(403);
    } finally {
      await enterprise.close();
    }
  });
});
