/**
 * Breaker: a purge with all_projects in a workspace of 605 projects (organisations keep hundreds
 * of tracing projects). Every project searched was named with its id, several times: the plan came
 * back at ~27k text / ~26k structured tokens and the queued result at ~40k text tokens, over the
 * 25,000 one client refuses. A refused plan means the user never sees the confirmation token; a
 * refused queue result means the agent never learns the purge id of traces it just deleted.
 * list_deletions, verify_deletion and deletion_report carried the same list.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { countTokens } from "../../src/tokens.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";

const BUDGET = 20_000;
const EXTRA_PROJECTS = 600;
const textOf = (result: CallToolResult): string => result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");

let stack: InMemoryStack;
let userTraces: number;
beforeAll(async () => {
  stack = await startInMemoryStack({ sim: { now: "2026-11-30T12:00:00.000Z" } });
  stack.sim.clock.setRate(0);
  const now = stack.sim.clock.now();
  for (let i = 0; i < EXTRA_PROJECTS; i++) {
    const project = {
      id: randomUUID(),
      tenant_id: stack.sim.workspaceId,
      name: `team-${i}-tracing-project`,
      description: null,
      start_time: now - 40 * 86_400_000,
      end_time: null,
      reference_dataset_id: null,
      extra: null,
      conversational: false,
    };
    stack.sim.store.addProject(project as never, []);
  }
  // The user's traces, counted from the simulator's own store: root runs with metadata user_id 35580.
  userTraces = stack.sim.store
    .allProjects()
    .flatMap((p) => stack.sim.store.runsOfProject(p.id))
    .filter((r) => r.parent_run_id === null && r.metadata["user_id"] === "35580").length;
}, 60_000);
afterAll(async () => stack.close());

async function withinBudget(result: CallToolResult): Promise<void> {
  expect(result.isError, textOf(result)).toBeFalsy();
  expect(await countTokens(textOf(result))).toBeLessThanOrEqual(BUDGET);
  expect(await countTokens(JSON.stringify(result.structuredContent))).toBeLessThanOrEqual(BUDGET);
}

it("plans, queues, lists, verifies and reports an all-projects purge of a 605-project workspace within the budget", async () => {
  expect(userTraces).toBeGreaterThan(0);
  const criteria = { all_projects: true, metadata: ["user_id=35580"] };
  const plan = await stack.call("queue_deletion", criteria);
  await withinBudget(plan);
  const planned = plan.structuredContent as {
    plan: { trace_count: number; projects_searched: number; projects: Array<{ name: string; traces: number }> };
    confirmation_token: string;
  };
  expect(planned.plan.trace_count).toBe(userTraces);
  expect(planned.plan.projects_searched).toBe(EXTRA_PROJECTS + 5);
  // The projects holding matches are still named, with their counts, in both views.
  expect(planned.plan.projects.every((p) => p.traces > 0)).toBe(true);
  expect(planned.plan.projects.reduce((n, p) => n + p.traces, 0)).toBe(userTraces);
  for (const p of planned.plan.projects) expect(textOf(plan)).toContain(`${p.name} ${p.traces}`);
  expect(textOf(plan)).toMatch(new RegExp(`all ${EXTRA_PROJECTS + 5} projects of the workspace`));

  const queued = await stack.call("queue_deletion", { ...criteria, confirmation_token: planned.confirmation_token });
  await withinBudget(queued);
  const purgeId = (queued.structuredContent as { purge: { purge_id: string } }).purge.purge_id;
  expect((queued.structuredContent as { status: string }).status).toBe("queued");

  const listed = await stack.call("list_deletions", {});
  await withinBudget(listed);
  await withinBudget(await stack.call("verify_deletion", { purge_id: purgeId }));
  await withinBudget(await stack.call("deletion_report", { purge_id: purgeId }));
  for (const uri of [`ledger://purges/${purgeId}`, `ledger://purges/${purgeId}/report.md`, `ledger://purges/${purgeId}/report.json`]) {
    const text = ((await stack.client.readResource({ uri })).contents[0] as { text: string }).text;
    expect(await countTokens(text), uri).toBeLessThanOrEqual(BUDGET);
  }
  // The purge's entry in resources/list describes it in a line, not with 605 project names.
  const entry = (await stack.client.listResources()).resources.find((r) => r.uri === `ledger://purges/${purgeId}`);
  expect(entry?.description).toMatch(/all 605 projects/);
  expect(entry!.description!.length).toBeLessThan(400);
});
