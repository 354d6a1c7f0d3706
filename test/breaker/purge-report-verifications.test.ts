/**
 * Breaker: the evidence report of a purge an agent kept polling. LangSmith deletes in a weekend
 * batch, so an agent checking every half hour from Monday records ~250 "pending" verifications
 * before the verdict changes. Each was a row of the report: 300 checks put deletion_report at
 * ~44k text / ~47k structured tokens (and report.json at ~54k), over the 25,000 one client
 * refuses, even though deletion_report fits its result by trimming trace ids.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, expect, it } from "vitest";
import { countTokens } from "../../src/tokens.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { runsOf } from "../support/runs.js";

const BUDGET = 20_000;
const CHECKS = 300;
const textOf = (result: CallToolResult): string => result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");

let stack: InMemoryStack;
let purgeId: string;
beforeAll(async () => {
  // A Monday: the weekend batch is days away, so every check is "pending".
  stack = await startInMemoryStack({ sim: { now: "2026-11-30T12:00:00.000Z" } });
  stack.sim.clock.setRate(0);
  const runs = runsOf(await stack.call("query_runs", { project: "support-bot", start_time: "30d", is_root: true, page_size: 3 }));
  const purge = { project: "support-bot", trace_ids: runs.map((run) => run.id) };
  const plan = await stack.call("queue_deletion", purge);
  const queued = await stack.call("queue_deletion", {
    ...purge,
    confirmation_token: (plan.structuredContent as { confirmation_token: string }).confirmation_token,
  });
  purgeId = (queued.structuredContent as { purge: { purge_id: string } }).purge.purge_id;
  for (let i = 0; i < CHECKS; i++) await stack.call("verify_deletion", { purge_id: purgeId });
}, 120_000);
afterAll(async () => stack.close());

type Check = { at: string; last_at?: string; checks?: number; verdict: string; visible: number };

it("deletion_report fits the budget and still accounts for every verification", async () => {
  const result = await stack.call("deletion_report", { purge_id: purgeId });
  expect(result.isError, textOf(result)).toBeFalsy();
  expect(await countTokens(textOf(result))).toBeLessThanOrEqual(BUDGET);
  expect(await countTokens(JSON.stringify(result.structuredContent))).toBeLessThanOrEqual(BUDGET);
  const report = result.structuredContent as { verifications: Check[]; final_verdict: string };
  expect(report.verifications.reduce((n, v) => n + (v.checks ?? 1), 0)).toBe(CHECKS);
  expect(report.verifications.every((v) => v.verdict === "pending" && v.visible === 3)).toBe(true);
  expect(report.final_verdict).toBe("pending");
  expect(textOf(result)).toMatch(new RegExp(`${CHECKS} checks`));
});

it("report.md and report.json fit the budget", async () => {
  for (const uri of [`ledger://purges/${purgeId}/report.md`, `ledger://purges/${purgeId}/report.json`]) {
    const text = ((await stack.client.readResource({ uri })).contents[0] as { text: string }).text;
    expect(await countTokens(text), uri).toBeLessThanOrEqual(BUDGET);
  }
});
