import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  StdioClientTransport as V1StdioClientTransport,
  getDefaultEnvironment as v1DefaultEnvironment,
} from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport as V1StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/simulator/index.js";
import { callTool, rawPost, startHttpStack, type HttpStack } from "../support/http-stack.js";
import { PROTOCOLS } from "../support/protocols.js";
import { BUILT_SERVER, startStack, textOf, type Stack } from "../support/stack.js";

const MODERN = "2026-07-28";
/** The per-request _meta a 2026-07-28 client sends instead of initialize. */
const envelope = {
  "io.modelcontextprotocol/protocolVersion": MODERN,
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
};
const modernHeaders = (method: string, name?: string) => ({
  "mcp-protocol-version": MODERN,
  "mcp-method": method,
  ...(name && { "mcp-name": name }),
});
const modernBody = (method: string, params: Record<string, unknown> = {}) =>
  JSON.stringify({ jsonrpc: "2.0", id: 7, method, params: { ...params, _meta: envelope } });

describe.each(PROTOCOLS)("stdio, SDK v2 client at %s", (protocol) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ protocol });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("negotiates the version and calls a tool", async () => {
    expect(stack.client.getNegotiatedProtocolVersion()).toBe(protocol);
    const result = await stack.call("list_projects", { limit: 1 });
    expect(result.isError, textOf(result)).toBeFalsy();
  });
});

describe("stdio, v1 SDK client (1.32.2)", () => {
  let sim: RunningSimulator;
  let client: V1Client;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    client = new V1Client({ name: "v1-stdio", version: "1.0.0" });
    await client.connect(
      new V1StdioClientTransport({
        command: process.execPath,
        args: [BUILT_SERVER],
        env: { ...v1DefaultEnvironment(), LANGSMITH_API_KEY: sim.apiKey, LANGSMITH_ENDPOINT: sim.url, LANGSMITH_MCP_LEDGER: ":memory:" },
        stderr: "ignore",
      }),
    );
  });
  afterAll(async () => {
    await client?.close();
    await sim?.close();
  });

  it("initializes at 2025-11-25, lists the tools and calls one", async () => {
    expect(client.getServerVersion()?.name).toBe("langsmith-mcp");
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("query_runs");
    const result = (await client.callTool({ name: "list_projects", arguments: { limit: 1 } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
  });
});

describe.each([
  { mode: "stateless", args: [] as string[] },
  { mode: "sessions", args: ["--sessions"] },
])("Streamable HTTP, $mode", ({ args }) => {
  let stack: HttpStack;
  beforeAll(async () => {
    stack = await startHttpStack({ args });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it.each(PROTOCOLS)("an SDK v2 client at %s lists the tools and calls one", async (protocol) => {
    const client = await stack.connect({}, { protocol });
    expect(client.getNegotiatedProtocolVersion()).toBe(protocol);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("query_runs");
    const result = await callTool(client, "list_projects", { limit: 1 });
    expect(result.isError, textOf(result)).toBeFalsy();
  });

  it("a v1 SDK client (1.32.2) initializes and calls a tool", async () => {
    const client = new V1Client({ name: "v1-http", version: "1.0.0" });
    await client.connect(new V1StreamableHTTPClientTransport(new URL(stack.server.url)));
    try {
      const result = (await client.callTool({ name: "list_projects", arguments: { limit: 1 } })) as CallToolResult;
      expect(result.isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  it("a 2026-07-28 request needs no handshake: server/discover answers with the versions and capabilities", async () => {
    const res = await rawPost(stack.server.url, modernBody("server/discover"), modernHeaders("server/discover"));
    expect(res.status, res.text).toBe(200);
    const { result } = parseAnswer(res.text);
    expect(result.supportedVersions).toContain(MODERN);
    expect(result.capabilities).toMatchObject({ tools: {} });
    expect(result._meta?.["io.modelcontextprotocol/serverInfo"]).toMatchObject({ name: "langsmith-mcp" });
  });

  it("a 2026-07-28 tools/list is cacheable for an hour", async () => {
    const res = await rawPost(stack.server.url, modernBody("tools/list"), modernHeaders("tools/list"));
    expect(res.status, res.text).toBe(200);
    const { result } = parseAnswer(res.text);
    expect(result).toMatchObject({ ttlMs: 3_600_000, cacheScope: "private" });
    expect(result.tools.length).toBeGreaterThan(0);
  });

  it("a 2026-07-28 request whose Mcp-Method header disagrees with its body is refused with 400", async () => {
    const res = await rawPost(stack.server.url, modernBody("tools/list"), modernHeaders("prompts/list"));
    expect(res.status).toBe(400);
    expect(parseAnswer(res.text).error.code).toBe(-32020);
  });

  it("a 2026-07-28 tools/call names its tool in Mcp-Name", async () => {
    const body = modernBody("tools/call", { name: "list_projects", arguments: { limit: 1 } });
    const refused = await rawPost(stack.server.url, body, modernHeaders("tools/call", "get_run"));
    expect(refused.status).toBe(400);
    const answered = await rawPost(stack.server.url, body, modernHeaders("tools/call", "list_projects"));
    expect(answered.status, answered.text).toBe(200);
    expect(parseAnswer(answered.text).result.isError).toBeFalsy();
  });
});

/** A JSON body, or the last data event of an SSE stream. */
function parseAnswer(text: string): any {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) return JSON.parse(trimmed);
  const data = trimmed
    .split("\n")
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(5).trim());
  return JSON.parse(data[data.length - 1]!);
}
