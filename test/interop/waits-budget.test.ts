/**
 * Issue #14, item 4: nothing waits past the MCP client's patience (the official TypeScript
 * client gives up after 60 s whatever progress arrives). The server under test runs with a
 * 4 s call budget instead of 45 s, so the cap is reached quickly; the simulator's clock is
 * frozen, so the export never moves while export_status waits for it.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { control } from "../../src/simulator/testing.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { destinationArgs } from "../support/tool-flows.js";

const BUDGET_MS = 4_000;
const DAY = 86_400_000;

interface StatusResult {
  export: { id: string; status: string };
  waited_seconds: number;
  status_changed: boolean;
  next_step: string;
}

const textOf = (result: CallToolResult): string => result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("waits within one call's budget (in memory, simulator faults)", () => {
  let stack: InMemoryStack;
  let exportId: string;
  const exportPath = () => `/api/v1/bulk-exports/${exportId}`;
  const logged = async (path: string) =>
    (
      await control<{ requests: { method: string; path: string; status: number | null }[] }>(stack.sim, "GET", "requests")
    ).body.requests.filter((r) => r.method === "GET" && r.path === path);

  beforeAll(async () => {
    stack = await startInMemoryStack({ server: { callBudgetMs: BUDGET_MS } });
    await control(stack.sim, "POST", "clock", { rate: 0 });
    const destination = await stack.call("create_destination", destinationArgs(stack.sim, "waits"));
    expect(destination.isError, textOf(destination)).toBeFalsy();
    const midnight = Math.floor(Date.now() / DAY) * DAY;
    const created = await stack.call("create_export", {
      project: "checkout-bot",
      destination: (destination.structuredContent as { destination: { id: string } }).destination.id,
      start_time: new Date(midnight - 3 * DAY).toISOString(),
      end_time: new Date(midnight - 2 * DAY).toISOString(),
    });
    expect(created.isError, textOf(created)).toBeFalsy();
    exportId = (created.structuredContent as { export: { id: string } }).export.id;
  });
  afterEach(async () => {
    await control(stack.sim, "DELETE", "faults");
    await control(stack.sim, "DELETE", "requests");
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("accepts wait_seconds 75, stops at the call's budget and says how to continue, with progress strictly increasing", async () => {
    const progress: number[] = [];
    const result = (await stack.client.callTool(
      { name: "export_status", arguments: { export_id: exportId, wait_seconds: 75 } },
      {
        onprogress: (p) => progress.push(p.progress),
      },
    )) as CallToolResult;

    expect(result.isError, textOf(result)).toBeFalsy();
    const status = result.structuredContent as unknown as StatusResult;
    expect(status.status_changed).toBe(false);
    expect(status.waited_seconds).toBeGreaterThanOrEqual(BUDGET_MS / 1000);
    expect(status.waited_seconds).toBeLessThan(75);
    expect(status.next_step).toMatch(/the most one call waits: call export_status again with wait_seconds \d+/);
    expect(textOf(result)).toContain(status.next_step);
    // A poll a second over a 4 s wait: several notifications, each above the one before.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]!);
  });

  it("answers a Retry-After longer than the call has left at once, with the seconds", async () => {
    await control(stack.sim, "POST", "faults", {
      match: { method: "GET", path: exportPath() },
      kind: "status",
      status: 429,
      retry_after_seconds: 120,
      times: 1,
    });

    const result = await stack.call("export_status", { export_id: exportId });

    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/rate limited by LangSmith; retry after 120 s/);
    expect((await logged(exportPath())).map((r) => r.status)).toEqual([429]);
  });

  it("sleeps through a Retry-After that fits in the call and retries", async () => {
    await control(stack.sim, "POST", "faults", {
      match: { method: "GET", path: exportPath() },
      kind: "status",
      status: 429,
      retry_after_seconds: 1,
      times: 1,
    });

    const result = await stack.call("export_status", { export_id: exportId });

    expect(result.isError, textOf(result)).toBeFalsy();
    expect((await logged(exportPath())).map((r) => r.status)).toEqual([429, 200]);
  });

  it("keeps the last state read when LangSmith asks for a long pause in the middle of a wait", async () => {
    let armed: Promise<unknown> | undefined;
    const result = (await stack.client.callTool(
      { name: "export_status", arguments: { export_id: exportId, wait_seconds: 30 } },
      {
        onprogress: () => {
          armed ??= control(stack.sim, "POST", "faults", {
            match: { method: "GET", path: exportPath() },
            kind: "status",
            status: 429,
            retry_after_seconds: 90,
            times: -1,
          });
        },
      },
    )) as CallToolResult;
    await armed;

    expect(result.isError, textOf(result)).toBeFalsy();
    const status = result.structuredContent as unknown as StatusResult;
    expect(status.export.id).toBe(exportId);
    expect(status.next_step).toMatch(/rate limited by LangSmith; retry after 90 s, then call export_status again/);
  });
});
