import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { TOOLS } from "../../src/tools/index.js";
import { BUILT_SERVER } from "../support/stack.js";

const run = promisify(execFile);
const INSPECTOR_SCRIPT = fileURLToPath(new URL("../../scripts/inspector.mjs", import.meta.url));

/** scripts/inspector.mjs: the MCP Inspector's CLI mode against the built server and its simulator. */
async function inspector(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [INSPECTOR_SCRIPT, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("MCP Inspector CLI against the built server (--simulator)", () => {
  it("lists every tool of the registry with its schemas", async () => {
    expect(existsSync(BUILT_SERVER), "run npm run build first").toBe(true);
    const { tools } = (await inspector("--method", "tools/list")) as {
      tools: { name: string; inputSchema: object; outputSchema?: object }[];
    };
    expect(tools.map((tool) => tool.name)).toEqual(TOOLS.map((tool) => tool.name));
    for (const tool of tools) expect(tool.outputSchema, tool.name).toBeDefined();
  });

  it("calls query_runs and gets runs back", async () => {
    const result = (await inspector(
      "--method",
      "tools/call",
      "--tool-name",
      "query_runs",
      "--tool-arg",
      "project=checkout-bot",
      "--tool-arg",
      "start_time=7d",
      "--tool-arg",
      "page_size=5",
    )) as {
      isError?: boolean;
      structuredContent: { project: { name: string }; runs: { rows: unknown[] } };
    };
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.project.name).toBe("checkout-bot");
    expect(result.structuredContent.runs.rows.length).toBeGreaterThan(0);
  });

  it("lists the resources and prompts", async () => {
    const { resources } = (await inspector("--method", "resources/list")) as { resources: { uri: string }[] };
    expect(resources.map((r) => r.uri)).toContain("langsmith://reference/failure-modes.md");
    const { prompts } = (await inspector("--method", "prompts/list")) as { prompts: { name: string }[] };
    expect(prompts.map((p) => p.name)).toEqual(["check_export_health", "check_app_health", "investigate_errored_runs", "compliance_purge"]);
  });
});
