/**
 * The run statistics charts in a real browser, on run_stats results from the server against the
 * simulator: one chart row per group with the figures the result holds, the theme switch, a
 * narrow frame, and no network request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
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

const URI = "ui://langsmith-mcp/run-stats";
const ARGS = { project: "checkout-bot", start_time: "7d", group_by: "name", is_root: false, max_groups: 6, top_by: "latency", top_n: 5 };

interface Stats {
  totals: { run_count: number; error_rate?: number; latency_p50_s?: number };
  groups?: { group: string; latency_p50_s?: number; error_rate?: number; total_cost_usd?: number }[];
  top?: { runs: unknown[] };
}

describe.skipIf(!HAS_CHROMIUM)("run statistics view in Chromium", () => {
  let host: BrowserHost;
  let stack: InMemoryStack;
  beforeAll(async () => {
    [host, stack] = await Promise.all([startBrowserHost(), startInMemoryStack()]);
  });
  afterAll(async () => {
    await host?.close();
    await stack?.close();
  });

  it("draws latency, error-rate and cost rows for all runs and each group, and the top runs", async () => {
    const result = await stack.call("run_stats", ARGS);
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const stats = result.structuredContent as unknown as Stats;
    const groups = stats.groups ?? [];
    expect(groups.length).toBeGreaterThan(1);
    const view = await mountView(host, stack, URI, { theme: "light", width: 760 });
    try {
      await view.sendToolResult(result, ARGS);
      await view.frame.waitForSelector(".chart-latency .chart-row");
      const rowsOf = (chart: string) =>
        view.frame.locator(`.chart-${chart} .chart-row`).evaluateAll((rows) => rows.map((row) => row.getAttribute("data-group")));
      expect(await rowsOf("latency")).toEqual(["all", ...groups.filter((g) => g.latency_p50_s !== undefined).map((g) => g.group)]);
      expect(await rowsOf("errors")).toEqual(["all", ...groups.filter((g) => g.error_rate !== undefined).map((g) => g.group)]);
      const costed = groups.filter((g) => g.total_cost_usd !== undefined).map((g) => g.group);
      if (costed.length) expect((await rowsOf("cost")).slice(1)).toEqual(costed);
      expect(await view.frame.locator(".chart-top .chart-row").count()).toBe(stats.top?.runs.length ?? 0);
      expect(await view.frame.locator(".tile").first().textContent()).toContain(stats.totals.run_count.toLocaleString("en-US"));
      await screenshotView(view, "view-run-stats-light");
      await view.setTheme("dark");
      await waitForTheme(view, "dark");
      expect(await backgroundOf(view)).not.toBe("rgb(255, 255, 255)");
      await screenshotView(view, "view-run-stats-dark");
      expect(view.requests).toEqual([]);
      expect(view.problems).toEqual([]);
    } finally {
      await view.close();
    }
  });

  it("fits a narrow frame, dark from prefers-color-scheme when the host names no theme", async () => {
    const result = await stack.call("run_stats", ARGS);
    const view = await mountView(host, stack, URI, { width: 340, theme: "dark", hostTheme: false });
    try {
      await view.sendToolResult(result, ARGS);
      await view.frame.waitForSelector(".chart-row");
      expect(await horizontalOverflow(view)).toBeLessThanOrEqual(0);
      expect(await view.frame.evaluate<string | undefined>("document.documentElement.dataset.theme")).toBeUndefined();
      expect(await backgroundOf(view)).not.toBe("rgb(255, 255, 255)");
      expect(view.requests).toEqual([]);
    } finally {
      await view.close();
    }
  });
});
