/**
 * Breaker: list_threads cut to the token budget. When a page of threads did not fit (long first
 * inputs, or a smaller --max-output-tokens), list_threads showed the first N threads and still
 * handed out LangSmith's next_cursor, which points after the whole page it read: an agent paging
 * on with next_cursor silently skipped every thread that was cut. Paging must reach every thread
 * exactly once.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";

const textOf = (result: CallToolResult): string => result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");

let stack: InMemoryStack;
beforeAll(async () => {
  stack = await startInMemoryStack({ sim: { now: "2026-11-30T12:00:00.000Z" }, env: { LANGSMITH_MCP_MAX_OUTPUT_TOKENS: "2000" } });
  stack.sim.clock.setRate(0);
}, 60_000);
afterAll(async () => stack.close());

it("pages through every thread exactly once when pages are cut to the budget", async () => {
  const window = { start_time: "2026-11-29T00:00:00Z", end_time: "2026-11-30T12:00:00Z" };
  // What LangSmith holds for the window, read straight from its API (not through the tool).
  const project = stack.sim.store.projectsOfTenant(stack.sim.workspaceId).find((p) => p.name === "support-bot")!;
  const truth: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await stack.api.queryThreads({
      project_id: project.id,
      min_start_time: window.start_time,
      max_start_time: window.end_time,
      page_size: 100,
      ...(cursor && { cursor }),
    });
    truth.push(...(page.items ?? []).map((t) => t.thread_id!));
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  expect(truth.length).toBeGreaterThan(30);

  const seen: string[] = [];
  let next: string | undefined;
  let cut = false;
  for (let calls = 0; calls < 200; calls++) {
    const result = await stack.call("list_threads", { project: "support-bot", ...window, limit: 30, ...(next && { cursor: next }) });
    expect(result.isError, textOf(result)).toBeFalsy();
    const page = result.structuredContent as { threads?: Array<{ thread_id: string }>; next_cursor?: string; count: number };
    if ((page.threads?.length ?? 0) < 30 && page.next_cursor) cut = true;
    seen.push(...(page.threads ?? []).map((t) => t.thread_id));
    next = page.next_cursor;
    if (!next) break;
  }
  expect(cut).toBe(true);
  expect(seen).toEqual(truth);
});
