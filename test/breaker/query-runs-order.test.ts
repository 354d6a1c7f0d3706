/**
 * query_runs tells when LangSmith's page is not in the order sort_order asked for, comparing
 * start times to the microsecond (apiTimeMicros: LangSmith stores microseconds). Its fast path
 * compares times of one form and length as strings; two times equal to the microsecond that
 * differ only in nanoseconds are in order either way, as the parsed comparison says.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { SESSION, V2 } from "../fidelity/runs-data.js";
import { startMockLangSmith, text, type MockLangSmith } from "../fidelity/runs-harness.js";

let ls: MockLangSmith;
beforeEach(async () => {
  ls = await startMockLangSmith();
  ls.pool.intercept({ path: "/api/v1/info", method: "GET" }).reply(200, { version: "0.16.2", batch_ingest_config: {}, instance_flags: {} });
  ls.pool
    .intercept({ path: (p) => p.startsWith("/api/v1/sessions?"), method: "GET" })
    .reply(200, [SESSION])
    .persist();
});
afterEach(async () => ls.close());

const args = { project: "support-bot", start_time: "2026-11-29T00:00:00Z", end_time: "2026-11-29T12:00:00Z" };

it("a desc page whose first two times tie to the microsecond (nanoseconds differ) is not called out of order", async () => {
  const first = { ...V2.r1, start_time: "2026-11-29T10:00:00.123456001Z" };
  const second = { ...V2.r2, start_time: "2026-11-29T10:00:00.123456002Z" };
  ls.pool.intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, { items: [first, second] });
  const result = await ls.call("query_runs", args);
  expect(result.isError, text(result)).toBeFalsy();
  expect(text(result)).not.toMatch(/did not return these runs/);
});

it("a desc page out of order by a microsecond is still called out and sorted", async () => {
  const first = { ...V2.r1, start_time: "2026-11-29T10:00:00.123456Z" };
  const second = { ...V2.r2, start_time: "2026-11-29T10:00:00.123457Z" };
  ls.pool.intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, { items: [first, second] });
  const result = await ls.call("query_runs", args);
  expect(text(result)).toMatch(/did not return these runs newest first/);
});
