/**
 * The Prism harness itself (test/support/prism.ts): a contract test that reports "0 violations"
 * is only worth something if the harness would have seen one. Each case sends a request we
 * know breaks the spec, straight through the recording dispatcher, and checks what the harness
 * reports; and it checks that a request's seed fixes Prism's answer.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLog, startPrism, writePrismSpec, type RunningPrism } from "../support/prism.js";

const KEY = { "x-api-key": "lsv2_pt_harness", "x-tenant-id": "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b" };

describe("Prism harness", () => {
  let prism: RunningPrism;
  let specDir: string;

  async function send(label: string, method: "GET" | "POST", path: string, headers: Record<string, string> = KEY, body?: unknown) {
    prism.setLabel(label, { replay: true });
    const response = await request(`${prism.url}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      dispatcher: prism.dispatcher,
    });
    return { status: response.statusCode, body: await response.body.text(), exchange: prism.exchanges.at(-1)! };
  }

  beforeAll(async () => {
    specDir = mkdtempSync(join(tmpdir(), "prism-spec-"));
    prism = await startPrism({ spec: writePrismSpec(specDir), seed: "harness" });
  });
  afterAll(async () => {
    await prism?.close();
    if (specDir) rmSync(specDir, { recursive: true, force: true });
  });

  it("reports a query parameter of the wrong type with method, path, status and location (header and log)", async () => {
    const { status, exchange } = await send("bad query", "GET", "/api/v1/sessions?limit=abc");
    expect(status).toBe(422);
    await prism.settle();
    expect(exchange.violations).toEqual([
      expect.objectContaining({
        side: "request",
        method: "GET",
        path: "/api/v1/sessions",
        status: 422,
        location: "query.limit",
        source: "header",
      }),
    ]);
    expect(parseLog(prism.log()).violations).toContainEqual(
      expect.objectContaining({
        side: "request",
        method: "GET",
        path: "/api/v1/sessions",
        location: "query.limit",
        message: "Request query parameter limit must be integer",
      }),
    );
  });

  it("reports a request body that breaks its schema", async () => {
    const { exchange } = await send("bad body", "POST", "/api/v2/runs/query", KEY, { project_ids: "not-a-list" });
    expect(exchange.violations.map((v) => `${v.side} ${v.location}`)).toContain("request body.project_ids");
  });

  it("reports a request without the security headers its operation requires", async () => {
    // v2 operations require API Key and Tenant ID together; the spec has a 401, so the header says why.
    const v2 = await send("no tenant", "POST", "/api/v2/runs/query", { "x-api-key": "lsv2_pt_harness" }, { project_ids: [] });
    expect(v2.status).toBe(401);
    expect(v2.exchange.violations).toEqual([
      expect.objectContaining({ side: "request", message: "Invalid security scheme used", source: "header" }),
    ]);
    // v1 operations have no 401 in the spec: Prism ends with its own error, and only the log tells.
    const v1 = await send("no key", "GET", "/api/v1/sessions", {});
    expect(v1.status).toBe(401);
    expect(v1.exchange.violations).toEqual([]);
    await prism.settle();
    expect(prism.violations()).toContainEqual(
      expect.objectContaining({
        side: "request",
        method: "GET",
        path: "/api/v1/sessions",
        message: "Invalid security scheme used",
        source: "log",
      }),
    );
    expect(prism.failures()).toContainEqual(expect.objectContaining({ method: "GET", path: "/api/v1/sessions" }));
  });

  it("accepts a one-element array in a query parameter typed anyOf [array, null], and still checks its items", async () => {
    const window = "start_time=2026-11-01T00:00:00Z&end_time=2026-11-02T00:00:00Z";
    const org = { "x-api-key": "lsv2_pt_harness", "x-organization-id": "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f" };
    const good = await send("one operation", "GET", `/api/v1/audit-logs?${window}&operations=delete_runs`, org);
    expect(good.exchange.violations).toEqual([]);
    const bad = await send("unknown operation", "GET", `/api/v1/audit-logs?${window}&operations=no_such_operation`, org);
    expect(bad.exchange.violations.map((v) => v.location)).toContain("query.operations.0");
  });

  it("answers a repeated request with the same seed identically, and another seed differently", async () => {
    const first = await send("seeded", "GET", "/api/v1/sessions?limit=5");
    const again = await send("seeded", "GET", "/api/v1/sessions?limit=5");
    const other = await send("seeded other", "GET", "/api/v1/sessions?limit=5");
    expect(again.exchange.seed).toBe(first.exchange.seed);
    expect(again.body).toBe(first.body);
    expect(other.exchange.seed).not.toBe(first.exchange.seed);
    expect(other.body).not.toBe(first.body);
  });
});
