/**
 * Tasks over stdio, the built server, driven by the v1 SDK client's own task support
 * (client.experimental.tasks, 1.32) at 2025-11-25: one connection, so the task's progress
 * reaches the client as notifications for the token of the call that started it.
 */
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport, getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/simulator/index.js";
import { control } from "../../src/simulator/testing.js";
import { BUILT_SERVER } from "../support/stack.js";
import { destinationArgs } from "../support/tool-flows.js";

const DAY = 86_400_000;

describe("tasks over stdio (built server, v1 SDK client at 2025-11-25)", () => {
  let sim: RunningSimulator;
  let client: V1Client;
  let exportId: string;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    await control(sim, "POST", "clock", { rate: 0 });
    client = new V1Client({ name: "v1-stdio-tasks", version: "1.0.0" });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BUILT_SERVER],
        env: { ...getDefaultEnvironment(), LANGSMITH_API_KEY: sim.apiKey, LANGSMITH_ENDPOINT: sim.url, LANGSMITH_MCP_LEDGER: ":memory:" },
        stderr: "ignore",
      }),
    );
    await client.listTools();
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })).structuredContent as Record<string, any>;
    const destination = await call("create_destination", destinationArgs(sim, "tasks-stdio"));
    const midnight = Math.floor(Date.now() / DAY) * DAY;
    const created = await call("create_export", {
      project: "checkout-bot",
      destination: destination.destination.id,
      start_time: new Date(midnight - 3 * DAY).toISOString(),
      end_time: new Date(midnight - 2 * DAY).toISOString(),
    });
    exportId = created.export.id;
  });
  afterAll(async () => {
    await client?.close();
    await sim?.close();
  });

  it("runs export_status as a task: created, progress on the call's token, then the tool's result", async () => {
    const progress: number[] = [];
    const seen: string[] = [];
    let result: unknown;
    const stream = client.experimental.tasks.callToolStream(
      { name: "export_status", arguments: { export_id: exportId, wait_seconds: 3 } },
      CallToolResultSchema,
      {
        onprogress: (p) => void progress.push(p.progress),
      },
    );
    for await (const message of stream) {
      seen.push(message.type);
      if (message.type === "error") throw message.error;
      if (message.type === "result") result = message.result;
    }
    expect(seen[0]).toBe("taskCreated");
    expect(result).toMatchObject({ structuredContent: { export: { id: exportId } } });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(new Set(progress).size).toBe(progress.length);
  });
});
