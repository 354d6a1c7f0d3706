/**
 * Issue #14, item 4: `notifications/cancelled` stops a waiting tool in stateless HTTP mode.
 * There each POST gets its own server instance, so the cancellation arrives at an instance
 * that never saw the call. The simulator's clock is frozen, so export_status would poll the
 * export for its whole wait unless the cancellation reaches it.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control } from "../../src/simulator/testing.js";
import { callTool, startHttpStack, type HttpStack } from "../support/http-stack.js";
import { destinationArgs } from "../support/tool-flows.js";

const DAY = 86_400_000;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const textOf = (result: CallToolResult): string => result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("cancellation over stateless HTTP (built server, simulator)", () => {
  let stack: HttpStack;
  let exportId: string;

  beforeAll(async () => {
    stack = await startHttpStack();
    await control(stack.sim, "POST", "clock", { rate: 0 });
    const client = await stack.connect({}, { protocol: "2026-07-28" });
    const destination = await callTool(client, "create_destination", destinationArgs(stack.sim, "waits"));
    expect(destination.isError, textOf(destination)).toBeFalsy();
    const midnight = Math.floor(Date.now() / DAY) * DAY;
    const created = await callTool(client, "create_export", {
      project: "checkout-bot",
      destination: (destination.structuredContent as { destination: { id: string } }).destination.id,
      start_time: new Date(midnight - 3 * DAY).toISOString(),
      end_time: new Date(midnight - 2 * DAY).toISOString(),
    });
    expect(created.isError, textOf(created)).toBeFalsy();
    exportId = (created.structuredContent as { export: { id: string } }).export.id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it.each(["2025-11-25", "2026-07-28"] as const)("stops export_status polling LangSmith once a %s client cancels", async (protocol) => {
    const client = await stack.connect({}, { protocol });
    const polls = async () =>
      (await control<{ requests: { method: string; path: string }[] }>(stack.sim, "GET", "requests")).body.requests.filter(
        (r) => r.method === "GET" && r.path === `/api/v1/bulk-exports/${exportId}`,
      ).length;
    const cancel = new AbortController();
    let polling!: () => void;
    const started = new Promise<void>((resolve) => (polling = resolve));
    const call = client.callTool(
      { name: "export_status", arguments: { export_id: exportId, wait_seconds: 40 } },
      {
        signal: cancel.signal,
        onprogress: () => polling(),
      },
    );
    const outcome = call.then(
      () => "answered",
      () => "rejected",
    );

    await started;
    cancel.abort("the user changed their mind");
    expect(await outcome).toBe("rejected");
    // A poll already on its way may still land; after that, nothing more.
    await settle(1_500);
    const afterCancel = await polls();
    await settle(3_000);
    expect(await polls()).toBe(afterCancel);
    expect(afterCancel).toBeLessThan(10);
    expect(stack.server.stderr()).not.toMatch(/failed unexpectedly/);
  });
});
