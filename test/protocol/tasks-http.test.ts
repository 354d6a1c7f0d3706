/**
 * Tasks over stateless Streamable HTTP, the built server (issue 13 point 4): every request
 * gets a server of its own, so a task must outlive the request that started it, and the next
 * request, on another server instance, must find it. 2025-11-25 is driven by the v1 SDK
 * client's own task support (client.experimental.tasks, 1.32), which nobody here wrote;
 * 2026-07-28 by the Tasks extension's raw wire. The caller is its LangSmith key: a request
 * with another key never sees the task. The simulator's clock is frozen.
 */
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as V1StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control } from "../../src/simulator/testing.js";
import { callTool, startHttpStack, type HttpStack } from "../support/http-stack.js";
import { destinationArgs } from "../support/tool-flows.js";
import { modernCaller, pollTask } from "../support/tasks-wire.js";

const DAY = 86_400_000;
/** A second caller: any well-formed key is a separate identity (tasks/* never reach LangSmith). */
const OTHER_KEY = "lsv2_pt_another_caller_of_this_server";
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("tasks over stateless HTTP (built server, simulator)", () => {
  let stack: HttpStack;
  let exportId: string;
  const v1Clients: V1Client[] = [];
  const polls = async () =>
    (await control<{ requests: { method: string; path: string }[] }>(stack.sim, "GET", "requests")).body.requests.filter(
      (r) => r.method === "GET" && r.path === `/api/v1/bulk-exports/${exportId}`,
    ).length;
  const v1Client = async (headers: Record<string, string> = {}): Promise<V1Client> => {
    const client = new V1Client({ name: "v1-tasks", version: "1.0.0" });
    await client.connect(new V1StreamableHTTPClientTransport(new URL(stack.server.url), { requestInit: { headers } }));
    v1Clients.push(client);
    // The client learns which tools run as tasks from the listing.
    await client.listTools();
    return client;
  };

  beforeAll(async () => {
    stack = await startHttpStack();
    await control(stack.sim, "POST", "clock", { rate: 0 });
    const client = await stack.connect({}, { protocol: "2026-07-28" });
    const destination = await callTool(client, "create_destination", destinationArgs(stack.sim, "tasks-http"));
    const midnight = Math.floor(Date.now() / DAY) * DAY;
    const created = await callTool(client, "create_export", {
      project: "checkout-bot",
      destination: (destination.structuredContent as { destination: { id: string } }).destination.id,
      start_time: new Date(midnight - 3 * DAY).toISOString(),
      end_time: new Date(midnight - 2 * DAY).toISOString(),
    });
    exportId = (created.structuredContent as { export: { id: string } }).export.id;
  });
  afterAll(async () => {
    await Promise.all(v1Clients.map((c) => c.close().catch(() => undefined)));
    await stack?.close();
  });

  it("2025-11-25, v1 SDK client: the task is created, polled across requests, and its result is the tool's", async () => {
    const client = await v1Client();
    const seen: string[] = [];
    let result: unknown;
    for await (const message of client.experimental.tasks.callToolStream(
      { name: "export_status", arguments: { export_id: exportId, wait_seconds: 2 } },
      CallToolResultSchema,
    )) {
      seen.push(message.type);
      if (message.type === "error") throw message.error;
      if (message.type === "result") result = message.result;
    }
    expect(seen[0]).toBe("taskCreated");
    expect(seen.at(-1)).toBe("result");
    expect(result).toMatchObject({ structuredContent: { export: { id: exportId } } });
    const { tasks } = await client.experimental.tasks.listTasks();
    expect(tasks.some((t) => t.status === "completed")).toBe(true);
  });

  it("2025-11-25: another LangSmith key neither sees nor lists the task; its own key cancels it and polling stops", async () => {
    const owner = await v1Client();
    const other = await v1Client({ "x-langsmith-api-key": OTHER_KEY });
    const stream = owner.experimental.tasks.callToolStream(
      { name: "export_status", arguments: { export_id: exportId, wait_seconds: 120 } },
      CallToolResultSchema,
    );
    const first = await stream.next();
    expect(first.value).toMatchObject({ type: "taskCreated" });
    const taskId = (first.value as { task: { taskId: string } }).task.taskId;
    await stream.return(undefined);

    await expect(other.experimental.tasks.getTask(taskId)).rejects.toMatchObject({ code: -32602 });
    await expect(other.experimental.tasks.cancelTask(taskId)).rejects.toMatchObject({ code: -32602 });
    expect((await other.experimental.tasks.listTasks()).tasks.map((t) => t.taskId)).not.toContain(taskId);
    expect((await owner.experimental.tasks.getTask(taskId)).status).toBe("working");

    const before = await polls();
    while ((await polls()) < before + 2) await settle(100);
    expect(await owner.experimental.tasks.cancelTask(taskId)).toMatchObject({ taskId, status: "cancelled" });
    await settle(1_500);
    const afterCancel = await polls();
    await settle(2_500);
    expect(await polls()).toBe(afterCancel);
  });

  it("2026-07-28: a task started by one request is found by the next, never by another key, and cancel stops it", async () => {
    const fetchHttp = (url: string, init: RequestInit) => fetch(url, init);
    const owner = modernCaller(fetchHttp, stack.server.url);
    const other = modernCaller(fetchHttp, stack.server.url, { "x-langsmith-api-key": OTHER_KEY });
    const created = (await owner.request("tools/call", { name: "export_status", arguments: { export_id: exportId, wait_seconds: 120 } }))
      .result!;
    expect(created).toMatchObject({ resultType: "task", status: "working" });
    const working = await pollTask(owner, created.taskId, (t) => /%/.test(t.statusMessage ?? ""));
    expect(working.statusMessage).toMatch(/% — Running: /);
    expect((await other.request("tasks/get", { taskId: created.taskId })).error?.code).toBe(-32602);
    expect((await other.request("tasks/cancel", { taskId: created.taskId })).error?.code).toBe(-32602);

    expect((await owner.request("tasks/cancel", { taskId: created.taskId })).result).toMatchObject({ resultType: "complete" });
    expect((await owner.request("tasks/get", { taskId: created.taskId })).result).toMatchObject({ status: "cancelled" });
    await settle(1_500);
    const afterCancel = await polls();
    await settle(2_500);
    expect(await polls()).toBe(afterCancel);
    expect(stack.server.stderr()).not.toMatch(/failed unexpectedly|task failed at the protocol level/);
  });
});
