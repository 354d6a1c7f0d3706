import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { CallToolResultSchema, ElicitRequestSchema, McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { openSqliteLedger, type Ledger } from "../../src/ledger/index.js";
import { silentLogger } from "../../src/log.js";
import { buildServer } from "../../src/server.js";
import { answerFromDialogFailure } from "../../src/tools/confirmation.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";

const textOf = (result: CallToolResult) => result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");

/**
 * MCP 2025-11-25, server/tools "Error Handling": protocol errors for "Unknown tools" and
 * "Malformed requests (requests that fail to satisfy CallToolRequest schema)"; tool execution
 * errors (isError) for "Input validation errors (e.g., date in wrong format, value out of range)",
 * so the model reads them and can correct itself.
 */
describe("protocol details an agent client meets", () => {
  let stack: InMemoryStack;
  beforeAll(async () => {
    stack = await startInMemoryStack();
  });
  afterAll(() => stack?.close());

  const rejection = async (name: string, args: unknown): Promise<McpError> => {
    try {
      await stack.client.request({ method: "tools/call", params: { name, arguments: args as Record<string, unknown> } }, CallToolResultSchema);
    } catch (error) {
      expect(error).toBeInstanceOf(McpError);
      return error as McpError;
    }
    throw new Error("expected a JSON-RPC error");
  };

  it("an unknown tool is JSON-RPC -32602, prefixed once, naming the tools there are", async () => {
    const error = await rejection("list_project", {});
    expect(error.code).toBe(-32602);
    expect(error.message).toMatch(/^MCP error -32602: Unknown tool "list_project"\. Available: list_projects, query_runs/);
    expect(error.message.match(/MCP error/g)).toHaveLength(1);
  });

  it("arguments that are not an object are a malformed request: JSON-RPC -32602", async () => {
    expect((await rejection("list_projects", ["checkout-bot"])).code).toBe(-32602);
    expect((await rejection("list_projects", "checkout-bot")).code).toBe(-32602);
  });

  it("a misspelled argument is a tool error with a did-you-mean and the tool's arguments, not silently dropped", async () => {
    const result = await stack.call("list_projects", { name_contain: "checkout" });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      "Invalid `name_contain`: is not an argument of list_projects. Did you mean `name_contains`? Its arguments: name_contains, limit, offset, include_stats.",
    );
  });

  it("a camelCase argument name points to its snake_case spelling", async () => {
    const result = await stack.call("query_runs", { project: "checkout-bot", pageSize: 5 });
    expect(textOf(result)).toMatch(/^Invalid `pageSize`: is not an argument of query_runs\. Did you mean `page_size`\?/);
  });

  it("a value outside an enum lists the allowed values, with a guess for a near miss", async () => {
    const result = await stack.call("query_runs", { project: "checkout-bot", sort_order: "dsc" });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Invalid `sort_order`: must be one of "desc", "asc", not "dsc". Did you mean "desc"?');
  });

  it("a missing required argument says so and what it is", async () => {
    const result = await stack.call("get_run", {});
    expect(textOf(result)).toBe("Invalid `run_id`: is required (string). Expected: The run's id (from query_runs or get_trace).");
  });

  it("a wrong type says what to send instead, with no zod dump", async () => {
    const result = await stack.call("list_projects", { limit: "ten" });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Invalid `limit`: must be a number, not a string\. Expected: /);
    expect(textOf(result)).not.toMatch(/"code"|invalid_type|\[\s*\{/);
  });

  it("several problems are reported together, so one retry can fix them all", async () => {
    const result = await stack.call("query_runs", { project: "checkout-bot", page_size: 0, sort_order: "newest", pageSize: 3 });
    expect(textOf(result).split("\n")).toEqual([
      "3 arguments of query_runs are invalid:",
      expect.stringMatching(/^- `pageSize`: is not an argument of query_runs\. Did you mean `page_size`\?/),
      '- `sort_order`: must be one of "desc", "asc", not "newest".',
      expect.stringMatching(/^- `page_size`: must be at least 1\./),
    ]);
  });

  it("does not advertise tools.listChanged: the tool list never changes during a session", () => {
    expect(stack.client.getServerCapabilities()?.tools).toEqual({});
  });
});

/** The user's answer in the client's own dialog decides; nothing but a ticked box is a yes. */
describe("confirmation dialog answers (elicitation) for destructive tools", () => {
  let stack: InMemoryStack;
  let client: Client;
  let ledger: Ledger;
  let answer: () => unknown;

  beforeAll(async () => {
    stack = await startInMemoryStack();
    ledger = openSqliteLedger(":memory:");
    const config = loadConfig([], { LANGSMITH_API_KEY: stack.sim.apiKey, LANGSMITH_ENDPOINT: stack.sim.url, LANGSMITH_MCP_LEDGER: ":memory:" });
    const server = buildServer({ client: stack.api, config, logger: silentLogger(), secrets: [stack.sim.apiKey], ledger });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: "dialog", version: "1.0.0" }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, () => answer() as never);
    await client.connect(clientSide);
  });
  afterAll(async () => {
    await client?.close();
    ledger?.close();
    await stack?.close();
  });

  const purge = async () => {
    const result = (await client.callTool({
      name: "queue_deletion",
      arguments: { project: "support-bot", start_time: "30d", filter: 'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))' },
    })) as CallToolResult;
    expect(result.isError, textOf(result)).toBeFalsy();
    return result.structuredContent as { status: string; confirmation_token?: string };
  };

  it.each([
    ["an accepted form with the box unticked", { action: "accept", content: { confirm: false } }],
    ["an accepted form with no answer in it", { action: "accept", content: {} }],
    ["an accepted form saying \"yes\" instead of ticking the box", { action: "accept", content: { confirm: "yes" } }],
    ["a dismissed dialog", { action: "cancel" }],
  ])("%s is a decline: nothing queued, and no token for the agent to use", async (_case, reply) => {
    answer = () => reply;
    const structured = await purge();
    expect(structured.status).toBe("declined");
    expect(structured.confirmation_token).toBeUndefined();
    expect(ledger.listPurges()).toHaveLength(0);
  });

  it("a client that answers the dialog with an error has not said yes: declined", async () => {
    answer = () => {
      throw new McpError(-32603, "the user closed the window");
    };
    const structured = await purge();
    expect(structured.status).toBe("declined");
    expect(structured.confirmation_token).toBeUndefined();
  });

  it("only a dialog that never reached the user (no handler, connection gone) falls back to the token path", () => {
    expect(answerFromDialogFailure(new McpError(-32601, "Method not found"))).toBe("unavailable");
    expect(answerFromDialogFailure(new McpError(-32000, "Connection closed"))).toBe("unavailable");
    expect(answerFromDialogFailure(new Error("Client does not support form elicitation."))).toBe("unavailable");
    expect(answerFromDialogFailure(new McpError(-32001, "Request timed out"))).toBe("declined");
    expect(answerFromDialogFailure(new McpError(-32602, "Elicitation response content does not match requested schema"))).toBe("declined");
  });
});
