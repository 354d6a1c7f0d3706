/**
 * Fidelity: the official `langsmith` JS client, pointed at the simulator with a bare API URL,
 * reads projects and runs and gets exactly what the store holds. If LangSmith's SDK changes
 * the paths, bodies or response fields it relies on, this is where the simulator falls behind.
 */
import { Client } from "langsmith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "./index.js";
import type { SimProject, SimRun } from "./model.js";

const NOW = "2025-06-01T12:00:00.000Z";
let sim: RunningSimulator;
let client: Client;
let project: SimProject;

const runsOf = (p: SimProject): readonly SimRun[] => sim.store.runsOfProject(p.id);
const newestFirst = (runs: readonly SimRun[]): string[] =>
  [...runs].sort((a, b) => b.start_time - a.start_time || (a.id < b.id ? 1 : -1)).map((r) => r.id);

beforeAll(async () => {
  sim = await startSimulator({ now: NOW, rateLimits: false });
  client = new Client({ apiUrl: sim.url, apiKey: sim.apiKey, autoBatchTracing: false });
  const found = sim.store.projectByName(sim.workspaceId, "support-bot");
  if (!found) throw new Error("seed has no support-bot");
  project = found;
});

afterAll(async () => {
  await sim.close();
});

describe("official langsmith client against the simulator", () => {
  it("reads a project by name and by id", async () => {
    const byName = await client.readProject({ projectName: "support-bot" });
    expect(byName.id).toBe(project.id);
    expect(byName.name).toBe("support-bot");
    const byId = await client.readProject({ projectId: project.id });
    expect(byId.name).toBe("support-bot");
  });

  it("lists exactly the default workspace's projects", async () => {
    const names: string[] = [];
    for await (const p of client.listProjects()) names.push(p.name ?? "");
    const expected = sim.store.projectsOfTenant(sim.workspaceId).map((p) => p.name);
    expect(names.sort()).toEqual(expected.sort());
  });

  it("lists root runs of a project newest first, as the store orders them", async () => {
    const ids: string[] = [];
    // The SDK sends `limit` in the body as is; the API caps it at 100 (contract §3.3).
    for await (const run of client.listRuns({ projectName: "support-bot", isRoot: true, limit: 100 })) ids.push(run.id);
    const expected = newestFirst(runsOf(project).filter((r) => r.parent_run_id === null)).slice(0, 100);
    expect(ids).toEqual(expected);
  });

  it("lists runs matching a filter across several pages, every one exactly once", async () => {
    const ids: string[] = [];
    for await (const run of client.listRuns({ projectName: "support-bot", filter: 'and(eq(run_type, "llm"), eq(status, "error"))' }))
      ids.push(run.id);
    const expected = newestFirst(runsOf(project).filter((r) => r.run_type === "llm" && r.status === "error"));
    expect(expected.length).toBeGreaterThan(0);
    expect(ids).toEqual(expected);
  });

  it("combines runType, error and startTime the way the SDK sends them", async () => {
    const since = new Date(Date.parse(NOW) - 24 * 3600_000);
    const runs = [];
    for await (const run of client.listRuns({ projectName: "support-bot", runType: "llm", error: true, startTime: since })) runs.push(run);
    const expected = newestFirst(
      runsOf(project).filter((r) => r.run_type === "llm" && r.status === "error" && r.start_time >= since.getTime()),
    );
    expect(runs.map((r) => r.id)).toEqual(expected);
    for (const run of runs) {
      expect(run.run_type).toBe("llm");
      expect(run.status).toBe("error");
      expect(run.session_id).toBe(project.id);
      expect(run.error).toEqual(expect.any(String));
    }
  });

  it("reads one run with the v1 fields the SDK exposes", async () => {
    const stored = runsOf(project).find((r) => r.run_type === "llm" && r.status === "success" && r.parent_run_id !== null);
    if (!stored) throw new Error("seed has no successful llm run");
    const run = await client.readRun(stored.id);
    expect(run.id).toBe(stored.id);
    expect(run.trace_id).toBe(stored.trace_id);
    expect(run.parent_run_id).toBe(stored.parent_run_id);
    expect(run.dotted_order).toBe(stored.dotted_order);
    expect(run.total_tokens).toBe(stored.total_tokens);
    expect(new Date(run.start_time as string).getTime()).toBe(stored.start_time);
    expect(run.end_time && new Date(run.end_time as string).getTime()).toBe(stored.end_time);
  });
});
