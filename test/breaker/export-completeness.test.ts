/**
 * Breaker: check_completeness on a long export. An export of 120 days completes; export_status
 * with check_completeness reconciles at most 100 partitions per call (the oldest), finds no
 * shortfall there and answered verdict "complete", text "Completeness: complete: …", although
 * the 20 partitions it never counted were the ones holding every row the export wrote. A
 * proof of completeness must not be claimed for data it did not look at. And an export of three
 * years (1,063 partitions) listed each unchecked partition on its own: export_status with
 * check_completeness and diagnose_export (which checks completeness by itself) came back at ~45k
 * structured tokens, over the 25,000 one client refuses.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, expect, it } from "vitest";
import { countTokens } from "../../src/tokens.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { destinationArgs } from "../support/tool-flows.js";

const textOf = (result: CallToolResult): string => result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");

let stack: InMemoryStack;
let exportId: string;
beforeAll(async () => {
  stack = await startInMemoryStack({ sim: { now: "2026-11-30T00:00:30.000Z" } });
  stack.sim.clock.setRate(0);
  const destination = await stack.call("create_destination", destinationArgs(stack.sim, "long-export"));
  const created = await stack.call("create_export", {
    project: "checkout-bot",
    destination: (destination.structuredContent as { destination: { id: string } }).destination.id,
    start_time: "2026-08-01T00:00:00Z",
    end_time: "2026-11-29T00:00:00Z",
  });
  exportId = (created.structuredContent as { export: { id: string } }).export.id;
  stack.sim.clock.advance(3 * 86_400_000);
}, 60_000);
afterAll(async () => stack.close());

it("export_status does not call a 120-partition export complete when it checked only 100 partitions", async () => {
  const result = await stack.call("export_status", { export_id: exportId, check_completeness: true, runs_limit: 0 });
  expect(result.isError, textOf(result)).toBeFalsy();
  const completeness = (result.structuredContent as { completeness: { verdict: string; partitions_checked: number; unchecked: unknown[] } })
    .completeness;
  expect(completeness.partitions_checked).toBe(100);
  // The last 20 days, as one range.
  expect(completeness.unchecked).toEqual([
    { start: "2026-11-09T00:00:00.000Z", end: "2026-11-29T00:00:00.000Z", why: "over the 100 partitions checked per call", partitions: 20 },
  ]);
  expect(completeness.verdict).toBe("partial");
  expect(textOf(result)).not.toMatch(/Completeness: complete/);
  expect(textOf(result)).toMatch(/Completeness: partly checked: no shortfall in the 100 partitions checked/);
  expect(textOf(result)).toMatch(/20 partitions not checked/);
});

it("diagnose_export does not call it complete either", async () => {
  const result = await stack.call("diagnose_export", { export_id: exportId });
  expect(result.isError, textOf(result)).toBeFalsy();
  expect(textOf(result)).not.toMatch(/Completeness: complete/);
  expect(textOf(result)).toMatch(/partly checked/);
});

it("an export of three years stays within the token budget in export_status and diagnose_export", async () => {
  const destination = await stack.call("create_destination", destinationArgs(stack.sim, "three-years"));
  const created = await stack.call("create_export", {
    project: "checkout-bot",
    destination: (destination.structuredContent as { destination: { id: string } }).destination.id,
    start_time: "2024-01-01T00:00:00Z",
    end_time: "2026-11-29T00:00:00Z",
  });
  const id = (created.structuredContent as { export: { id: string } }).export.id;
  stack.sim.clock.advance(10 * 86_400_000);
  for (const [tool, args] of [
    ["export_status", { export_id: id, check_completeness: true, runs_limit: 0 }],
    ["diagnose_export", { export_id: id }],
  ] as const) {
    const result = await stack.call(tool, args);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(await countTokens(textOf(result)), tool).toBeLessThanOrEqual(20_000);
    expect(await countTokens(JSON.stringify(result.structuredContent)), tool).toBeLessThanOrEqual(20_000);
    const completeness = (result.structuredContent as { completeness: { verdict: string; unchecked: Array<{ partitions?: number }> } })
      .completeness;
    expect(completeness.verdict).toBe("partial");
    expect(completeness.unchecked.reduce((n, u) => n + (u.partitions ?? 1), 0)).toBe(1063 - 100);
  }
});
