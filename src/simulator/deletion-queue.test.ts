import { describe, expect, it } from "vitest";
import { DeletionQueue, nextPurgeAt } from "./deletion-queue.js";
import { generateDataset } from "./seed.js";
import { SimStore } from "./store.js";

const NOW = Date.parse("2026-03-04T10:00:00Z");

describe("simulated weekend deletion batch", () => {
  it.each([
    ["2026-03-04T10:00:00Z", "2026-03-07T02:00:00.000Z"],
    ["2026-03-07T01:59:59Z", "2026-03-07T02:00:00.000Z"],
    ["2026-03-07T02:00:00Z", "2026-03-14T02:00:00.000Z"],
  ])("a request at %s is purged at %s", (at, purge) => {
    expect(new Date(nextPurgeAt(Date.parse(at))).toISOString()).toBe(purge);
  });

  it("keeps traces visible until the batch, then removes root and descendants; a dropped request is skipped", () => {
    const store = new SimStore(generateDataset(42, NOW, 0.1));
    const queue = new DeletionQueue(() => store);
    const project = store.projectByName(store.defaultWorkspace.id, "checkout-bot")!;
    const roots = store.runsOfProject(project.id).filter((r) => r.parent_run_id === null);
    const [a, b] = [roots[0]!.id, roots[1]!.id];
    queue.accept({
      tenantId: project.tenant_id,
      now: NOW,
      criteria: { kind: "trace_ids", session_id: project.id, trace_ids: [a] },
      apiKey: "k",
      userAgent: "t",
    });
    queue.setDropRule(0, 1);
    queue.accept({
      tenantId: project.tenant_id,
      now: NOW,
      criteria: { kind: "trace_ids", session_id: project.id, trace_ids: [b] },
      apiKey: "k",
      userAgent: "t",
    });
    queue.advance(Date.parse("2026-03-07T01:00:00Z"));
    expect(store.run(a)).toBeDefined();
    queue.advance(Date.parse("2026-03-07T02:00:00Z"));
    expect(store.run(a)).toBeUndefined();
    expect(store.runsOfTrace(a)).toHaveLength(0);
    expect(store.runsOfProject(project.id).some((r) => r.trace_id === a)).toBe(false);
    expect(store.run(b)).toBeDefined();
    expect(queue.list().map((r) => r.status)).toEqual(["purged", "dropped"]);
    expect(queue.auditEvents()).toHaveLength(2);
  });

  it("a metadata request deletes every trace of the workspace whose root matches ANY pair", () => {
    const store = new SimStore(generateDataset(42, NOW, 0.2));
    const queue = new DeletionQueue(() => store);
    const tenant = store.defaultWorkspace.id;
    const matching = store
      .projectsOfTenant(tenant)
      .flatMap((p) => store.runsOfProject(p.id))
      .filter((r) => r.parent_run_id === null && (r.metadata["user_id"] === "123" || r.metadata["env"] === "staging"));
    expect(matching.length).toBeGreaterThan(0);
    queue.accept({
      tenantId: tenant,
      now: NOW,
      criteria: { kind: "metadata", metadata: { user_id: "123", env: "staging" } },
      apiKey: "k",
      userAgent: "t",
    });
    queue.advance(nextPurgeAt(NOW));
    expect(queue.list()[0]!.purged_traces).toBe(matching.length);
    expect(matching.every((r) => store.run(r.id) === undefined)).toBe(true);
  });
});
