/**
 * A page of runs costs the model at most half the tokens of LangSmith's own JSON for the same
 * runs and selects, in each view a client may show it: the text alone, and
 * JSON.stringify(structuredContent) alone (Claude Code shows that instead of the text). Counted
 * with the tokenizer package straight, and the raw answer fetched from the simulator's API
 * straight, not through this server. The clock is frozen, so every run computes the same page.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { countTokens as countWithPackage } from "gpt-tokenizer/encoding/o200k_base";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUN_SELECT_FIELDS } from "../../src/langsmith/index.js";
import { control } from "../../src/simulator/testing.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { runsOf } from "../support/runs.js";

const tokens = (text: string): number => countWithPackage(text, { disallowedSpecial: new Set() });
const textOf = (result: CallToolResult): string => result.content.map((c) => (c.type === "text" ? c.text : "")).join("");

/** The API's selects for each preset, written out from the tool's documented field lists. */
const SELECTS = {
  compact: [
    "ID",
    "NAME",
    "RUN_TYPE",
    "STATUS",
    "START_TIME",
    "END_TIME",
    "LATENCY_SECONDS",
    "TOTAL_TOKENS",
    "TOTAL_COST",
    "ERROR_PREVIEW",
    "TRACE_ID",
    "IS_ROOT",
  ],
  detailed: [
    "ID",
    "NAME",
    "RUN_TYPE",
    "STATUS",
    "START_TIME",
    "END_TIME",
    "LATENCY_SECONDS",
    "TOTAL_TOKENS",
    "PROMPT_TOKENS",
    "COMPLETION_TOKENS",
    "TOTAL_COST",
    "FIRST_TOKEN_TIME",
    "ERROR_PREVIEW",
    "TRACE_ID",
    "IS_ROOT",
    "PARENT_RUN_IDS",
    "THREAD_ID",
    "TAGS",
    "METADATA",
    "INPUTS_PREVIEW",
    "OUTPUTS_PREVIEW",
    "FEEDBACK_STATS",
    "PROJECT_ID",
  ],
  // Every field the API offers but the secret share URL and the pre-signed attachment URLs.
  full: RUN_SELECT_FIELDS.filter((field) => field !== "SHARE_URL" && field !== "ATTACHMENTS"),
};

describe("a page of runs costs each view at most half the raw JSON's tokens", () => {
  let stack: InMemoryStack;
  let window: { min_start_time: string; max_start_time: string };
  let projectId: string;

  beforeAll(async () => {
    // A fixed instant, not the real now: the seeded runs (anchored at the clock's start) then fall
    // the same way around midnight on every run, and a page's shared `date` column with them.
    stack = await startInMemoryStack({ sim: { now: "2026-11-30T15:00:00.000Z" } });
    await control(stack.sim, "POST", "clock", { rate: 0 });
    const now = stack.sim.clock.now();
    window = { min_start_time: new Date(now - 2 * 86_400_000).toISOString(), max_start_time: new Date(now).toISOString() };
    projectId = stack.sim.store.projectByName(stack.sim.workspaceId, "support-bot")!.id;
  });
  afterAll(async () => stack?.close());

  /** Raw v2 JSON of exactly the runs the page shows, with the same selects. */
  async function rawTokens(selects: readonly string[], ids: readonly string[]): Promise<number> {
    const response = await request(`${stack.sim.url}/api/v2/runs/query`, {
      method: "POST",
      headers: { "x-api-key": stack.sim.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ project_ids: [projectId], ...window, selects, page_size: 100 }),
    });
    const raw = (await response.body.json()) as { items: Array<{ id: string }> };
    return tokens(JSON.stringify({ ...raw, items: raw.items.filter((run) => ids.includes(run.id)) }));
  }

  it.each(Object.keys(SELECTS) as Array<keyof typeof SELECTS>)("fields %s: text ≤ 0.5×, structuredContent ≤ 0.5×", async (preset) => {
    const result = await stack.call("query_runs", {
      project: "support-bot",
      start_time: window.min_start_time,
      end_time: window.max_start_time,
      page_size: 100,
      fields: preset,
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    const ids = runsOf(result).map((run) => run.id);
    expect(ids.length).toBeGreaterThan(20);
    const raw = await rawTokens(SELECTS[preset], ids);
    expect(tokens(textOf(result)) / raw).toBeLessThanOrEqual(0.5);
    expect(tokens(JSON.stringify(result.structuredContent)) / raw).toBeLessThanOrEqual(0.5);
  });
});
