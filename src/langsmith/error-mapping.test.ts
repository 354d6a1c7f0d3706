import { describe, expect, it } from "vitest";
import { redactSecrets } from "../redact.js";
import { classifyNetworkError, makeApiError, makeNetworkError, parseErrorBody, RAW_BODY_LIMIT } from "./error-mapping.js";
import type { RequestContext } from "./errors.js";

const KEY = "lsv2_sk_abcdefabcdef0123456789_xyz";
const redact = (t: string) => redactSecrets(t, [KEY]);
const ctx: RequestContext = { method: "GET", path: "/api/v1/sessions/018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327", attempts: 1 };
const apiError = (status: number, body: unknown, extra: { retryAfterMs?: number; attempts?: number } = {}) =>
  makeApiError(
    { ...ctx, attempts: extra.attempts ?? 1 },
    {
      status,
      body: typeof body === "string" ? body : JSON.stringify(body),
      ...(extra.retryAfterMs !== undefined ? { retryAfterMs: extra.retryAfterMs } : {}),
    },
    redact,
  );

describe("parseErrorBody", () => {
  it("reads a v1 FastAPI detail", () => {
    expect(parseErrorBody('{"detail": "Session not found"}')).toEqual({ detail: "Session not found" });
  });

  it("flattens 422 validation items to body.field: msg", () => {
    const body = {
      detail: [
        { loc: ["body", "page_size"], msg: "ensure this value is less than or equal to 1000", type: "x" },
        { loc: ["query", "limit"], msg: "bad" },
      ],
    };
    expect(parseErrorBody(JSON.stringify(body)).detail).toBe(
      "body.page_size: ensure this value is less than or equal to 1000; query.limit: bad",
    );
  });

  it("keeps title, detail and remedy of a v2 problem", () => {
    const body = {
      type: "about:blank",
      title: "Bad Request",
      status: 400,
      detail: "invalid cursor",
      instance: "/v2/runs/query",
      remedy: "Start again without cursor",
    };
    expect(parseErrorBody(JSON.stringify(body))).toEqual({
      title: "Bad Request",
      detail: "invalid cursor",
      remedy: "Start again without cursor",
    });
  });

  it("reads an {error: code} body", () => {
    expect(parseErrorBody('{"error": "org_scoped_key_requires_workspace"}')).toEqual({
      code: "org_scoped_key_requires_workspace",
      detail: "org_scoped_key_requires_workspace",
    });
  });

  it("reduces an HTML page from a proxy to its title", () => {
    expect(parseErrorBody("<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>")).toEqual({
      detail: "502 Bad Gateway",
    });
    expect(parseErrorBody("<!DOCTYPE html><html><body>oops</body></html>")).toEqual({});
  });

  it("takes plain text as is, and nothing from an empty body", () => {
    expect(parseErrorBody("Service Unavailable\n")).toEqual({ detail: "Service Unavailable" });
    expect(parseErrorBody("")).toEqual({});
  });
});

describe("makeApiError", () => {
  it.each([
    [401, "auth", "LangSmith rejected the API key (401). Check LANGSMITH_API_KEY"],
    [403, "forbidden", "does not allow this call (403)"],
    [404, "not_found", "Check the id"],
    [409, "conflict", "does not allow this change"],
    [400, "validation", "Correct the request"],
    [422, "validation", "Correct the request"],
    [429, "rate_limited", "rate-limited this API key"],
    [500, "server", "server-side problem"],
    [503, "server", "server-side problem"],
    [418, "client", "refused the request"],
  ])("maps %i to kind %s with an agent-facing hint", (status, kind, hint) => {
    const err = apiError(status, { detail: "reason" });
    expect(err.kind).toBe(kind);
    expect(err.status).toBe(status);
    expect(err.message).toContain(hint);
    expect(err.message.startsWith(`GET ${ctx.path} → ${status} `)).toBe(true);
  });

  it("writes method, path, status, attempts and reason in one sentence", () => {
    const err = makeApiError(
      { method: "POST", path: "/api/v2/runs/query", attempts: 4 },
      { status: 503, body: "Service Unavailable" },
      redact,
    );
    expect(err.message).toBe(
      "POST /api/v2/runs/query → 503 Service Unavailable after 4 attempts: Service Unavailable. LangSmith had a server-side problem; " +
        "try again in a minute.",
    );
    expect(err.retried).toBe(true);
  });

  it("names where a rejected key came from: a caller's own header rather than LANGSMITH_API_KEY", () => {
    const err = makeApiError(
      ctx,
      { status: 401, body: '{"detail":"Invalid token"}' },
      redact,
      "the key sent in the X-LangSmith-Api-Key header",
    );
    expect(err.message).toContain("LangSmith rejected the API key (401). Check the key sent in the X-LangSmith-Api-Key header:");
    expect(err.message).not.toContain("LANGSMITH_API_KEY");
  });

  it("tells an org-scoped key to set LANGSMITH_WORKSPACE_ID", () => {
    const err = apiError(403, { error: "org_scoped_key_requires_workspace" });
    expect(err.message).toContain("set LANGSMITH_WORKSPACE_ID");
    expect(err.message).not.toContain("plan");
  });

  it("says when to retry a 429", () => {
    expect(apiError(429, "", { retryAfterMs: 12_000 }).message).toMatch(/Retry after 12 s\.$/);
    expect(apiError(429, "", { retryAfterMs: 12_000 }).retryAfterMs).toBe(12_000);
  });

  it("shows the remedy of a v2 problem", () => {
    const err = apiError(400, { title: "Bad Request", detail: "ai_query is not configured", remedy: "Use filter" });
    expect(err.message).toContain("ai_query is not configured. Remedy: Use filter.");
    expect(err.remedy).toBe("Use filter");
  });

  it("falls back to the status text when the body says nothing", () => {
    expect(apiError(502, "<html><body>bad</body></html>").message).toMatch(/→ 502 Bad Gateway: Bad Gateway\./);
  });

  it("keeps the raw body truncated to 2 KB and redacted, out of the message", () => {
    const body = `{"detail": "nope", "echo": "${KEY}", "pad": "${"x".repeat(5000)}"}`;
    const err = apiError(400, body);
    expect(err.rawBody.length).toBeLessThanOrEqual(RAW_BODY_LIMIT + 1);
    expect(err.rawBody).not.toContain(KEY);
    expect(err.message).not.toContain("xxxx");
  });

  it("never puts the API key in the message, even when LangSmith echoes it", () => {
    for (const status of [400, 401, 403, 404, 422, 429, 500]) {
      const err = apiError(status, { detail: `bad key ${KEY}`, remedy: `rotate ${KEY}` });
      expect(err.message).not.toContain(KEY);
      expect(err.detail).not.toContain(KEY);
      expect(err.remedy).not.toContain(KEY);
    }
  });
});

describe("network errors", () => {
  it.each([
    [{ code: "ECONNRESET" }, "reset"],
    [{ code: "EPIPE" }, "reset"],
    [{ code: "UND_ERR_SOCKET" }, "reset"],
    [{ message: "other side closed" }, "reset"],
    [{ code: "UND_ERR_HEADERS_TIMEOUT" }, "timeout"],
    [{ code: "UND_ERR_BODY_TIMEOUT" }, "timeout"],
    [{ code: "UND_ERR_CONNECT_TIMEOUT" }, "timeout"],
    [{ code: "ECONNREFUSED" }, "refused"],
    [{ errors: [{ code: "ECONNREFUSED" }, { code: "ECONNREFUSED" }] }, "refused"],
    [{ code: "ENOTFOUND" }, "dns"],
    [{ name: "AbortError" }, "aborted"],
    [{ message: "fetch failed", cause: { code: "ECONNRESET" } }, "reset"],
    [{ message: "strange" }, "other"],
  ])("classifies %j as %s", (err, kind) => {
    expect(classifyNetworkError(Object.assign(new Error(), err)).kind).toBe(kind);
  });

  it("describes a refused connection with the host, not the key", () => {
    const err = makeNetworkError(
      { method: "POST", path: "/api/v2/runs/query", attempts: 1 },
      new Error(KEY),
      { kind: "refused", code: "ECONNREFUSED", timeoutMs: 30_000, host: "127.0.0.1:9" },
      redact,
    );
    expect(err.message).toBe(
      "POST /api/v2/runs/query → could not connect to 127.0.0.1:9 (ECONNREFUSED). Check LANGSMITH_ENDPOINT and that the LangSmith API " +
        "is reachable from this machine.",
    );
    expect(err).toMatchObject({ kind: "refused", code: "ECONNREFUSED", retried: false });
  });
});
