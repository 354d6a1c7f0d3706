import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { control } from "../../src/simulator/index.js";
import { textOf } from "../support/stack.js";
import { BUILT_SERVER, callTool, startHttpStack } from "../support/http-stack.js";

// What the filters offer and refuse is tested in memory (test/integration/tool-filters.test.ts).
describe("read-only mode and toolsets are registry filters", () => {
  it("an unknown toolset is a startup error naming it", () => {
    const result = spawnSync(process.execPath, [BUILT_SERVER, "--simulator", "--toolsets", "runs,exprots"], {
      env: { PATH: process.env.PATH ?? "" },
      encoding: "utf8",
      input: "",
      timeout: 20_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Unknown toolset in --toolsets / LANGSMITH_MCP_TOOLSETS: "exprots"');
    expect(result.stderr).toContain("Valid toolsets: runs, exports, diagnosis, deletion");
  });
});

describe("graceful shutdown", () => {
  it("on SIGTERM lets an in-flight tool call finish, then exits 0", async () => {
    const stack = await startHttpStack();
    try {
      const client = await stack.connect();
      await control(stack.sim, "POST", "faults", {
        match: { method: "GET", path: "/api/v1/sessions*" },
        kind: "delay",
        delay_ms: 1_500,
        times: 1,
      });
      const call = callTool(client, "list_projects", { limit: 2 });
      // Wait until LangSmith (the simulator) holds the request, so the call is truly in flight.
      for (let i = 0; i < 200; i++) {
        const { body } = await control<{ faults: { remaining: number }[] }>(stack.sim, "GET", "faults");
        if (body.faults.every((f) => f.remaining === 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const exited = stack.server.stop("SIGTERM");
      const result = await call;
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(await exited).toBe(0);
      expect(stack.server.stderr()).toMatch(/stopped drained=true/);
    } finally {
      await stack.close();
    }
  });
});
