/**
 * Breaker: the purge resources of a 10,000-trace purge that an agent verified 30 times while
 * waiting for LangSmith's weekend batch. deletion_report (the tool) fits its result to the
 * 20,000-token budget, but the same evidence read as a resource did not: ledger://purges/{id}
 * came back at ~50k tokens (every verification's 50 remaining ids, pretty-printed),
 * report.md at ~35k and report.json at ~47k, which one client refuses outright (25k).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { SimRun } from "../../src/simulator/model.js";
import { oneRunTrace } from "../../src/simulator/seed.js";
import { countTokens } from "../../src/tokens.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";

const BUDGET = 20_000;
const DAY = 86_400_000;
const TRACES = 10_000;

let stack: InMemoryStack;
let purgeId: string;

/** A project of 10,000 single-run traces of one user over the last 20 days. */
function seedBigProject(): void {
  const sim = stack.sim;
  const now = sim.clock.now();
  const project = {
    id: randomUUID(),
    tenant_id: sim.workspaceId,
    name: "big-purge",
    description: null,
    start_time: now - 40 * DAY,
    end_time: null,
    reference_dataset_id: null,
    extra: null,
    conversational: false,
  };
  const runs: SimRun[] = [];
  for (let i = 0; i < TRACES; i++) {
    const start = now - 20 * DAY + i * 60_000;
    runs.push(
      oneRunTrace(randomUUID(), { tenantId: sim.workspaceId, projectId: project.id, startMs: start, metadata: { user_id: "u-7" } }),
    );
  }
  sim.store.addProject(project as never, runs);
}

beforeAll(async () => {
  // A Wednesday: the weekend batch is days away, so every verification is "pending".
  stack = await startInMemoryStack({ sim: { now: "2026-03-04T10:00:00.000Z", scale: 0.05 } });
  stack.sim.clock.setRate(0);
  seedBigProject();
  const criteria = { project: "big-purge", start_time: "30d", filter: 'eq(metadata_key, "user_id")' };
  const plan = await stack.call("queue_deletion", criteria);
  const token = (plan.structuredContent as { confirmation_token: string }).confirmation_token;
  const queued = await stack.call("queue_deletion", { ...criteria, confirmation_token: token });
  purgeId = (queued.structuredContent as { purge: { purge_id: string } }).purge.purge_id;
  for (let i = 0; i < 30; i++) await stack.call("verify_deletion", { purge_id: purgeId });
}, 120_000);
afterAll(async () => stack.close());

const read = async (uri: string): Promise<string> => ((await stack.client.readResource({ uri })).contents[0] as { text: string }).text;

it("ledger://purges/{id} fits the token budget and says the verifications shown are the newest", async () => {
  const text = await read(`ledger://purges/${purgeId}`);
  expect(await countTokens(text)).toBeLessThanOrEqual(BUDGET);
  const record = JSON.parse(text) as {
    verifications: Array<{ at: string }>;
    verifications_shown?: string;
    purge: { id: string; trace_count: number };
  };
  expect(record.purge.trace_count).toBe(TRACES);
  expect(record.verifications.length).toBeGreaterThan(0);
  expect(record.verifications_shown).toMatch(new RegExp(`^the newest ${record.verifications.length} of 30`));
});

it("report.md fits the token budget and says where the remaining trace ids are", async () => {
  const text = await read(`ledger://purges/${purgeId}/report.md`);
  expect(await countTokens(text)).toBeLessThanOrEqual(BUDGET);
  expect(text).toMatch(/of 10000 listed, from offset 0; the next start at ids_offset \d+/);
});

it("report.json fits the token budget and gives next_offset for the remaining trace ids", async () => {
  const text = await read(`ledger://purges/${purgeId}/report.json`);
  expect(await countTokens(text)).toBeLessThanOrEqual(BUDGET);
  const report = JSON.parse(text) as {
    trace_ids: { total: number; listed: unknown[]; next_offset: number };
    verifications: Array<{ checks?: number }>;
  };
  expect(report.trace_ids.total).toBe(TRACES);
  expect(report.trace_ids.listed.length).toBeGreaterThan(0);
  expect(report.trace_ids.next_offset).toBe(report.trace_ids.listed.length);
  // The evidence itself is never cut: every verification is in the report (repeated findings as one entry with their count).
  expect(report.verifications.reduce((n, v) => n + (v.checks ?? 1), 0)).toBe(30);
});
