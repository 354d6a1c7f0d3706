/**
 * `POST /api/v1/runs/stats` through the real client against the simulator over HTTP, each
 * figure checked against a plain recomputation written here from the raw seeded runs (no
 * filter evaluator, no simulator helper): count, error rate, sums, and percentiles by the
 * nearest-rank definition (value at 1-based rank ⌈p/100·n⌉ of the ascending values).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LangSmithClient, costUsd } from "../../src/langsmith/index.js";
import { control, startSimulator, type RunningSimulator, type SimRun } from "../../src/simulator/index.js";

const NOW = "2025-06-01T12:00:00Z";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let sim: RunningSimulator;
let client: LangSmithClient;
let checkout: string;
let support: string;

beforeAll(async () => {
  sim = await startSimulator({ now: NOW, scale: 0.2 });
  await control(sim, "POST", "clock", { rate: 0 });
  client = new LangSmithClient({ endpoint: sim.url, apiKey: sim.apiKey });
  checkout = sim.store.projectByName(sim.workspaceId, "checkout-bot")?.id ?? "";
  support = sim.store.projectByName(sim.workspaceId, "support-bot")?.id ?? "";
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

/* ---------------------------------------------------------- the independent recomputation */

const exactStartUs = (r: SimRun): number => r.start_time * 1000 + r.start_us;
function rank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? null;
}
/** Runs of the projects whose exact start lies in [fromMs, toMs] (both inclusive, as v1 bounds are). */
function runsIn(projectIds: string[], fromMs: number, toMs: number): SimRun[] {
  return projectIds
    .flatMap((id) => sim.store.runsOfProject(id))
    .filter((r) => exactStartUs(r) >= fromMs * 1000 && exactStartUs(r) <= toMs * 1000);
}
function expected(runs: SimRun[]) {
  const latencies = runs.filter((r) => r.end_time !== null).map((r) => ((r.end_time as number) - r.start_time) / 1000);
  const costs = runs.filter((r) => r.total_cost !== null).map((r) => r.total_cost as number);
  return {
    run_count: runs.length,
    errors: runs.filter((r) => r.status === "error").length,
    error_rate: runs.length === 0 ? null : runs.filter((r) => r.status === "error").length / runs.length,
    latency_p50: rank(latencies, 50),
    latency_p99: rank(latencies, 99),
    latency_avg: latencies.length === 0 ? null : latencies.reduce((a, b) => a + b, 0) / latencies.length,
    total_tokens: runs.reduce((a, r) => a + (r.total_tokens ?? 0), 0),
    total_cost: costs.reduce((a, b) => a + b, 0),
    cost_p99: rank(costs, 99),
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

describe("run stats against a recomputation from raw runs", () => {
  it("counts every run of a project in a 24 h window, with error rate, latency percentiles, tokens and cost", async () => {
    const to = Date.parse(NOW);
    const from = to - DAY;
    const want = expected(runsIn([checkout], from, to));
    expect(want.run_count).toBeGreaterThan(50);
    expect(want.errors).toBeGreaterThan(0);
    const got = await client.runStats({
      session: [checkout],
      start_time: iso(from),
      end_time: iso(to),
      select: ["run_count", "error_rate", "latency_p50", "latency_p99", "latency_avg", "total_tokens", "total_cost", "cost_p99"],
    });
    expect(got.run_count).toBe(want.run_count);
    expect(got.error_rate).toBeCloseTo(want.error_rate as number, 12);
    expect(got.latency_p50).toBe(want.latency_p50);
    expect(got.latency_p99).toBe(want.latency_p99);
    expect(got.latency_avg).toBeCloseTo(want.latency_avg as number, 9);
    expect(got.total_tokens).toBe(want.total_tokens);
    expect(costUsd(got.total_cost)).toBeCloseTo(want.total_cost, 6);
    expect(costUsd(got.cost_p99)).toBeCloseTo(want.cost_p99 as number, 9);
  });

  it("applies is_root, run_type and a filter as plain predicates would", async () => {
    const to = Date.parse(NOW);
    const from = to - 7 * DAY;
    const roots = runsIn([checkout, support], from, to).filter((r) => r.parent_run_id === null);
    const got = await client.runStats({ session: [checkout, support], start_time: iso(from), end_time: iso(to), is_root: true });
    expect(got.run_count).toBe(roots.length);
    expect(got.error_rate).toBeCloseTo(expected(roots).error_rate as number, 12);

    const llmErrors = runsIn([checkout], from, to).filter((r) => r.run_type === "llm" && r.status === "error");
    const filtered = await client.runStats({
      session: [checkout],
      start_time: iso(from),
      end_time: iso(to),
      filter: 'and(eq(run_type, "llm"), eq(status, "error"))',
    });
    expect(filtered.run_count).toBe(llmErrors.length);
    const typed = await client.runStats({ session: [checkout], start_time: iso(from), end_time: iso(to), run_type: "llm", error: true });
    expect(typed.run_count).toBe(llmErrors.length);
  });

  it("counts one UTC day [a, b) exactly with start_time and lt(start_time, b), and the days add up", async () => {
    const day = Date.parse("2025-05-30T00:00:00Z");
    let total = 0;
    for (let d = 0; d < 2; d++) {
      const a = day + d * DAY;
      const b = a + DAY;
      const want = checkoutRuns().filter((r) => exactStartUs(r) >= a * 1000 && exactStartUs(r) < b * 1000).length;
      const got = await client.runStats({
        session: [checkout],
        start_time: iso(a),
        filter: `lt(start_time, "${iso(b)}")`,
        select: ["run_count"],
      });
      expect(got.run_count).toBe(want);
      total += want;
    }
    const both = await client.runStats({
      session: [checkout],
      start_time: iso(day),
      filter: `lt(start_time, "${iso(day + 2 * DAY)}")`,
      select: ["run_count"],
    });
    expect(both.run_count).toBe(total);
  });

  it("answers zeroes and nulls, not an error, for a window with no runs", async () => {
    const got = await client.runStats({ session: [checkout], start_time: "2020-01-01T00:00:00Z", end_time: "2020-01-02T00:00:00Z" });
    expect(got.run_count).toBe(0);
    expect(got.error_rate).toBeNull();
    expect(got.latency_p50).toBeNull();
    expect(got.total_tokens).toBe(0);
    expect(got.total_cost).toBeNull();
  });

  it("groups by run type, name, tag and a metadata key, each group recomputed", async () => {
    const to = Date.parse(NOW);
    const from = to - 3 * DAY;
    const runs = runsIn([checkout], from, to);
    const byType = await client.runStatsByGroup({
      session: [checkout],
      start_time: iso(from),
      end_time: iso(to),
      group_by: { attribute: "run_type", max_groups: 10 },
    });
    const types = [...new Set(runs.map((r) => r.run_type))];
    expect(Object.keys(byType).sort()).toEqual(types.sort());
    for (const type of types) {
      const want = expected(runs.filter((r) => r.run_type === type));
      expect(byType[type]?.run_count).toBe(want.run_count);
      expect(byType[type]?.latency_p99).toBe(want.latency_p99);
    }

    const byName = await client.runStatsByGroup({
      session: [checkout],
      start_time: iso(from),
      end_time: iso(to),
      group_by: { attribute: "name", max_groups: 2 },
    });
    const nameCounts = new Map<string, number>();
    for (const r of runs) nameCounts.set(r.name, (nameCounts.get(r.name) ?? 0) + 1);
    const top2 = [...nameCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 2);
    expect(Object.fromEntries(Object.entries(byName).map(([k, v]) => [k, v.run_count]))).toEqual(Object.fromEntries(top2));

    const byTag = await client.runStatsByGroup({
      session: [checkout],
      start_time: iso(from),
      end_time: iso(to),
      group_by: { attribute: "tag", max_groups: 50 },
    });
    for (const [tag, stats] of Object.entries(byTag)) expect(stats.run_count, tag).toBe(runs.filter((r) => r.tags.includes(tag)).length);

    const byEnv = await client.runStatsByGroup({
      session: [checkout],
      start_time: iso(from),
      end_time: iso(to),
      group_by: { attribute: "metadata", path: "env", max_groups: 10 },
    });
    for (const [env, stats] of Object.entries(byEnv)) {
      const want = expected(runs.filter((r) => r.metadata["env"] === env));
      expect(stats.run_count, env).toBe(want.run_count);
      expect(costUsd(stats.total_cost)).toBeCloseTo(want.total_cost, 6);
    }
    expect(Object.values(byEnv).reduce((a, s) => a + (s.run_count ?? 0), 0)).toBe(
      runs.filter((r) => typeof r.metadata["env"] === "string").length,
    );
  });

  it("refuses a metadata group without a key before sending anything", async () => {
    await expect(client.runStatsByGroup({ session: [checkout], group_by: { attribute: "metadata" } })).rejects.toMatchObject({
      field: "group_by.path",
    });
  });
});

const checkoutRuns = (): readonly SimRun[] => sim.store.runsOfProject(checkout);

describe("run stats over random windows and flags", () => {
  const RUN_TYPES = ["llm", "chain", "tool", "retriever"] as const;
  it("count, error rate and latency p99 agree with the recomputation for any window, is_root, error and run_type", async () => {
    const now = Date.parse(NOW);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 20 * DAY }),
        fc.integer({ min: 1, max: 10 * DAY }),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.option(fc.constantFrom(...RUN_TYPES), { nil: undefined }),
        async (back, length, isRoot, error, runType) => {
          const from = now - back - length;
          const to = now - back;
          const runs = runsIn([checkout, support], from, to).filter(
            (r) =>
              (isRoot === undefined || (r.parent_run_id === null) === isRoot) &&
              (error === undefined || (r.status === "error") === error) &&
              (runType === undefined || r.run_type === runType),
          );
          const got = await client.runStats({
            session: [checkout, support],
            start_time: iso(from),
            end_time: iso(to),
            select: ["run_count", "error_rate", "latency_p99"],
            ...(isRoot !== undefined && { is_root: isRoot }),
            ...(error !== undefined && { error }),
            ...(runType !== undefined && { run_type: runType }),
          });
          const want = expected(runs);
          expect(got.run_count).toBe(want.run_count);
          if (want.run_count === 0) expect(got.error_rate).toBeNull();
          else expect(got.error_rate).toBeCloseTo(want.error_rate as number, 12);
          expect(got.latency_p99).toBe(want.latency_p99);
        },
      ),
      { numRuns: 40 },
    );
  });
});
