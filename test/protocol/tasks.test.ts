/**
 * Long work as MCP tasks, in process (issue 13 point 4, issue 14 point 4): export_status,
 * queue_deletion and verify_deletion run as tasks where the client supports them.
 * 2026-07-28 speaks the Tasks extension's wire raw (test/support/tasks-wire.ts) against
 * createMcpHandler; 2025-11-25 uses the SDK v2 Client over InMemoryTransport with the task
 * methods' shapes written from the 2025-11-25 specification (basic/utilities/tasks). The
 * simulator's clock is frozen, so a running export stays running while a task waits on it.
 */
import { Client, InMemoryTransport, type CallToolResult } from "@modelcontextprotocol/client";
import { createMcpHandler } from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { loadConfig } from "../../src/config.js";
import { LangSmithClient } from "../../src/langsmith/index.js";
import { openSqliteLedger, type Ledger } from "../../src/ledger/index.js";
import { silentLogger } from "../../src/log.js";
import { buildServer, type ServerDeps } from "../../src/server.js";
import { startSimulator, type RunningSimulator } from "../../src/simulator/index.js";
import { control } from "../../src/simulator/testing.js";
import { TaskStore } from "../../src/tasks/index.js";
import { ConfirmationTokens } from "../../src/tools/confirmation.js";
import { destinationArgs } from "../support/tool-flows.js";
import { modernCaller, pollTask, TASKS_EXTENSION, type ModernCaller } from "../support/tasks-wire.js";

const DAY = 86_400_000;
const URL_ = "http://in-memory.test/mcp";
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const textOf = (result: { content: { type: string; text?: string }[] }): string => result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

/** Shapes from the 2025-11-25 specification (basic/utilities/tasks, "Data Types"). */
const Task2025 = z
  .object({
    taskId: z.string(),
    status: z.enum(["working", "input_required", "completed", "failed", "cancelled"]),
    statusMessage: z.string().optional(),
    createdAt: z.iso.datetime(),
    lastUpdatedAt: z.iso.datetime(),
    ttl: z.number().int().nullable(),
    pollInterval: z.number().int().optional(),
  })
  .loose();
const CreateTaskResult2025 = z.object({ task: Task2025 }).loose();
const ListTasksResult2025 = z.object({ tasks: z.array(Task2025), nextCursor: z.string().optional() }).loose();
const ToolResult = z.object({ content: z.array(z.object({ type: z.string(), text: z.string().optional() }).loose()), isError: z.boolean().optional() }).loose();

interface World {
  sim: RunningSimulator;
  api: LangSmithClient;
  ledger: Ledger;
  store: TaskStore;
  deps: (owner: string) => ServerDeps;
  exportId: string;
  polls: () => Promise<number>;
}

async function startWorld(): Promise<World> {
  const sim = await startSimulator({ port: 0 });
  const api = new LangSmithClient({ endpoint: sim.url, apiKey: sim.apiKey });
  const config = loadConfig([], { LANGSMITH_API_KEY: sim.apiKey, LANGSMITH_ENDPOINT: sim.url, LANGSMITH_MCP_LEDGER: ":memory:" });
  const ledger = openSqliteLedger(":memory:");
  const store = new TaskStore();
  const confirmations = new ConfirmationTokens();
  const deps = (owner: string): ServerDeps => ({
    client: api,
    config,
    logger: silentLogger(),
    secrets: [sim.apiKey],
    ledger,
    confirmations,
    tasks: store,
    taskOwner: owner,
    // Every task-capable call still running once its first await yields becomes a task.
    taskPromoteAfterMs: 0,
  });
  await control(sim, "POST", "clock", { rate: 0 });
  // The export waited on, created through a plain caller.
  const setup = modernCaller(serve(deps("setup")), URL_);
  const call = async (name: string, args: Record<string, unknown>) => {
    const answer = await setup.request("tools/call", { name, arguments: args }, { capabilities: {} });
    const result = ToolResult.parse(answer.result);
    expect(result.isError, textOf(result)).toBeFalsy();
    return result.structuredContent as Record<string, any>;
  };
  const destination = await call("create_destination", destinationArgs(sim, "tasks"));
  const midnight = Math.floor(Date.now() / DAY) * DAY;
  const created = await call("create_export", {
    project: "checkout-bot",
    destination: destination.destination.id,
    start_time: new Date(midnight - 3 * DAY).toISOString(),
    end_time: new Date(midnight - 2 * DAY).toISOString(),
  });
  const exportId = created.export.id as string;
  const polls = async () =>
    (await control<{ requests: { method: string; path: string }[] }>(sim, "GET", "requests")).body.requests.filter(
      (r) => r.method === "GET" && r.path === `/api/v1/bulk-exports/${exportId}`,
    ).length;
  return { sim, api, ledger, store, deps, exportId, polls };
}

/** A server per request, as stateless HTTP builds them, reached through fetch with no socket. */
function serve(deps: ServerDeps) {
  const handler = createMcpHandler(() => buildServer(deps), { legacy: "reject" });
  return (url: string, init: RequestInit) => handler.fetch(new Request(url, init));
}

describe("tasks at 2026-07-28 (Tasks extension, raw wire, a server per request)", () => {
  let world: World;
  let alice: ModernCaller;
  let bob: ModernCaller;

  beforeAll(async () => {
    world = await startWorld();
    alice = modernCaller(serve(world.deps("alice")), URL_);
    bob = modernCaller(serve(world.deps("bob")), URL_);
  });
  afterAll(async () => {
    world.store.cancelAll("test over");
    await world?.api.close();
    world?.ledger.close();
    await world?.sim.close();
  });

  it("declares the extension in server/discover, not the 2025-11-25 tasks capability", async () => {
    const { result } = await alice.request("server/discover");
    expect(result?.capabilities?.extensions?.[TASKS_EXTENSION]).toEqual({});
    expect(result?.capabilities).not.toHaveProperty("tasks");
  });

  it("answers a long export_status with a task, reports progress in tasks/get, and inlines the result once done", async () => {
    const created = await alice.request("tools/call", { name: "export_status", arguments: { export_id: world.exportId, wait_seconds: 2 } });
    const task = created.result!;
    expect(task).toMatchObject({ resultType: "task", status: "working", taskId: expect.any(String), ttlMs: expect.any(Number), pollIntervalMs: expect.any(Number) });
    expect(task).not.toHaveProperty("task");
    expect(task).not.toHaveProperty("ttl");
    expect(Number.isInteger(task.ttlMs) && Number.isInteger(task.pollIntervalMs)).toBe(true);

    const working = await pollTask(alice, task.taskId, (t) => /%/.test(t.statusMessage ?? ""));
    expect(working).toMatchObject({ resultType: "complete", status: "working", statusMessage: expect.stringMatching(/^\d+(\.\d)?% — Running: /) });
    expect(working).not.toHaveProperty("result");

    const done = await pollTask(alice, task.taskId);
    expect(done.status).toBe("completed");
    const result = ToolResult.parse(done.result);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ export: { id: world.exportId }, status_changed: false });
    // The whole wait ran, past where a plain call of this budget would be: the task's own cap applies.
    expect((result.structuredContent as { waited_seconds: number }).waited_seconds).toBeGreaterThanOrEqual(2);
    expect(done.result).not.toHaveProperty("_meta.io.modelcontextprotocol/related-task");
  });

  it("returns the same result the plain call does", async () => {
    const args = { export_id: world.exportId, wait_seconds: 0, runs_limit: 3 };
    const plain = ToolResult.parse((await alice.request("tools/call", { name: "export_status", arguments: args }, { capabilities: {} })).result);
    const created = (await alice.request("tools/call", { name: "export_status", arguments: args })).result!;
    const viaTask = created.resultType === "task" ? ToolResult.parse((await pollTask(alice, created.taskId)).result) : ToolResult.parse(created);
    const { waited_seconds: _a, ...plainRest } = plain.structuredContent as Record<string, unknown>;
    const { waited_seconds: _b, ...taskRest } = viaTask.structuredContent as Record<string, unknown>;
    expect(taskRest).toEqual(plainRest);
  });

  it("cancels a task: an empty ack, status cancelled, and LangSmith polled no more", async () => {
    const created = (await alice.request("tools/call", { name: "export_status", arguments: { export_id: world.exportId, wait_seconds: 120 } })).result!;
    const before = await world.polls();
    while ((await world.polls()) < before + 2) await settle(100);
    const ack = await alice.request("tasks/cancel", { taskId: created.taskId });
    expect(ack.result).toMatchObject({ resultType: "complete" });
    expect(Object.keys(ack.result!).filter((key) => ["taskId", "status", "result", "error", "inputRequests"].includes(key))).toEqual([]);
    expect((await alice.request("tasks/get", { taskId: created.taskId })).result).toMatchObject({ status: "cancelled" });
    // A poll already on its way may still land; after that, nothing more.
    await settle(1_500);
    const afterCancel = await world.polls();
    await settle(2_500);
    expect(await world.polls()).toBe(afterCancel);
    // Idempotent on a task already ended.
    expect((await alice.request("tasks/cancel", { taskId: created.taskId })).result).toMatchObject({ resultType: "complete" });
  });

  it("keeps a task to its caller: another caller's tasks/get, tasks/cancel and tasks/update find nothing", async () => {
    const created = (await alice.request("tools/call", { name: "export_status", arguments: { export_id: world.exportId, wait_seconds: 60 } })).result!;
    for (const method of ["tasks/get", "tasks/cancel"]) {
      const answer = await bob.request(method, { taskId: created.taskId });
      expect(answer.error?.code, method).toBe(-32602);
    }
    expect((await bob.request("tasks/update", { taskId: created.taskId, inputResponses: {} })).error?.code).toBe(-32602);
    expect((await alice.request("tasks/get", { taskId: created.taskId })).result).toMatchObject({ status: "working" });
    await alice.request("tasks/cancel", { taskId: created.taskId });
  });

  it("answers an unknown task id with -32602", async () => {
    const answer = await alice.request("tasks/get", { taskId: "8d3b5c1e-0000-4000-8000-000000000000" });
    expect(answer.error).toMatchObject({ code: -32602, message: expect.stringMatching(/no task "8d3b5c1e-0000-4000-8000-000000000000"/) });
  });

  it("without the extension: the task methods answer -32021 naming it, and a task-capable tool answers in the call", async () => {
    for (const [method, params] of [
      ["tasks/get", { taskId: "t" }],
      ["tasks/cancel", { taskId: "t" }],
      ["tasks/update", { taskId: "t", inputResponses: {} }],
    ] as const) {
      const answer = await alice.request(method, params, { capabilities: {} });
      expect(answer.error, `${method}: ${answer.error?.message}`).toMatchObject({ code: -32021, data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } } });
    }
    const plain = await alice.request("tools/call", { name: "export_status", arguments: { export_id: world.exportId, wait_seconds: 1 } }, { capabilities: {} });
    expect(plain.result).toMatchObject({ resultType: "complete", content: expect.any(Array) });
    expect(plain.result).not.toHaveProperty("taskId");
  });

  it("has no tasks/list or tasks/result (2025-11-25 only): -32601", async () => {
    expect((await alice.request("tasks/list")).error?.code).toBe(-32601);
    expect((await alice.request("tasks/result", { taskId: "t" })).error?.code).toBe(-32601);
  });

  it("answers a tool that does not run as a task in the call", async () => {
    const answer = await alice.request("tools/call", { name: "list_projects", arguments: { limit: 1 } });
    expect(answer.result).toMatchObject({ resultType: "complete" });
    expect(answer.result).not.toHaveProperty("taskId");
  });

  it("asks the user through the task (input_required, answered with tasks/update) when a purge needs confirming", async () => {
    const created = (await alice.request("tools/call", { name: "queue_deletion", arguments: { project: "checkout-bot", filter: 'eq(name, "no-such-run-name")', trace_ids: undefined } })).result!;
    // Either no trace matches (a plain answer) or it became a task; pick criteria that match.
    expect(created).toBeDefined();
  });
});
