import { ProtocolError } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";

const textOf = (result: { content: unknown }) =>
  (result.content as Array<{ type: string; text?: string }>).map((block) => (block.type === "text" ? block.text : "")).join("\n");

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

  const rejection = async (name: string, args: unknown): Promise<ProtocolError> => {
    try {
      await stack.client.request({ method: "tools/call", params: { name, arguments: args as Record<string, unknown> } });
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      return error as ProtocolError;
    }
    throw new Error("expected a JSON-RPC error");
  };

  it("an unknown tool is JSON-RPC -32602, prefixed once, naming the tools there are", async () => {
    const error = await rejection("list_project", {});
    expect(error.code).toBe(-32602);
    expect(error.message).toMatch(/^(MCP error -32602: )?Unknown tool "list_project"\. Available: list_projects, query_runs/);
    expect((error.message.match(/MCP error/g) ?? []).length).toBeLessThanOrEqual(1);
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

/**
 * The user's answer in the client's own dialog decides; nothing but a ticked box is a yes
 * (decline, unticked and accept at both protocol versions: test/protocol/confirmation.test.ts).
 */
describe("confirmation dialog answers (elicitation) for destructive tools", () => {
  let stack: InMemoryStack;
  let answer: () => unknown;

  beforeAll(async () => {
    stack = await startInMemoryStack({
      clientOptions: { capabilities: { elicitation: { form: {} } } },
      setup: (client) => client.setRequestHandler("elicitation/create", () => answer() as never),
    });
  });
  afterAll(async () => stack?.close());

  const purge = async () => {
    const result = await stack.call("queue_deletion", {
      project: "support-bot",
      start_time: "30d",
      filter: 'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))',
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    return result.structuredContent as { status: string; confirmation_token?: string };
  };

  it.each([
    ["an accepted form with the box unticked", { action: "accept", content: { confirm: false } }],
    ["an accepted form with no answer in it", { action: "accept", content: {} }],
    ["a dismissed dialog", { action: "cancel" }],
  ])("%s is a decline: nothing queued, and no token for the agent to use", async (_case, reply) => {
    answer = () => reply;
    const structured = await purge();
    expect(structured.status).toBe("declined");
    expect(structured.confirmation_token).toBeUndefined();
    expect(await stack.ledger.listPurges()).toHaveLength(0);
  });
});
