/**
 * The purge evidence view in a real browser, on deletion_report results from the server against
 * the simulator (clock frozen on a Wednesday, moved past the weekend batch by hand): per project
 * and batch sent / accepted / verified, the expected window on the calendar strip, the verdict,
 * the theme switch, and no network request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control } from "../../src/simulator/testing.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { runsOf } from "../support/runs.js";
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

const URI = "ui://langsmith-mcp/purge-evidence";
/** A Wednesday: the next weekend window starts Saturday 2026-03-07 00:00 UTC. */
const NOW = Date.parse("2026-03-04T12:00:00Z");

interface Report {
  final_verdict: string;
  plan: { projects: { id: string; name: string }[] };
  batches: { batch_no: number; accepted_at?: string; expected_window?: { start: string; end: string } }[];
}

describe.skipIf(!HAS_CHROMIUM)("purge evidence view in Chromium", () => {
  let host: BrowserHost;
  let stack: InMemoryStack;
  let purgeId: string;
  const ok = async (name: string, args: Record<string, unknown>) => {
    const result = await stack.call(name, args);
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    return result;
  };
  const call = async <T>(name: string, args: Record<string, unknown>) => (await ok(name, args)).structuredContent as T;

  beforeAll(async () => {
    [host, stack] = await Promise.all([
      startBrowserHost(),
      startInMemoryStack({
        sim: { now: NOW, realNow: () => NOW },
        // The server's clock is the simulator's, so the request and LangSmith's acceptance fall on the same days.
        server: { now: () => new Date(stack.sim.clock.now()) },
      }),
    ]);
    const runs = runsOf(
      await ok("query_runs", {
        project: "support-bot",
        // The seed is anchored on the simulator's (frozen) clock, not on the server's real one.
        start_time: new Date(NOW - 30 * 86_400_000).toISOString(),
        end_time: new Date(NOW).toISOString(),
        is_root: true,
        page_size: 4,
      }),
    );
    const purge = { project: "support-bot", trace_ids: runs.map((run) => run.id) };
    const plan = await call<{ confirmation_token: string }>("queue_deletion", purge);
    const queued = await call<{ purge: { purge_id: string } }>("queue_deletion", { ...purge, confirmation_token: plan.confirmation_token });
    purgeId = queued.purge.purge_id;
  });
  afterAll(async () => {
    await host?.close();
    await stack?.close();
  });

  it("shows a pending purge: batches sent and accepted, not verified, the window on the strip", async () => {
    await ok("verify_deletion", { purge_id: purgeId });
    const args = { purge_id: purgeId };
    const result = await ok("deletion_report", args);
    const report = result.structuredContent as unknown as Report;
    expect(report.final_verdict).toBe("pending");
    const view = await mountView(host, stack, URI);
    try {
      await view.sendToolResult(result, args);
      await view.frame.waitForSelector(".verdict");
      expect(await view.frame.locator(".verdict").getAttribute("data-verdict")).toBe("pending");
      expect(await view.frame.locator("tr.batch").count()).toBe(report.batches.length);
      expect(await view.frame.locator('tr.batch td[data-col="accepted"] .yes').count()).toBe(report.batches.length);
      expect(await view.frame.locator('tr.batch td[data-col="verified"] .yes').count()).toBe(0);
      expect(await view.frame.locator("tr.project th").first().textContent()).toContain("support-bot");
      // The weekend window (Saturday and Sunday, UTC) is marked on the strip, and only weekend days are in it.
      const inWindow = await view.frame.locator(".day.in-window").evaluateAll((days) => days.map((d) => d.getAttribute("data-date")));
      expect(inWindow).toEqual(["2026-03-07", "2026-03-08"]);
      expect(view.requests).toEqual([]);
      expect(view.problems).toEqual([]);
    } finally {
      await view.close();
    }
  });

  it("shows the verdict 'verified' once a check after the weekend batch finds nothing, in light and dark", async () => {
    await control(stack.sim, "POST", "clock", { advance_seconds: 4 * 86_400 });
    await ok("verify_deletion", { purge_id: purgeId });
    const args = { purge_id: purgeId };
    const result = await ok("deletion_report", args);
    expect((result.structuredContent as unknown as Report).final_verdict).toBe("verified");
    const view = await mountView(host, stack, URI, { theme: "light", width: 760 });
    try {
      await view.sendToolResult(result, args);
      await view.frame.waitForSelector(".verdict");
      expect(await view.frame.locator(".verdict").getAttribute("data-verdict")).toBe("verified");
      expect(await view.frame.locator('tr.batch td[data-col="verified"] .yes').count()).toBe(await view.frame.locator("tr.batch").count());
      expect(await view.frame.locator('[data-integrity="intact"]').count()).toBe(1);
      await screenshotView(view, "view-purge-evidence-light");
      const light = await backgroundOf(view);
      await view.setTheme("dark");
      await waitForTheme(view, "dark");
      expect(await backgroundOf(view)).not.toBe(light);
      await screenshotView(view, "view-purge-evidence-dark");
      expect(view.requests).toEqual([]);
      expect(view.problems).toEqual([]);
    } finally {
      await view.close();
    }
    const narrow = await mountView(host, stack, URI, { width: 340 });
    try {
      await narrow.sendToolResult(result, args);
      await narrow.frame.waitForSelector(".verdict");
      expect(await horizontalOverflow(narrow)).toBeLessThanOrEqual(0);
    } finally {
      await narrow.close();
    }
  });
});
