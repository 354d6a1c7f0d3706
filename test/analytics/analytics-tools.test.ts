/**
 * run_stats and list_threads end to end: an MCP client in memory, the server, the real
 * LangSmith client, the simulator over HTTP with a frozen clock. Every figure is checked
 * against a recomputation written here from the raw seeded runs: plain predicates, sums, and
 * percentiles by nearest rank (value at 1-based rank ⌈p/100·n⌉ of the ascending values).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { control, type SimRun } from "../../src/simulator/index.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { runsOf } from "../support/runs.js";

const NOW = "2025-06-01T12:00:00.000Z";
const DAY = 86_400_000;

let stack: InMemoryStack;
const text = (r: CallToolResult): string => r.content.map((b) => (b.type === "text" ? b.text : "")).join("\n");
async function ok<T = any>(name: string, args: Record<string, unknown>): Promise<{ data: T; text: string }> {
  const result = await stack.call(name, args);
  expect(result.isError, text(result)).toBeFalsy();
  return { data: result.structuredContent as T, text: text(result) };
}
async function refused(name: string, args: Record<string, unknown>): Promise<string> {
  const result = await stack.call(name, args);
  expect(result.isError, text(result)).toBe(true);
  return text(result);
}

beforeAll(async () => {
  stack = await startInMemoryStack({ sim: { now: NOW }, server: { now: () => new Date(NOW) } });
  await control(stack.sim, "POST", "clock", { rate: 0 });
});
afterAll(() => stack?.close());

/* ---------------------------------------------------------- the independent recomputation */

const projectId = (name: string): string => stack.sim.store.projectByName(stack.sim.workspaceId, name)!.id;
const startUs = (r: SimRun): number => r.start_time * 1000 + r.start_us;
function inWindow(name: string, fromMs: number, toMs: number): SimRun[] {
  return stack.sim.store.runsOfProject(projectId(name)).filter((r) => startUs(r) >= fromMs * 1000 && startUs(r) <= toMs * 1000);
}
function rank(values: number[], p: number): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.ceil((p / 100) * sorted.length) - 1] : undefined;
}
const isTrace = (r: SimRun): boolean => r.parent_run_id === null;
const latency = (r: SimRun): number | undefined => (r.end_time === null ? undefined : (r.end_time - r.start_time) / 1000);
function figures(runs: SimRun[]) {
  const latencies = runs.map(latency).filter((v): v is number => v !== undefined);
  const errors = runs.filter((r) => r.status === "error").length;
  return {
    run_count: runs.length,
    error_count: errors,
    error_rate: errors / runs.length,
    latency_p50_s: rank(latencies, 50),
    latency_p99_s: rank(latencies, 99),
    latency_avg_s: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    total_tokens: runs.reduce((a, r) => a + (r.total_tokens ?? 0), 0),
    total_cost_usd: runs.reduce((a, r) => a + (r.total_cost ?? 0), 0),
  };
}

describe("run_stats", () => {
  it("answers cost and error rate of one project over 24 h in one call, checked against the raw runs, in under 2 KB of text", async () => {
    const want = figures(inWindow("checkout-bot", Date.parse(NOW) - DAY, Date.parse(NOW)).filter(isTrace));
    expect(want.run_count).toBeGreaterThan(20);
    const { data, text: shown } = await ok("run_stats", { project: "checkout-bot", start_time: "24h" });
    expect(data.totals.run_count).toBe(want.run_count);
    expect(data.totals.error_count).toBe(want.error_count);
    expect(data.totals.error_rate).toBeCloseTo(want.error_rate, 12);
    expect(data.totals.latency_p50_s).toBe(want.latency_p50_s);
    expect(data.totals.latency_p99_s).toBe(want.latency_p99_s);
    expect(data.totals.latency_avg_s).toBeCloseTo(want.latency_avg_s, 9);
    expect(data.totals.total_tokens).toBe(want.total_tokens);
    expect(data.totals.total_cost_usd).toBeCloseTo(want.total_cost_usd, 6);
    expect(data.requests).toBe(1);
    expect(Buffer.byteLength(shown)).toBeLessThanOrEqual(2048);
    expect(data.counted).toBe("traces");
    expect(shown).toContain(`${want.run_count} traces, ${want.error_count} errored`);
    expect(shown).toContain(String(want.latency_p99_s));
  });

  it("counts the same runs query_runs lists for the same window, run type and filter", async () => {
    const args = {
      project: "checkout-bot",
      start_time: "2025-05-30T06:00:00Z",
      end_time: "2025-05-31T18:00:00Z",
      run_type: "llm",
      filter: "gt(total_tokens, 3000)",
    };
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await ok("query_runs", { ...args, page_size: 1000, ...(cursor && { cursor }) });
      ids.push(...runsOf(data).map((r) => r.id));
      cursor = data.next_cursor;
    } while (cursor);
    const { data } = await ok("run_stats", args);
    expect(ids.length).toBeGreaterThan(10);
    expect(data.totals.run_count).toBe(ids.length);
  });

  it("groups child runs by run type ordered by cost, and traces by a metadata key, each group recomputed", async () => {
    const runs = inWindow("checkout-bot", Date.parse(NOW) - 7 * DAY, Date.parse(NOW)).filter((r) => !isTrace(r));
    const { data } = await ok("run_stats", {
      project: "checkout-bot",
      start_time: "7d",
      group_by: "run_type",
      max_groups: 10,
      sort_by: "cost",
      is_root: false,
    });
    const costs = data.groups.map((g: { total_cost_usd?: number }) => g.total_cost_usd ?? -1);
    expect(costs).toEqual([...costs].sort((a: number, b: number) => b - a));
    for (const g of data.groups) {
      const want = figures(runs.filter((r) => r.run_type === g.group));
      expect(g.run_count, g.group).toBe(want.run_count);
      expect(g.error_count, g.group).toBe(want.error_count);
      expect(g.latency_p99_s, g.group).toBe(want.latency_p99_s);
    }
    expect(data.groups.reduce((a: number, g: { run_count: number }) => a + g.run_count, 0)).toBe(runs.length);

    const traces = inWindow("checkout-bot", Date.parse(NOW) - 7 * DAY, Date.parse(NOW)).filter(isTrace);
    const byEnv = await ok("run_stats", { project: "checkout-bot", start_time: "7d", group_by: "metadata", group_key: "env" });
    expect(byEnv.data.groups.length).toBeGreaterThan(1);
    for (const g of byEnv.data.groups) {
      const want = figures(traces.filter((r) => r.metadata["env"] === g.group));
      expect(g.run_count, g.group).toBe(want.run_count);
      expect(g.total_cost_usd, g.group).toBeCloseTo(want.total_cost_usd, 6);
    }
    expect(byEnv.text).toMatch(/\| env \| traces \| errors/);

    const typo = await ok("run_stats", { project: "checkout-bot", start_time: "7d", group_by: "metadata", group_key: "enviroment" });
    expect(typo.data.groups).toBeUndefined();
    expect(typo.text).toContain('No matched run has metadata key "enviroment"');
  });

  it("lists the exact ten slowest traces of a week, and the five most expensive, from a threshold query", async () => {
    const runs = inWindow("checkout-bot", Date.parse(NOW) - 7 * DAY, Date.parse(NOW)).filter(isTrace);
    const slowest = runs
      .filter((r) => latency(r) !== undefined)
      .sort((a, b) => latency(b)! - latency(a)!)
      .slice(0, 10);
    const { data, text: shown } = await ok("run_stats", { project: "checkout-bot", start_time: "7d", top_by: "latency", top_n: 10 });
    expect(data.top.runs.map((r: { latency_s: number }) => r.latency_s)).toEqual(slowest.map(latency));
    expect(new Set(data.top.runs.map((r: { id: string }) => r.id))).toEqual(new Set(slowest.map((r) => r.id)));
    // Ten out of hundreds: the p99 threshold lets few through, so one runs query did it.
    expect(data.top.threshold).toBeGreaterThan(0);
    expect(data.requests).toBe(2);
    expect(shown).toContain(`1. ${latency(slowest[0]!)} s`);

    const roots = runs.filter((r) => r.parent_run_id === null && r.total_cost !== null);
    const priciest = [...roots].sort((a, b) => b.total_cost! - a.total_cost!).slice(0, 5);
    const cost = await ok("run_stats", { project: "checkout-bot", start_time: "7d", is_root: true, top_by: "total_cost", top_n: 5 });
    expect(cost.data.top.runs.map((r: { total_cost_usd: number }) => r.total_cost_usd)).toEqual(priciest.map((r) => r.total_cost));
  });

  it("widens the threshold when the percentiles let too few runs through", async () => {
    const runs = inWindow("checkout-bot", Date.parse(NOW) - DAY, Date.parse(NOW)).filter((r) => r.run_type === "llm");
    const n = Math.ceil(runs.length * 0.6);
    const { data } = await ok("run_stats", {
      project: "checkout-bot",
      start_time: "24h",
      run_type: "llm",
      top_by: "total_tokens",
      top_n: Math.min(n, 50),
    });
    const want = runs
      .filter((r) => r.total_tokens !== null)
      .map((r) => r.total_tokens!)
      .sort((a, b) => b - a)
      .slice(0, Math.min(n, 50));
    expect(data.top.runs.map((r: { total_tokens: number }) => r.total_tokens)).toEqual(want);
  });

  it("answers zeroes and 'no runs' for a window with no runs, not an error", async () => {
    const { data, text: shown } = await ok("run_stats", {
      project: "checkout-bot",
      start_time: "2020-01-01",
      end_time: "2020-01-02",
      top_by: "latency",
    });
    expect(data.totals).toEqual({ run_count: 0 });
    expect(shown).toContain("0 traces (no runs)");
    expect(data.notes.join(" ")).toMatch(/No runs matched/);
  });

  it("agrees with list_projects' session stats over a project's whole life", async () => {
    const { data } = await ok("list_projects", { name_contains: "checkout-bot", include_stats: true });
    const session = data.projects.find((p: { name: string }) => p.name === "checkout-bot");
    const { data: stats } = await ok("run_stats", { project: "checkout-bot", start_time: "365d" });
    expect(stats.totals.run_count).toBe(session.run_count);
    expect(stats.totals.latency_p50_s).toBe(session.latency_p50);
    expect(stats.totals.error_rate).toBeCloseTo(session.error_rate, 12);
  });

  it("covers several projects in one call", async () => {
    const from = Date.parse(NOW) - DAY;
    const want =
      inWindow("checkout-bot", from, Date.parse(NOW)).filter(isTrace).length +
      inWindow("support-bot", from, Date.parse(NOW)).filter(isTrace).length;
    const { data } = await ok("run_stats", { project: "checkout-bot, support-bot" });
    expect(data.projects).toHaveLength(2);
    expect(data.totals.run_count).toBe(want);
  });

  it("refuses an unknown group attribute, max_groups out of range and a metadata group without a key, saying what to send", async () => {
    expect(await refused("run_stats", { project: "checkout-bot", group_by: "model" })).toMatch(/group_by.*(name|run_type|tag|metadata)/s);
    expect(await refused("run_stats", { project: "checkout-bot", group_by: "name", max_groups: 0 })).toMatch(/max_groups/);
    expect(await refused("run_stats", { project: "checkout-bot", group_by: "name", max_groups: 1000 })).toMatch(/max_groups/);
    expect(await refused("run_stats", { project: "checkout-bot", group_by: "metadata" })).toMatch(/group_key.*metadata key/s);
  });
});

describe("list_threads", () => {
  /** The support-bot threads with a turn in the window, recomputed from raw root runs. */
  function threadsIn(fromMs: number, toMs: number) {
    const roots = inWindow("support-bot", fromMs, toMs).filter((r) => r.parent_run_id === null && r.thread_id !== null);
    const by = new Map<string, SimRun[]>();
    for (const r of roots) by.set(r.thread_id!, [...(by.get(r.thread_id!) ?? []), r]);
    return by;
  }

  it("lists a week's threads most recent first with turn counts, errors, tokens and cost, and pages on", async () => {
    const want = threadsIn(Date.parse(NOW) - 7 * DAY, Date.parse(NOW));
    expect(want.size).toBeGreaterThan(20);
    const seen: string[] = [];
    let cursor: string | undefined;
    let lastStart = "9999";
    do {
      const { data } = await ok("list_threads", { project: "support-bot", limit: 20, ...(cursor && { cursor }) });
      for (const t of data.threads) {
        const turns = want.get(t.thread_id);
        expect(turns, t.thread_id).toBeDefined();
        expect(t.turns).toBe(turns!.length);
        expect(t.errored_turns).toBe(turns!.filter((r) => r.status === "error").length);
        expect(t.total_tokens).toBe(turns!.reduce((a, r) => a + (r.total_tokens ?? 0), 0));
        expect(t.total_cost_usd ?? 0).toBeCloseTo(
          turns!.reduce((a, r) => a + (r.total_cost ?? 0), 0),
          9,
        );
        expect(Date.parse(t.last_start)).toBe(Math.max(...turns!.map((r) => r.start_time)));
        expect(t.last_start <= lastStart).toBe(true);
        lastStart = t.last_start;
        seen.push(t.thread_id);
      }
      cursor = data.next_cursor;
    } while (cursor && seen.length < 1000);
    expect(seen.sort()).toEqual([...want.keys()].sort());
  });

  it("shows one thread's turns oldest first, and get_trace opens a turn", async () => {
    const want = threadsIn(Date.parse(NOW) - 30 * DAY, Date.parse(NOW));
    const [threadId, turns] = [...want].find(([, t]) => t.length >= 3 && t.some((r) => r.status === "error"))!;
    const all = stack.sim.store.runsOfProject(projectId("support-bot")).filter((r) => r.parent_run_id === null && r.thread_id === threadId);
    all.sort((a, b) => startUs(a) - startUs(b));
    const { data, text: shown } = await ok("list_threads", { project: "support-bot", thread_id: threadId });
    expect(data.turns.map((t: { trace_id: string }) => t.trace_id)).toEqual(all.map((r) => r.trace_id));
    expect(data.turns.map((t: { status: string }) => t.status)).toEqual(all.map((r) => r.status));
    expect(turns.length).toBeLessThanOrEqual(all.length);
    expect(shown).toContain(`Thread ${threadId}`);
    const trace = await ok("get_trace", { trace_id: data.turns[0].trace_id });
    expect(trace.data.trace_id).toBe(all[0]!.trace_id);
  });

  it("answers no threads, not an error, for a project without conversations", async () => {
    const { data } = await ok("list_threads", { project: "checkout-bot" });
    expect(data.count).toBe(0);
    expect(data.notes.join(" ")).toMatch(/thread_id/);
  });

  it("refuses a thread id that does not exist, naming the tool that lists them", async () => {
    expect(await refused("list_threads", { project: "support-bot", thread_id: "00000000-0000-4000-8000-000000000000" })).toMatch(
      /thread_id.*no thread.*list_threads/s,
    );
  });
});

describe("on a self-hosted install older than 0.16 (no v2 API)", () => {
  let old: InMemoryStack;
  beforeAll(async () => {
    old = await startInMemoryStack({ sim: { now: NOW, scale: 0.1, langsmithVersion: "0.15.4" }, server: { now: () => new Date(NOW) } });
    await control(old.sim, "POST", "clock", { rate: 0 });
  });
  afterAll(() => old?.close());

  it("run_stats still answers, top runs read through the v1 runs query", async () => {
    const roots = old.sim.store
      .runsOfProject(old.sim.store.projectByName(old.sim.workspaceId, "checkout-bot")!.id)
      .filter((r) => isTrace(r) && r.start_time >= Date.parse(NOW) - 7 * DAY);
    const result = await old.call("run_stats", { project: "checkout-bot", start_time: "7d", top_by: "latency", top_n: 3 });
    expect(result.isError, text(result)).toBeFalsy();
    const data = result.structuredContent as { totals: { run_count: number }; top: { runs: Array<{ latency_s: number }> } };
    expect(data.totals.run_count).toBe(roots.length);
    const slowest = roots
      .map(latency)
      .filter((v): v is number => v !== undefined)
      .sort((a, b) => b - a)
      .slice(0, 3);
    expect(data.top.runs.map((r) => r.latency_s)).toEqual(slowest);
  });

  it("list_threads says threads need LangSmith 0.16 and which version the install reports", async () => {
    const result = await old.call("list_threads", { project: "support-bot" });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/0\.16.*0\.15\.4/s);
    expect(text(result)).not.toMatch(/bug in the server/);
  });
});
