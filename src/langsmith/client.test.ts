import { MockAgent } from "undici";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { UserInputError } from "../errors.js";
import { createLogger } from "../log.js";
import { CallBudget } from "../call-budget.js";
import { LangSmithClient, type LangSmithClientOptions } from "./client.js";
import type { RunsQueryV2Response } from "./schemas.js";
import { LangSmithApiError, LangSmithNetworkError, LangSmithPaginationError, LangSmithResponseError } from "./errors.js";

const ORIGIN = "https://ls.test";
const API_KEY = "lsv2_pt_0123456789abcdef0123456789abcdef_abcdef0123";
const PROJECT = "018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327";
const RUN = "f47ac10b-58cc-4372-a567-0e02b2c3d479";
const WORKSPACE = "0190a1b2-c3d4-7ef0-a5b6-6ea3a82e9328";
const QUERY = { project_ids: [PROJECT], selects: ["ID", "NAME"] } as const;
const JSON_HEADERS = { "content-type": "application/json" };
const RunsDeletedSchema = z.looseObject({});

let agent: MockAgent;
let sleeps: number[];

function makeClient(overrides: Partial<LangSmithClientOptions> = {}): LangSmithClient {
  return new LangSmithClient({
    endpoint: `${ORIGIN}/api/v1/`,
    apiKey: API_KEY,
    dispatcher: agent,
    // Record the waits instead of waiting: retries are asserted by what the client asked for.
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
}

const pool = () => agent.get(ORIGIN);
const calls = () => agent.getCallHistory()?.calls() ?? [];

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the promise to reject");
}

beforeEach(() => {
  agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  sleeps = [];
});

afterEach(async () => {
  vi.useRealTimers();
  await agent.close();
});

describe("LangSmithClient requests", () => {
  it("normalises the endpoint and sends the auth, tenant, accept and user-agent headers", async () => {
    pool()
      .intercept({ path: "/api/v1/sessions?name=prod&limit=1&include_stats=true", method: "GET" })
      .reply(200, [{ id: PROJECT, name: "prod", total_cost: "0.12", run_count: 3 }]);
    const client = makeClient({ workspaceId: WORKSPACE, organizationId: "org-1" });
    expect(client.endpoint).toBe(ORIGIN);

    const projects = await client.listProjects({ name: "prod", limit: 1, includeStats: true });

    expect(projects).toEqual([expect.objectContaining({ id: PROJECT, name: "prod", total_cost: "0.12" })]);
    const headers = calls()[0]?.headers ?? {};
    expect(headers["x-api-key"]).toBe(API_KEY);
    expect(headers["x-tenant-id"]).toBe(WORKSPACE);
    expect(headers.accept).toBe("application/json");
    expect(headers["user-agent"]).toMatch(/^langsmith-mcp\/\d+\.\d+\.\d+/);
    expect(headers["x-organization-id"]).toBeUndefined();
  });

  it("sends runs queries as JSON to /api/v2/runs/query", async () => {
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(200, { items: [{ id: RUN, name: "ChatOpenAI" }], has_more: false }, { headers: JSON_HEADERS });

    const page = await makeClient().queryRuns({ ...QUERY, filter: 'eq(run_type, "llm")' });

    expect(page).toEqual({ items: [{ id: RUN, name: "ChatOpenAI" }], has_more: false });
    const call = calls()[0];
    expect(call?.headers?.["content-type"]).toBe("application/json");
    expect(JSON.parse(call?.body ?? "null")).toEqual({ ...QUERY, filter: 'eq(run_type, "llm")' });
  });

  it("puts repeatable selects in the query string of GET /api/v2/runs/{id}", async () => {
    pool()
      .intercept({
        path: (p) => p.startsWith(`/api/v2/runs/${RUN}?`),
        method: "GET",
      })
      .reply(200, { id: RUN, status: "SUCCESS", end_time: null });

    const run = await makeClient().getRun(RUN, { projectId: PROJECT, startTime: "2024-01-15T10:30:00Z", selects: ["STATUS", "END_TIME"] });

    expect(run).toEqual({ id: RUN, status: "SUCCESS", end_time: null });
    const search = calls()[0]?.searchParams ?? {};
    expect(search).toEqual({ project_id: PROJECT, start_time: "2024-01-15T10:30:00Z", selects: "END_TIME" });
    expect(calls()[0]?.fullUrl).toContain("selects=STATUS&selects=END_TIME");
  });

  it("rejects a malformed id locally, naming the field, before any request", async () => {
    const err = await rejectionOf(makeClient().getRunV1("not-a-uuid"));
    expect(err).toBeInstanceOf(UserInputError);
    expect((err as UserInputError).field).toBe("run_id");
    expect(calls()).toHaveLength(0);
  });

  it("rejects a filter that does not parse with the field and position, sending nothing", async () => {
    const err = await rejectionOf(makeClient().queryRuns({ ...QUERY, trace_filter: 'and(eq(name, "x")' }));
    expect(err).toBeInstanceOf(UserInputError);
    expect((err as UserInputError).field).toBe("trace_filter");
    expect(err.message).toMatch(/column \d+/);
    expect(calls()).toHaveLength(0);
  });

  it("requires exactly one of project_ids and reference_dataset_id", async () => {
    await expect(makeClient().queryRuns({ selects: ["ID"] })).rejects.toThrow(UserInputError);
    await expect(makeClient().queryRuns({ project_ids: [PROJECT], reference_dataset_id: PROJECT })).rejects.toThrow(/mutually exclusive/);
    expect(calls()).toHaveLength(0);
  });
});

describe("org-scoped calls", () => {
  class AuditClient extends LangSmithClient {
    auditLogs() {
      return this.request({ method: "GET", path: "/api/v1/audit-logs", schema: z.looseObject({}), orgScoped: true });
    }
  }

  it("send X-Organization-Id only on org-scoped requests", async () => {
    pool().intercept({ path: "/api/v1/audit-logs", method: "GET" }).reply(200, { cursor: null, items: [] });
    const client = new AuditClient({ endpoint: ORIGIN, apiKey: API_KEY, organizationId: "org-42", dispatcher: agent });
    await client.auditLogs();
    expect(calls()[0]?.headers?.["x-organization-id"]).toBe("org-42");
  });

  it("refuse to send an org-scoped request without an organization id", async () => {
    const client = new AuditClient({ endpoint: ORIGIN, apiKey: API_KEY, dispatcher: agent });
    await expect(client.auditLogs()).rejects.toMatchObject({
      name: "ConfigurationError",
      hint: expect.stringContaining("LANGSMITH_ORGANIZATION_ID"),
    });
    expect(calls()).toHaveLength(0);
  });
});

describe("LangSmithClient retries", () => {
  it("honours Retry-After on a 429, then succeeds", async () => {
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(429, { detail: "Too many requests" }, { headers: { "retry-after": "7" } });
    pool().intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, { items: [], has_more: false });

    await expect(makeClient().queryRuns(QUERY)).resolves.toEqual({ items: [], has_more: false });
    expect(sleeps).toEqual([7000]);
    expect(calls()).toHaveLength(2);
  });

  it("answers at once when Retry-After is longer than the call has left, naming the seconds", async () => {
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(429, { detail: "Too many requests" }, { headers: { "retry-after": "120" } });

    const error = await rejectionOf(new CallBudget(45_000).run(() => makeClient().queryRuns(QUERY)));
    expect(error).toBeInstanceOf(LangSmithApiError);
    expect(error.message).toMatch(/rate limited by LangSmith; retry after 120 s/);
    expect((error as LangSmithApiError).retryAfterMs).toBe(120_000);
    expect(sleeps).toEqual([]);
    expect(calls()).toHaveLength(1);
  });

  it("bounds its own waits by the retry policy's maxWaitMs outside a tool call", async () => {
    pool()
      .intercept({ path: "/api/v1/sessions", method: "GET" })
      .reply(503, "", { headers: { "retry-after": "30" } });

    const error = await rejectionOf(makeClient({ retryPolicy: { maxWaitMs: 10_000 } }).listProjects({}));
    expect(error.message).toMatch(/LangSmith is unavailable; retry after 30 s/);
    expect(sleeps).toEqual([]);
  });

  it("waits 10 s on a 429 without Retry-After, like the official SDK", async () => {
    pool().intercept({ path: "/api/v1/sessions", method: "GET" }).reply(429, "");
    pool().intercept({ path: "/api/v1/sessions", method: "GET" }).reply(200, []);

    await makeClient().listProjects({});
    expect(sleeps).toEqual([10_000]);
  });

  it("retries a query through three 503s and returns the fourth answer", async () => {
    pool().intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(503, "Service Unavailable").times(3);
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(200, { items: [{ id: RUN }], has_more: false });

    const page = await makeClient().queryRuns(QUERY);
    expect(page.items).toEqual([{ id: RUN }]);
    expect(calls()).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
  });

  it("gives up after maxAttempts with the status and attempt count in the message", async () => {
    pool().intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(503, "Service Unavailable").times(4);

    const err = await rejectionOf(makeClient().queryRuns(QUERY));
    expect(err).toBeInstanceOf(LangSmithApiError);
    expect(err.message).toMatch(/^POST \/api\/v2\/runs\/query → 503 Service Unavailable after 4 attempts: Service Unavailable\./);
    expect(err).toMatchObject({ kind: "server", status: 503, attempts: 4, retried: true });
  });

  it("retries a query after a connection reset", async () => {
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .replyWithError(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }));
    pool().intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, { items: [], has_more: false });

    await expect(makeClient().queryRuns(QUERY)).resolves.toEqual({ items: [], has_more: false });
    expect(calls()).toHaveLength(2);
  });

  it("never retries a non-idempotent POST: exactly one request on a 503", async () => {
    pool().intercept({ path: "/api/v1/runs/delete", method: "POST" }).reply(503, { detail: "try later" }).persist();
    class DeletingClient extends LangSmithClient {
      override deleteRuns(body: unknown) {
        return this.request({ method: "POST", path: "/api/v1/runs/delete", body, schema: RunsDeletedSchema });
      }
    }
    const client = new DeletingClient({ endpoint: ORIGIN, apiKey: API_KEY, dispatcher: agent, sleep: async () => {} });

    const err = await rejectionOf(client.deleteRuns({ session_id: PROJECT, trace_ids: [RUN] }));
    expect(err.message).toMatch(/^POST \/api\/v1\/runs\/delete → 503 Service Unavailable: try later\./);
    expect(err).toMatchObject({ attempts: 1, retried: false });
    expect(calls()).toHaveLength(1);
  });

  it("does not retry a 400 and keeps the remedy of a v2 problem", async () => {
    pool().intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(400, {
      type: "about:blank",
      title: "Bad Request",
      status: 400,
      detail: "ai_query is not enabled",
      remedy: "Use filter instead",
    });

    const err = await rejectionOf(makeClient().queryRuns(QUERY));
    expect(err).toMatchObject({ kind: "validation", remedy: "Use filter instead", attempts: 1 });
    expect(err.message).toBe(
      "POST /api/v2/runs/query → 400 Bad Request: ai_query is not enabled. Remedy: Use filter instead. Correct the request as described " +
        "and send it again.",
    );
    expect(calls()).toHaveLength(1);
  });

  it("maps a malformed JSON body to a LangSmithResponseError after one retry", async () => {
    pool().intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, '{"items": [{"id": "').times(2);

    const err = await rejectionOf(makeClient().queryRuns(QUERY));
    expect(err).toBeInstanceOf(LangSmithResponseError);
    expect(err).toMatchObject({ kind: "malformed_json", attempts: 2 });
    expect(err.message).toMatch(/^POST \/api\/v2\/runs\/query → 200 OK but the body is not valid JSON/);
  });

  it("names the field when a body does not match the schema, without retrying", async () => {
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(200, { items: [{ id: RUN }, { name: "x" }], has_more: false });

    const err = await rejectionOf(makeClient().queryRuns(QUERY));
    expect(err).toMatchObject({ kind: "schema", field: "items.1.id", attempts: 1 });
    expect(err.message).toContain("field `items.1.id`");
    expect(calls()).toHaveLength(1);
  });

  it("reports a timeout as LangSmithNetworkError kind timeout", async () => {
    vi.useFakeTimers();
    pool().intercept({ path: "/api/v1/sessions", method: "GET" }).reply(200, []).delay(60_000);

    const pending = rejectionOf(makeClient({ timeoutMs: 1_000, retryPolicy: { maxAttempts: 1 } }).listProjects({}));
    await vi.advanceTimersByTimeAsync(1_000);
    const err = await pending;

    expect(err).toBeInstanceOf(LangSmithNetworkError);
    expect(err).toMatchObject({ kind: "timeout", attempts: 1 });
    expect(err.message).toBe(
      "GET /api/v1/sessions → no complete response from LangSmith within 1 s (timeout). Try again, or narrow the request (shorter time " +
        "range, smaller page_size, fewer selects).",
    );
  });

  it("stops immediately when the caller aborts, without retrying", async () => {
    vi.useFakeTimers();
    pool().intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(200, { items: [], has_more: false }).delay(60_000);
    const controller = new AbortController();

    const pending = rejectionOf(makeClient().queryRuns(QUERY, controller.signal));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    const err = await pending;

    expect(err).toMatchObject({ name: "LangSmithNetworkError", kind: "aborted", attempts: 1 });
    expect(err.message).toBe("POST /api/v2/runs/query → cancelled by the caller.");
    expect(calls()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("stops waiting between attempts when the caller aborts", async () => {
    pool().intercept({ path: "/api/v2/runs/query", method: "POST" }).reply(503, "").persist();
    const controller = new AbortController();
    const client = makeClient({
      sleep: async (_ms, signal) => {
        controller.abort();
        if (signal?.aborted) throw new Error("aborted");
      },
    });

    const err = await rejectionOf(client.queryRuns(QUERY, controller.signal));
    expect(err).toMatchObject({ kind: "aborted" });
    expect(calls()).toHaveLength(1);
  });
});

describe("LangSmithClient errors never leak the API key", () => {
  it("redacts the key from messages and raw bodies that echo it", async () => {
    pool()
      .intercept({ path: "/api/v1/sessions", method: "GET" })
      .reply(401, { detail: `Invalid API key ${API_KEY}` });
    const lines: string[] = [];
    const logger = createLogger({ level: "debug", sink: (l) => lines.push(l) });

    const err = (await rejectionOf(makeClient({ logger }).listProjects({}))) as LangSmithApiError;

    expect(err.kind).toBe("auth");
    expect(err.message).toContain("LangSmith rejected the API key (401). Check LANGSMITH_API_KEY");
    for (const text of [err.message, err.rawBody, err.detail ?? "", String(err.stack), ...lines]) expect(text).not.toContain(API_KEY);
  });

  it("tells an org-scoped key to set LANGSMITH_WORKSPACE_ID", async () => {
    pool().intercept({ path: "/api/v1/sessions", method: "GET" }).reply(403, { error: "org_scoped_key_requires_workspace" });

    const err = await rejectionOf(makeClient().listProjects({}));
    expect(err).toMatchObject({ kind: "forbidden", code: "org_scoped_key_requires_workspace" });
    expect(err.message).toContain("set LANGSMITH_WORKSPACE_ID");
  });
});

describe("LangSmithClient.iterateRunPages", () => {
  it("follows next_cursor until the last page", async () => {
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(200, { items: [{ id: RUN }], has_more: true, next_cursor: "c1" });
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(200, { items: [{ id: PROJECT }], has_more: false });

    const pages: RunsQueryV2Response[] = [];
    for await (const page of makeClient().iterateRunPages(QUERY)) pages.push(page);

    expect(pages.map((p) => p.items[0]?.id)).toEqual([RUN, PROJECT]);
    expect(JSON.parse(calls()[0]?.body ?? "{}")).not.toHaveProperty("cursor");
    expect(JSON.parse(calls()[1]?.body ?? "{}")).toMatchObject({ cursor: "c1" });
  });

  it("throws a pagination error past the page cap", async () => {
    let n = 0;
    pool()
      .intercept({ path: "/api/v2/runs/query", method: "POST" })
      .reply(() => ({ statusCode: 200, data: { items: [], has_more: true, next_cursor: `c${++n}` } }))
      .persist();

    const pages: unknown[] = [];
    const err = await rejectionOf(
      (async () => {
        for await (const page of makeClient({ maxPages: 3 }).iterateRunPages(QUERY, { maxPages: 10 })) pages.push(page);
      })(),
    );
    expect(err).toBeInstanceOf(LangSmithPaginationError);
    expect(err).toMatchObject({ pages: 3, nextCursor: "c3" });
    expect(err.message).toMatch(/stopped after 3 pages/);
    expect(pages).toHaveLength(3);
  });
});
