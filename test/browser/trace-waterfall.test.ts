/**
 * The trace waterfall in a real browser: a get_trace result from the server (simulator) drawn
 * as bars, a click that opens the run with get_run through the host's bridge, the theme
 * switch, a narrow frame, and not one network request. Screenshots (light, dark, narrow) land
 * in docs/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { nodesOf, runsOf } from "../support/runs.js";
import {
  backgroundOf,
  HAS_CHROMIUM,
  horizontalOverflow,
  mountView,
  screenshotView,
  startBrowserHost,
  waitForCount,
  waitForTheme,
  type BrowserHost,
} from "./harness.js";

const URI = "ui://langsmith-mcp/trace-waterfall";

describe.skipIf(!HAS_CHROMIUM)("trace waterfall view in Chromium", () => {
  let host: BrowserHost;
  let stack: InMemoryStack;
  let traceArgs: Record<string, unknown>;
  beforeAll(async () => {
    [host, stack] = await Promise.all([startBrowserHost(), startInMemoryStack()]);
    // Of the first finished traces, the one with the most runs and errors: every colour of the view shows.
    const roots = runsOf(
      await stack.call("query_runs", {
        project: "checkout-bot",
        start_time: "7d",
        is_root: true,
        page_size: 10,
        filter: "neq(end_time, null)",
      }),
    );
    let best = { score: -1, id: roots[0]!.id };
    for (const root of roots) {
      const trace = (await stack.call("get_trace", { trace_id: root.id })).structuredContent as { run_count: number; error_count: number };
      const score = trace.run_count + (trace.error_count > 0 ? 3 : 0);
      if (score > best.score) best = { score, id: root.id };
    }
    traceArgs = { trace_id: best.id };
  });
  afterAll(async () => {
    await host?.close();
    await stack?.close();
  });

  it("draws one bar per run of the server's get_trace result, with the critical path from the root", async () => {
    const result = await stack.call("get_trace", traceArgs);
    const nodes = nodesOf(result);
    const view = await mountView(host, stack, URI);
    try {
      await view.sendToolResult(result, traceArgs);
      await view.frame.waitForSelector(".row.run");
      expect(await view.frame.locator(".row.run").count()).toBe(nodes.length);
      expect(await view.frame.locator(".bar").count()).toBe(nodes.length);
      const ids = await view.frame.locator(".row.run").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-run-id")));
      expect(ids).toEqual(nodes.map((node) => node.id));
      // The root is always on the critical path.
      expect(await view.frame.locator(`.row.run[data-run-id="${nodes[0]!.id}"]`).getAttribute("class")).toContain("on-path");
      const errored = nodes.filter((node) => node["status"] === "error").length;
      expect(await view.frame.locator(".bar.errored").count()).toBeGreaterThanOrEqual(errored);
      expect(view.requests).toEqual([]);
      expect(view.problems).toEqual([]);
    } finally {
      await view.close();
    }
  });

  it("opens a run with get_run through the host's bridge when its row is clicked", async () => {
    const result = await stack.call("get_trace", traceArgs);
    const nodes = nodesOf(result);
    const target = nodes[nodes.length - 1]!;
    const view = await mountView(host, stack, URI);
    try {
      await view.sendToolResult(result, traceArgs);
      await view.frame.click(`.row.run[data-run-id="${target.id}"]`);
      await view.frame.waitForSelector(".detail .facts");
      expect(await view.toolCalls()).toEqual([{ name: "get_run", arguments: { run_id: target.id } }]);
      expect(await view.frame.locator(".detail h2").first().textContent()).toContain(target.id);
      expect(view.requests).toEqual([]);
    } finally {
      await view.close();
    }
  });

  it("follows the host's theme, light to dark, and fits a narrow frame; screenshots into docs/", async () => {
    const result = await stack.call("get_trace", traceArgs);
    const view = await mountView(host, stack, URI, { theme: "light", width: 760 });
    try {
      await view.sendToolResult(result, traceArgs);
      await view.frame.waitForSelector(".row.run");
      const light = await backgroundOf(view);
      await screenshotView(view, "view-trace-waterfall-light");
      await view.setTheme("dark");
      await waitForTheme(view, "dark");
      const dark = await backgroundOf(view);
      expect(light).toBe("rgb(255, 255, 255)");
      expect(dark).not.toBe(light);
      await screenshotView(view, "view-trace-waterfall-dark");
      expect(view.requests).toEqual([]);
      expect(view.problems).toEqual([]);
    } finally {
      await view.close();
    }
    const narrow = await mountView(host, stack, URI, { theme: "light", width: 360 });
    try {
      await narrow.sendToolResult(result, traceArgs);
      await narrow.frame.waitForSelector(".row.run");
      expect(await horizontalOverflow(narrow)).toBeLessThanOrEqual(0);
    } finally {
      await narrow.close();
    }
  });

  it("asks get_trace again for more runs when the result was cut (show more)", async () => {
    const small = { ...traceArgs, max_nodes: 2 };
    const result = await stack.call("get_trace", small);
    const total = (result.structuredContent as { run_count: number }).run_count;
    if (total <= 2) return;
    const view = await mountView(host, stack, URI);
    try {
      await view.sendToolResult(result, small);
      await view.frame.click("button.more");
      // As many rows as get_trace itself answers for the view's call (its budget may stop short of 300).
      const shown = nodesOf(await stack.call("get_trace", { trace_id: traceArgs["trace_id"], max_nodes: 300 })).length;
      await waitForCount(view, ".row.run", shown);
      expect((await view.toolCalls())[0]).toEqual({ name: "get_trace", arguments: { trace_id: traceArgs["trace_id"], max_nodes: 300 } });
    } finally {
      await view.close();
    }
  });
});
