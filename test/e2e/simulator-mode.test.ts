import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { Client } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { describe, expect, it } from "vitest";
import { BUILT_SERVER } from "../support/stack.js";

describe("langsmith-mcp --simulator", () => {
  it("serves the same tools against an embedded simulator, with no API key configured", async () => {
    const { PATH, HOME } = process.env;
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BUILT_SERVER, "--simulator"],
      env: { PATH: PATH ?? "", HOME: HOME ?? "" },
      stderr: "pipe",
    });
    const client = new Client({ name: "simulator-mode-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const projects = (await client.callTool({ name: "list_projects", arguments: {} })) as CallToolResult;
      expect(projects.isError).toBeFalsy();
      const names = (projects.structuredContent as { projects: { name: string }[] }).projects.map((p) => p.name);
      expect(names).toContain("checkout-bot");
      const runs = (await client.callTool({ name: "query_runs", arguments: { project: "checkout-bot", page_size: 3 } })) as CallToolResult;
      expect((runs.structuredContent as { count: number }).count).toBe(3);
    } finally {
      await client.close();
    }
  });
});
