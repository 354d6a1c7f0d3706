/**
 * Edges of the HTTP transport (issue 20, item 5): batches on revisions without them, uploads
 * the client abandons, session ids in the log, and a caller's own key named in a 401.
 */
import { createHash } from "node:crypto";
import { connect } from "node:net";
import type { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control } from "../../src/simulator/index.js";
import { textOf } from "../support/stack.js";
import { callTool, rawPost, startHttpStack, type HttpStack } from "../support/http-stack.js";

const upstreamCalls = async (stack: HttpStack): Promise<number> =>
  (await control<{ requests: unknown[] }>(stack.sim, "GET", "requests")).body.requests.length;

const toolCalls = (n: number) =>
  JSON.stringify(
    Array.from({ length: n }, (_, i) => ({
      jsonrpc: "2.0",
      id: i + 1,
      method: "tools/call",
      params: { name: "list_projects", arguments: { limit: 100 } },
    })),
  );

/** Polls the server's log (bounded) until `pattern` shows up; the log is written asynchronously. */
async function logShows(stack: HttpStack, pattern: RegExp): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (pattern.test(stack.server.stderr())) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

describe("HTTP edges, stateless", () => {
  let stack: HttpStack;
  beforeAll(async () => {
    stack = await startHttpStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("refuses a JSON-RPC batch for a revision that removed batches, with no upstream call", async () => {
    const before = await upstreamCalls(stack);
    for (const revision of ["2025-06-18", "2025-11-25"]) {
      const res = await rawPost(stack.server.url, toolCalls(100), { "mcp-protocol-version": revision });
      expect(res.status, revision).toBe(400);
      expect(res.json()).toMatchObject({
        jsonrpc: "2.0",
        id: null,
        error: {
          code: -32600,
          message: `Invalid Request: JSON-RPC batches were removed in protocol revision 2025-06-18 and this request is for ${revision}; send each message in a POST of its own.`,
        },
      });
    }
    expect(await upstreamCalls(stack)).toBe(before);
  });

  it("refuses initialize inside a batch", async () => {
    const batch = JSON.stringify([
      {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
      },
      { jsonrpc: "2.0", id: 2, method: "tools/list" },
    ]);
    const res = await rawPost(stack.server.url, batch);
    expect(res.status).toBe(400);
    expect(res.json().error).toEqual({
      code: -32600,
      message: "Invalid Request: initialize must be sent on its own, not inside a JSON-RPC batch.",
    });
  });

  it("still serves a batch from a 2025-03-26 client (no MCP-Protocol-Version header), which had batches", async () => {
    const batch = JSON.stringify([
      { jsonrpc: "2.0", id: 1, method: "tools/list" },
      { jsonrpc: "2.0", id: 2, method: "tools/list" },
    ]);
    const res = await rawPost(stack.server.url, batch);
    expect(res.status, res.text).toBe(200);
    expect(res.text).toContain('"id":1');
    expect(res.text).toContain('"id":2');
  });

  it("logs an upload the client abandoned at debug, without an error or a stack", async () => {
    const { hostname, port } = new URL(stack.server.url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    socket.write(
      `POST /mcp HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\n` +
        "Accept: application/json, text/event-stream\r\nContent-Length: 100000\r\n\r\n",
    );
    socket.write('{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"x":"');
    // Let the server start reading the body, then hang up half-way.
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    expect(await logShows(stack, /DEBUG.*client closed the connection during its upload/)).toBe(true);
    expect(stack.server.stderr()).not.toMatch(/ERROR/);
    expect(stack.server.stderr()).not.toMatch(/\n\s+at /);
  });

  it("a 401 on the caller's own key names the X-LangSmith-Api-Key header, not LANGSMITH_API_KEY", async () => {
    const stranger = await stack.connect({ "x-langsmith-api-key": "lsv2_pt_ffffffffffffffffffffffffffffffff_ffffffffff" });
    const rejected = await callTool(stranger, "list_projects", { limit: 3 });
    expect(rejected.isError).toBe(true);
    expect(textOf(rejected)).toContain("LangSmith rejected the API key (401). Check the key sent in the X-LangSmith-Api-Key header");
    expect(textOf(rejected)).not.toContain("LANGSMITH_API_KEY");
    // The server's own key still says where it is set.
    const own = await stack.connect();
    await control(stack.sim, "POST", "faults", {
      match: { method: "GET", path: "/api/v1/sessions*" },
      kind: "status",
      status: 401,
      times: 1,
    });
    expect(textOf(await callTool(own, "list_projects", { limit: 3 }))).toContain("Check LANGSMITH_API_KEY");
  });
});

describe("HTTP edges, sessions", () => {
  let stack: HttpStack;
  beforeAll(async () => {
    stack = await startHttpStack({ args: ["--sessions"] });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("logs a session by a short digest, never its id", async () => {
    const client = await stack.connect();
    await client.listTools();
    const id = (client.transport as StreamableHTTPClientTransport).sessionId!;
    expect(id).toBeTruthy();
    const ref = createHash("sha256").update(id).digest("hex").slice(0, 12);
    expect(await logShows(stack, new RegExp(`session opened session=${ref}`))).toBe(true);
    expect(stack.server.stderr()).not.toContain(id);
  });

  it("refuses a batch in a session that negotiated a revision without batches, even without the header", async () => {
    const init = await rawPost(
      stack.server.url,
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
      }),
    );
    const session = init.headers["mcp-session-id"] as string;
    expect(session).toBeTruthy();
    const before = await upstreamCalls(stack);
    const res = await rawPost(stack.server.url, toolCalls(5), { "mcp-session-id": session });
    expect(res.status).toBe(400);
    expect(res.json().error.message).toMatch(/batches were removed in protocol revision 2025-06-18 and this request is for 2025-06-18/);
    // Nor with a header naming an older revision than the session negotiated: the session's counts.
    const older = await rawPost(stack.server.url, toolCalls(5), { "mcp-session-id": session, "mcp-protocol-version": "2025-03-26" });
    expect(older.status).toBe(400);
    expect(older.json().error.message).toMatch(/this request is for 2025-06-18/);
    expect(await upstreamCalls(stack)).toBe(before);
  });
});
