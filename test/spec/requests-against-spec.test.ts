import { Agent, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOLS } from "../../src/tools/index.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { SpecRequestChecker, type RecordedRequest } from "../support/openapi-requests.js";

const DAY = 86_400_000;
const utcMidnight = (daysAgo: number) => new Date(Math.floor(Date.now() / DAY) * DAY - daysAgo * DAY).toISOString();

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
    expect(checker.check({ method: "POST", path: "/api/v2/runs/query", body: JSON.stringify({ project_ids: ["nope"], bogus: 1 }) })).toEqual(
      expect.arrayContaining([expect.stringContaining("project_ids"), expect.stringContaining("field bogus is not in the spec")]),
    );
    expect(checker.check({ method: "GET", path: "/api/v1/sessions?limit=5&colour=red" })).toEqual([
      expect.stringContaining("query parameter colour is not in the spec"),
    ]);
    expect(checker.check({ method: "GET", path: "/api/v9/nothing" })).toEqual([expect.stringContaining("no such operation")]);
    expect(checker.check({ method: "GET", path: "/api/v1/sessions?limit=5&name_contains=bot" })).toEqual([]);
  });

  it("drives every tool through the simulator", async () => {
    await call("list_projects", {});
    await call("list_projects", { name_contains: "bot" });
    const { runs } = await call<{ runs: { id: string }[] }>("query_runs", {
      project: "checkout-bot",
      start_time: "7d",
      page_size: 5,
      filter: 'and(eq(run_type, "llm"), gt(latency, 0.1))',
      fields: "detailed",
    });
    await call("query_runs", { project: "checkout-bot", start_time: "7d", page_size: 3, order: "asc" }).catch(() => undefined);
    await call("get_run", { run_id: runs[0]!.id });
    await call("get_trace", { run_id: runs[0]!.id });

    const { fullAccess, rotation } = stack.sim.storage.credentials;
    const created = await call<{ destination: { id: string } }>("create_destination", {
      display_name: "spec check",
      bucket_name: stack.sim.storage.buckets.traces,
      prefix: "spec-check",
      region: "eu-west-1",
      access_key_id: fullAccess.access_key_id,
      secret_access_key: fullAccess.secret_access_key,
    });
    const destination = created.destination.id;
    await call("list_destinations", {});
    const rotate = { destination, access_key_id: rotation.access_key_id, secret_access_key: rotation.secret_access_key };
    const plan = await call<{ confirmation_token: string }>("rotate_destination_credentials", rotate);
    await call("rotate_destination_credentials", { ...rotate, confirmation_token: plan.confirmation_token });
    const { export: started } = await call<{ export: { id: string } }>("create_export", {
      project: "checkout-bot",
      destination,
      start_time: utcMidnight(3),
      end_time: utcMidnight(1),
      filter: 'eq(run_type, "llm")',
    });
    await call("list_exports", {});
    await call("export_status", { export_id: started.id });
    await call("diagnose_export", { export_id: started.id });
    const cancel = await call<{ confirmation_token: string }>("cancel_export", { export_id: started.id });
    await call("cancel_export", { export_id: started.id, confirmation_token: cancel.confirmation_token });

    const roots = await call<{ runs: { id: string }[] }>("query_runs", { project: "support-bot", start_time: "30d", is_root: true, page_size: 3 });
    const purge = { project: "support-bot", trace_ids: roots.runs.map((run) => run.id) };
    const purgePlan = await call<{ confirmation_token: string }>("queue_deletion", purge);
    const queued = await call<{ purge: { purge_id: string } }>("queue_deletion", { ...purge, confirmation_token: purgePlan.confirmation_token });
    await call("verify_deletion", { purge_id: queued.purge.purge_id });
    await call("list_deletions", {});
    await call("diagnose_export", { error_text: "An error occurred (AccessDenied) when calling the PutObject operation: Access Denied" });

    expect([...called].sort()).toEqual(TOOLS.map((t) => t.name).sort());
  });

  it("sent only requests the spec accepts (0 violations)", () => {
    expect(sent.length).toBeGreaterThan(20);
    const violations = sent.flatMap((request) => checker.check(request));
    expect(violations, violations.join("\n")).toEqual([]);
  });
});
