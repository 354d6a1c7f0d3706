import { describe, expect, it } from "vitest";
import { TaskLimitError, TaskStore } from "./task-store.js";
import { detailedTaskV2, taskV1, taskV2 } from "./wire.js";

const MINUTE = 60_000;
const result = (text: string, isError = false) => ({ content: [{ type: "text", text }], ...(isError && { isError }) });

/** A store on a clock the test moves by hand. */
function storeAt(limits: ConstructorParameters<typeof TaskStore>[0] = {}) {
  let now = Date.parse("2026-11-30T12:00:00Z");
  const store = new TaskStore(limits, () => now);
  return { store, advance: (ms: number) => (now += ms) };
}

describe("TaskStore", () => {
  it("starts a task working, and ends it completed with the call's result", () => {
    const { store, advance } = storeAt();
    const handle = store.create("alice", "export_status");
    expect(store.get("alice", handle.taskId)).toMatchObject({ status: "working", toolName: "export_status" });
    advance(1_000);
    handle.report("50% — Running");
    handle.complete(result("done"));
    const task = store.get("alice", handle.taskId)!;
    expect(task).toMatchObject({ status: "completed", result: result("done"), statusMessage: "50% — Running" });
    expect(task.lastUpdatedAt - task.createdAt).toBe(1_000);
  });

  it("shows a task only to its owner", () => {
    const { store } = storeAt();
    const handle = store.create("alice", "export_status");
    expect(store.get("bob", handle.taskId)).toBeUndefined();
    expect(store.cancel("bob", handle.taskId)).toBeUndefined();
    expect(store.respond("bob", handle.taskId, {})).toBe(false);
    expect(store.list("bob", undefined)!.tasks).toEqual([]);
    expect(store.get("alice", handle.taskId)?.status).toBe("working");
  });

  it("cancels: aborts the work's signal, and the status stays cancelled whatever the work answers later", () => {
    const { store } = storeAt();
    const handle = store.create("alice", "export_status");
    const first = store.cancel("alice", handle.taskId)!;
    expect(first).toMatchObject({ wasTerminal: false, task: { status: "cancelled" } });
    expect(handle.signal.aborted).toBe(true);
    expect((handle.signal.reason as Error).name).toBe("AbortError");
    handle.complete(result("too late"));
    expect(store.get("alice", handle.taskId)).toMatchObject({ status: "cancelled" });
    expect(store.get("alice", handle.taskId)).not.toHaveProperty("result");
    expect(store.cancel("alice", handle.taskId)).toMatchObject({ wasTerminal: true });
  });

  it("forgets a task once its TTL has passed, cancelling it if still running", () => {
    const { store, advance } = storeAt({ minTtlMs: MINUTE, defaultTtlMs: 10 * MINUTE });
    const handle = store.create("alice", "export_status");
    advance(10 * MINUTE - 1);
    expect(store.get("alice", handle.taskId)).toBeDefined();
    advance(1);
    expect(store.get("alice", handle.taskId)).toBeUndefined();
    expect(handle.signal.aborted).toBe(true);
  });

  it("clamps a requested TTL between its bounds", () => {
    const { store } = storeAt({ minTtlMs: 30 * MINUTE, maxTtlMs: 24 * 60 * MINUTE, defaultTtlMs: 60 * MINUTE });
    expect(store.ttlFor(undefined)).toBe(60 * MINUTE);
    expect(store.ttlFor(1_000)).toBe(30 * MINUTE);
    expect(store.ttlFor(2 * 60 * MINUTE)).toBe(2 * 60 * MINUTE);
    expect(store.ttlFor(7 * 24 * 60 * MINUTE)).toBe(24 * 60 * MINUTE);
  });

  it("refuses a caller's task beyond its running limit, and counts only running ones", () => {
    const { store } = storeAt({ maxRunningPerOwner: 2 });
    const a = store.create("alice", "export_status");
    store.create("alice", "export_status");
    expect(store.refusal("alice")).toMatch(/2 tasks of this caller are still running/);
    expect(() => store.create("alice", "export_status")).toThrow(TaskLimitError);
    expect(store.refusal("bob")).toBeUndefined();
    a.complete(result("done"));
    expect(store.refusal("alice")).toBeUndefined();
  });

  it("keeps at most maxTasks: the oldest finished task makes room; all running refuses", () => {
    const { store } = storeAt({ maxTasks: 2, maxRunningPerOwner: 10 });
    const a = store.create("alice", "export_status");
    const b = store.create("bob", "export_status");
    expect(store.refusal("carol")).toMatch(/already runs 2 tasks/);
    a.complete(result("a"));
    const c = store.create("carol", "export_status");
    expect(store.size).toBe(2);
    expect(store.get("alice", a.taskId)).toBeUndefined();
    expect(store.get("bob", b.taskId)).toBeDefined();
    expect(store.get("carol", c.taskId)).toBeDefined();
  });

  it("lists a caller's tasks a page at a time, oldest first; a cursor naming no task is refused", () => {
    const { store } = storeAt();
    const ids = Array.from({ length: 5 }, () => store.create("alice", "verify_deletion").taskId);
    store.create("bob", "verify_deletion");
    const first = store.list("alice", undefined, 2)!;
    expect(first.tasks.map((t) => t.taskId)).toEqual(ids.slice(0, 2));
    const second = store.list("alice", first.nextCursor, 2)!;
    expect(second.tasks.map((t) => t.taskId)).toEqual(ids.slice(2, 4));
    const last = store.list("alice", second.nextCursor, 2)!;
    expect(last.tasks.map((t) => t.taskId)).toEqual(ids.slice(4));
    expect(last.nextCursor).toBeUndefined();
    expect(store.list("alice", "bm9wZQ")).toBeUndefined();
    // Another caller's cursor names no task of this one.
    expect(store.list("bob", first.nextCursor)).toBeUndefined();
  });

  it("puts a question to the client (input_required) and resumes working with its answer", async () => {
    const { store } = storeAt();
    const handle = store.create("alice", "queue_deletion");
    const answer = handle.ask("confirm-1", { method: "elicitation/create", params: { message: "Delete?" } });
    expect(store.get("alice", handle.taskId)).toMatchObject({
      status: "input_required",
      inputRequests: { "confirm-1": { method: "elicitation/create" } },
    });
    // Keys not outstanding are ignored.
    store.respond("alice", handle.taskId, { "confirm-9": { action: "accept" } });
    expect(store.get("alice", handle.taskId)?.status).toBe("input_required");
    store.respond("alice", handle.taskId, { "confirm-1": { action: "accept", content: { confirm: true } } });
    await expect(answer).resolves.toEqual({ action: "accept", content: { confirm: true } });
    expect(store.get("alice", handle.taskId)).toMatchObject({ status: "working", inputRequests: {} });
  });

  it("a question pending when the task is cancelled rejects, so the work stops", async () => {
    const { store } = storeAt();
    const handle = store.create("alice", "queue_deletion");
    const answer = handle.ask("confirm-1", { method: "elicitation/create", params: {} });
    store.cancel("alice", handle.taskId);
    await expect(answer).rejects.toMatchObject({ name: "AbortError" });
  });

  it("settled() resolves once the task is terminal", async () => {
    const { store } = storeAt();
    const handle = store.create("alice", "verify_deletion");
    const waiting = store.settled("alice", handle.taskId);
    handle.fail({ code: -32603, message: "boom" });
    await expect(waiting).resolves.toMatchObject({ status: "failed", error: { code: -32603, message: "boom" } });
  });
});

describe("wire shapes", () => {
  const { store } = storeAt();
  const handle = store.create("alice", "export_status");
  handle.complete(result("Export failed: bucket not found", true));
  const task = store.get("alice", handle.taskId)!;

  it("2025-11-25: ttl and pollInterval; a tool error is status failed with its text as statusMessage", () => {
    expect(taskV1(task)).toEqual({
      taskId: task.taskId,
      status: "failed",
      statusMessage: "Export failed: bucket not found",
      createdAt: "2026-11-30T12:00:00.000Z",
      lastUpdatedAt: "2026-11-30T12:00:00.000Z",
      ttl: 3_600_000,
      pollInterval: 2_000,
    });
  });

  it("2026-07-28: ttlMs and pollIntervalMs; a tool error is completed with the result inline", () => {
    expect(taskV2(task)).toMatchObject({ status: "completed", ttlMs: 3_600_000, pollIntervalMs: 2_000 });
    expect(taskV2(task)).not.toHaveProperty("result");
    expect(detailedTaskV2(task)).toMatchObject({ status: "completed", result: result("Export failed: bucket not found", true) });
    expect(detailedTaskV2(task)).not.toHaveProperty("ttl");
  });
});
