import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../index.js";
import { apiCall, control } from "../testing.js";

const NOW = "2025-06-01T12:00:00.000Z";
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ now: NOW, scale: 0.1 });
});
afterAll(() => sim.close());

describe("/_sim control API", () => {
  it("reads, sets, advances and rates the clock", async () => {
    const frozen = await control(sim, "POST", "clock", { rate: 0 });
    expect(frozen.body.rate).toBe(0);
    const set = await control(sim, "POST", "clock", { set: "2025-07-01T00:00:00Z" });
    expect(set.body).toEqual({ now: "2025-07-01T00:00:00.000Z", rate: 0 });
    const advanced = await control(sim, "POST", "clock", { advance_seconds: 90 });
    expect(advanced.body.now).toBe("2025-07-01T00:01:30.000Z");
    expect((await control(sim, "GET", "clock")).body.now).toBe("2025-07-01T00:01:30.000Z");
    expect(sim.clock.now()).toBe(Date.parse("2025-07-01T00:01:30.000Z"));
    expect((await control(sim, "POST", "clock", { set: "yesterday" })).status).toBe(400);
    expect((await control(sim, "POST", "clock", { rate: -2 })).status).toBe(400);
  });

  it("summarises projects per workspace", async () => {
    const res = await control(sim, "GET", "summary");
    expect(res.body.organization_id).toBe(sim.organizationId);
    const workspace = res.body.workspaces.find((w: { id: string }) => w.id === sim.workspaceId);
    const checkout = workspace.projects.find((p: { name: string }) => p.name === "checkout-bot");
    expect(checkout.runs).toBe(sim.store.runsOfProject(checkout.id).length);
    expect(res.body.total_runs).toBe(sim.store.runCount);
  });

  it("reset restores clock, config, faults and log, with identical data", async () => {
    const before = sim.store.runsOfProject(sim.store.projectByName(sim.workspaceId, "support-bot")?.id ?? "").map((r) => r.id);
    await control(sim, "POST", "config", { ai_query: true });
    await control(sim, "POST", "faults", { kind: "status", status: 503, times: -1 });
    await apiCall(sim, "GET", "/api/v1/sessions");
    const reset = await control(sim, "POST", "reset");
    expect(reset.body.reset).toBe(true);
    expect(Math.abs(Date.parse(reset.body.now) - Date.parse(NOW))).toBeLessThan(60_000);
    expect((await control(sim, "GET", "config")).body).toMatchObject({ rate_limits: false, ai_query: false, self_hosted: false });
    expect((await control(sim, "GET", "faults")).body.faults).toEqual([]);
    expect((await control(sim, "GET", "requests")).body.requests).toEqual([]);
    const after = sim.store.runsOfProject(sim.store.projectByName(sim.workspaceId, "support-bot")?.id ?? "").map((r) => r.id);
    expect(after).toEqual(before);
  });
});

describe("robustness", () => {
  it("404s unknown routes and 405s wrong methods, FastAPI style", async () => {
    const missing = await apiCall(sim, "GET", "/api/v1/nope");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: "Not Found" });
    const wrong = await apiCall(sim, "DELETE", "/api/v1/sessions");
    expect(wrong.status).toBe(405);
    expect(wrong.body).toEqual({ detail: "Method Not Allowed" });
  });

  it("rejects invalid JSON (400 on v2, 422 on v1) without a stack trace", async () => {
    const v2 = await apiCall(sim, "POST", "/api/v2/runs/query", "{not json");
    expect(v2.status).toBe(400);
    expect(JSON.stringify(v2.body)).not.toMatch(/at .*\.ts:\d+/);
    const v1 = await apiCall(sim, "POST", "/api/v1/runs/query", "[1,");
    expect(v1.status).toBe(422);
    expect(v1.body.detail[0].type).toBe("json_invalid");
    const notObject = await apiCall(sim, "POST", "/api/v2/runs/query", "[1,2]");
    expect(notObject.status).toBe(400);
  });

  it("answers 413 for a body over 5 MB", async () => {
    const huge = JSON.stringify({ project_ids: [], filter: "x".repeat(5 * 1024 * 1024 + 10) });
    const res = await apiCall(sim, "POST", "/api/v2/runs/query", huge);
    expect(res.status).toBe(413);
  });

  it("survives wrong types in every body field", async () => {
    const projectId = sim.store.projectByName(sim.workspaceId, "rag-search")?.id;
    const bodies = [
      { project_ids: "x" },
      { project_ids: [projectId], ids: [1] },
      { project_ids: [projectId], page_size: "10" },
      { project_ids: [projectId], filter: 42 },
      { project_ids: [projectId], has_error: "yes" },
      { project_ids: [projectId], min_start_time: "last week" },
      { project_ids: [projectId], selects: "NAME" },
      { project_ids: [projectId], cursor: 7 },
      { project_ids: [projectId], min_start_time: "2025-06-02T00:00:00Z", max_start_time: "2025-06-01T00:00:00Z" },
    ];
    for (const body of bodies) {
      const res = await apiCall(sim, "POST", "/api/v2/runs/query", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const v1 = await apiCall(sim, "POST", "/api/v1/runs/query", { session: [projectId], is_root: "true", order: "up", select: "name" });
    expect(v1.status).toBe(422);
    expect(v1.body.detail.map((d: { loc: string[] }) => d.loc[1]).sort()).toEqual(["is_root", "order", "select"]);
  });

  it("keeps connections alive between requests", async () => {
    const res = await fetch(`${sim.url}/info`);
    await res.text();
    expect(res.headers.get("connection")).toBe("keep-alive");
  });
});

describe("a frozen clock under CPU load", () => {
  it("freezes at exactly the time set, however much real time passes between the steps of one request", async () => {
    // A real clock that jumps 50 ms on every read: what a descheduled process sees under load.
    let real = 0;
    const loaded = await startSimulator({ now: NOW, scale: 0.05, realNow: () => (real += 50) });
    try {
      const frozen = await control(loaded, "POST", "clock", { set: "2025-07-01T00:00:00Z", rate: 0 });
      expect(frozen.body).toEqual({ now: "2025-07-01T00:00:00.000Z", rate: 0 });
      await control(loaded, "POST", "clock", { advance_seconds: 60 });
      expect((await control(loaded, "GET", "clock")).body.now).toBe("2025-07-01T00:01:00.000Z");
    } finally {
      await loaded.close();
    }
  });
});
