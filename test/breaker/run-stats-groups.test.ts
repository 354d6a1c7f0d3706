/**
 * Breaker: run_stats per group at its extremes. Grouped by a metadata key whose values are long
 * (a question, a prompt: what users store in metadata), 100 groups came back as ~28k text and
 * ~38k structured tokens, over the 20,000-token budget and over the 25,000 one client refuses
 * outright. And a group name holding `|` or a newline broke the Markdown table's columns, so a
 * model read the figures under the wrong heading.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterEach, beforeEach, expect, it } from "vitest";
import { countTokens } from "../../src/tokens.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";

const BUDGET = 20_000;
const textOf = (result: CallToolResult): string => result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");

let stack: InMemoryStack;
beforeEach(async () => {
  stack = await startInMemoryStack({ sim: { now: "2026-11-30T12:00:00.000Z" } });
  stack.sim.clock.setRate(0);
});
afterEach(async () => stack.close());

/** Sets metadata `key` on every root run of checkout-bot to `value(i)`. */
function tagRoots(key: string, value: (i: number) => string): void {
  const project = stack.sim.store.projectsOfTenant(stack.sim.workspaceId).find((p) => p.name === "checkout-bot")!;
  let i = 0;
  for (const run of stack.sim.store.runsOfProject(project.id))
    if (run.parent_run_id === null) run.metadata = { ...run.metadata, [key]: value(i++) };
}

it("100 groups with long names stay within the token budget in both views and say how many were shown", async () => {
  tagRoots("question", (i) => `question ${i}: ${"why was my card charged twice for the same order ".repeat(12)}`);
  const result = await stack.call("run_stats", {
    project: "checkout-bot",
    start_time: "7d",
    group_by: "metadata",
    group_key: "question",
    max_groups: 100,
    top_by: "latency",
    top_n: 50,
  });
  expect(result.isError, textOf(result)).toBeFalsy();
  expect(await countTokens(textOf(result))).toBeLessThanOrEqual(BUDGET);
  expect(await countTokens(JSON.stringify(result.structuredContent))).toBeLessThanOrEqual(BUDGET);
  const groups = (result.structuredContent as { groups: unknown[] }).groups;
  expect(groups.length).toBeGreaterThan(0);
  expect(groups.length).toBeLessThan(100);
  // Whichever view the model reads, it learns the list was cut and how to see the rest.
  expect(textOf(result)).toMatch(new RegExp(`${groups.length} of 100 groups`));
  expect(JSON.stringify(result.structuredContent)).toMatch(new RegExp(`${groups.length} of 100 groups`));
});

it("a group name holding | or a line break stays in its own cell of the table", async () => {
  tagRoots("plan", (i) => (i % 2 ? "pro | annual" : "free\nmonthly"));
  const result = await stack.call("run_stats", { project: "checkout-bot", start_time: "7d", group_by: "metadata", group_key: "plan" });
  expect(result.isError, textOf(result)).toBeFalsy();
  const rows = textOf(result)
    .split("\n")
    .filter((line) => line.startsWith("|"));
  // Header, rule, all, and the two groups: each with the header's 10 unescaped bars.
  expect(rows).toHaveLength(5);
  for (const row of rows) expect(row.match(/(?<!\\)\|/g)).toHaveLength(10);
  expect(textOf(result)).toContain("| pro \\| annual |");
});
