/**
 * Tool-call overhead: `query_runs` of 100 runs through an MCP client (stdio framing, argument
 * validation, the server's HTTP client, shaping into compact text + structured content) against
 * the same LangSmith request made directly with undici and its JSON parsed, on the same
 * simulator and data. Both are warmed alike (connections open, the project name resolved
 * and cached by the server); the request log confirms the tool makes one API call per call.
 */
import { startSimulator } from "../src/simulator/index.js";
import { resolveSelects } from "../src/tools/run-fields.js";
import { round, spreadOf, summarize, timeRepeated, type BenchmarkResult } from "./measure.js";
import { clearRequestLog, connectServer, describeRequests, rawRunsQuery, requestLog, supportBotLastTwoDays } from "./stack.js";

const ITERATIONS = 60;
const WARMUP = 5;
const BUDGET_MS = 30_000;
const PAGE = 100;

export async function runToolOverhead(): Promise<BenchmarkResult> {
  const started = performance.now();
  const sim = await startSimulator({ port: 0, seed: 42 });
  const server = await connectServer(sim);
  try {
    const { projectId, window } = supportBotLastTwoDays(sim);
    const toolArgs = { project: "support-bot", start_time: window.min_start_time, end_time: window.max_start_time, page_size: PAGE };
    // The body query_runs builds for these arguments (same selects, order and window).
    const apiBody = JSON.stringify({
      project_ids: [projectId],
      ...window,
      selects: resolveSelects("compact"),
      sort_order: "DESC",
      page_size: PAGE,
    });

    const viaMcp = async () => {
      const result = await server.call("query_runs", toolArgs);
      if ((result.structuredContent as { count: number }).count !== PAGE) throw new Error("query_runs returned fewer runs than asked");
    };
    const direct = async () => {
      const response = await rawRunsQuery(sim, apiBody);
      const page = (await response.body.json()) as { runs?: unknown[]; items?: unknown[] };
      if ((page.runs ?? page.items ?? []).length !== PAGE) throw new Error("direct query returned fewer runs than asked");
    };

    // Alternate the two in blocks so neither profits from a quieter moment of the machine.
    const mcpSamples: number[] = [];
    const directSamples: number[] = [];
    for (let block = 0; block < 3; block++) {
      mcpSamples.push(...(await timeRepeated(viaMcp, { iterations: ITERATIONS / 3, warmup: WARMUP, budgetMs: BUDGET_MS / 6 })));
      directSamples.push(...(await timeRepeated(direct, { iterations: ITERATIONS / 3, warmup: WARMUP, budgetMs: BUDGET_MS / 6 })));
    }
    await clearRequestLog(sim);
    await viaMcp();
    const perCall = await requestLog(sim);

    const mcp = summarize(mcpSamples);
    const raw = summarize(directSamples);
    return {
      name: "tool-overhead",
      seconds: round((performance.now() - started) / 1000),
      rows: [
        {
          benchmark: `tool-call overhead: query_runs, ${PAGE} runs`,
          subject: "MCP client → server (stdio) → simulator",
          subject_value: round(mcp.median, 2),
          baseline: "direct undici POST /api/v2/runs/query + JSON.parse",
          baseline_value: round(raw.median, 2),
          unit: "ms",
          ratio: round(mcp.median / raw.median, 2),
          ratio_meaning: "of the direct request's time; lower is better",
          spread: `${spreadOf(mcp, 2)} vs ${spreadOf(raw, 2)}; +${round(mcp.median - raw.median, 2)} ms per call`,
        },
      ],
      details: { mcp_ms: mcp, direct_ms: raw, api_requests_per_tool_call: describeRequests(perCall) },
    };
  } finally {
    await server.close();
    await sim.close();
  }
}
