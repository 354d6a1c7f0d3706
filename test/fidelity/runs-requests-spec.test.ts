/**
 * Every runs/projects/info request the tools send validates against LangSmith's published
 * OpenAPI (vendored, merged by test/support/langsmith-openapi.ts) with Ajv 2020: bodies against
 * the operation's requestBody schema, query strings against its parameters, and no field the
 * spec does not name.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpecRequestChecker } from "../support/openapi-requests.js";
import { CHILD, R1, SESSION, SHOWN, V1, V2 } from "./runs-data.js";
import { startMockLangSmith, text, type MockLangSmith, type SentRequest } from "./runs-harness.js";

type Json = Record<string, unknown>;
const checker = new SpecRequestChecker();

/** Every way a request breaks its operation's contract, as readable lines (the shared checker). */
function violations(req: SentRequest): string[] {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(req.query)) for (const v of [value].flat()) query.append(name, v);
  const qs = query.toString();
  return checker.check({
    method: req.method,
    path: req.path + (qs ? `?${qs}` : ""),
    body: req.body === undefined ? undefined : JSON.stringify(req.body),
  });
}

const sessions = (ls: MockLangSmith): void => {
  ls.pool
    .intercept({ path: (p) => p.startsWith("/api/v1/sessions"), method: "GET" })
    .reply(200, (opts) => (String(opts.path).startsWith("/api/v1/sessions?") ? [SESSION] : SESSION))
    .persist();
};

async function exercise(ls: MockLangSmith, version: string): Promise<void> {
  ls.pool.intercept({ path: "/api/v1/info", method: "GET" }).reply(200, { version });
  sessions(ls);
  ls.pool
    .intercept({ path: "/api/v2/runs/query", method: "POST" })
    .reply(200, { items: [V2.r1, V2.r2, V2.r3], next_cursor: "c" })
    .persist();
  ls.pool
    .intercept({ path: (p) => p.startsWith("/api/v2/runs/"), method: "GET" })
    .reply(200, V2.r1)
    .persist();
  ls.pool
    .intercept({ path: (p) => p.startsWith("/api/v2/traces/"), method: "GET" })
    .reply(200, { items: [V2.r1] })
    .persist();
  ls.pool
    .intercept({ path: "/api/v1/runs/query", method: "POST" })
    .reply(200, { runs: [V1.r1, V1.r2, V1.r3], cursors: { next: "v1c" } })
    .persist();
  const calls: Array<[string, Json]> = [
    ["list_projects", { name_contains: "bot", limit: 10 }],
    [
      "query_runs",
      {
        project: "support-bot",
        filter: 'eq(run_type, "llm")',
        trace_filter: 'eq(status, "error")',
        tree_filter: 'eq(name, "x")',
        run_type: "llm",
        has_error: true,
        is_root: false,
        trace_id: R1,
        fields: "full",
        sort_order: "asc",
        page_size: 2,
      },
    ],
    ["query_runs", { project: SESSION.id, fields: "detailed", page_size: 500 }],
    ["get_run", { run_id: R1 }],
    ["get_run", { run_id: R1, project: "support-bot", start_time: SHOWN.r1.start_time, fields: ["outputs"] }],
    ["get_run", { run_id: R1, project: "support-bot", start_time: "2026-11-29T10:00:00.123456" }],
    ["get_trace", { run_id: CHILD }],
  ];
  for (const [name, args] of calls) {
    const result = await ls.call(name, args);
    expect(result.isError, `${name}: ${text(result)}`).toBeFalsy();
  }
}

describe("the spec check itself", () => {
  it("catches an out-of-range page size, an unknown body field, a missing required parameter and a naive time", () => {
    expect(
      violations({
        method: "POST",
        path: "/api/v2/runs/query",
        query: {},
        body: { project_ids: [SESSION.id], page_size: 5000, order: "asc" },
      }),
    ).toEqual([expect.stringMatching(/body\/page_size: must be <= 1000/), expect.stringMatching(/body: field order is not in the spec/)]);
    expect(
      violations({ method: "GET", path: `/api/v2/runs/${R1}`, query: { start_time: "2026-11-29T10:00:00.123456" }, body: undefined }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/required query parameter project_id is missing/),
        expect.stringMatching(/query start_time: must match format "date-time"/),
      ]),
    );
  });
});

describe.each([
  ["a current install", "0.16.2"],
  ["an old install (v1)", "0.15.3"],
])("requests the run tools send to %s validate against LangSmith's published OpenAPI", (_label, version) => {
  let ls: MockLangSmith;
  let sent: SentRequest[];
  beforeAll(async () => {
    ls = await startMockLangSmith();
    await exercise(ls, version);
    sent = ls.sent();
  });
  afterAll(async () => ls?.close());

  it("sends the requests it should", () => {
    const kinds = new Set(sent.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/g, "{id}")}`));
    expect([...kinds]).toEqual(
      expect.arrayContaining(
        version === "0.16.2"
          ? ["GET /api/v1/info", "GET /api/v1/sessions", "POST /api/v2/runs/query", "GET /api/v2/runs/{id}", "POST /api/v1/runs/query"]
          : ["GET /api/v1/info", "GET /api/v1/sessions", "POST /api/v1/runs/query"],
      ),
    );
  });

  it("every one matches its operation's parameters and request body", () => {
    const failures = sent.map((req) => ({ req: `${req.method} ${req.path}`, problems: violations(req) })).filter((f) => f.problems.length);
    expect(failures).toEqual([]);
  });
});
