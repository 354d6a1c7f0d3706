import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolListing } from "../../src/tools/listing.js";
import { control } from "../../src/simulator/testing.js";
import { TOOLS } from "../../src/tools/index.js";
import { PROTOCOLS, startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { textOf } from "../support/stack.js";

/** The SDK v2 Client against buildServer at both protocol versions, in process. */
describe.each(PROTOCOLS)("SDK v2 client at %s", (protocol) => {
  let stack: InMemoryStack;

  beforeAll(async () => {
    stack = await startInMemoryStack({ protocol });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("negotiates the version under test (2026-07-28 with no initialize)", () => {
    expect(stack.client.getNegotiatedProtocolVersion()).toBe(protocol);
    expect(stack.client.getServerVersion()?.name).toBe("langsmith-mcp");
  });

  it("lists every tool exactly as the registry's JSON Schema 2020-12 listing", async () => {
    const { tools } = await stack.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOLS.map((tool) => tool.name));
    for (const tool of TOOLS) {
      const listed = tools.find((t) => t.name === tool.name)!;
      expect(listed.inputSchema).toEqual(toolListing(tool).inputSchema);
      expect(listed.outputSchema).toEqual(toolListing(tool).outputSchema);
      expect(listed.annotations).toEqual(toolListing(tool).annotations);
    }
  });

  it("answers a wrong argument through the one error boundary, in words, not a schema dump", async () => {
    const result = await stack.call("get_run", { run_id: 42 });
    expect(result.isError, textOf(result)).toBe(true);
    expect(textOf(result)).toMatch(/run_id/);
    expect(textOf(result)).not.toMatch(/Input validation error|"code":/);
  });

  it("calls a tool and gets content and structuredContent", async () => {
    const result = await stack.call("list_projects", { limit: 2 });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ projects: expect.any(Array) });
  });

  it("reads a resource and gets a prompt", async () => {
    const { resources } = await stack.client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const { contents } = await stack.client.readResource({ uri: resources[0]!.uri });
    expect(contents[0]).toMatchObject({ uri: resources[0]!.uri });
    const prompt = await stack.client.getPrompt({ name: "investigate_errored_runs", arguments: { project: "checkout-bot" } });
    expect(prompt.messages[0]?.content).toMatchObject({ type: "text" });
  });
});

describe("log notifications at 2026-07-28", () => {
  let stack: InMemoryStack;
  beforeAll(async () => {
    stack = await startInMemoryStack({ protocol: "2026-07-28" });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("sends none for a request that asked for no log level in its _meta", async () => {
    const received: unknown[] = [];
    stack.client.setNotificationHandler("notifications/message", (n) => void received.push(n.params));
    // A retried 503 logs a warning, which a 2025-11-25 client would receive (test/e2e/http-tools).
    await control(stack.sim, "POST", "faults", {
      match: { method: "GET", path: "/api/v1/sessions*" },
      kind: "status",
      status: 503,
      retry_after_seconds: 0,
      times: 1,
    });
    const result = await stack.call("list_projects", { limit: 1 });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(received).toEqual([]);
  });
});
