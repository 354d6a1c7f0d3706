import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CHILD, PROJECT, R1, R2, R3, ROUTE_NOT_FOUND, RUN_NOT_FOUND, SESSION, SHOWN, V1, V2 } from "./runs-data.js";
import { startMockLangSmith, text, type MockLangSmith } from "./runs-harness.js";
import { nodesOf, runsOf } from "../support/runs.js";

type QueryOut = { runs: Array<Record<string, unknown>>; has_more: boolean; next_cursor?: string; notes: string[] };
/** The structured result; a query_runs or get_trace table read back into one object per run. */
const out = <T>(r: { structuredContent?: unknown }): T => {
  const structured = r.structuredContent as Record<string, unknown>;
  if (structured?.runs && !Array.isArray(structured.runs)) return { ...structured, runs: runsOf(structured) } as T;
  if (structured?.nodes && !Array.isArray(structured.nodes)) return { ...structured, nodes: nodesOf(structured) } as T;
  return structured as T;
};

let ls: MockLangSmith;
beforeEach(async () => {
  ls = await startMockLangSmith();
  ls.pool
    .intercept({ path: (p) => p.startsWith("/api/v1/sessions?"), method: "GET" })
    .reply(200, [SESSION])
    .persist();
});
afterEach(async () => ls.close());

const info = (version: string): void => {
  ls.pool.intercept({ path: "/api/v1/info", method: "GET" }).reply(200, { version, batch_ingest_config: {}, instance_flags: {} });
};
const v2 = (r: { method: string; path: string }) => r.path.startsWith("/api/v2/");

describe("a current install (0.16.2): runs read through v2", () => {
  beforeEach(() => info("0.16.2"));

  it("query_runs pages on next_cursor alone when has_more is absent, keeping microseconds and unknown statuses", async () => {
    ls.pool.intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, { items: [V2.r1, V2.r2], next_cursor: "c1" });
    ls.pool.intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, { items: [V2.r3] });

    const first = await ls.call("query_runs", {
      project: "support-bot",
      start_time: "2026-11-29T00:00:00Z",
      end_time: "2026-11-29T12:00:00Z",
      page_size: 2,
    });
    expect(first.isError, text(first)).toBeFalsy();
    const page1 = out<QueryOut>(first);
    expect(page1.runs).toEqual([SHOWN.r1, SHOWN.r2]);
    expect(page1.has_more).toBe(true);

    const second = out<QueryOut>(
      await ls.call("query_runs", {
        project: "support-bot",
        start_time: "2026-11-29T00:00:00Z",
        end_time: "2026-11-29T12:00:00Z",
        page_size: 2,
        cursor: page1.next_cursor,
      }),
    );
    expect(second.runs).toEqual([SHOWN.r3]);
    expect(second).toMatchObject({ has_more: false });
    expect(second.next_cursor).toBeUndefined();

    const queries = ls.sent().filter((r) => r.path === "/api/v2/runs/query");
    expect(queries.map((q) => q.body)).toEqual([
      expect.objectContaining({
        project_ids: [PROJECT],
        min_start_time: "2026-11-29T00:00:00.000Z",
        max_start_time: "2026-11-29T12:00:00.000Z",
        page_size: 2,
      }),
      expect.objectContaining({ cursor: "c1", page_size: 2 }),
    ]);
    for (const q of queries) expect(q.body).not.toHaveProperty("sort_order");
  });

  it("query_runs reads a run that has nothing but its id", async () => {
    ls.pool.intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, { items: [{ id: R1, surprise: { new: "field" } }] });
    const result = await ls.call("query_runs", { project: "support-bot" });
    expect(result.isError, text(result)).toBeFalsy();
    expect(out<QueryOut>(result).runs).toEqual([{ id: R1, surprise: { new: "field" } }]);
  });

  it("get_run with only a run id finds its project by a v1 query on the id, then asks v2 with the exact start time", async () => {
    ls.pool.intercept({ path: "/api/v1/runs/query", method: "POST" }).reply(200, { runs: [V1.r1], cursors: { next: null } });
    ls.pool.intercept({ path: (p) => p.startsWith(`/api/v2/runs/${R1}?`), method: "GET" }).reply(200, V2.r1);

    const result = await ls.call("get_run", { run_id: R1, fields: "compact" });
    expect(result.isError, text(result)).toBeFalsy();
    expect(out<{ run: unknown; project_id: string }>(result)).toMatchObject({ run: SHOWN.r1, project_id: PROJECT });

    const [locate, get] = ls.sent().filter((r) => r.path !== "/api/v1/info" && !r.path.startsWith("/api/v1/sessions"));
    expect(locate).toMatchObject({ method: "POST", path: "/api/v1/runs/query", body: expect.objectContaining({ id: [R1], limit: 1 }) });
    expect(get).toMatchObject({
      method: "GET",
      path: `/api/v2/runs/${R1}`,
      query: expect.objectContaining({ project_id: PROJECT, start_time: "2026-11-29T10:00:00.123456Z" }),
    });
    expect(ls.sent().some((r) => r.path === `/api/v1/runs/${R1}`)).toBe(false);
  });

  it("get_run passes the start_time query_runs returned through unchanged, microseconds and all", async () => {
    ls.pool.intercept({ path: (p) => p.startsWith(`/api/v2/runs/${R1}?`), method: "GET" }).reply(200, V2.r1);
    const result = await ls.call("get_run", { run_id: R1, project: "support-bot", start_time: SHOWN.r1.start_time, fields: "compact" });
    expect(result.isError, text(result)).toBeFalsy();
    const get = ls.sent().find((r) => r.path === `/api/v2/runs/${R1}`)!;
    expect(get.query["start_time"]).toBe("2026-11-29T10:00:00.123456Z");
    expect(ls.sent().some((r) => r.path === "/api/v1/runs/query")).toBe(false);
  });

  it("get_run with a project but no start time leaves start_time out (v2 made it optional)", async () => {
    ls.pool.intercept({ path: (p) => p.startsWith(`/api/v1/sessions/${PROJECT}`), method: "GET" }).reply(200, SESSION);
    ls.pool.intercept({ path: (p) => p.startsWith(`/api/v2/runs/${R1}?`), method: "GET" }).reply(200, V2.r1);
    const result = await ls.call("get_run", { run_id: R1, project: PROJECT, fields: "compact" });
    expect(result.isError, text(result)).toBeFalsy();
    const get = ls.sent().find((r) => r.path === `/api/v2/runs/${R1}`);
    expect(get?.query).not.toHaveProperty("start_time");
  });

  it("a v2 problem document about a run is 'not found', not a missing API", async () => {
    ls.pool.intercept({ path: (p) => p.startsWith(`/api/v2/runs/${R1}?`), method: "GET" }).reply(404, RUN_NOT_FOUND);
    const result = await ls.call("get_run", { run_id: R1, project: "support-bot", fields: "compact" });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/no run/);
    expect(ls.sent().some((r) => r.path.startsWith("/api/v1/runs"))).toBe(false);
  });

  it("get_trace reads the trace oldest first through POST /api/v2/runs/query over the root's span", async () => {
    const child = { ...V1.r1, id: CHILD, parent_run_id: R1, trace_id: R1 };
    ls.pool.intercept({ path: "/api/v1/runs/query", method: "POST" }).reply(200, { runs: [child], cursors: { next: null } });
    ls.pool.intercept({ path: "/api/v1/runs/query", method: "POST" }).reply(200, { runs: [V1.r1], cursors: { next: null } });
    ls.pool.intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, {
      items: [
        { ...V2.r2, id: CHILD, parent_run_ids: [R1], dotted_order: "a.b" },
        { ...V2.r1, parent_run_ids: [], dotted_order: "a" },
      ],
    });

    const result = await ls.call("get_trace", { run_id: CHILD });
    expect(result.isError, text(result)).toBeFalsy();
    const trace = out<{
      trace_id: string;
      project_id: string;
      run_count: number;
      nodes: Array<{ id: string; depth: number; status: string; start_time: string }>;
    }>(result);
    expect(trace).toMatchObject({ trace_id: R1, project_id: PROJECT, run_count: 2 });
    expect(trace.nodes.map((n) => [n.id, n.depth, n.status, n.start_time])).toEqual([
      [R1, 0, "success", "2026-11-29T10:00:00.123456Z"],
      [CHILD, 1, "queued", "2026-11-29T09:59:59.000001Z"],
    ]);
    const query = ls.sent().find((r) => r.path === "/api/v2/runs/query")!;
    // The root's span (10:00:00.123456 … 10:00:01.623456) widened by 15 minutes each side for
    // clock skew: the child here starts a second before its root.
    expect(query.body).toMatchObject({
      project_ids: [PROJECT],
      trace_id: R1,
      sort_order: "ASC",
      min_start_time: "2026-11-29T09:45:00.123Z",
      max_start_time: "2026-11-29T10:15:01.623Z",
    });
    expect(ls.sent().some((r) => r.path.startsWith("/api/v1/runs/") && r.method === "GET")).toBe(false);
  });

  it("get_trace reads the trace whole when LangSmith refuses sort_order (newest first is no tree)", async () => {
    ls.pool.intercept({ path: "/api/v1/runs/query", method: "POST" }).reply(200, { runs: [V1.r1], cursors: { next: null } });
    ls.pool
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(422, { type: "about:blank", title: "Unprocessable Entity", status: 422, detail: 'unknown field "sort_order"' });
    ls.pool.intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, { items: [{ ...V2.r1, parent_run_ids: [] }] });
    ls.pool.intercept({ path: (p) => p.startsWith(`/api/v2/traces/${R1}/runs?`), method: "GET" }).reply(200, {
      items: [
        { ...V2.r2, id: CHILD, parent_run_ids: [R1], dotted_order: "a.b" },
        { ...V2.r1, parent_run_ids: [], dotted_order: "a" },
      ],
    });
    const result = await ls.call("get_trace", { trace_id: R1 });
    expect(result.isError, text(result)).toBeFalsy();
    const trace = out<{ run_count: number; nodes: Array<{ id: string }> }>(result);
    expect(trace.run_count).toBe(2);
    expect(trace.nodes.map((n) => n.id)).toEqual([R1, CHILD]);
  });

  it("get_trace does not claim a complete trace when a run's parent is missing from the window", async () => {
    const MISSING = "0190a1b2-c3d4-7ef0-a5b6-000000000001";
    ls.pool.intercept({ path: "/api/v1/runs/query", method: "POST" }).reply(200, { runs: [V1.r1], cursors: { next: null } });
    ls.pool.intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, {
      items: [
        { ...V2.r1, parent_run_ids: [], dotted_order: "a" },
        { ...V2.r3, id: CHILD, parent_run_ids: [R1, MISSING], dotted_order: "a.b.c" },
      ],
    });

    const result = await ls.call("get_trace", { trace_id: R1 });
    const trace = out<{ truncated: boolean; notes: string[] }>(result);
    expect(trace.truncated).toBe(true);
    expect(trace.notes.join(" ")).toMatch(/Runs may be missing: 1 run/);
  });
});

describe("sort_order", () => {
  beforeEach(() => info("0.16.2"));

  it("is sent for ascending order only; refused once, it is dropped, noted, and the page sorted locally", async () => {
    ls.pool
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(422, { type: "about:blank", title: "Unprocessable Entity", status: 422, detail: 'unknown field "sort_order"' });
    ls.pool.intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, { items: [V2.r1, V2.r2, V2.r3] });
    ls.pool.intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, { items: [V2.r1] });

    const result = await ls.call("query_runs", { project: "support-bot", sort_order: "asc" });
    expect(result.isError, text(result)).toBeFalsy();
    const page = out<QueryOut>(result);
    expect(page.runs.map((r) => r["id"])).toEqual([R3, R2, R1]);
    expect(page.notes.join(" ")).toMatch(/refused sort_order/);
    expect(page.notes.join(" ")).toMatch(/sorted here within this page/);

    await ls.call("query_runs", { project: "support-bot", sort_order: "asc", start_time: "7d" });
    const bodies = ls
      .sent()
      .filter((r) => r.path === "/api/v2/runs/query")
      .map((r) => r.body as Record<string, unknown>);
    expect(bodies.map((b) => b["sort_order"])).toEqual(["ASC", undefined, undefined]);
  });
});

describe("an old install (0.15.3): the same tools through v1, with the same output", () => {
  beforeEach(() => info("0.15.3"));

  it("query_runs asks POST /api/v1/runs/query and shows what v2 would have", async () => {
    ls.pool
      .intercept({ path: "/api/v1/runs/query", method: "POST" })
      .reply(200, { runs: [V1.r1, V1.r2], cursors: { next: "v1c", prev: null } });
    ls.pool.intercept({ path: "/api/v1/runs/query", method: "POST" }).reply(200, { runs: [V1.r3], cursors: { next: null, prev: null } });

    const args = { project: "support-bot", start_time: "2026-11-29T00:00:00Z", end_time: "2026-11-29T12:00:00Z", page_size: 2 };
    const page1 = out<QueryOut>(await ls.call("query_runs", args));
    expect(page1.runs).toEqual([SHOWN.r1, SHOWN.r2]);
    const page2 = out<QueryOut>(await ls.call("query_runs", { ...args, cursor: page1.next_cursor }));
    expect(page2.runs).toEqual([SHOWN.r3]);
    expect(page2.has_more).toBe(false);

    expect(ls.sent().filter(v2)).toEqual([]);
    const bodies = ls
      .sent()
      .filter((r) => r.path === "/api/v1/runs/query")
      .map((r) => r.body);
    expect(bodies[0]).toMatchObject({
      session: [PROJECT],
      start_time: "2026-11-29T00:00:00.000Z",
      filter: 'lte(start_time, "2026-11-29T12:00:00.000Z")',
      order: "desc",
      limit: 2,
    });
    expect(bodies[1]).toMatchObject({ cursor: "v1c" });
  });

  it("get_run with only an id comes from a v1 query, never GET /api/v1/runs/{id}", async () => {
    ls.pool.intercept({ path: "/api/v1/runs/query", method: "POST" }).reply(200, { runs: [V1.r1], cursors: { next: null } });
    const result = await ls.call("get_run", { run_id: R1, fields: "compact" });
    expect(result.isError, text(result)).toBeFalsy();
    expect(out<{ run: unknown }>(result).run).toEqual(SHOWN.r1);
    expect(ls.sent().filter(v2)).toEqual([]);
    expect(ls.sent().some((r) => r.method === "GET" && r.path.startsWith("/api/v1/runs/"))).toBe(false);
  });

  it("get_run falls back to GET /api/v1/runs/{id} only when the query finds nothing", async () => {
    ls.pool.intercept({ path: "/api/v1/runs/query", method: "POST" }).reply(200, { runs: [], cursors: { next: null } });
    ls.pool.intercept({ path: `/api/v1/runs/${R1}`, method: "GET" }).reply(200, V1.r1);
    const result = await ls.call("get_run", { run_id: R1, fields: "compact" });
    expect(out<{ run: unknown }>(result).run).toEqual(SHOWN.r1);
  });

  it("says which version is needed where v1 cannot serve (a share URL)", async () => {
    const result = await ls.call("get_run", { run_id: R1, include_share_url: true });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("needs LangSmith ≥ 0.16 (this install reports 0.15.3)");
  });

  it("get_trace pages the trace through v1", async () => {
    ls.pool.intercept({ path: "/api/v1/runs/query", method: "POST" }).reply(200, { runs: [V1.r1], cursors: { next: null } });
    ls.pool.intercept({ path: "/api/v1/runs/query", method: "POST" }).reply(200, {
      runs: [
        { ...V1.r1, dotted_order: "a" },
        { ...V1.r2, id: CHILD, parent_run_id: R1, parent_run_ids: [R1], trace_id: R1, dotted_order: "a.b" },
      ],
      cursors: { next: null },
    });
    const result = await ls.call("get_trace", { trace_id: R1 });
    expect(result.isError, text(result)).toBeFalsy();
    const trace = out<{ nodes: Array<{ id: string; depth: number; parent_run_id: string | null }> }>(result);
    // The root has no parent_run_id (absent, not null).
    expect(trace.nodes.map((n) => [n.id, n.depth, n.parent_run_id ?? null])).toEqual([
      [R1, 0, null],
      [CHILD, 1, R1],
    ]);
    expect(ls.sent().filter(v2)).toEqual([]);
    expect(ls.sent().at(-1)?.body).toMatchObject({ trace: R1, session: [PROJECT], start_time: "2026-11-29T09:45:00.123Z" });
  });
});

describe("v2 missing without a version to tell", () => {
  it("a route-not-found 404 from v2 switches to v1 for this and every later call; /info failing is tolerated", async () => {
    ls.pool.intercept({ path: "/api/v1/info", method: "GET" }).reply(500, { detail: "Internal Server Error" });
    ls.pool.intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(404, ROUTE_NOT_FOUND);
    ls.pool
      .intercept({ path: "/api/v1/runs/query", method: "POST" })
      .reply(200, { runs: [V1.r1], cursors: { next: null } })
      .times(2);

    const first = await ls.call("query_runs", { project: "support-bot" });
    expect(first.isError, text(first)).toBeFalsy();
    expect(out<QueryOut>(first).runs).toEqual([SHOWN.r1]);
    await ls.call("query_runs", { project: "support-bot", start_time: "2d" });

    expect(ls.sent().filter(v2)).toHaveLength(1);
    expect(ls.sent().filter((r) => r.path === "/api/v1/info")).toHaveLength(1);
  });
});

describe("v2 endpoint families are learnt apart", () => {
  it("an install without the v2 trace listing still reads traces and single runs through v2", async () => {
    info("0.16.0");
    ls.pool
      .intercept({ path: "/api/v1/runs/query", method: "POST" })
      .reply(200, { runs: [V1.r1], cursors: { next: null } })
      .persist();
    ls.pool.intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, { items: [{ ...V2.r1, parent_run_ids: [] }] });
    ls.pool.intercept({ path: (p) => p.startsWith(`/api/v2/runs/${R1}?`), method: "GET" }).reply(200, V2.r1);

    const trace = await ls.call("get_trace", { trace_id: R1 });
    expect(trace.isError, text(trace)).toBeFalsy();
    const run = await ls.call("get_run", { run_id: R1, fields: "compact" });
    expect(out<{ run: unknown }>(run).run).toEqual(SHOWN.r1);
    expect(
      ls
        .sent()
        .filter(v2)
        .map((r) => r.path),
    ).toEqual(["/api/v2/runs/query", `/api/v2/runs/${R1}`]);
  });
});
