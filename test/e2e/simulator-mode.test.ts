import { describe, expect, it } from "vitest";
import { builtServer } from "../support/built-server.js";
import { spawnStdio } from "../support/stdio.js";

describe("langsmith-mcp --simulator", () => {
  it("serves the same tools against an embedded simulator, with no API key configured", async () => {
    const { PATH, HOME } = process.env;
    const server = await spawnStdio({
      command: process.execPath,
      args: [builtServer(), "--simulator"],
      env: { PATH: PATH ?? "", HOME: HOME ?? "" },
      clientName: "simulator-mode-test",
    });
    try {
      const projects = await server.call("list_projects");
      expect(projects.isError).toBeFalsy();
      const names = (projects.structuredContent as { projects: { name: string }[] }).projects.map((p) => p.name);
      expect(names).toContain("checkout-bot");
      const runs = await server.call("query_runs", { project: "checkout-bot", page_size: 3 });
      expect((runs.structuredContent as { count: number }).count).toBe(3);
    } finally {
      await server.close();
    }
  });
});
