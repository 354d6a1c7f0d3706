/**
 * The run tools give the same answers on a current LangSmith (v2 runs API) and on an install
 * older than 0.16 (v2 routes answer FastAPI's 404, /api/v1/info reports 0.15.3), where they
 * read through v1. Needs the simulator's `langsmithVersion` option, microsecond run times and
 * `GET /api/v2/traces/{trace_id}/runs`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control } from "../../src/simulator/testing.js";
import type { SimulatorOptions } from "../../src/simulator/index.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { text } from "./runs-harness.js";
import { nodesOf, runsOf } from "../support/runs.js";

const NOW = "2026-03-04T12:00:00Z";
const WINDOW = { start_time: "2026-03-04T10:00:00Z", end_time: NOW };
const GET_RUN_FIELDS = [
  "name",
  "run_type",
  "status",
  "start_time",
  "end_time",
  "latency_seconds",
  "error",
  "inputs",
  "outputs",
  "trace_id",
  "parent_run_ids",
  "project_id",
  "dotted_order",
  "tags",
];
const MAX_PAGES = 200;

/**
 * v1's RunSchema types token counts as integers defaulting to 0, so it cannot say "not
 * recorded" as v2 does (by leaving the count out): the one difference v1 cannot avoid, and the
 * only one compared loosely (0 and "not recorded" are taken as the same).
 */
const tokensAsV1CanTell = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (key, v: unknown) => (/_tokens$/.test(key) && (v === null || v === 0) ? undefined : v)));

type Installs = "current" | "old";
const OPTIONS: Record<Installs, SimulatorOptions & { langsmithVersion?: string }> = {
  current: { now: NOW },
  old: { now: NOW, langsmithVersion: "0.15.3" },
};

interface Observed {
  pages: unknown[];
  ids: string[];
  byId: unknown;
  byIdAndStart: unknown;
  trace: unknown;
  /** get_run and query_runs with their default fields, and with fields "full". */
  getRunDefault: unknown;
  getRunFull: unknown;
  queryFull: unknown;
  paths: string[];
}

async function observe(stack: InMemoryStack): Promise<Observed> {
  const ok = async (name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const result = await stack.call(name, args);
    expect(result.isError, `${name}: ${text(result)}`).toBeFalsy();
    const structured = result.structuredContent as Record<string, unknown>;
    // Compared run by run, as a program reads a table: refs and shortened times may be numbered differently.
    if (name === "get_trace") return { ...structured, nodes: nodesOf(result) };
    return name === "query_runs" ? { ...structured, runs: runsOf(result) } : structured;
  };
  const pages: unknown[] = [];
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await ok("query_runs", { project: "support-bot", ...WINDOW, page_size: 40, ...(cursor && { cursor }) });
    const { next_cursor: next, ...rest } = page as { next_cursor?: string };
    pages.push(rest);
    ids.push(...(page["runs"] as Array<{ id: string }>).map((r) => r.id));
    cursor = next;
    if (!cursor) break;
  }
  const first = (pages[0] as { runs: Array<{ id: string; start_time: string; is_root: boolean }> }).runs.find((r) => !r.is_root)!;
  const byId = await ok("get_run", { run_id: first.id, fields: GET_RUN_FIELDS });
  const byIdAndStart = await ok("get_run", {
    run_id: first.id,
    project: "support-bot",
    start_time: first.start_time,
    fields: GET_RUN_FIELDS,
  });
  const trace = await ok("get_trace", { run_id: first.id });
  const getRunDefault = await ok("get_run", { run_id: first.id });
  const getRunFull = await ok("get_run", { run_id: first.id, fields: "full" });
  const queryFull = await ok("query_runs", { project: "support-bot", ...WINDOW, page_size: 5, fields: "full" });
  const { body } = await control<{ requests: Array<{ method: string; path: string; status: number }> }>(stack.sim, "GET", "requests");
  return {
    pages,
    ids,
    byId,
    byIdAndStart,
    trace,
    getRunDefault,
    getRunFull,
    queryFull,
    paths: body.requests.map((r) => `${r.method} ${r.path} ${r.status}`),
  };
}

describe("run tools on a current and an old LangSmith install (simulator, in memory)", () => {
  const seen = {} as Record<Installs, Observed>;
  const stacks: InMemoryStack[] = [];
  beforeAll(async () => {
    for (const install of ["current", "old"] as const) {
      const stack = await startInMemoryStack({ sim: OPTIONS[install] });
      stacks.push(stack);
      seen[install] = await observe(stack);
    }
  }, 120_000);
  afterAll(async () => {
    for (const stack of stacks) await stack.close();
  });

  it("the current install is read through v2, the old one through v1 only", () => {
    expect(seen.current.paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^POST \/api\/v2\/runs\/query 200/),
        expect.stringMatching(/^GET \/api\/v2\/runs\/[0-9a-f-]+ 200/),
      ]),
    );
    expect(seen.current.paths.filter((p) => /^GET \/api\/v1\/runs\/[0-9a-f-]+ /.test(p))).toEqual([]);
    expect(seen.old.paths.filter((p) => p.includes("/api/v2/") && !p.endsWith(" 404"))).toEqual([]);
  });

  it("query_runs pages through the whole window exactly once", () => {
    for (const install of ["current", "old"] as const) {
      expect(seen[install].ids.length).toBeGreaterThan(40);
      expect(new Set(seen[install].ids).size).toBe(seen[install].ids.length);
    }
    expect(seen.old.ids).toEqual(seen.current.ids);
  });

  it("query_runs pages are identical", () => {
    expect(tokensAsV1CanTell(seen.old.pages)).toEqual(tokensAsV1CanTell(seen.current.pages));
  });

  it("get_run by id alone, and with project and start_time as query_runs returned it, is identical", () => {
    expect(seen.current.byIdAndStart).toEqual(seen.current.byId);
    expect(tokensAsV1CanTell(seen.old.byId)).toEqual(tokensAsV1CanTell(seen.current.byId));
    expect(tokensAsV1CanTell(seen.old.byIdAndStart)).toEqual(tokensAsV1CanTell(seen.current.byIdAndStart));
    expect((seen.current.byId as { run: { start_time: string } }).run.start_time).toMatch(/\.\d{6}Z$/);
  });

  it("get_run and query_runs with their default fields and with fields full answer on both installs", () => {
    for (const install of ["current", "old"] as const) {
      const { getRunDefault, getRunFull, queryFull } = seen[install] as {
        getRunDefault: { run: { id: string } };
        getRunFull: { run: { id: string } };
        queryFull: { runs: unknown[] };
      };
      expect(getRunDefault.run.id).toBe((seen[install].byId as { run: { id: string } }).run.id);
      expect(getRunFull.run).toEqual(getRunDefault.run);
      expect(queryFull.runs).toHaveLength(5);
    }
    const runOf = (o: unknown) => tokensAsV1CanTell((o as { run: unknown }).run);
    expect(runOf(seen.old.getRunDefault)).toEqual(runOf(seen.current.getRunDefault));
    expect(tokensAsV1CanTell((seen.old.queryFull as { runs: unknown }).runs)).toEqual(
      tokensAsV1CanTell((seen.current.queryFull as { runs: unknown }).runs),
    );
  });

  it("get_trace is identical", () => {
    expect(tokensAsV1CanTell(seen.old.trace)).toEqual(tokensAsV1CanTell(seen.current.trace));
  });
});
