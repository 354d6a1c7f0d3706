/**
 * A process's time zone is the process's own: only a spawned server shows that LangSmith's
 * times are read as UTC whatever TZ says. The v1 API writes naive UTC times
 * (`2026-11-29T10:00:00.123456`), which JavaScript reads as local time; far from UTC a slip
 * moves every time by hours. What the tools do with times is tested in memory
 * (test/integration/run-tools.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, textOf, type Stack } from "../support/stack.js";
import { nodesOf, runsOf } from "../support/runs.js";

const ERRORED_LLM = 'and(eq(run_type, "llm"), neq(error, null))';

describe("run tools in a server process far from UTC (TZ=Pacific/Auckland, built server over stdio)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { TZ: "Pacific/Auckland" } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("query_runs pages through errored LLM runs of the last day: every run exactly once, newest first", async () => {
    const pages: { window: { start_time: string; end_time: string }; next_cursor?: string }[] = [];
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const result = await stack.call("query_runs", {
        project: "checkout-bot",
        start_time: "24h",
        filter: ERRORED_LLM,
        page_size: 7,
        ...(cursor && { cursor }),
      });
      expect(result.isError, textOf(result)).toBeFalsy();
      pages.push(result.structuredContent as (typeof pages)[number]);
      ids.push(...runsOf(result).map((r) => r.id));
      cursor = pages.at(-1)!.next_cursor;
    } while (cursor && pages.length < 200);
    const [min, max] = [Date.parse(pages[0]!.window.start_time), Date.parse(pages[0]!.window.end_time)];
    const { store, workspaceId } = stack.sim;
    const expected = store
      .runsOfProject(store.projectByName(workspaceId, "checkout-bot")!.id)
      .filter((r) => r.run_type === "llm" && r.error !== null && r.start_time >= min && r.start_time <= max)
      .sort((a, b) => b.start_time - a.start_time || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    expect(expected.length).toBeGreaterThan(7);
    expect(ids).toEqual(expected.map((r) => r.id));
  });

  it("list_projects, get_run and get_trace show the stored times, in UTC", async () => {
    const { store, workspaceId } = stack.sim;
    const project = store.projectByName(workspaceId, "checkout-bot")!;
    const listed = await stack.call("list_projects", { name_contains: "checkout-bot" });
    const [shown] = (listed.structuredContent as { projects: { id: string; start_time: string }[] }).projects.filter(
      (p) => p.id === project.id,
    );
    expect(Date.parse(shown!.start_time)).toBe(project.start_time);

    const root = store
      .runsOfProject(store.projectByName(workspaceId, "checkout-bot")!.id)
      .find((r) => r.parent_run_id === null && store.runsOfTrace(r.id).length > 2)!;
    const got = await stack.call("get_run", { run_id: root.id });
    expect(got.isError, textOf(got)).toBeFalsy();
    expect(Date.parse((got.structuredContent as { run: { start_time: string } }).run.start_time)).toBe(root.start_time);

    const trace = await stack.call("get_trace", { trace_id: root.id });
    const nodes = nodesOf<{ id: string; start_time: string }>(trace);
    expect(nodes.length).toBe(store.runsOfTrace(root.id).length);
    for (const node of nodes)
      expect(Date.parse(node.start_time), node.id).toBe(store.runsOfTrace(root.id).find((r) => r.id === node.id)!.start_time);
  });
});
