import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../index.js";
import type { SimProject, SimRun } from "../model.js";
import { compareRuns } from "../store.js";
import { apiCall } from "../testing.js";

const NOW = Date.parse("2025-06-01T12:00:00.000Z");
let sim: RunningSimulator;
let rag: SimProject;

const desc = (runs: readonly SimRun[]): string[] => [...runs].sort((a, b) => compareRuns(b, a)).map((r) => r.id);

beforeAll(async () => {
  sim = await startSimulator({ now: NOW });
  rag = sim.store.projectByName(sim.workspaceId, "rag-search") as SimProject;
});
afterAll(() => sim.close());

describe("POST /api/v1/runs/query", () => {
  it("pages with cursors.next until null and returns every run once, newest first", async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { cursors: { prev: string | null; next: string | null }; runs: { id: string }[] } } =
        await apiCall(sim, "POST", "/api/v1/runs/query", {
          session: [rag.id],
          run_type: "retriever",
          limit: 100,
          ...(cursor ? { cursor } : {}),
        });
      expect(res.status).toBe(200);
      expect(res.body.cursors.prev).toBeNull();
      ids.push(...res.body.runs.map((r: { id: string }) => r.id));
      cursor = res.body.cursors.next;
    } while (cursor);
    expect(ids).toEqual(desc(sim.store.runsOfProject(rag.id).filter((r) => r.run_type === "retriever")));
  });

  it("renders RunV1: lower-case enums, session_id, string costs, integer tokens, naive UTC times", async () => {
    const llm = sim.store
      .runsOfProject(rag.id)
      .find((r) => r.run_type === "llm" && r.status === "success" && r.total_cost !== null) as SimRun;
    const res = await apiCall(sim, "POST", "/runs/query", { id: [llm.id] });
    const [run] = res.body.runs;
    expect(run).toMatchObject({
      id: llm.id,
      run_type: "llm",
      status: "success",
      session_id: rag.id,
      trace_id: llm.trace_id,
      parent_run_id: llm.parent_run_id,
      parent_run_ids: llm.parent_run_ids,
      child_run_ids: [],
      dotted_order: llm.dotted_order,
      total_tokens: llm.total_tokens,
      total_cost: expect.stringMatching(/^\d+\.\d+$/),
      // FastAPI's naive UTC with the run's microseconds: 2025-05-25T12:22:05.396686
      start_time: new Date(llm.start_time).toISOString().replace("Z", String(llm.start_us).padStart(3, "0")),
    });
    expect(Number(run.total_cost)).toBeCloseTo(llm.total_cost as number, 9);
    expect(run.extra.metadata.ls_model_name).toMatch(/gpt-4o|claude-sonnet-4-5/);
  });

  it("projects the select list and keeps RunSchema's required fields", async () => {
    const res = await apiCall(sim, "POST", "/api/v1/runs/query", { session: [rag.id], select: ["name", "status", "tags"], limit: 3 });
    // run.yml RunSchema.required: name, run_type, trace_id, dotted_order, id, status, session_id, app_path.
    const required = ["app_path", "dotted_order", "id", "name", "run_type", "session_id", "status", "trace_id"];
    for (const run of res.body.runs) expect(Object.keys(run).sort()).toEqual([...required, "tags"].sort());
  });

  it("applies start_time, is_root, error, filter, trace_filter and order", async () => {
    const since = NOW - 2 * 86_400_000;
    const res = await apiCall(sim, "POST", "/api/v1/runs/query", {
      session: [rag.id],
      start_time: new Date(since).toISOString(),
      is_root: false,
      error: true,
      filter: 'eq(run_type, "embedding")',
      trace_filter: 'eq(status, "error")',
      order: "asc",
      limit: 100,
    });
    const expected = sim.store
      .runsOfProject(rag.id)
      .filter((r) => r.start_time >= since && r.parent_run_id !== null && r.status === "error" && r.run_type === "embedding")
      .sort(compareRuns)
      .map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(res.body.runs.map((r: { id: string }) => r.id)).toEqual(expected.slice(0, 100));
  });

  it("rejects limits outside 1..100 with FastAPI's 422 shape", async () => {
    const res = await apiCall(sim, "POST", "/api/v1/runs/query", { session: [rag.id], limit: 101 });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      detail: [{ loc: ["body", "limit"], msg: "Input should be less than or equal to 100", type: "less_than_equal" }],
    });
  });

  it("answers 400 with the parse position for a bad filter, and for a tampered cursor", async () => {
    const bad = await apiCall(sim, "POST", "/api/v1/runs/query", { session: [rag.id], filter: "eq(name" });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/^Invalid filter: .*column/);
    const cursor = await apiCall(sim, "POST", "/api/v1/runs/query", { session: [rag.id], cursor: "abc.def" });
    expect(cursor.status).toBe(400);
    expect(cursor.body).toEqual({ detail: "Invalid cursor" });
  });

  it("needs some scope: a session, ids, a trace, a parent run or a reference example", async () => {
    const res = await apiCall(sim, "POST", "/api/v1/runs/query", { filter: 'eq(run_type, "llm")' });
    expect(res.status).toBe(400);
  });

  it("lists a parent's children by parent_run", async () => {
    const root = sim.store.runsOfProject(rag.id).find((r) => r.parent_run_id === null && r.status === "success") as SimRun;
    const res = await apiCall(sim, "POST", "/api/v1/runs/query", { parent_run: root.id, order: "asc" });
    expect(res.body.runs.map((r: { id: string }) => r.id)).toEqual(root.child_run_ids);
  });
});

describe("POST /api/v1/runs/query/validate", () => {
  it("lists every problem with its field", async () => {
    const res = await apiCall(sim, "POST", "/api/v1/runs/query/validate", { limit: 0, run_type: "LLM", filter: "eq(", select: ["bogus"] });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["filter", "limit", "run_type", "select"]);
    const ok = await apiCall(sim, "POST", "/api/v1/runs/query/validate", { session: [rag.id], filter: 'has(tags, "production")' });
    expect(ok.body).toEqual({ valid: true, errors: [] });
  });
});

describe("GET /api/v1/runs/{id}", () => {
  it("returns the RunV1 with child_run_ids and feedback_stats", async () => {
    const root = sim.store.runsOfProject(rag.id).find((r) => r.parent_run_id === null && r.feedback_stats !== null) as SimRun;
    const res = await apiCall(sim, "GET", `/api/v1/runs/${root.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: root.id,
      child_run_ids: root.child_run_ids,
      feedback_stats: root.feedback_stats,
      session_id: rag.id,
      parent_run_id: null,
    });
  });

  it("404s unknown and other-workspace runs, 422s a non-uuid", async () => {
    const foreignProject = sim.store
      .allProjects()
      .find((p) => p.tenant_id !== sim.workspaceId && sim.store.runsOfProject(p.id).length > 0) as SimProject;
    const foreign = sim.store.runsOfProject(foreignProject.id)[0] as SimRun;
    expect((await apiCall(sim, "GET", `/api/v1/runs/${foreign.id}`)).status).toBe(404);
    expect((await apiCall(sim, "GET", "/api/v1/runs/00000000-0000-4000-8000-000000000000")).body).toEqual({ detail: "Run not found" });
    expect((await apiCall(sim, "GET", "/runs/not-a-uuid")).status).toBe(422);
  });
});
