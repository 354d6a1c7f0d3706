import { beforeAll, describe, expect, it } from "vitest";
import type { SimRun } from "./model.js";
import { dottedSegment, generateDataset } from "./seed.js";
import { SimStore } from "./store.js";

const NOW = Date.parse("2025-06-01T12:00:00.000Z");
const DAY = 86_400_000;
const BUSY = ["checkout-bot", "support-bot", "rag-search"];
let store: SimStore;
let runs: SimRun[];

beforeAll(() => {
  const data = generateDataset(42, NOW, 1);
  runs = data.runs;
  store = new SimStore(data);
});

const projectRuns = (name: string): readonly SimRun[] =>
  store.runsOfProject(store.projectByName(store.defaultWorkspace.id, name)?.id ?? "");
const roots = (list: readonly SimRun[]) => list.filter((r) => r.parent_run_id === null);

describe("seeded data set", () => {
  it("is identical for the same seed and now, different for another seed", () => {
    const again = generateDataset(42, NOW, 1);
    expect(again.runs.length).toBe(runs.length);
    expect(JSON.stringify(again.runs.slice(0, 200))).toBe(JSON.stringify(runs.slice(0, 200)));
    expect(again.apiKey).toBe(store.apiKey);
    const other = generateDataset(7, NOW, 1);
    expect(other.runs[0]?.id).not.toBe(runs[0]?.id);
  });

  it("has the default size: five projects in the default workspace, 30k-40k runs, busy projects with 1,200-1,500 traces", () => {
    expect(
      store
        .projectsOfTenant(store.defaultWorkspace.id)
        .map((p) => p.name)
        .sort(),
    ).toEqual(["checkout-bot", "empty-project", "eval-nightly", "rag-search", "support-bot"]);
    expect(runs.length).toBeGreaterThan(30_000);
    expect(runs.length).toBeLessThan(40_000);
    for (const name of BUSY) {
      const traces = roots(projectRuns(name)).length;
      expect(traces).toBeGreaterThanOrEqual(1_200);
      expect(traces).toBeLessThanOrEqual(1_500);
    }
    expect(projectRuns("empty-project")).toHaveLength(0);
    expect(store.projectByName(store.defaultWorkspace.id, "eval-nightly")?.reference_dataset_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("scales the number of traces", () => {
    const small = generateDataset(42, NOW, 0.1);
    expect(small.runs.length).toBeGreaterThan(runs.length * 0.07);
    expect(small.runs.length).toBeLessThan(runs.length * 0.13);
  });

  it("lays traces over the last 7 days, denser in the last 24 h, none in the future", () => {
    const starts = roots(projectRuns("checkout-bot")).map((r) => r.start_time);
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(NOW - 7 * DAY);
    expect(Math.max(...runs.map((r) => r.start_time))).toBeLessThanOrEqual(NOW);
    const lastDay = starts.filter((s) => s > NOW - DAY).length;
    expect(lastDay / starts.length).toBeGreaterThan(0.3);
  });

  it("builds consistent trees: parent chains, trace ids, dotted orders, spans and execution order", () => {
    // One expect per broken invariant, not per run: 35k runs x 8 expects would dominate the suite.
    const broken = new Map<string, string>();
    const check = (ok: boolean, what: string, run: SimRun) => {
      if (!ok && !broken.has(what)) broken.set(what, run.id);
    };
    for (const run of runs) {
      check(store.rootOf(run)?.parent_run_id === null, "trace_id names a root", run);
      if (run.parent_run_id === null) {
        check(run.trace_id === run.id, "root trace_id is its id", run);
        check(run.parent_run_ids.length === 0, "root has no parent_run_ids", run);
        check(run.dotted_order === dottedSegment(run.start_time, run.id, run.start_us), "root dotted_order", run);
        continue;
      }
      const parent = store.run(run.parent_run_id) as SimRun;
      check(parent.trace_id === run.trace_id && parent.project_id === run.project_id, "parent in same trace and project", run);
      check(
        JSON.stringify(run.parent_run_ids) === JSON.stringify([...parent.parent_run_ids, parent.id]),
        "parent_run_ids root to parent",
        run,
      );
      check(
        run.dotted_order === `${parent.dotted_order}.${dottedSegment(run.start_time, run.id, run.start_us)}`,
        "dotted_order extends the parent's",
        run,
      );
      check(parent.child_run_ids.includes(run.id), "parent lists the child", run);
      check(run.start_time * 1000 + run.start_us >= parent.start_time * 1000 + parent.start_us, "child starts inside the parent", run);
      check(run.end_time === null || parent.end_time === null || run.end_time <= parent.end_time, "child ends inside the parent", run);
      check(run.execution_order > parent.execution_order, "execution_order after the parent", run);
    }
    expect(Object.fromEntries(broken)).toEqual({});
  });

  it("writes dotted_order segments as YYYYMMDDTHHMMSSffffffZ + id without dashes", () => {
    expect(dottedSegment(Date.parse("2024-01-15T10:30:00.123Z"), "018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327")).toBe(
      "20240115T103000123000Z018e4c7ea9fb7ef0a5b66ea3a82e9327",
    );
  });

  it("propagates a leaf's error to every ancestor", () => {
    const errored = runs.filter((r) => r.status === "error");
    expect(roots(errored).length / roots(runs).length).toBeGreaterThan(0.04);
    expect(roots(errored).length / roots(runs).length).toBeLessThan(0.12);
    const unpropagated = errored.filter(
      (run) =>
        typeof run.error !== "string" ||
        run.parent_run_ids.some((id) => store.run(id)?.status !== "error" || store.run(id)?.error !== run.error),
    );
    expect(unpropagated.map((r) => r.id)).toEqual([]);
  });

  it("gives every busy project errored LLM runs in the last 24 h", () => {
    for (const name of BUSY) {
      const recent = projectRuns(name).filter((r) => r.run_type === "llm" && r.status === "error" && r.start_time > NOW - DAY);
      expect(recent.length, name).toBeGreaterThanOrEqual(3);
    }
  });

  it("leaves a few very recent traces pending with null end_time up the chain", () => {
    const pending = runs.filter((r) => r.status === "pending");
    expect(pending.length).toBeGreaterThan(0);
    for (const run of pending) {
      expect(run.end_time).toBeNull();
      expect(run.start_time).toBeGreaterThan(NOW - 10 * 60_000);
      for (const id of run.parent_run_ids) expect(store.run(id)?.status).toBe("pending");
    }
  });

  it("carries LLM metadata, tokens and numeric costs; chains sum their children", () => {
    const llm = runs.find((r) => r.run_type === "llm" && r.status === "success") as SimRun;
    expect(llm.metadata).toMatchObject({
      ls_model_name: expect.stringMatching(/^(gpt-4o|claude-sonnet-4-5)$/),
      ls_provider: expect.any(String),
      user_id: expect.any(String),
    });
    expect(llm.total_tokens).toBe((llm.prompt_tokens ?? 0) + (llm.completion_tokens ?? 0));
    expect(typeof llm.total_cost).toBe("number");
    const root = roots(runs).find((r) => r.status === "success") as SimRun;
    const llmDescendants = store.runsOfTrace(root.trace_id).filter((r) => r.run_type === "llm" || r.run_type === "embedding");
    expect(root.total_tokens).toBe(llmDescendants.reduce((n, r) => n + (r.total_tokens ?? 0), 0));
  });

  it("makes support-bot conversational, with dozens of traces of user 123", () => {
    const supportRoots = roots(projectRuns("support-bot"));
    const threads = new Map<string, number>();
    for (const r of supportRoots) threads.set(r.thread_id ?? "none", (threads.get(r.thread_id ?? "none") ?? 0) + 1);
    expect(threads.has("none")).toBe(false);
    expect([...threads.values()].some((n) => n >= 3)).toBe(true);
    const user123 = supportRoots.filter((r) => r.metadata["user_id"] === "123");
    expect(user123.length).toBeGreaterThanOrEqual(24);
  });

  it("shares about 1% of traces and has a handful of 100-300 KB outputs", () => {
    const shared = roots(runs).filter((r) => r.share_token !== null);
    expect(shared.length / roots(runs).length).toBeGreaterThan(0.004);
    expect(shared.length / roots(runs).length).toBeLessThan(0.03);
    const large = runs.filter((r) => r.outputs !== null && JSON.stringify(r.outputs).length > 100_000);
    expect(large.length).toBeGreaterThanOrEqual(5);
    for (const r of large) expect(JSON.stringify(r.outputs).length).toBeLessThan(300_000);
  });

  it("puts the second workspace's projects out of the default workspace", () => {
    const other = store.workspaces[1];
    expect(other).toBeDefined();
    expect(
      store
        .projectsOfTenant(other?.id ?? "")
        .map((p) => p.name)
        .sort(),
    ).toEqual(["checkout-bot", "internal-tools"]);
  });
});
