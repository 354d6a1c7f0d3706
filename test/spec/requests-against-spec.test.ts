import { Agent, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOLS } from "../../src/tools/index.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { SpecRequestChecker, type RecordedRequest } from "../support/openapi-requests.js";
import { analyticsFlow, deletionFlow, exportFlow, runFlow } from "../support/tool-flows.js";

/** An undici Agent that records every request the LangSmith client sends, then sends it. */
function recordingAgent(sink: RecordedRequest[]): Dispatcher {
  return new Agent().compose((dispatch) => (opts, handler) => {
    sink.push({ method: String(opts.method), path: String(opts.path), body: typeof opts.body === "string" ? opts.body : undefined });
    return dispatch(opts, handler);
  });
}

/**
 * Strict writer: every request the product sends while every tool runs validates against
 * LangSmith's published OpenAPI (vendored, merged), not against our own simulator.
 */
describe("every request the tools send is one LangSmith's OpenAPI accepts", () => {
  const sent: RecordedRequest[] = [];
  let stack: InMemoryStack;
  const checker = new SpecRequestChecker();
  const called = new Set<string>();

  async function call<T = Record<string, unknown>>(name: string, args: Record<string, unknown>): Promise<T> {
    const result = await stack.call(name, args);
    const text = (result.content as Array<{ type: string; text?: string }>).map((b) => b.text ?? "").join("\n");
    expect(result.isError, `${name}: ${text}`).toBeFalsy();
    called.add(name);
    return result.structuredContent as T;
  }

  beforeAll(async () => {
    stack = await startInMemoryStack({ client: { dispatcher: recordingAgent(sent) } });
  });
  afterAll(async () => stack?.close());

  it("checks itself: a request outside the spec is reported", () => {
    expect(
      checker.check({ method: "POST", path: "/api/v2/runs/query", body: JSON.stringify({ project_ids: ["nope"], bogus: 1 }) }),
    ).toEqual(expect.arrayContaining([expect.stringContaining("project_ids"), expect.stringContaining("field bogus is not in the spec")]));
    expect(checker.check({ method: "GET", path: "/api/v1/sessions?limit=5&colour=red" })).toEqual([
      expect.stringContaining("query parameter colour is not in the spec"),
    ]);
    expect(checker.check({ method: "GET", path: "/api/v9/nothing" })).toEqual([expect.stringContaining("no such operation")]);
    expect(checker.check({ method: "GET", path: "/api/v1/sessions?limit=5&name_contains=bot" })).toEqual([]);
  });

  it("drives every tool through the simulator", async () => {
    await runFlow(call);
    await call("query_runs", { project: "checkout-bot", start_time: "7d", page_size: 3, sort_order: "asc" });
    await analyticsFlow(call);
    await exportFlow(call, stack.sim);
    await deletionFlow(call);
    expect([...called].sort()).toEqual(TOOLS.map((t) => t.name).sort());
  });

  it("sent only requests the spec accepts (0 violations)", () => {
    expect(sent.length).toBeGreaterThan(20);
    const violations = sent.flatMap((request) => checker.check(request));
    expect(violations, violations.join("\n")).toEqual([]);
  });
});
