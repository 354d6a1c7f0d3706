import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimRun } from "../model.js";
import { startSimulator, type RunningSimulator } from "../index.js";
import { apiCall, control } from "../testing.js";

/**
 * What real LangSmith servers do that the first simulator did not: microsecond timestamps,
 * an optional exact start_time on GET run, `has_more` left out, the runs of one trace, and
 * installs without a v2 API. Expectations come from runs.yml, the official SDK 0.12 and
 * FastAPI's datetime rendering, written out by hand.
 */
const NOW = "2025-06-01T12:00:00Z";
const DAY = 86_400_000;
let sim: RunningSimulator;
let checkout: string;

beforeAll(async () => {
  sim = await startSimulator({ now: NOW, scale: 0.1 });
  await control(sim, "POST", "clock", { rate: 0 });
  checkout = sim.store.projectByName(sim.workspaceId, "checkout-bot")?.id ?? "";
});
afterAll(() => sim.close());

const week = { min_start_time: "2025-05-25T00:00:00Z", max_start_time: NOW };
const llmRun = (): SimRun => sim.store.runsOfProject(checkout).find((r) => r.run_type === "llm" && r.status === "success") as SimRun;

describe("microsecond timestamps", () => {
  it("gives most seeded runs a sub-millisecond part, the same for the same seed", async () => {
    const runs = sim.store.runsOfProject(checkout);
    const withMicros = runs.filter((r) => r.start_us > 0).length;
    expect(withMicros / runs.length).toBeGreaterThan(0.9);
    expect(runs.every((r) => Number.isInteger(r.start_us) && r.start_us >= 0 && r.start_us <= 999)).toBe(true);
    const again = await startSimulator({ now: NOW, scale: 0.1 });
    try {
      expect(again.store.runsOfProject(checkout).map((r) => r.start_us)).toEqual(runs.map((r) => r.start_us));
    } finally {
      await again.close();
    }
  });

  it("renders v2 times as RFC 3339 with six fractional digits and Z, v1 times naive with six digits", async () => {
    const v2 = await apiCall(sim, "POST", "/api/v2/runs/query", {
      project_ids: [checkout],
      selects: ["START_TIME", "END_TIME"],
      page_size: 50,
      ...week,
    });
    for (const item of v2.body.items) {
      expect(item.start_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      if (item.end_time !== null) expect(item.end_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    }
    expect(v2.body.items.some((i: { start_time: string }) => !i.start_time.endsWith("000Z"))).toBe(true);
    const v1 = await apiCall(sim, "POST", "/api/v1/runs/query", { session: [checkout], limit: 50 });
    for (const run of v1.body.runs) expect(run.start_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
  });

  it("keeps microsecond bounds exact on v1 and v2 queries", async () => {
    const run = llmRun();
    const exact = (await apiCall(sim, "GET", `/api/v2/runs/${run.id}?project_id=${checkout}&selects=START_TIME`)).body.start_time as string;
    // A bound one microsecond after the run's start excludes it; the exact start includes it.
    const micros = Number(exact.slice(20, 26));
    const later = `${exact.slice(0, 20)}${String(micros + 1).padStart(6, "0")}Z`;
    const v2 = (min: string) =>
      apiCall(sim, "POST", "/api/v2/runs/query", { project_ids: [checkout], ids: [run.id], min_start_time: min, max_start_time: NOW });
    expect((await v2(exact)).body.items).toEqual([{ id: run.id }]);
    expect((await v2(later)).body.items).toEqual([]);
    const v1 = (start: string) => apiCall(sim, "POST", "/api/v1/runs/query", { id: [run.id], start_time: start, select: ["name"] });
    expect((await v1(exact.replace("Z", ""))).body.runs.map((r: { id: string }) => r.id)).toEqual([run.id]);
    expect((await v1(later.replace("Z", ""))).body.runs).toEqual([]);
  });
});

describe("GET /api/v2/runs/{run_id} start_time", () => {
  it("finds the run without start_time, with the exact start, and not with the start cut to milliseconds", async () => {
    const run = llmRun();
    const base = `/api/v2/runs/${run.id}?project_id=${checkout}&selects=NAME`;
    expect((await apiCall(sim, "GET", base)).body).toEqual({ id: run.id, name: run.name });
    const exact = (await apiCall(sim, "GET", `${base}&selects=START_TIME`)).body.start_time as string;
    expect((await apiCall(sim, "GET", `${base}&start_time=${encodeURIComponent(exact)}`)).status).toBe(200);
    const cut = `${exact.slice(0, 23)}Z`;
    const missed = await apiCall(sim, "GET", `${base}&start_time=${encodeURIComponent(cut)}`);
    if (exact.slice(23, 26) !== "000") expect(missed.status).toBe(404);
    expect((await apiCall(sim, "GET", `/api/v2/runs/${run.id}?selects=NAME`)).status).toBe(400);
  });
});

describe("v2HasMore", () => {
  it("omits has_more with never and pages on next_cursor alone, omitted on the last page", async () => {
    await control(sim, "POST", "config", { v2HasMore: "never" });
    try {
      const first = await apiCall(sim, "POST", "/api/v2/runs/query", { project_ids: [checkout], page_size: 5, ...week });
      expect(first.body).not.toHaveProperty("has_more");
      expect(typeof first.body.next_cursor).toBe("string");
      let cursor: string | undefined = first.body.next_cursor;
      let pages = 1;
      let last = first.body as Record<string, unknown>;
      while (cursor && pages < 100) {
        last = (await apiCall(sim, "POST", "/api/v2/runs/query", { project_ids: [checkout], page_size: 500, ...week, cursor })).body;
        expect(last).not.toHaveProperty("has_more");
        cursor = last["next_cursor"] as string | undefined;
        pages++;
      }
      expect(Object.keys(last)).toEqual(["items"]);
    } finally {
      await control(sim, "POST", "config", { v2HasMore: "always" });
    }
    const always = await apiCall(sim, "POST", "/api/v2/runs/query", { project_ids: [checkout], page_size: 5, ...week });
    expect(always.body.has_more).toBe(true);
  });

  it("refuses other values", async () => {
    expect((await control(sim, "POST", "config", { v2HasMore: "sometimes" })).status).toBe(400);
  });
});

describe("GET /api/v2/traces/{trace_id}/runs", () => {
  const root = (): SimRun =>
    sim.store
      .runsOfProject(checkout)
      .find((r) => r.parent_run_id === null && r.child_run_ids.length > 2 && r.start_time < Date.parse(NOW) - DAY) as SimRun;
  const windowOf = (r: SimRun) =>
    `min_start_time=${encodeURIComponent(new Date(r.start_time).toISOString())}` +
    `&max_start_time=${encodeURIComponent(new Date(r.start_time + 3_600_000).toISOString())}`;

  it("lists the trace's runs in start order with the selected fields", async () => {
    const r = root();
    const res = await apiCall(
      sim,
      "GET",
      `/api/v2/traces/${r.id}/runs?project_id=${checkout}&${windowOf(r)}&selects=NAME&selects=TRACE_ID&selects=IS_ROOT&selects=START_TIME`,
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["items"]);
    const items = res.body.items as Array<{ id: string; trace_id: string; is_root: boolean; start_time: string }>;
    expect(items.length).toBe(sim.store.runsOfTrace(r.id).length);
    expect(items[0]).toMatchObject({ id: r.id, is_root: true });
    expect(items.every((i) => i.trace_id === r.id)).toBe(true);
    expect(items.map((i) => i.start_time)).toEqual([...items.map((i) => i.start_time)].sort());
    const bare = await apiCall(sim, "GET", `/v2/traces/${r.id}/runs?project_id=${checkout}&${windowOf(r)}`);
    expect(bare.body.items.every((i: object) => Object.keys(i).join() === "id")).toBe(true);
  });

  it("applies the filter to the trace's runs", async () => {
    const r = root();
    const res = await apiCall(
      sim,
      "GET",
      `/api/v2/traces/${r.id}/runs?project_id=${checkout}&${windowOf(r)}` +
        `&selects=RUN_TYPE&filter=${encodeURIComponent('eq(run_type, "llm")')}`,
    );
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.every((i: { run_type: string }) => i.run_type === "LLM")).toBe(true);
  });

  it("requires project_id, min_start_time and max_start_time, and 404s an unknown trace", async () => {
    const r = root();
    for (const query of [
      `min_start_time=2025-05-01T00:00:00Z&max_start_time=${NOW}`,
      `project_id=${checkout}&max_start_time=${NOW}`,
      `project_id=${checkout}&min_start_time=2025-05-01T00:00:00Z`,
    ]) {
      const res = await apiCall(sim, "GET", `/api/v2/traces/${r.id}/runs?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    expect(
      (await apiCall(sim, "GET", `/api/v2/traces/00000000-0000-4000-8000-000000000000/runs?project_id=${checkout}&${windowOf(r)}`)).status,
    ).toBe(404);
  });
});

describe("old installs", () => {
  it("answers every v2 route with FastAPI's 404 below 0.16.0 and keeps v1", async () => {
    const old = await startSimulator({ now: NOW, scale: 0.1, langsmithVersion: "0.15.3" });
    try {
      expect((await apiCall(old, "GET", "/api/v1/info")).body.version).toBe("0.15.3");
      for (const [method, path] of [
        ["POST", "/api/v2/runs/query"],
        ["POST", "/v2/runs/query"],
        ["GET", `/api/v2/runs/00000000-0000-4000-8000-000000000000?project_id=${checkout}`],
        ["GET", "/v2/traces/00000000-0000-4000-8000-000000000000/runs"],
      ] as const) {
        const res = await apiCall(old, method, path, method === "POST" ? { project_ids: [checkout] } : undefined);
        expect(res.status, path).toBe(404);
        expect(res.body).toEqual({ detail: "Not Found" });
      }
      expect((await apiCall(old, "POST", "/api/v1/runs/query", { session: [checkout], limit: 1 })).status).toBe(200);
      await control(old, "POST", "config", { langsmithVersion: "0.16.0" });
      expect((await apiCall(old, "POST", "/api/v2/runs/query", { project_ids: [checkout] })).status).toBe(200);
      expect((await control(old, "POST", "config", { langsmithVersion: "latest" })).status).toBe(400);
    } finally {
      await old.close();
    }
  });

  it("reports 0.16.2 by default", async () => {
    expect((await apiCall(sim, "GET", "/info")).body.version).toBe("0.16.2");
  });
});
