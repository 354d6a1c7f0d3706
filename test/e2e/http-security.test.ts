import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT_SERVER, INITIALIZE, callTool, rawPost, rawRequest, startHttpStack, type HttpStack } from "../support/http-stack.js";

const TOKEN = "test-token-0123456789abcdef";

describe("HTTP transport security: loopback, Host and Origin checks, body limit, JSON-RPC errors", () => {
  let stack: HttpStack;
  beforeAll(async () => {
    stack = await startHttpStack({ args: ["--allowed-origins", "https://console.example.com", "--max-body-bytes", "4096"] });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("answers GET /healthz and listens on loopback by default", async () => {
    expect(new URL(stack.server.url).hostname).toBe("127.0.0.1");
    const health = await rawRequest(`${stack.server.origin}/healthz`, { method: "GET" });
    expect(health.status).toBe(200);
    expect(health.json()).toEqual({ status: "ok" });
  });

  it("refuses a request carrying a foreign Origin with 403 before it reaches MCP", async () => {
    const res = await rawPost(stack.server.url, INITIALIZE, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32000, message: expect.stringMatching(/Origin "https:\/\/evil.example" is not allowed/) },
    });
    const nullOrigin = await rawPost(stack.server.url, INITIALIZE, { origin: "null" });
    expect(nullOrigin.status).toBe(403);
  });

  it("accepts the server's own origin and origins on the allow-list", async () => {
    for (const origin of [stack.server.origin, "https://console.example.com"]) {
      const res = await rawPost(stack.server.url, INITIALIZE, { origin });
      expect(res.status, origin).toBe(200);
      expect(res.text).toContain('"serverInfo"');
    }
  });

  it("refuses a Host header that does not name the server (DNS rebinding) with 403", async () => {
    const port = new URL(stack.server.url).port;
    const rebound = await rawPost(stack.server.url, INITIALIZE, { host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.json().error.message).toMatch(/Host "evil.example:\d+" is not a name of this server/);
    const localhost = await rawPost(stack.server.url, INITIALIZE, { host: `localhost:${port}` });
    expect(localhost.status).toBe(200);
  });

  it("answers an oversized body with 413 and a JSON-RPC error", async () => {
    const big = JSON.stringify({
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "list_projects", arguments: { name_contains: "x".repeat(10_000) } },
    });
    const res = await rawPost(stack.server.url, big);
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32000, message: expect.stringMatching(/at most 4096 bytes/) } });
  });

  it.each([
    ["invalid JSON", "{not json", 400, -32700, /not valid JSON/],
    ["JSON that is not JSON-RPC", JSON.stringify({ hello: "world" }), 400, -32600, /expected a JSON-RPC 2.0 message/],
    ["an empty batch", "[]", 400, -32600, /batch must hold 1 to 100/],
  ])("answers %s with a JSON-RPC error", async (_case, body, status, code, message) => {
    const res = await rawPost(stack.server.url, body);
    expect(res.status).toBe(status);
    expect(res.json()).toMatchObject({ jsonrpc: "2.0", id: null, error: { code, message: expect.stringMatching(message) } });
  });

  it("refuses other methods and paths with JSON-RPC errors", async () => {
    expect((await rawRequest(stack.server.url, { method: "GET" })).status).toBe(405);
    expect((await rawRequest(stack.server.url, { method: "PUT", body: "{}" })).status).toBe(405);
    const other = await rawRequest(`${stack.server.origin}/other`, { method: "GET" });
    expect(other.status).toBe(404);
    expect(other.json().error.message).toContain("/mcp");
  });

  it("keeps serving tool calls after all of the refusals above", async () => {
    const client = await stack.connect();
    const result = await callTool(client, "list_projects", { limit: 2 });
    expect(result.isError).toBeFalsy();
    expect(stack.server.child.exitCode).toBeNull();
    expect(stack.server.stderr()).not.toContain(stack.sim.apiKey);
  });
});

describe("HTTP transport bearer token", () => {
  let stack: HttpStack;
  beforeAll(async () => {
    stack = await startHttpStack({ env: { MCP_AUTH_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("answers a missing token with 401 and a Bearer challenge", async () => {
    const res = await rawPost(stack.server.url, INITIALIZE);
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer realm="langsmith-mcp"$/);
    expect(res.json().error.message).toMatch(/Authorization: Bearer/);
  });

  it("answers a wrong token with 401 invalid_token, without echoing it", async () => {
    for (const authorization of [`Bearer ${TOKEN}x`, "Bearer short", `Basic ${TOKEN}`]) {
      const res = await rawPost(stack.server.url, INITIALIZE, { authorization });
      expect(res.status, authorization).toBe(401);
      expect(res.headers["www-authenticate"]).toContain('error="invalid_token"');
      expect(res.text).not.toContain(TOKEN);
    }
    // The refusal is logged in words the log's secret redaction leaves readable.
    expect(stack.server.stderr()).toMatch(/refused a request.*reason="?invalid/);
    expect(stack.server.stderr()).not.toContain("REDACTED");
  });

  it("serves an SDK client that sends the token, and never logs it", async () => {
    const client = await stack.connect({ authorization: `Bearer ${TOKEN}` });
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    expect(stack.server.stderr()).not.toContain(TOKEN);
  });
});

describe("HTTP transport startup", () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [BUILT_SERVER, "--transport", "http", "--port", "0", ...args], {
      env: { PATH: process.env.PATH ?? "", LANGSMITH_API_KEY: "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", ...env },
      encoding: "utf8",
      timeout: 20_000,
    });

  it("refuses a non-loopback bind without a bearer token: non-zero exit and a message saying what to do", () => {
    for (const host of ["0.0.0.0", "192.0.2.10"]) {
      const result = run(["--host", host]);
      expect(result.status, host).not.toBe(0);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`Refusing to listen on ${host} without a bearer token`);
      expect(result.stderr).toContain("MCP_AUTH_TOKEN");
    }
  });

  it("rejects a bearer token too short to be a secret", () => {
    const result = run(["--host", "0.0.0.0", "--auth-token", "short"]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--auth-token \/ MCP_AUTH_TOKEN: use at least 16 characters/);
    expect(result.stderr).not.toContain("short\n");
  });
});
