import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { textOf } from "../support/stack.js";
import { nodesOf, runsOf } from "../support/runs.js";

const BUDGET = 4_000;
const tokens = (text: string): number => countTokens(text, { disallowedSpecial: new Set() });

describe("result token budget (server started with a 4,000-token budget)", () => {
  let stack: InMemoryStack;
  beforeAll(async () => {
    stack = await startInMemoryStack({ env: { LANGSMITH_MCP_MAX_OUTPUT_TOKENS: String(BUDGET) } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("sizes pages to the budget (fewer runs than page_size), and the cursor still covers every run exactly once", async () => {
    const args = { project: "support-bot", start_time: "6h", fields: "detailed", page_size: 100 };
    const ids: string[] = [];
    let cursor: string | undefined;
    let budgetSizedPages = 0;
    let pages = 0;
    let window: { start_time: string; end_time: string } | undefined;
    do {
      const result = await stack.call("query_runs", { ...args, ...(cursor && { cursor }) });
      expect(result.isError, textOf(result)).toBeFalsy();
      const page = result.structuredContent as { next_cursor?: string; notes: string[]; window: typeof window };
      window ??= page.window;
      expect(tokens(JSON.stringify(result.structuredContent))).toBeLessThanOrEqual(BUDGET);
      expect(tokens(textOf(result))).toBeLessThanOrEqual(BUDGET);
      const shown = runsOf(result).map((r) => r.id);
      if (page.next_cursor && shown.length < args.page_size) budgetSizedPages++;
      ids.push(...shown);
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 500);

    const project = stack.sim.store.projectByName(stack.sim.workspaceId, "support-bot")!;
    const [min, max] = [Date.parse(window!.start_time), Date.parse(window!.end_time)];
    const expected = stack.sim.store
      .runsOfProject(project.id)
      // LangSmith orders by the exact (microsecond) start; the window's bounds are milliseconds.
      .filter((r) => r.start_time * 1000 + r.start_us >= min * 1000 && r.start_time * 1000 + r.start_us <= max * 1000)
      .sort((a, b) => b.start_time * 1000 + b.start_us - (a.start_time * 1000 + a.start_us) || (a.id < b.id ? 1 : -1))
      .map((r) => r.id);
    expect(budgetSizedPages).toBeGreaterThan(0);
    expect(ids).toEqual(expected);
  });

  it("get_trace cuts a large tree to the budget with a note", async () => {
    const project = stack.sim.store.projectByName(stack.sim.workspaceId, "checkout-bot")!;
    const root = stack.sim.store
      .runsOfProject(project.id)
      .filter((r) => r.parent_run_id === null)
      .sort((a, b) => stack.sim.store.runsOfTrace(b.id).length - stack.sim.store.runsOfTrace(a.id).length)[0]!;
    const result = await stack.call("get_trace", { trace_id: root.id });
    const trace = { ...(result.structuredContent as { run_count: number; truncated: boolean; notes: string[] }), nodes: nodesOf(result) };
    expect(trace.run_count).toBe(stack.sim.store.runsOfTrace(root.id).length);
    expect(tokens(JSON.stringify(result.structuredContent))).toBeLessThanOrEqual(BUDGET);
    expect(tokens(textOf(result))).toBeLessThanOrEqual(BUDGET);
    if (trace.nodes.length < trace.run_count) {
      expect(trace.truncated).toBe(true);
      expect(trace.notes.join(" ")).toMatch(/Showing the first/);
    }
  });
});
