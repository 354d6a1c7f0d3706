/**
 * "What did checkout-bot cost over the last 24 h, and what was its error rate?" answered two
 * ways through the built server over stdio, on the same simulator data and window:
 *   - subject: one `run_stats` call (traces by default);
 *   - baseline: paging `query_runs` over the window's root runs (is_root, the largest page
 *     size, following next_cursor) and adding up cost and errors in the agent.
 * Measured: MCP calls, the bytes of text an agent reads (and text + structured), and the
 * LangSmith requests behind them (the simulator's request log). Both answers are compared, so
 * the row also says whether they agree. Sizes and counts are deterministic for a seed.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import { startSimulator } from "../src/simulator/index.js";
import { round, type BenchmarkResult } from "./measure.js";
import { clearRequestLog, connectServer, describeRequests, requestLog } from "./stack.js";
import { runsOf } from "../test/support/runs.js";

/** The goals of the issue: one call, at most 2 KB of text. */
const GOAL_CALLS = 1;
const GOAL_TEXT_BYTES = 2048;
const PROJECT = "checkout-bot";
/** A cap on the baseline's pages, far above what 24 h takes. */
const MAX_PAGES = 500;

const textOf = (r: CallToolResult): string => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
const bytes = (s: string): number => Buffer.byteLength(s);

export async function runStatsVsPaging(): Promise<BenchmarkResult> {
  const started = performance.now();
  const sim = await startSimulator({ port: 0, seed: 42 });
  const server = await connectServer(sim);
  try {
    const now = sim.clock.now();
    const window = { start_time: new Date(now - 86_400_000).toISOString(), end_time: new Date(now).toISOString() };

    await clearRequestLog(sim);
    const stats = await server.call("run_stats", { project: PROJECT, ...window });
    const statsRequests = await requestLog(sim);
    const statsText = textOf(stats);
    const totals = (stats.structuredContent as { totals: { run_count: number; error_count?: number; total_cost_usd?: number } }).totals;

    await clearRequestLog(sim);
    let calls = 0;
    let textBytes = 0;
    let allBytes = 0;
    let runs = 0;
    let errors = 0;
    let cost = 0;
    let cursor: string | undefined;
    do {
      const page = await server.call("query_runs", {
        project: PROJECT,
        ...window,
        is_root: true,
        page_size: 1000,
        ...(cursor && { cursor }),
      });
      calls++;
      textBytes += bytes(textOf(page));
      allBytes += bytes(textOf(page)) + bytes(JSON.stringify(page.structuredContent ?? {}));
      const body = page.structuredContent as { next_cursor?: string };
      for (const run of runsOf<{ id: string; status?: string; total_cost?: number | null }>(page)) {
        runs++;
        if (run.status === "error") errors++;
        cost += run.total_cost ?? 0;
      }
      cursor = body.next_cursor;
    } while (cursor && calls < MAX_PAGES);
    const pagingRequests = await requestLog(sim);

    const agree = totals.run_count === runs && (totals.error_count ?? 0) === errors && Math.abs((totals.total_cost_usd ?? 0) - cost) < 1e-6;
    const answer = `${runs} traces, ${errors} errored, $${round(cost, 4)}`;
    const statsBytes = bytes(statsText) + bytes(JSON.stringify(stats.structuredContent ?? {}));
    const benchmark = `cost and error rate of ${PROJECT} over 24 h (${answer})`;
    return {
      name: "stats-vs-paging",
      seconds: round((performance.now() - started) / 1000),
      rows: [
        {
          benchmark,
          subject: `run_stats: ${describeRequests(statsRequests)}`,
          subject_value: 1,
          baseline: `query_runs paged (is_root, page_size 1000): ${describeRequests(pagingRequests)}`,
          baseline_value: calls,
          unit: "MCP calls",
          ratio: round(1 / calls, 3),
          ratio_meaning: `of the paging calls; goal ${GOAL_CALLS} call`,
          spread: `answers agree: ${agree ? "yes" : "NO"}; deterministic, one measurement`,
        },
        {
          benchmark,
          subject: "run_stats text",
          subject_value: bytes(statsText),
          baseline: "query_runs text over all pages",
          baseline_value: textBytes,
          unit: "bytes",
          ratio: round(bytes(statsText) / textBytes, 4),
          ratio_meaning: `of the paging text; goal ≤ ${GOAL_TEXT_BYTES} bytes (${bytes(statsText) <= GOAL_TEXT_BYTES ? "met" : "missed"})`,
          spread: `text + structured: ${statsBytes.toLocaleString("en-US")} vs ${allBytes.toLocaleString("en-US")} bytes; deterministic, one measurement`,
        },
      ],
      details: {
        window,
        totals,
        paging: { calls, runs, errors, cost, textBytes, allBytes },
        statsTextBytes: bytes(statsText),
        statsBytes,
        agree,
      },
    };
  } finally {
    await server.close();
    await sim.close();
  }
}
