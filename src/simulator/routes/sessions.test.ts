import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../index.js";
import { apiCall } from "../testing.js";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ now: "2025-06-01T12:00:00Z" });
});
afterAll(() => sim.close());

describe("GET /api/v1/sessions", () => {
  it("returns a bare array of the workspace's projects, without stats by default", async () => {
    const res = await apiCall(sim, "GET", "/api/v1/sessions");
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body.map((p: { name: string }) => p.name).sort()).toEqual([
      "checkout-bot",
      "empty-project",
      "eval-nightly",
      "rag-search",
      "support-bot",
    ]);
    for (const p of res.body) {
      expect(p.tenant_id).toBe(sim.workspaceId);
      expect(p).not.toHaveProperty("run_count");
      expect(p).not.toHaveProperty("total_cost");
    }
  });

  it("matches name exactly and name_contains as a substring", async () => {
    const exact = await apiCall(sim, "GET", "/api/v1/sessions?name=support-bot");
    expect(exact.body.map((p: { name: string }) => p.name)).toEqual(["support-bot"]);
    expect((await apiCall(sim, "GET", "/api/v1/sessions?name=support")).body).toEqual([]);
    const contains = await apiCall(sim, "GET", "/api/v1/sessions?name_contains=BOT");
    expect(contains.body.map((p: { name: string }) => p.name).sort()).toEqual(["checkout-bot", "support-bot"]);
  });

  it("adds stats with include_stats=true: counts over traces, total_cost as a string", async () => {
    const res = await apiCall(sim, "GET", "/api/v1/sessions?name=checkout-bot&include_stats=true");
    const [p] = res.body;
    const roots = sim.store.runsOfProject(p.id).filter((r) => r.parent_run_id === null);
    expect(p.run_count).toBe(roots.length);
    expect(typeof p.total_cost).toBe("string");
    expect(p.total_tokens).toBe(roots.reduce((n, r) => n + (r.total_tokens ?? 0), 0));
    expect(p.error_rate).toBeCloseTo(roots.filter((r) => r.status === "error").length / roots.length, 9);
    expect(p.last_run_start_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    expect(typeof p.latency_p50).toBe("number");
    const empty = await apiCall(sim, "GET", "/api/v1/sessions?name=empty-project&include_stats=true");
    expect(empty.body[0]).toMatchObject({ run_count: 0, last_run_start_time: null });
  });

  it("pages with limit and offset, and 422s a limit outside 1..100", async () => {
    const all = (await apiCall(sim, "GET", "/api/v1/sessions")).body.map((p: { id: string }) => p.id);
    const first = (await apiCall(sim, "GET", "/api/v1/sessions?limit=2")).body.map((p: { id: string }) => p.id);
    const rest = (await apiCall(sim, "GET", "/api/v1/sessions?limit=2&offset=2")).body.map((p: { id: string }) => p.id);
    expect([...first, ...rest]).toEqual(all.slice(0, 4));
    for (const limit of ["0", "101", "x"]) {
      const res = await apiCall(sim, "GET", `/api/v1/sessions?limit=${limit}`);
      expect(res.status).toBe(422);
      expect(res.body.detail[0].loc).toEqual(["query", "limit"]);
    }
  });

  it("serves the SDK's prefix-less path too", async () => {
    const res = await apiCall(sim, "GET", "/sessions?name=rag-search");
    expect(res.body.map((p: { name: string }) => p.name)).toEqual(["rag-search"]);
  });
});

describe("GET /api/v1/sessions/{id}", () => {
  it("returns one project, 404 for an unknown or foreign id, 422 for a non-uuid", async () => {
    const eval_ = sim.store.projectByName(sim.workspaceId, "eval-nightly");
    const res = await apiCall(sim, "GET", `/api/v1/sessions/${eval_?.id}`);
    expect(res.body).toMatchObject({ id: eval_?.id, name: "eval-nightly", reference_dataset_id: eval_?.reference_dataset_id });
    const foreign = sim.store.allProjects().find((p) => p.tenant_id !== sim.workspaceId);
    expect((await apiCall(sim, "GET", `/api/v1/sessions/${foreign?.id}`)).status).toBe(404);
    expect((await apiCall(sim, "GET", "/api/v1/sessions/00000000-0000-4000-8000-000000000000")).body).toEqual({
      detail: "Session not found",
    });
    expect((await apiCall(sim, "GET", "/api/v1/sessions/checkout-bot")).status).toBe(422);
  });
});
