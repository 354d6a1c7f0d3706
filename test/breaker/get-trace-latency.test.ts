/**
 * Breaker: get_trace prints "running" for any run whose latency_seconds is null or absent, even
 * when its status says it finished (the spec makes every RunResponse field optional). Tolerant
 * reader: absent means "not recorded", not "still running".
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { CHILD, PROJECT, R1 } from "../fidelity/runs-data.js";
import { startMockLangSmith, text, type MockLangSmith } from "../fidelity/runs-harness.js";

let ls: MockLangSmith;
beforeEach(async () => {
  ls = await startMockLangSmith();
  ls.pool.intercept({ path: "/api/v1/info", method: "GET" }).reply(200, { version: "0.16.2" });
});
afterEach(async () => ls.close());

it("get_trace does not call a finished run 'running' when LangSmith leaves latency_seconds out", async () => {
  ls.pool.intercept({ path: "/api/v1/runs/query", method: "POST" }).reply(200, {
    runs: [
      {
        id: R1,
        trace_id: R1,
        session_id: PROJECT,
        start_time: "2026-11-29T10:00:00.123456",
        end_time: "2026-11-29T10:00:03.123456",
        parent_run_id: null,
      },
    ],
    cursors: { next: null },
  });
  ls.pool.intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, {
    items: [
      {
        id: R1,
        name: "agent",
        run_type: "CHAIN",
        status: "SUCCESS",
        start_time: "2026-11-29T10:00:00.123456Z",
        parent_run_ids: [],
        dotted_order: "a",
      },
      {
        id: CHILD,
        name: "tool",
        run_type: "TOOL",
        status: "ERROR",
        start_time: "2026-11-29T10:00:01Z",
        parent_run_ids: [R1],
        dotted_order: "a.b",
      },
    ],
  });
  const result = await ls.call("get_trace", { trace_id: R1 });
  expect(result.isError, text(result)).toBeFalsy();
  expect(text(result)).not.toMatch(/success, running|error, running/);
});
