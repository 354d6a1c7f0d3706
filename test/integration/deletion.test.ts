/**
 * Compliance purge through an MCP client: the SDK Client ↔ buildServer in memory ↔ the
 * simulator over loopback HTTP, with the ledger read beside the server at each step. What
 * needs real processes (a SIGKILL, two servers on one ledger file) is in
 * test/e2e/deletion-processes.test.ts. The simulator starts on a Wednesday; its weekend batch runs
 * Saturday 02:00 UTC on the sim clock.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LangSmithClient } from "../../src/langsmith/index.js";
import { control, apiCall, startSimulator, type RunningSimulator } from "../../src/simulator/index.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { textOf } from "../support/stack.js";
import { rootsOf } from "../support/deletion.js";

const START = "2026-03-04T10:00:00.000Z"; // a Wednesday
const DELETE_PATH = "/api/v1/runs/delete";

interface Plan {
  status: string;
  plan?: {
    trace_count: number;
    projects: { id: string; name: string; traces: number }[];
    batches: { batch_no: number; project_id?: string; trace_count: number }[];
    sample: unknown[];
    expected_completion_window_if_queued_now: { start: string; end: string };
    metadata_delete?: { fits: boolean; semantics: string };
  };
  purge?: { purge_id: string; batch_states: Record<string, number>; batches: { batch_no: number; state: string; attempts: number }[] };
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
const simDeletions = async (sim: RunningSimulator): Promise<SimDeletion[]> =>
  (await control<{ requests: SimDeletion[] }>(sim, "GET", "deletion")).body.requests;
const deletePosts = async (sim: RunningSimulator) =>
  (await control<{ requests: { method: string; path: string; status: number | null }[] }>(sim, "GET", "requests")).body.requests.filter(
    (r) => r.method === "POST" && r.path === DELETE_PATH,
  );

let stack: InMemoryStack;
let sim: RunningSimulator;

beforeAll(async () => {
  // Scale 2: checkout-bot, support-bot and rag-search each hold 2,600–2,800 traces (3 batches).
  stack = await startInMemoryStack({ sim: { scale: 2, now: START } });
  sim = stack.sim;
});
afterAll(() => stack?.close());

describe("queue_deletion → verify_deletion", () => {
  it("purges 2,700 traces in 3 batches: plan, confirm, pending before the weekend, verified after it", async () => {
    const { ledger } = stack;
    const expected = rootsOf(sim, "checkout-bot");
    expect(expected.length).toBeGreaterThanOrEqual(2500);
    const criteria = { project: "checkout-bot", start_time: "30d" };
    const purgesBefore = await ledger.countPurges();

    const plan = ok<Plan>(await stack.call("queue_deletion", criteria));
    expect(plan.status).toBe("plan");
    expect(plan.plan!.trace_count).toBe(expected.length);
    expect(plan.plan!.batches.map((b) => b.trace_count)).toEqual([1000, 1000, expected.length - 2000]);
    expect(plan.plan!.expected_completion_window_if_queued_now).toEqual({
      start: "2026-03-07T00:00:00.000Z",
      end: "2026-03-09T00:00:00.000Z",
    });
    expect(await ledger.countPurges()).toBe(purgesBefore);
    const sentBefore = (await simDeletions(sim)).length;

    const queued = ok<Plan>(await stack.call("queue_deletion", { ...criteria, confirmation_token: plan.confirmation_token }));
    expect(queued.status).toBe("queued");
    const purgeId = queued.purge!.purge_id;
    const record = (await ledger.getPurge(purgeId))!;
    expect(record.batches.map((b) => [b.state, b.trace_count, b.attempts])).toEqual([
      ["queued", 1000, 1],
      ["queued", 1000, 1],
      ["queued", expected.length - 2000, 1],
    ]);
    expect(record.batches.every((b) => b.delete_requested_at?.startsWith("2026-03-04"))).toBe(true);
    expect(record.window).toEqual({ start: "2026-03-07T00:00:00.000Z", end: "2026-03-09T00:00:00.000Z" });
    const requests = (await simDeletions(sim)).slice(sentBefore);
    expect(requests.map((r) => r.trace_ids!.length)).toEqual([1000, 1000, expected.length - 2000]);
    expect(new Set(requests.flatMap((r) => r.trace_ids!))).toEqual(new Set(expected));

    await control(sim, "DELETE", "requests");
    const pending = ok<Verification>(await stack.call("verify_deletion", { purge_id: purgeId }));
    expect(pending).toMatchObject({ verdict: "pending", remaining_count: expected.length, queries: 3 });
    const queries = (await control<{ requests: { path: string }[] }>(sim, "GET", "requests")).body.requests.filter(
      (r) => r.path === "/api/v2/runs/query",
    );
    expect(queries).toHaveLength(3); // 2,700 ids re-queried with 3 HTTP requests, not 2,700
    expect((await ledger.getPurge(purgeId))!.last_verification).toMatchObject({ verdict: "pending", remaining_count: expected.length });

    await control(sim, "POST", "clock", { set: "2026-03-07T03:00:00Z" });
    const verified = ok<Verification>(await stack.call("verify_deletion", { purge_id: purgeId }));
    expect(verified).toMatchObject({ verdict: "verified", remaining_count: 0 });
    expect(verified).not.toHaveProperty("remaining_ids");
    expect(rootsOf(sim, "checkout-bot")).toHaveLength(0);
    expect(sim.store.runsOfTrace(expected[0]!)).toHaveLength(0); // descendants went with the root
    expect((await ledger.verifications(purgeId)).map((v) => v.verdict)).toEqual(["pending", "verified"]);

    const listed = ok<{ purges: { purge_id: string; last_verification: { verdict: string } }[] }>(await stack.call("list_deletions"));
    expect(listed.purges[0]).toMatchObject({ purge_id: purgeId, last_verification: { verdict: "verified" } });
    await control(sim, "POST", "clock", { set: START });
  });

  it("reports overdue with exactly the ids of the batch LangSmith silently skipped", async () => {
    const { ledger } = stack;
    const criteria = { project: "rag-search", start_time: "30d" };
    // Of the next delete requests, the first passes and the second is dropped by its weekend batch.
    await control(sim, "POST", "deletion", { after_requests: 1, drop_next_requests: 1 });
    const plan = ok<Plan>(await stack.call("queue_deletion", criteria));
    const queued = ok<Plan>(await stack.call("queue_deletion", { ...criteria, confirmation_token: plan.confirmation_token }));
    const purgeId = queued.purge!.purge_id;
    const window = (await ledger.getPurge(purgeId))!.window!;
    const droppedIds = await ledger.traceIds(purgeId, 2);

    await control(sim, "POST", "clock", { set: new Date(Date.parse(window.end) + 3_600_000).toISOString() });
    const result = await stack.call("verify_deletion", { purge_id: purgeId, max_ids: 1000 });
    const overdue = ok<Verification>(result);
    expect(overdue.verdict).toBe("overdue");
    expect(overdue.remaining_count).toBe(1000);
    // 1000 ids overrun the token budget of one result: the rest come with ids_offset.
    const listed = [...overdue.remaining_ids];
    for (let offset = overdue.next_ids_offset; offset !== undefined; ) {
      const page = ok<Verification>(await stack.call("verify_deletion", { purge_id: purgeId, max_ids: 1000, ids_offset: offset }));
      listed.push(...page.remaining_ids);
      offset = page.next_ids_offset;
    }
    expect(listed).toHaveLength(1000);
    expect(new Set(listed)).toEqual(new Set(droppedIds));
    expect(overdue.remaining_by_batch.map((b) => b.remaining)).toEqual([0, 1000, 0]);
    expect(textOf(result)).toMatch(/Re-queue the remaining ids/);
    expect((await simDeletions(sim)).filter((r) => r.status === "dropped").map((r) => r.trace_ids!.length)).toEqual([1000]);
    await control(sim, "POST", "clock", { set: START });
  });
});

describe("a purge across the workspace", () => {
  it("purges every trace of user 123 in every project: per-project counts, a batch per project, verified after the weekend", async () => {
    // Truth from the seeded runs, by a plain loop: the roots whose metadata says user 123.
    const expected = new Map<string, string[]>();
    for (const project of sim.store.projectsOfTenant(sim.workspaceId)) {
      expected.set(
        project.id,
        sim.store
          .runsOfProject(project.id)
          .filter((r) => r.parent_run_id === null && r.metadata["user_id"] === "123")
          .map((r) => r.id),
      );
    }
    const total = [...expected.values()].reduce((n, ids) => n + ids.length, 0);
    expect(total).toBeGreaterThan(0);
    const criteria = { all_projects: true, metadata: ["user_id=123"] };
    const planned = await stack.call("queue_deletion", criteria);
    const plan = ok<Plan>(planned);
    expect(plan.plan!.trace_count).toBe(total);
    expect(Object.fromEntries(plan.plan!.projects.map((p) => [p.id, p.traces]))).toEqual(
      Object.fromEntries([...expected].map(([id, ids]) => [id, ids.length])),
    );
    for (const b of plan.plan!.batches) expect(b.trace_count).toBeLessThanOrEqual(1000);
    expect(plan.plan!.metadata_delete).toMatchObject({ fits: true, semantics: expect.stringMatching(/ANY of the given pairs/) });
    expect(textOf(planned)).toMatch(/Per project: /);

    const before = (await simDeletions(sim)).length;
    const queued = ok<Plan>(await stack.call("queue_deletion", { ...criteria, confirmation_token: plan.confirmation_token }));
    expect(queued.status).toBe("queued");
    const sent = (await simDeletions(sim)).slice(before);
    // One project per request, each request's ids all of that project.
    for (const r of sent) expect(r.trace_ids!.every((id) => expected.get(r.session_id!)!.includes(id))).toBe(true);
    expect(new Set(sent.flatMap((r) => r.trace_ids!))).toEqual(new Set([...expected.values()].flat()));

    await control(sim, "POST", "clock", { set: "2026-03-07T03:00:00Z" });
    const verified = ok<Verification>(await stack.call("verify_deletion", { purge_id: queued.purge!.purge_id }));
    expect(verified).toMatchObject({ verdict: "verified", remaining_count: 0 });
    await control(sim, "POST", "clock", { set: START });
  });

  it("two confirmations of one token at once queue it once; the other says the token was already used", async () => {
    const ids = rootsOf(sim, "eval-nightly").slice(20, 23);
    const args = { project: "eval-nightly", trace_ids: ids };
    const plan = ok<Plan>(await stack.call("queue_deletion", args));
    const before = (await simDeletions(sim)).length;
    const [a, b] = await Promise.all([
      stack.call("queue_deletion", { ...args, confirmation_token: plan.confirmation_token }),
      stack.call("queue_deletion", { ...args, confirmation_token: plan.confirmation_token }),
    ]);
    const results = [a, b];
    const failed = results.filter((r) => r.isError);
    expect(failed).toHaveLength(1);
    expect(textOf(failed[0]!)).toMatch(/already used/);
    expect(textOf(failed[0]!)).not.toMatch(/constraint|UNIQUE|bug in the server/i);
    expect((await simDeletions(sim)).length).toBe(before + 1);
  });
});

describe("queue_deletion refuses bad input and queues nothing", () => {
  it("unknown project, zero matches, a token for another plan, a reused token, and over-long id lists", async () => {
    const { ledger } = stack;
    const acceptedBefore = (await simDeletions(sim)).length;
    const purgesBefore = await ledger.countPurges();

    const unknown = await stack.call("queue_deletion", { project: "no-such-project", start_time: "7d" });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/no project named "no-such-project"/);

    const none = ok<Plan>(await stack.call("queue_deletion", { project: "eval-nightly", filter: 'eq(name, "no-such-run")' }));
    expect(none.status).toBe("nothing_to_delete");

    const evalRoots = rootsOf(sim, "eval-nightly");
    const planA = ok<Plan>(await stack.call("queue_deletion", { project: "eval-nightly", trace_ids: evalRoots.slice(0, 3) }));
    const wrong = await stack.call("queue_deletion", {
      project: "eval-nightly",
      trace_ids: evalRoots.slice(0, 4),
      confirmation_token: planA.confirmation_token,
    });
    expect(wrong.isError).toBe(true);
    expect(textOf(wrong)).toMatch(/does not match this request/);

    const noCriteria = await stack.call("queue_deletion", { project: "eval-nightly" });
    expect(textOf(noCriteria)).toMatch(/no criteria/);

    const tooMany = await stack.call("queue_deletion", {
      project: "eval-nightly",
      trace_ids: Array.from({ length: 10_001 }, () => evalRoots[0]),
    });
    expect(tooMany.isError).toBe(true);
    expect(textOf(tooMany)).toMatch(/trace_ids/);
    expect(await ledger.countPurges()).toBe(purgesBefore);
    expect((await simDeletions(sim)).length).toBe(acceptedBefore);

    const queued = ok<Plan>(
      await stack.call("queue_deletion", {
        project: "eval-nightly",
        trace_ids: evalRoots.slice(0, 3),
        confirmation_token: planA.confirmation_token,
      }),
    );
    expect(queued.status).toBe("queued");
    const reused = await stack.call("queue_deletion", {
      project: "eval-nightly",
      trace_ids: evalRoots.slice(0, 3),
      confirmation_token: planA.confirmation_token,
    });
    expect(reused.isError).toBe(true);
    expect(textOf(reused)).toMatch(new RegExp(`already used: it queued purge ${queued.purge!.purge_id}`));
    expect(await ledger.countPurges()).toBe(purgesBefore + 1);
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
  /** A stack whose server reads audit logs: the organization id (fixed by the seed) in its config and client. */
  async function withOrganization(plan: "plus" | "enterprise"): Promise<InMemoryStack> {
    const probe = await startSimulator({ port: 0, scale: 0.05, now: START });
    const org = probe.organizationId;
    await probe.close();
    const s = await startInMemoryStack({
      sim: { scale: 0.3, now: START, plan },
      client: { organizationId: org },
      env: { LANGSMITH_ORGANIZATION_ID: org },
    });
    expect(s.sim.organizationId).toBe(org);
    return s;
  }

  it("says clearly that audit logs are not available on a Plus plan", async () => {
    const plus = await withOrganization("plus");
    try {
      const ids = rootsOf(plus.sim, "eval-nightly").slice(10, 12);
      const plan = ok<Plan>(await plus.call("queue_deletion", { project: "eval-nightly", trace_ids: ids }));
      const queued = ok<Plan>(
        await plus.call("queue_deletion", { project: "eval-nightly", trace_ids: ids, confirmation_token: plan.confirmation_token }),
      );
      const result = await plus.call("verify_deletion", { purge_id: queued.purge!.purge_id });
      expect(ok<Verification>(result).audit?.status).toBe("not_available_on_plan");
      expect(textOf(result)).toMatch(/not available on this plan/);
    } finally {
      await plus.close();
    }
  });

  it("matches every queued batch to a delete_runs event on an Enterprise workspace", async () => {
    const enterprise = await withOrganization("enterprise");
    const e = enterprise.sim;
    try {
      const ids = rootsOf(e, "checkout-bot").slice(0, 5);
      for (let i = 0; i < 12; i++) {
        // Noise: other delete requests, so the match has to page (limit 100) and pick the right events.
        await apiCall(e, "POST", DELETE_PATH, {
          session_id: e.store.projectByName(e.workspaceId, "rag-search")!.id,
          trace_ids: rootsOf(e, "rag-search").slice(i, i + 1),
        });
      }
      const plan = ok<Plan>(await enterprise.call("queue_deletion", { project: "checkout-bot", trace_ids: ids }));
      const queued = ok<Plan>(
        await enterprise.call("queue_deletion", { project: "checkout-bot", trace_ids: ids, confirmation_token: plan.confirmation_token }),
      );
      const verification = ok<Verification>(await enterprise.call("verify_deletion", { purge_id: queued.purge!.purge_id }));
      expect(verification.verdict).toBe("pending");
      expect(verification.audit).toMatchObject({ status: "matched", matches: [{ batch_no: 1 }] });

      const page = await apiCall(
        e,
        "GET",
        `/api/v1/audit-logs?start_time=2026-03-01T00:00:00Z&end_time=2026-03-05T00:00:00Z&operations=delete_runs&limit=5`,
        undefined,
        {
          "x-organization-id": e.organizationId,
        },
      );
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(5);
      expect(page.body.cursor).toEqual(expect.any(String));
      expect(page.body.items[0]).toMatchObject({ class_name: "API Activity", status: "Success", api: { operation: "delete_runs" } });
      const noOrg = await apiCall(e, "GET", `/api/v1/audit-logs?start_time=2026-03-01T00:00:00Z&end_time=2026-03-05T00:00:00Z`);
      expect(noOrg.status).toBe(403);
    } finally {
      await enterprise.close();
    }
  });
});

describe("within LangSmith's documented rate limits", () => {
  it("a purge across projects that needs more than 15 queries waits out each 429's Retry-After and still plans, queues and verifies every trace", async () => {
    // The simulator enforces runs/query 15 per 10 s on a frozen clock; the client's waits advance it.
    const holder: { sim?: RunningSimulator } = {};
    const limited = await startInMemoryStack({
      sim: { scale: 2, now: START, rateLimits: true },
      client: { sleep: async (ms: number) => holder.sim!.clock.advance(ms) },
    });
    try {
      const s = (holder.sim = limited.sim);
      s.clock.setRate(0);
      const expected = new Set(["checkout-bot", "support-bot", "rag-search"].flatMap((name) => rootsOf(s, name)));
      const criteria = { projects: ["checkout-bot", "support-bot", "rag-search"], start_time: "30d" };
      const t0 = s.clock.now();
      const plan = ok<Plan>(await limited.call("queue_deletion", criteria));
      expect(plan.plan!.trace_count).toBe(expected.size);
      const queued = ok<Plan>(await limited.call("queue_deletion", { ...criteria, confirmation_token: plan.confirmation_token }));
      expect(queued.status).toBe("queued");
      const pending = ok<Verification>(await limited.call("verify_deletion", { purge_id: queued.purge!.purge_id }));
      expect(pending).toMatchObject({ verdict: "pending", remaining_count: expected.size });
      const log = (await control<{ requests: { path: string; status: number }[] }>(s, "GET", "requests")).body.requests.filter(
        (r) => r.path === "/api/v2/runs/query",
      );
      const refused = log.filter((r) => r.status === 429).length;
      expect(refused).toBeGreaterThan(0);
      expect(log.filter((r) => r.status === 200).length).toBeGreaterThan(15);
      // Every refusal was waited out on LangSmith's clock (Retry-After is at least 1 s).
      expect(s.clock.now() - t0).toBeGreaterThanOrEqual(1000);
    } finally {
      await limited.close();
    }
  });
});
