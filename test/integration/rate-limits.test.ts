import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control } from "../../src/simulator/testing.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { textOf } from "../support/stack.js";
import { runsOf } from "../support/runs.js";

describe("under LangSmith's documented rate limits (simulator rate-limit mode)", () => {
  let stack: InMemoryStack;
  beforeAll(async () => {
    // Debug, as the e2e server logged: the retries must show in the log.
    stack = await startInMemoryStack({ sim: { rateLimits: true }, logLevel: "debug" });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("pages past 15 queries in 10 s by honouring Retry-After, with no failed call", async () => {
    const args = { project: "support-bot", start_time: "7d", page_size: 5 };
    let cursor: string | undefined;
    const ids: string[] = [];
    for (let page = 0; page < 18; page++) {
      const result = await stack.call("query_runs", { ...args, ...(cursor && { cursor }) });
      expect(result.isError, textOf(result)).toBeFalsy();
      const structured = result.structuredContent as { next_cursor?: string };
      ids.push(...runsOf(result).map((r) => r.id));
      cursor = structured.next_cursor;
    }
    expect(new Set(ids).size).toBe(ids.length);
    const { body } = await control<{ requests: { path: string; status: number }[] }>(stack.sim, "GET", "requests");
    const queries = body.requests.filter((r) => r.path === "/api/v2/runs/query");
    const limited = queries.filter((r) => r.status === 429).length;
    expect(limited).toBeGreaterThan(0);
    expect(queries.filter((r) => r.status === 200).length).toBe(18);
    expect(stack.logs()).toMatch(/429|rate/i);
  });
});
