import type { StreamableHTTPClientTransport, LoggingMessageNotification } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatHttpLoad, runHttpLoad } from "../support/http-load.js";
import { control } from "../../src/simulator/index.js";
import { textOf } from "../support/stack.js";
import { callTool, INITIALIZE, rawPost, startHttpStack, type HttpStack } from "../support/http-stack.js";

// What the tools answer is tested in memory (test/integration/run-tools.test.ts, both protocols);
// here only what HTTP adds: listing over the transport, per-call log routing, load, keys, sessions.
describe("run tools over Streamable HTTP (SDK client ↔ built server ↔ simulator), stateless", () => {
  let stack: HttpStack;
  beforeAll(async () => {
    stack = await startHttpStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("lists the tools with the same annotations and default-dialect schemas as over stdio", async () => {
    const client = await stack.connect();
    const { tools } = await client.listTools();
    for (const name of ["list_projects", "query_runs", "get_run", "get_trace"]) {
      expect(tools.find((t) => t.name === name)?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    }
    for (const tool of tools) expect(tool.inputSchema.$schema, "2020-12 is the default dialect; Gemini refuses $schema").toBeUndefined();
    expect(client.getServerCapabilities()?.logging).toEqual({});
  });

  it("sends a warning raised during a call (a retried LangSmith 503) to that call's client as a log notification", async () => {
    const client = await stack.connect();
    const received: LoggingMessageNotification["params"][] = [];
    client.setNotificationHandler("notifications/message", (n) => void received.push(n.params));
    const bystander = await stack.connect();
    const bystanderReceived: unknown[] = [];
    bystander.setNotificationHandler("notifications/message", (n) => void bystanderReceived.push(n.params));

    await control(stack.sim, "POST", "faults", {
      match: { method: "GET", path: "/api/v1/sessions*" },
      kind: "status",
      status: 503,
      retry_after_seconds: 0,
      times: 1,
    });
    const [result] = await Promise.all([
      callTool(client, "list_projects", { limit: 1 }),
      callTool(bystander, "get_run", { run_id: "00000000-0000-4000-8000-000000000000" }),
    ]);
    expect(result.isError).toBeFalsy();
    expect(received).toContainEqual(
      expect.objectContaining({
        level: "warning",
        logger: "langsmith-mcp.langsmith",
        data: expect.objectContaining({ message: "retrying LangSmith request" }),
      }),
    );
    expect(JSON.stringify(received)).not.toContain(stack.sim.apiKey);
    expect(bystanderReceived).toEqual([]);
  });

  it("carries 10 concurrent clients × 10 tool calls with none failed (short load test; full one in bench/http-load.ts)", async () => {
    const result = await runHttpLoad({ sessions: 10, callsPerSession: 10 });
    console.log(formatHttpLoad(result));
    expect(result.firstFailure).toBeUndefined();
    expect(result.failed).toBe(0);
    expect(result.calls).toBe(100);
  });
});

describe("per-request LangSmith key (X-LangSmith-Api-Key) on a server without a key of its own", () => {
  let stack: HttpStack;
  beforeAll(async () => {
    stack = await startHttpStack({ ownKey: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("answers a request without the header with a clear 401", async () => {
    const res = await rawPost(stack.server.url, INITIALIZE);
    expect(res.status).toBe(401);
    expect(res.json().error.message).toMatch(/no LangSmith API key of its own; send yours in the X-LangSmith-Api-Key header/);
  });

  it("serves each caller with the key it sends, and never logs or echoes it", async () => {
    const { sim } = stack;
    const writer = await stack.connect({ "x-langsmith-api-key": sim.apiKey });
    const reader = await stack.connect({ "x-langsmith-api-key": sim.readOnlyApiKey });
    const stranger = await stack.connect({ "x-langsmith-api-key": "lsv2_pt_ffffffffffffffffffffffffffffffff_ffffffffff" });

    const projects = await callTool(writer, "list_projects", { limit: 3 });
    expect(projects.isError, textOf(projects)).toBeFalsy();
    expect((await callTool(reader, "list_projects", { limit: 3 })).isError).toBeFalsy();

    const rejected = await callTool(stranger, "list_projects", { limit: 3 });
    expect(rejected.isError).toBe(true);
    expect(textOf(rejected)).toMatch(/401|API key/i);

    const everything = JSON.stringify(projects) + textOf(rejected) + stack.server.stderr();
    for (const key of [sim.apiKey, sim.readOnlyApiKey, "lsv2_pt_ffffffffffffffffffffffffffffffff_ffffffffff"])
      expect(everything).not.toContain(key);
  });
});

describe("session mode (--sessions)", () => {
  let stack: HttpStack;
  beforeAll(async () => {
    stack = await startHttpStack({ args: ["--sessions", "--max-sessions", "3"] });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("accepts logging/setLevel and then sends log notifications at or above the level", async () => {
    const client = await stack.connect();
    const received: LoggingMessageNotification["params"][] = [];
    client.setNotificationHandler("notifications/message", (n) => void received.push(n.params));
    await expect(client.setLoggingLevel("debug")).resolves.toEqual({});
    await callTool(client, "list_projects", { limit: 1 });
    expect(received.length).toBeGreaterThan(0);
    expect(received.some((p) => p.level === "debug")).toBe(true);

    await client.setLoggingLevel("error");
    received.length = 0;
    await callTool(client, "list_projects", { limit: 1 });
    expect(received).toEqual([]);
  });

  it("refuses a session beyond the cap with 503 and serves again once one is closed", async () => {
    const open = [await stack.connect(), await stack.connect()];
    const refused = await rawPost(stack.server.url, INITIALIZE);
    expect(refused.status).toBe(503);
    expect(refused.json().error.message).toMatch(/3 sessions are open/);
    // The SDK client only frees its session on the server when told to (DELETE /mcp).
    await (open[0]!.transport as StreamableHTTPClientTransport).terminateSession();
    const more = await stack.connect();
    expect((await more.listTools()).tools.length).toBeGreaterThan(0);
  });

  it("answers an unknown session id with 404 and a request without one with 400", async () => {
    const list = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    expect((await rawPost(stack.server.url, list, { "mcp-session-id": "no-such-session" })).status).toBe(404);
    expect((await rawPost(stack.server.url, list)).status).toBe(400);
  });
});
