/**
 * The secret scan before a result is sent reads the JSON the output budget wrote when it measured
 * that result (src/tools/output-budget.ts structuredJson), instead of writing it again. These
 * tests hold the two things that makes true: a secret in a measured result is still redacted,
 * and a tool that changes its result after measuring it is caught (in tests, checkOutputs), so
 * no stale JSON can let a secret through unnoticed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTool } from "../../src/tools/define-tool.js";
import { fitItems } from "../../src/tools/output-budget.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { textOf } from "../support/stack.js";

const SERVER_SECRET = "server-own-secret-0123456789";
const SHARE_URL = "https://smith.langchain.com/public/4f7a1b2c-8d9e-4a0b-9c1d-2e3f4a5b6c7d/r";

const measuredTool = (name: string, changeAfterMeasuring: boolean) =>
  defineTool({
    name,
    title: name,
    description: "Test tool: a list measured by the output budget.",
    toolset: "runs",
    inputSchema: z.object({}),
    outputSchema: z.object({ items: z.array(z.string()) }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler() {
      const items = ["plain", `key ${SERVER_SECRET}`, `link ${SHARE_URL}`];
      const render = (count: number) => ({ text: items.slice(0, count).join("\n"), structured: { items: items.slice(0, count) } });
      const { payload } = await fitItems(items.length, render, 20_000);
      if (changeAfterMeasuring) payload.structured.items.push(`late ${SERVER_SECRET}`);
      return payload;
    },
  });

describe("a result is scanned for secrets as measured (in memory)", () => {
  let stack: InMemoryStack;
  beforeAll(async () => {
    stack = await startInMemoryStack({
      secrets: [SERVER_SECRET],
      server: { tools: [measuredTool("measured_list", false), measuredTool("changed_list", true)] },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("redacts a known secret and a share URL from a result whose JSON the budget wrote", async () => {
    const result = await stack.client.callTool({ name: "measured_list", arguments: {} });
    expect(result.isError).toBeFalsy();
    const sent = JSON.stringify(result.structuredContent) + textOf(result);
    expect(sent).not.toContain(SERVER_SECRET);
    expect(sent).not.toContain("/public/4f7a1b2c");
    expect(result.structuredContent).toEqual({ items: ["plain", "key [REDACTED]", "link [REDACTED]"] });
  });

  it("refuses, as a bug, a result changed after the budget measured it", async () => {
    const result = await stack.client.callTool({ name: "changed_list", arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/changed_list changed its result after measuring it; this is a bug/);
    expect(textOf(result)).not.toContain(SERVER_SECRET);
  });
});
