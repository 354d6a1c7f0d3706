import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../index.js";
import type { SimProject, SimRun } from "../model.js";
import { apiCall, control } from "../testing.js";
import { compareRuns } from "../store.js";

const NOW = Date.parse("2025-06-01T12:00:00.000Z");
const DAY = 86_400_000;
let sim: RunningSimulator;
let checkout: SimProject;
let support: SimProject;

const query = (body: unknown, path = "/api/v2/runs/query") => apiCall(sim, "POST", path, body);
const project = (name: string): SimProject => {
  const p = sim.store.projectByName(sim.workspaceId, name);
  if (!p) throw new Error(`no project ${name}`);
  return p;
};
const inWindow = (r: SimRun, min: number, max: number): boolean => r.start_time >= min && r.start_time <= max;
const desc = (runs: readonly SimRun[]): string[] => [...runs].sort((a, b) => compareRuns(b, a)).map((r) => r.id);
const asc = (runs: readonly SimRun[]): string[] => [...runs].sort(compareRuns).map((r) => r.id);

async function pageAll(body: Record<string, unknown>): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const res = await query({ ...body, ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    pages++;
    ids.push(...res.body.items.map((i: { id: string }) => i.id));
    if (!res.body.has_more) {
      expect(res.body).not.toHaveProperty("next_cursor");
      return { ids, pages };
    }
    cursor = res.body.next_cursor;
  }
}

beforeAll(async () => {
  sim = await startSimulator({ now: NOW });
  // A frozen clock makes "now" in expectations exact.
  sim.clock.setRate(0);
  checkout = project("checkout-bot");
  support = project("support-bot");
});

afterAll(() => sim.close());

describe("POST /api/v2/runs/query validation", () => {
  const expectProblem = async (body: unknown, detail: RegExp) => {
    const res = await query(body);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body).toMatchObject({
      type: expect.any(String),
      title: "Bad Request",
      status: 400,
      instance: "/api/v2/runs/query",
      remedy: expect.any(String),
    });
    expect(res.body.detail).toMatch(detail);
    return res.body;
  };

  it("requires exactly one of project_ids and reference_dataset_id", async () => {
    await expectProblem({}, /exactly one of project_ids or reference_dataset_id/);
    await expectProblem({ project_ids: [checkout.id], reference_dataset_id: project("eval-nightly").reference_dataset_id }, /exactly one/);
  });

  it("rejects page_size outside 1..1000", async () => {
    await expectProblem({ project_ids: [checkout.id], page_size: 0 }, /page_size must be between 1 and 1000/);
    await expectProblem({ project_ids: [checkout.id], page_size: 1001 }, /page_size/);
    expect((await query({ project_ids: [checkout.id], page_size: 1000 })).status).toBe(200);
  });

  it("rejects unknown or lower-case selects and names the valid ones in the remedy", async () => {
    const body = await expectProblem({ project_ids: [checkout.id], selects: ["NAME", "name", "COLOR"] }, /"name", "COLOR"/);
    expect(body.remedy).toContain("FEEDBACK_STATS");
  });

  it("rejects a lower-case run_type and an unknown sort_order", async () => {
    await expectProblem({ project_ids: [checkout.id], run_type: "llm" }, /invalid run_type "llm"/);
    await expectProblem({ project_ids: [checkout.id], sort_order: "desc" }, /invalid sort_order/);
  });

  it("reports where a filter fails to parse", async () => {
    await expectProblem({ project_ids: [checkout.id], filter: 'and(eq(run_type, "llm"' }, /Invalid filter: .*column 23/);
    await expectProblem({ project_ids: [checkout.id], tree_filter: "eq(colour, 1)" }, /Invalid tree_filter/);
  });

  it("answers ai_query with a remedy pointing at filter unless enabled", async () => {
    const body = await expectProblem({ project_ids: [checkout.id], ai_query: "runs that used tool calls" }, /ai_query/);
    expect(body.remedy).toContain("filter");
    await control(sim, "POST", "config", { ai_query: true });
    const res = await query({ project_ids: [checkout.id], ai_query: "tool calls", selects: ["RUN_TYPE"] });
    await control(sim, "POST", "config", { ai_query: false });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.every((i: { run_type: string }) => i.run_type === "TOOL")).toBe(true);
  });

  it("rejects tampered, foreign and mismatched cursors", async () => {
    const first = await query({ project_ids: [checkout.id], page_size: 5 });
    const cursor: string = first.body.next_cursor;
    const [payload, signature] = cursor.split(".") as [string, string];
    const position = JSON.parse(Buffer.from(payload, "base64url").toString());
    position.startTime -= 1000;
    const forged = `${Buffer.from(JSON.stringify(position)).toString("base64url")}.${signature}`;
    await expectProblem({ project_ids: [checkout.id], page_size: 5, cursor: forged }, /^Invalid cursor$/);
    await expectProblem({ project_ids: [checkout.id], page_size: 5, cursor: "eyJsYXN0X2lkIjoiMDE4ZSJ9" }, /^Invalid cursor$/);
    // Same cursor, different query: refused rather than silently skipping runs.
    await expectProblem({ project_ids: [checkout.id], page_size: 5, cursor, is_root: true }, /^Invalid cursor$/);
    const other = await startSimulator({ now: NOW, scale: 0.1 });
    try {
      const res = await apiCall(other, "POST", "/api/v2/runs/query", { project_ids: [checkout.id], page_size: 5, cursor });
      expect(res.status).toBe(400);
      expect(res.body.detail).toBe("Invalid cursor");
    } finally {
      await other.close();
    }
  });

  it("404s a project of another workspace", async () => {
    const foreign = sim.store.allProjects().find((p) => p.tenant_id !== sim.workspaceId);
    const res = await query({ project_ids: [foreign?.id] });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("POST /api/v2/runs/query results", () => {
  it("defaults to the last day before the simulated now, newest first, ids only", async () => {
    const res = await query({ project_ids: [checkout.id], page_size: 1000 });
    expect(res.status).toBe(200);
    const expected = desc(sim.store.runsOfProject(checkout.id).filter((r) => inWindow(r, NOW - DAY, NOW)));
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(expected.slice(0, 1000));
    expect(Object.keys(res.body.items[0])).toEqual(["id"]);
  });

  it("moves the default window with the simulated clock", async () => {
    sim.clock.advance(-3 * DAY);
    try {
      const res = await query({ project_ids: [checkout.id], page_size: 1000, sort_order: "ASC" });
      const expected = asc(sim.store.runsOfProject(checkout.id).filter((r) => inWindow(r, NOW - 4 * DAY, NOW - 3 * DAY)));
      expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(expected.slice(0, 1000));
    } finally {
      sim.clock.set(NOW);
    }
  });

  it("serves the same handler at /v2/runs/query", async () => {
    const a = await query({ project_ids: [checkout.id], page_size: 3 });
    const b = await query({ project_ids: [checkout.id], page_size: 3 }, "/v2/runs/query");
    expect(b.body.items).toEqual(a.body.items);
  });

  it("returns only the selected fields, upper-case enums and numeric costs", async () => {
    const res = await query({
      project_ids: [checkout.id],
      selects: ["NAME", "RUN_TYPE", "STATUS", "TOTAL_COST", "PROMPT_TOKEN_DETAILS", "END_TIME"],
      run_type: "LLM",
      has_error: false,
      page_size: 20,
    });
    for (const item of res.body.items) {
      // A pending LLM call has no cost yet: the field is omitted (the spec's number is not nullable).
      const cost = item.status === "SUCCESS" ? ["total_cost"] : [];
      expect(Object.keys(item).sort()).toEqual(["end_time", "id", "name", "prompt_token_details", "run_type", "status", ...cost]);
      expect(item.run_type).toBe("LLM");
      expect(["SUCCESS", "PENDING"]).toContain(item.status);
      expect(item.prompt_token_details).toHaveProperty("raw");
      if (item.status === "SUCCESS") expect(typeof item.total_cost).toBe("number");
    }
  });

  it("returns share_url only when SHARE_URL is selected and the run is shared", async () => {
    const shared = sim.store.runsOfProject(support.id).filter((r) => r.share_token !== null);
    expect(shared.length).toBeGreaterThan(0);
    const ids = shared.map((r) => r.id);
    const window = { min_start_time: new Date(NOW - 8 * DAY).toISOString() };
    const without = await query({ project_ids: [support.id], ids, selects: ["NAME"], ...window });
    expect(without.body.items.length).toBe(shared.length);
    expect(without.body.items.every((i: object) => !("share_url" in i))).toBe(true);
    const withUrl = await query({ project_ids: [support.id], ids, selects: ["SHARE_URL"], ...window });
    for (const item of withUrl.body.items) expect(item.share_url).toMatch(/^https:\/\/smith\.langchain\.com\/public\/[0-9a-f-]{36}\/r$/);
    const unshared = sim.store.runsOfProject(support.id).find((r) => r.share_token === null && r.start_time > NOW - DAY);
    const res = await query({ project_ids: [support.id], ids: [unshared?.id], selects: ["SHARE_URL"] });
    expect(res.body.items).toEqual([{ id: unshared?.id }]);
  });

  it("renders pending runs with a null end_time and no latency", async () => {
    const res = await query({
      project_ids: [checkout.id],
      filter: 'eq(status, "pending")',
      selects: ["STATUS", "END_TIME", "LATENCY_SECONDS"],
    });
    expect(res.body.items.length).toBeGreaterThan(0);
    // runs.yml: end_time is "JSON null if the run has not finished yet"; latency_seconds is a plain number, so absent.
    for (const item of res.body.items) expect(item).toEqual({ id: item.id, status: "PENDING", end_time: null });
  });

  it("sorts ascending and descending on start_time with id as tie-break", async () => {
    const min = new Date(NOW - 2 * DAY).toISOString();
    const ascRes = await query({
      project_ids: [checkout.id, support.id],
      min_start_time: min,
      sort_order: "ASC",
      page_size: 300,
      selects: ["START_TIME"],
    });
    const descRes = await query({ project_ids: [checkout.id, support.id], min_start_time: min, sort_order: "DESC", page_size: 300 });
    const both = [...sim.store.runsOfProject(checkout.id), ...sim.store.runsOfProject(support.id)].filter((r) =>
      inWindow(r, NOW - 2 * DAY, NOW),
    );
    expect(ascRes.body.items.map((i: { id: string }) => i.id)).toEqual(asc(both).slice(0, 300));
    expect(descRes.body.items.map((i: { id: string }) => i.id)).toEqual(desc(both).slice(0, 300));
  });

  it("pages through every matching run exactly once, even across shared start_times", async () => {
    const min = NOW - DAY;
    const matching = sim.store.runsOfProject(checkout.id).filter((r) => inWindow(r, min, NOW));
    const starts = new Set<number>();
    const duplicated = matching.filter((r) => starts.size === starts.add(r.start_time).size);
    expect(duplicated.length).toBeGreaterThan(50);
    for (const sort_order of ["ASC", "DESC"]) {
      // Page sizes that cut through groups of runs sharing a start_time.
      for (const page_size of [7, 1000]) {
        const { ids, pages } = await pageAll({
          project_ids: [checkout.id],
          min_start_time: new Date(min).toISOString(),
          sort_order,
          page_size,
        });
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toEqual(sort_order === "ASC" ? asc(matching) : desc(matching));
        // The server looks one run ahead, so a full last page already says has_more: false.
        expect(pages).toBe(Math.ceil(matching.length / page_size));
      }
    }
  });

  it("keeps the first page's window on later pages while the clock moves", async () => {
    const first = await query({ project_ids: [checkout.id], page_size: 50, sort_order: "ASC" });
    sim.clock.advance(6 * 3600_000);
    try {
      const second = await query({ project_ids: [checkout.id], page_size: 50, sort_order: "ASC", cursor: first.body.next_cursor });
      const expected = asc(sim.store.runsOfProject(checkout.id).filter((r) => inWindow(r, NOW - DAY, NOW))).slice(50, 100);
      expect(second.body.items.map((i: { id: string }) => i.id)).toEqual(expected);
    } finally {
      sim.clock.set(NOW);
    }
  });

  it("applies filter per run, trace_filter to the trace root and tree_filter to any run of the trace", async () => {
    const runs = sim.store.runsOfProject(checkout.id).filter((r) => inWindow(r, NOW - DAY, NOW));
    const rootOf = (r: SimRun) => sim.store.rootOf(r) as SimRun;
    const treeHas = (r: SimRun, p: (x: SimRun) => boolean) => sim.store.runsOfTrace(r.trace_id).some(p);

    const byTrace = await pageAll({
      project_ids: [checkout.id],
      trace_filter: 'eq(name, "checkout_flow")',
      filter: 'eq(run_type, "tool")',
      page_size: 1000,
    });
    const expectedTrace = runs.filter((r) => r.run_type === "tool" && rootOf(r).name === "checkout_flow");
    expect(expectedTrace.length).toBeGreaterThan(0);
    expect(byTrace.ids).toEqual(desc(expectedTrace));

    const byTree = await pageAll({ project_ids: [checkout.id], tree_filter: 'eq(name, "refund_payment")', is_root: true, page_size: 1000 });
    const expectedTree = runs.filter((r) => r.parent_run_id === null && treeHas(r, (x) => x.name === "refund_payment"));
    expect(expectedTree.length).toBeGreaterThan(0);
    expect(expectedTree.length).toBeLessThan(runs.filter((r) => r.parent_run_id === null).length);
    expect(byTree.ids).toEqual(desc(expectedTree));
  });

  it("narrows by trace_id, ids, has_error, is_root and run_type", async () => {
    const errored = sim.store
      .runsOfProject(checkout.id)
      .find((r) => r.parent_run_id === null && r.status === "error" && r.start_time > NOW - DAY) as SimRun;
    const trace = await query({
      project_ids: [checkout.id],
      trace_id: errored.trace_id,
      sort_order: "ASC",
      selects: ["STATUS", "IS_ROOT", "PARENT_RUN_IDS"],
    });
    expect(trace.body.items.map((i: { id: string }) => i.id)).toEqual(asc(sim.store.runsOfTrace(errored.trace_id)));
    const erroredInTrace = await query({
      project_ids: [checkout.id],
      trace_id: errored.trace_id,
      has_error: true,
      is_root: false,
      run_type: "LLM",
    });
    const expected = sim.store
      .runsOfTrace(errored.trace_id)
      .filter((r) => r.status === "error" && r.parent_run_id !== null && r.run_type === "llm");
    expect(erroredInTrace.body.items.map((i: { id: string }) => i.id)).toEqual(desc(expected));
  });

  it("derives the window from the dataset's sessions when reference_dataset_id is given", async () => {
    const evalProject = project("eval-nightly");
    const { ids } = await pageAll({ reference_dataset_id: evalProject.reference_dataset_id, is_root: true, page_size: 1000 });
    const expected = desc(sim.store.runsOfProject(evalProject.id).filter((r) => r.parent_run_id === null && r.start_time <= NOW));
    expect(ids).toEqual(expected);
    expect(ids.length).toBeGreaterThan(300);
  });
});

describe("GET /api/v2/runs/{run_id}", () => {
  const pick = (): SimRun => sim.store.runsOfProject(checkout.id).find((r) => r.run_type === "llm" && r.status === "success") as SimRun;

  /** The run's start as the v2 API writes it: RFC 3339, six fractional digits, Z. */
  const startOf = (run: SimRun): string => new Date(run.start_time).toISOString().replace("Z", `${String(run.start_us).padStart(3, "0")}Z`);

  it("requires project_id; start_time is optional", async () => {
    const run = pick();
    const noProject = await apiCall(sim, "GET", `/api/v2/runs/${run.id}?start_time=${startOf(run)}`);
    expect(noProject.status).toBe(400);
    expect(noProject.body.detail).toMatch(/project_id is required/);
    const noStart = await apiCall(sim, "GET", `/api/v2/runs/${run.id}?project_id=${run.project_id}`);
    expect(noStart.status).toBe(200);
    expect(noStart.body).toEqual({ id: run.id });
  });

  it("returns the run with repeated selects, and only id without them", async () => {
    const run = pick();
    const base = `/api/v2/runs/${run.id}?project_id=${run.project_id}&start_time=${encodeURIComponent(startOf(run))}`;
    const res = await apiCall(sim, "GET", `${base}&selects=NAME&selects=STATUS&selects=TOTAL_COST&selects=PROMPT_COST_DETAILS`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: run.id,
      name: run.name,
      status: "SUCCESS",
      total_cost: run.total_cost,
      prompt_cost_details: { raw: run.prompt_cost_details },
    });
    expect((await apiCall(sim, "GET", base)).body).toEqual({ id: run.id });
    expect((await apiCall(sim, "GET", base.replace("/api/v2", "/v2"))).body).toEqual({ id: run.id });
  });

  it("404s when the start_time or the project does not match the run", async () => {
    const run = pick();
    const wrongTime = await apiCall(
      sim,
      "GET",
      `/api/v2/runs/${run.id}?project_id=${run.project_id}&start_time=${new Date(run.start_time + 1).toISOString()}`,
    );
    expect(wrongTime.status).toBe(404);
    expect(wrongTime.headers.get("content-type")).toBe("application/problem+json");
    const wrongProject = await apiCall(sim, "GET", `/api/v2/runs/${run.id}?project_id=${support.id}&start_time=${startOf(run)}`);
    expect(wrongProject.status).toBe(404);
  });

  it("accepts the same instant written with an offset", async () => {
    const run = pick();
    const shifted = new Date(run.start_time + 2 * 3600_000).toISOString().replace("Z", `${String(run.start_us).padStart(3, "0")}+02:00`);
    const res = await apiCall(sim, "GET", `/api/v2/runs/${run.id}?project_id=${run.project_id}&start_time=${encodeURIComponent(shifted)}`);
    expect(res.status).toBe(200);
  });
});
