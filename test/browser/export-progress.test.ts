/**
 * The export progress view in a real browser, on export_status results from the server against
 * the simulator (clock frozen, moved by hand): one cell per day partition with its status, a
 * failed export's diagnosis (diagnose_export through the bridge), a refresh that calls
 * export_status again, the theme switch, and no network request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control } from "../../src/simulator/testing.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { destinationArgs } from "../support/tool-flows.js";
import {
  backgroundOf,
  HAS_CHROMIUM,
  horizontalOverflow,
  mountView,
  screenshotView,
  startBrowserHost,
  waitForTheme,
  type BrowserHost,
} from "./harness.js";

const URI = "ui://langsmith-mcp/export-progress";
const DAY = 86_400_000;
const NOW = Date.parse("2026-03-04T12:00:00Z");
const utcMidnight = (daysAgo: number) => new Date(Math.floor(NOW / DAY) * DAY - daysAgo * DAY).toISOString();

describe.skipIf(!HAS_CHROMIUM)("export progress view in Chromium", () => {
  let host: BrowserHost;
  let stack: InMemoryStack;
  let destination: string;
  const sim = (method: string, path: string, body?: unknown) => control(stack.sim, method, path, body);
  const advance = (seconds: number) => sim("POST", "clock", { advance_seconds: seconds });
  const structured = async (name: string, args: Record<string, unknown>) => {
    const result = await stack.call(name, args);
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    return result;
  };
  /** An export of checkout-bot over the `days` UTC days ending yesterday. */
  const createExport = async (days: number): Promise<string> => {
    const created = await structured("create_export", {
      project: "checkout-bot",
      destination,
      start_time: utcMidnight(days + 1),
      end_time: utcMidnight(1),
    });
    return (created.structuredContent as { export: { id: string } }).export.id;
  };

  beforeAll(async () => {
    [host, stack] = await Promise.all([startBrowserHost(), startInMemoryStack({ sim: { now: NOW, realNow: () => NOW } })]);
    const created = await structured("create_destination", destinationArgs(stack.sim, "views"));
    destination = (created.structuredContent as { destination: { id: string } }).destination.id;
  });
  afterAll(async () => {
    await host?.close();
    await stack?.close();
  });

  it("draws one cell per day partition with its status, and a failed export's diagnosis and retry plan", async () => {
    const id = await createExport(4);
    const failingDay = utcMidnight(3).slice(0, 10);
    await sim("POST", "export-faults", { export_id: id, scenario: "serialization_error", partition: failingDay, times: -1 });
    await advance(30 * 3600);
    const args = { export_id: id };
    const result = await structured("export_status", args);
    const status = result.structuredContent as {
      export: { status: string };
      runs: { id: string; status: string; partition_start: string }[];
    };
    expect(status.export.status).toBe("Failed");
    const view = await mountView(host, stack, URI);
    try {
      await view.sendToolResult(result, args);
      await view.frame.waitForSelector(".cell");
      const cells = await view.frame
        .locator(".cell")
        .evaluateAll((els) => els.map((el) => [el.getAttribute("data-run-id"), el.getAttribute("data-status")]));
      const expected = status.runs.map((run) => [run.id, run.status.toLowerCase() === "created" ? "queued" : run.status.toLowerCase()]);
      expect(cells).toEqual(expected);
      const failed = status.runs.find((run) => run.partition_start.startsWith(failingDay))!;
      expect(await view.frame.locator(`.cell[data-run-id="${failed.id}"]`).getAttribute("data-status")).toBe("failed");
      await view.frame.waitForSelector(".diagnosis .failure-mode");
      expect((await view.frame.locator(".failure-mode").textContent())?.length).toBeGreaterThan(0);
      expect((await view.toolCalls()).map((call) => call.name)).toContain("diagnose_export");
      expect(await view.frame.locator(".clock-box").textContent()).toMatch(/workflow timeout/);
      await screenshotView(view, "view-export-progress-light");
      expect(view.requests).toEqual([]);
      expect(view.problems).toEqual([]);
    } finally {
      await view.close();
    }
  });

  it("refreshes a running export by calling export_status again, and follows the theme at a narrow width", async () => {
    // Just created: nothing exported yet.
    const id = await createExport(6);
    const args = { export_id: id };
    const first = await structured("export_status", args);
    const before = (first.structuredContent as { progress: { partitions_completed: number } }).progress.partitions_completed;
    const view = await mountView(host, stack, URI, { theme: "dark", width: 380 });
    try {
      await view.sendToolResult(first, args);
      await view.frame.waitForSelector(".cell");
      await waitForTheme(view, "dark");
      const dark = await backgroundOf(view);
      expect(await horizontalOverflow(view)).toBeLessThanOrEqual(0);
      await advance(30 * 3600);
      await view.frame.click("button.refresh");
      await view.frame.waitForSelector('.status-badge[data-status="completed"]');
      const calls = (await view.toolCalls()).filter((call) => call.name === "export_status");
      expect(calls.length).toBeGreaterThanOrEqual(1);
      expect(calls[0]!.arguments).toMatchObject({ export_id: id });
      const completed = await view.frame.locator('.cell[data-status="completed"]').count();
      expect(completed).toBe(6);
      expect(completed).toBeGreaterThan(before);
      await screenshotView(view, "view-export-progress-dark-narrow");
      await view.setTheme("light");
      await waitForTheme(view, "light");
      expect(await backgroundOf(view)).not.toBe(dark);
      expect(view.requests).toEqual([]);
      expect(view.problems).toEqual([]);
    } finally {
      await view.close();
    }
  });
});
