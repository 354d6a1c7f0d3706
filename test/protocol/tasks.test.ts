/**
 * Long work as MCP tasks, in process (issue 13 point 4, issue 14 point 4): export_status,
 * diagnose_export (its completeness check), queue_deletion and verify_deletion run as tasks
 * where the client supports them.
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
const textOf = (result: { content: { type: string; text?: string }[] }): string =>
  result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

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
const ToolResult = z
  .object({ content: z.array(z.object({ type: z.string(), text: z.string().optional() }).loose()), isError: z.boolean().optional() })
  .loose();

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
    expect(task).toMatchObject({
      resultType: "task",
      status: "working",
      taskId: expect.any(String),
      ttlMs: expect.any(Number),
      pollIntervalMs: expect.any(Number),
    });
    expect(task).not.toHaveProperty("task");
    expect(task).not.toHaveProperty("ttl");
    expect(Number.isInteger(task.ttlMs) && Number.isInteger(task.pollIntervalMs)).toBe(true);

    const working = await pollTask(alice, task.taskId, (t) => /%/.test(t.statusMessage ?? ""));
    expect(working).toMatchObject({
      resultType: "complete",
      status: "working",
      statusMessage: expect.stringMatching(/^\d+(\.\d)?% — Running: /),
    });
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

  it("a task is not held to one call's budget, only to its own", async () => {
    const args = { export_id: world.exportId, wait_seconds: 3 };
    const waited = (result: unknown) => ToolResult.parse(result).structuredContent as { waited_seconds: number; next_step: string };
    // A plain call's budget of 1 s cuts a 3 s wait short and says how to go on.
    const short = modernCaller(serve({ ...world.deps("alice"), callBudgetMs: 1_000 }), URL_);
    const plain = waited((await short.request("tools/call", { name: "export_status", arguments: args }, { capabilities: {} })).result);
    expect(plain.waited_seconds).toBeLessThan(3);
    expect(plain.next_step).toMatch(/the most one call waits/);
    // The same server as a task waits the whole 3 s.
    const created = (await short.request("tools/call", { name: "export_status", arguments: args })).result!;
    const task = waited((await pollTask(short, created.taskId)).result);
    expect(task.waited_seconds).toBeGreaterThanOrEqual(3);
    expect(task.next_step).not.toMatch(/the most one call waits/);
    // A task's own cap (here 1.5 s) ends its wait the same way.
    const capped = modernCaller(serve({ ...world.deps("alice"), taskBudgetMs: 1_500 }), URL_);
    const cappedTask = (await capped.request("tools/call", { name: "export_status", arguments: args })).result!;
    const cut = waited((await pollTask(capped, cappedTask.taskId)).result);
    expect(cut.waited_seconds).toBeLessThan(3);
    expect(cut.next_step).toMatch(/call export_status again with wait_seconds/);
  });

  it("returns the same result the plain call does", async () => {
    const args = { export_id: world.exportId, wait_seconds: 0, runs_limit: 3 };
    const plain = ToolResult.parse(
      (await alice.request("tools/call", { name: "export_status", arguments: args }, { capabilities: {} })).result,
    );
    const created = (await alice.request("tools/call", { name: "export_status", arguments: args })).result!;
    const viaTask =
      created.resultType === "task" ? ToolResult.parse((await pollTask(alice, created.taskId)).result) : ToolResult.parse(created);
    const { waited_seconds: _a, ...plainRest } = plain.structuredContent as Record<string, unknown>;
    const { waited_seconds: _b, ...taskRest } = viaTask.structuredContent as Record<string, unknown>;
    expect(taskRest).toEqual(plainRest);
  });

  it("runs diagnose_export as a task (its completeness check may take a request per partition) with the plain call's result", async () => {
    const args = { export_id: world.exportId };
    const plain = ToolResult.parse(
      (await alice.request("tools/call", { name: "diagnose_export", arguments: args }, { capabilities: {} })).result,
    );
    expect(plain.isError, textOf(plain)).toBeFalsy();
    const created = (await alice.request("tools/call", { name: "diagnose_export", arguments: args })).result!;
    expect(created).toMatchObject({ resultType: "task", status: "working" });
    const done = await pollTask(alice, created.taskId);
    expect(done.status).toBe("completed");
    const viaTask = ToolResult.parse(done.result);
    expect(viaTask.isError, textOf(viaTask)).toBeFalsy();
    expect(viaTask.structuredContent).toEqual(plain.structuredContent);
    expect(viaTask.structuredContent).toMatchObject({ source: "export", export_id: world.exportId });
  });

  it("cancels a task: an empty ack, status cancelled, and LangSmith polled no more", async () => {
    const created = (
      await alice.request("tools/call", { name: "export_status", arguments: { export_id: world.exportId, wait_seconds: 120 } })
    ).result!;
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
    const created = (
      await alice.request("tools/call", { name: "export_status", arguments: { export_id: world.exportId, wait_seconds: 60 } })
    ).result!;
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
      expect(answer.error, `${method}: ${answer.error?.message}`).toMatchObject({
        code: -32021,
        data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
      });
    }
    const plain = await alice.request(
      "tools/call",
      { name: "export_status", arguments: { export_id: world.exportId, wait_seconds: 1 } },
      { capabilities: {} },
    );
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

  it("asks the user through the task (input_required, answered with tasks/update) before a purge is queued", async () => {
    const purge = { project: "support-bot", start_time: "30d", filter: 'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))' };
    const created = (await alice.request("tools/call", { name: "queue_deletion", arguments: purge })).result!;
    expect(created).toMatchObject({ resultType: "task" });
    const asking = await pollTask(alice, created.taskId, (t) => t.status === "input_required");
    expect(asking.status).toBe("input_required");
    const [key, request] = Object.entries(
      asking.inputRequests as Record<string, { method: string; params: { message: string; requestedSchema: unknown } }>,
    )[0]!;
    expect(request.method).toBe("elicitation/create");
    expect(request.params.message).toMatch(/^Plan: permanently delete \d+ trace/);
    // Another caller cannot answer for the user.
    expect(
      (
        await bob.request("tasks/update", {
          taskId: created.taskId,
          inputResponses: { [key]: { action: "accept", content: { confirm: true } } },
        })
      ).error?.code,
    ).toBe(-32602);
    expect((await alice.request("tasks/get", { taskId: created.taskId })).result).toMatchObject({ status: "input_required" });

    const ack = await alice.request("tasks/update", {
      taskId: created.taskId,
      inputResponses: { [key]: { action: "accept", content: { confirm: true } } },
    });
    expect(ack.result).toMatchObject({ resultType: "complete" });
    const done = await pollTask(alice, created.taskId);
    expect(done.status).toBe("completed");
    expect(ToolResult.parse(done.result).structuredContent).toMatchObject({ status: "queued" });
  });

  it("a purge the user declines in the task's dialog queues nothing", async () => {
    const purge = { project: "support-bot", start_time: "60d", filter: 'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))' };
    const created = (await alice.request("tools/call", { name: "queue_deletion", arguments: purge })).result!;
    const asking = await pollTask(alice, created.taskId, (t) => t.status === "input_required");
    const key = Object.keys(asking.inputRequests as object)[0]!;
    await alice.request("tasks/update", { taskId: created.taskId, inputResponses: { [key]: { action: "decline" } } });
    const done = await pollTask(alice, created.taskId);
    expect(ToolResult.parse(done.result).structuredContent).toMatchObject({ status: "declined" });
  });

  it("a client without elicitation gets the plan and a confirmation token as the task's result", async () => {
    const purge = { project: "support-bot", start_time: "90d", filter: 'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))' };
    const created = (
      await alice.request(
        "tools/call",
        { name: "queue_deletion", arguments: purge },
        { capabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
      )
    ).result!;
    const done = created.resultType === "task" ? (await pollTask(alice, created.taskId)).result : created;
    expect(ToolResult.parse(done).structuredContent).toMatchObject({ status: "plan", confirmation_token: expect.any(String) });
  });
});

describe("tasks at 2025-11-25 (SDK v2 client, one connection per caller)", () => {
  let world: World;
  let alice: Client;
  let bob: Client;
  const servers: { close: () => Promise<void> }[] = [];

  const connect = async (owner: string, setup?: (client: Client) => void): Promise<Client> => {
    const server = buildServer(world.deps(owner));
    const client = new Client({ name: `tasks-${owner}`, version: "1.0.0" }, setup ? { capabilities: { elicitation: {} } } : {});
    setup?.(client);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    servers.push(server, client);
    return client;
  };
  // The SDK v2 types offer no task methods; the wire does (2025-11-25 basic/utilities/tasks).
  const request = <S extends z.ZodType>(client: Client, method: string, params: Record<string, unknown>, schema: S): Promise<z.output<S>> =>
    (client.request as (r: unknown, s: unknown) => Promise<z.output<S>>)({ method, params }, schema);
  const code = (promise: Promise<unknown>): Promise<number | undefined> =>
    promise.then(
      () => undefined,
      (error: { code?: number }) => error.code,
    );

  beforeAll(async () => {
    world = await startWorld();
    alice = await connect("alice");
    bob = await connect("bob");
  });
  afterAll(async () => {
    world.store.cancelAll("test over");
    await Promise.all(servers.map((s) => s.close().catch(() => undefined)));
    await world?.api.close();
    world?.ledger.close();
    await world?.sim.close();
  });

  it("declares the tasks capability at initialize and lists the task-capable tools with execution.taskSupport", async () => {
    expect(alice.getServerCapabilities()?.tasks).toEqual({ list: {}, cancel: {}, requests: { tools: { call: {} } } });
    const { tools } = await alice.listTools();
    const taskTools = tools
      .filter((t) => (t as { execution?: { taskSupport?: string } }).execution?.taskSupport === "optional")
      .map((t) => t.name);
    expect(taskTools.sort()).toEqual(["diagnose_export", "export_status", "queue_deletion", "verify_deletion"]);
  });

  it("creates a task, reports progress in tasks/get, lists it, and tasks/result returns the tool's result", async () => {
    const created = await request(
      alice,
      "tools/call",
      { name: "export_status", arguments: { export_id: world.exportId, wait_seconds: 2 }, task: { ttl: 60_000 } },
      CreateTaskResult2025,
    );
    const { taskId } = created.task;
    expect(created.task.status).toBe("working");
    // A requested TTL below the task's own cap is raised to outlive it.
    expect(created.task.ttl).toBeGreaterThanOrEqual(60_000);

    let task = await request(alice, "tasks/get", { taskId }, Task2025);
    while (task.status === "working" && !/%/.test(task.statusMessage ?? "")) {
      await settle(100);
      task = await request(alice, "tasks/get", { taskId }, Task2025);
    }
    expect(task.statusMessage).toMatch(/^\d+(\.\d)?% — Running: /);

    const listed = await request(alice, "tasks/list", {}, ListTasksResult2025);
    expect(listed.tasks.map((t) => t.taskId)).toContain(taskId);

    // Blocks until the task is done.
    const result = await request(alice, "tasks/result", { taskId }, ToolResult);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ export: { id: world.exportId } });
    expect(result._meta).toMatchObject({ "io.modelcontextprotocol/related-task": { taskId } });
    expect((await request(alice, "tasks/get", { taskId }, Task2025)).status).toBe("completed");
  });

  it("cancels a task: the answer is the task, cancelled; polling stops; a second cancel is -32602", async () => {
    const { task } = await request(
      alice,
      "tools/call",
      { name: "export_status", arguments: { export_id: world.exportId, wait_seconds: 120 }, task: {} },
      CreateTaskResult2025,
    );
    const before = await world.polls();
    while ((await world.polls()) < before + 2) await settle(100);
    const cancelled = await request(alice, "tasks/cancel", { taskId: task.taskId }, Task2025);
    expect(cancelled).toMatchObject({ taskId: task.taskId, status: "cancelled" });
    await settle(1_500);
    const afterCancel = await world.polls();
    await settle(2_500);
    expect(await world.polls()).toBe(afterCancel);
    expect(await code(request(alice, "tasks/cancel", { taskId: task.taskId }, Task2025))).toBe(-32602);
    const result = await request(alice, "tasks/result", { taskId: task.taskId }, ToolResult);
    expect(result).toMatchObject({ isError: true });
    expect(textOf(result)).toMatch(/export_status was cancelled/);
  });

  it("keeps a task to its caller: not found for another caller, and not in its list", async () => {
    const { task } = await request(
      alice,
      "tools/call",
      { name: "export_status", arguments: { export_id: world.exportId, wait_seconds: 60 }, task: {} },
      CreateTaskResult2025,
    );
    for (const method of ["tasks/get", "tasks/result", "tasks/cancel"]) {
      expect(await code(request(bob, method, { taskId: task.taskId }, Task2025)), method).toBe(-32602);
    }
    const listed = await request(bob, "tasks/list", {}, ListTasksResult2025);
    expect(listed.tasks.map((t) => t.taskId)).not.toContain(task.taskId);
    expect((await request(alice, "tasks/get", { taskId: task.taskId }, Task2025)).status).toBe("working");
    await request(alice, "tasks/cancel", { taskId: task.taskId }, Task2025);
  });

  it("answers an unknown task id and an unknown cursor with -32602", async () => {
    expect(await code(request(alice, "tasks/get", { taskId: "no-such-task" }, Task2025))).toBe(-32602);
    expect(await code(request(alice, "tasks/list", { cursor: "bm9wZQ" }, ListTasksResult2025))).toBe(-32602);
  });

  it("runs diagnose_export as a task when asked with params.task, and tasks/result returns the diagnosis", async () => {
    const { task } = await request(
      alice,
      "tools/call",
      { name: "diagnose_export", arguments: { export_id: world.exportId }, task: {} },
      CreateTaskResult2025,
    );
    expect(task.status).toBe("working");
    const result = await request(alice, "tasks/result", { taskId: task.taskId }, ToolResult);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ source: "export", export_id: world.exportId, failure_mode: expect.any(String) });
    expect((await request(alice, "tasks/get", { taskId: task.taskId }, Task2025)).status).toBe("completed");
  });

  it("refuses a task for a tool that does not run as one (-32601), and runs that tool when asked plainly", async () => {
    expect(await code(request(alice, "tools/call", { name: "list_projects", arguments: { limit: 1 }, task: {} }, ToolResult))).toBe(-32601);
    const plain = (await alice.callTool({ name: "list_projects", arguments: { limit: 1 } })) as CallToolResult;
    expect(plain.isError, textOf(plain)).toBeFalsy();
  });

  it("a tool error ends the task failed, and tasks/result still returns the tool's error result", async () => {
    const { task } = await request(
      alice,
      "tools/call",
      { name: "export_status", arguments: { export_id: "00000000-0000-4000-8000-000000000000" }, task: {} },
      CreateTaskResult2025,
    );
    const result = await request(alice, "tasks/result", { taskId: task.taskId }, ToolResult);
    expect(result.isError).toBe(true);
    const ended = await request(alice, "tasks/get", { taskId: task.taskId }, Task2025);
    expect(ended).toMatchObject({ status: "failed", statusMessage: textOf(result) });
  });

  it("asks a client that can elicit to confirm a purge during the task; the answer comes from its dialog", async () => {
    const asked: { message: string; related: unknown }[] = [];
    const carol = await connect("carol", (client) =>
      client.setRequestHandler("elicitation/create", (request) => {
        asked.push({ message: String(request.params.message), related: request.params._meta?.["io.modelcontextprotocol/related-task"] });
        return { action: "accept", content: { confirm: true } };
      }),
    );
    const purge = { project: "support-bot", start_time: "45d", filter: 'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))' };
    const { task } = await request(carol, "tools/call", { name: "queue_deletion", arguments: purge, task: {} }, CreateTaskResult2025);
    const result = await request(carol, "tasks/result", { taskId: task.taskId }, ToolResult);
    expect(result.structuredContent).toMatchObject({ status: "queued" });
    expect(asked).toEqual([{ message: expect.stringMatching(/^Plan: permanently delete \d+ trace/), related: { taskId: task.taskId } }]);
  });

  it("refuses a task beyond the caller's running limit (-32600, saying what to do); 2026-07-28 answers in the call instead", async () => {
    const store = new TaskStore({ maxRunningPerOwner: 1 });
    const deps = { ...world.deps("dave"), tasks: store };
    const server = buildServer(deps);
    const dave = new Client({ name: "tasks-dave", version: "1.0.0" });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await dave.connect(clientSide);
    servers.push(server, dave);
    const args = { export_id: world.exportId, wait_seconds: 60 };
    const { task } = await request(dave, "tools/call", { name: "export_status", arguments: args, task: {} }, CreateTaskResult2025);
    const refused = await request(dave, "tools/call", { name: "export_status", arguments: args, task: {} }, CreateTaskResult2025).catch(
      (error: { code: number; message: string }) => error,
    );
    expect(refused).toMatchObject({ code: -32600, message: expect.stringMatching(/still running.*cancel one \(tasks\/cancel\)/) });

    const modern = modernCaller(serve(deps), URL_);
    const plain = await modern.request("tools/call", { name: "export_status", arguments: { ...args, wait_seconds: 0 } });
    expect(plain.result).toMatchObject({ resultType: "complete", content: expect.any(Array) });
    store.cancel("dave", task.taskId);
  });
});
