/**
 * verify_deletion without a purge id takes the criteria as queue_deletion does: one project,
 * several (projects) or the whole workspace (all_projects), metadata pairs, filters, a window
 * (issue 17). Through the SDK Client ↔ buildServer in memory ↔ the simulator; the expected
 * counts come from the simulator's seeded runs by a plain loop, not from the discovery code.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control } from "../../src/simulator/index.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { textOf } from "../support/stack.js";

const START = "2026-03-04T10:00:00.000Z"; // a Wednesday; the weekend batch runs Saturday 02:00 UTC
const AFTER_WEEKEND = "2026-03-07T03:00:00Z";

interface ByCriteria {
  verdict: string;
  remaining_count: number;
  remaining_ids: string[];
  remaining_by_project: { id: string; name: string; remaining: number }[];
  time_window: { start_time: string; end_time: string };
}

let stack: InMemoryStack;

beforeAll(async () => {
  stack = await startInMemoryStack({ sim: { now: START } });
});
afterAll(() => stack?.close());

const ok = <T>(result: CallToolResult): T => {
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as T;
};

/** Root traces of user 123 per project name, read straight from the seeded runs. */
function user123ByProject(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const project of stack.sim.store.projectsOfTenant(stack.sim.workspaceId)) {
    out.set(
      project.name,
      stack.sim.store
        .runsOfProject(project.id)
        .filter((r) => r.parent_run_id === null && r.metadata["user_id"] === "123")
        .map((r) => r.id),
    );
  }
  return out;
}

describe("verify_deletion by criteria across projects", () => {
  it("re-queries every project of the workspace by metadata and counts what still matches, per project", async () => {
    const expected = user123ByProject();
    const total = [...expected.values()].reduce((n, ids) => n + ids.length, 0);
    expect(total).toBeGreaterThan(0);
    const result = await stack.call("verify_deletion", { all_projects: true, metadata: ["user_id=123"], max_ids: 1000 });
    const check = ok<ByCriteria>(result);
    expect(check.verdict).toBe("not_verified");
    expect(check.remaining_count).toBe(total);
    expect(new Set(check.remaining_ids)).toEqual(new Set([...expected.values()].flat()));
    expect(Object.fromEntries(check.remaining_by_project.map((p) => [p.name, p.remaining]))).toEqual(
      Object.fromEntries([...expected].map(([name, ids]) => [name, ids.length])),
    );
    expect(textOf(result)).toMatch(new RegExp(`^${total} trace\\(s\\) in all ${expected.size} projects of the workspace \\(`));
    for (const p of check.remaining_by_project) expect(textOf(result)).toContain(`${p.name} (${p.id}) ${expected.get(p.name)!.length}`);
  });

  it("re-queries only the projects listed", async () => {
    const expected = user123ByProject();
    const check = ok<ByCriteria>(
      await stack.call("verify_deletion", { projects: ["support-bot", "checkout-bot"], metadata: ["user_id=123"], max_ids: 1000 }),
    );
    expect(check.remaining_by_project.map((p) => [p.name, p.remaining])).toEqual([
      ["support-bot", expected.get("support-bot")!.length],
      ["checkout-bot", expected.get("checkout-bot")!.length],
    ]);
    expect(check.remaining_count).toBe(expected.get("support-bot")!.length + expected.get("checkout-bot")!.length);
  });

  it("calls a workspace-wide purge verified by criteria once LangSmith's weekend batch has deleted it", async () => {
    const criteria = { all_projects: true, metadata: ["user_id=123"] };
    const plan = ok<{ confirmation_token: string }>(await stack.call("queue_deletion", criteria));
    ok(await stack.call("queue_deletion", { ...criteria, confirmation_token: plan.confirmation_token }));
    // Queued but before the weekend: LangSmith still shows them.
    expect(ok<ByCriteria>(await stack.call("verify_deletion", criteria)).verdict).toBe("not_verified");
    await control(stack.sim, "POST", "clock", { set: AFTER_WEEKEND });
    const check = ok<ByCriteria>(await stack.call("verify_deletion", criteria));
    expect(check).toMatchObject({ verdict: "verified", remaining_count: 0 });
    expect(check.remaining_by_project.every((p) => p.remaining === 0)).toBe(true);
  });

  it("says what to pass instead when the projects are missing, doubled, or mixed with a purge id", async () => {
    const none = await stack.call("verify_deletion", { metadata: ["user_id=123"] });
    expect(none.isError).toBe(true);
    expect(textOf(none)).toMatch(/purge_id.*or the projects to re-query are required.*project, projects or all_projects: true/s);

    const both = await stack.call("verify_deletion", { project: "support-bot", all_projects: true, metadata: ["user_id=123"] });
    expect(both.isError).toBe(true);
    expect(textOf(both)).toMatch(/give one of project, projects or all_projects, not several/);

    const mixed = await stack.call("verify_deletion", { purge_id: "p-1", all_projects: true });
    expect(mixed.isError).toBe(true);
    expect(textOf(mixed)).toMatch(/takes no criteria/);

    const badPair = await stack.call("verify_deletion", { all_projects: true, metadata: ["user_id"] });
    expect(badPair.isError).toBe(true);
    expect(textOf(badPair)).toMatch(/metadata/);
  });
});
