/**
 * Fidelity of the simulator's stats and threads routes as seen by a client nobody here wrote:
 * the official `langsmith` npm package (its classic `Client.getRunStats`, which posts to
 * `<api url>/runs/stats`, and its generated `Langsmith.threads` resource, which pages with
 * `next_cursor`), pointed at the simulator. Expected values come from the raw seeded runs.
 */
import { Client, Langsmith } from "langsmith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, startSimulator, type RunningSimulator, type SimRun } from "../../src/simulator/index.js";

const NOW = "2025-06-01T12:00:00.000Z";
const DAY = 86_400_000;
let sim: RunningSimulator;
let classic: Client;
let sdk: Langsmith;

beforeAll(async () => {
  sim = await startSimulator({ now: NOW, scale: 0.3 });
  await control(sim, "POST", "clock", { rate: 0 });
  classic = new Client({ apiUrl: sim.url, apiKey: sim.apiKey, autoBatchTracing: false });
  sdk = new Langsmith({ baseURL: sim.url, apiKey: sim.apiKey, tenantID: sim.workspaceId, maxRetries: 0 });
});
afterAll(() => sim.close());

const project = (name: string): string => sim.store.projectByName(sim.workspaceId, name)!.id;
const startUs = (r: SimRun): number => r.start_time * 1000 + r.start_us;

describe("the official langsmith client against the simulator's stats and threads", () => {
  it("getRunStats counts a project's traces in a window and their errors as the raw runs do", async () => {
    const from = Date.parse(NOW) - 3 * DAY;
    const roots = sim.store.runsOfProject(project("checkout-bot")).filter((r) => r.parent_run_id === null && startUs(r) >= from * 1000);
    const stats = await classic.getRunStats({ projectNames: ["checkout-bot"], startTime: new Date(from).toISOString(), isRoot: true });
    expect(stats.run_count).toBe(roots.length);
    expect(stats.error_rate).toBeCloseTo(roots.filter((r) => r.status === "error").length / roots.length, 12);
    expect(Number(stats.total_cost)).toBeCloseTo(
      roots.reduce((a, r) => a + (r.total_cost ?? 0), 0),
      6,
    );
  });

  it("threads.query pages through every thread active in a window; listTraces gives one thread's turns", async () => {
    const support = project("support-bot");
    const from = Date.parse(NOW) - 5 * DAY;
    const roots = sim.store
      .runsOfProject(support)
      .filter((r) => r.parent_run_id === null && r.thread_id !== null && startUs(r) >= from * 1000);
    const want = new Set(roots.map((r) => r.thread_id));
    const seen: string[] = [];
    for await (const thread of sdk.threads.query({
      project_id: support,
      min_start_time: new Date(from).toISOString(),
      max_start_time: NOW,
      page_size: 7,
    })) {
      seen.push(thread.thread_id ?? "");
      expect(thread.count).toBe(roots.filter((r) => r.thread_id === thread.thread_id).length);
    }
    expect(seen.length).toBe(want.size);
    expect(new Set(seen)).toEqual(want);

    const threadId = [...want][0]!;
    const all = sim.store.runsOfProject(support).filter((r) => r.parent_run_id === null && r.thread_id === threadId);
    const traces: string[] = [];
    for await (const trace of sdk.threads.listTraces(threadId, { project_id: support, page_size: 1, selects: ["START_TIME"] }))
      traces.push(trace.trace_id ?? "");
    expect(traces).toEqual(all.sort((a, b) => startUs(a) - startUs(b)).map((r) => r.trace_id));
  });
});
