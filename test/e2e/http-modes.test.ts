import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control } from "../../src/simulator/index.js";
import { textOf } from "../support/stack.js";
import { BUILT_SERVER, callTool, startHttpStack, type HttpStack } from "../support/http-stack.js";

describe("read-only mode and toolsets are registry filters", () => {
  let full: HttpStack;
  let readOnly: HttpStack;
  let runsOnly: HttpStack;
  beforeAll(async () => {
    [full, readOnly, runsOnly] = await Promise.all([
      startHttpStack(),
      startHttpStack({ args: ["--read-only"] }),
      startHttpStack({ env: { LANGSMITH_MCP_TOOLSETS: "runs,diagnosis" } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([full?.close(), readOnly?.close(), runsOnly?.close()]);
  });

  it("--read-only leaves every tool whose readOnlyHint is false out of tools/list", async () => {
    const all = (await (await full.connect()).listTools()).tools;
    const offered = (await (await readOnly.connect()).listTools()).tools;
    const mutating = all.filter((t) => t.annotations?.readOnlyHint === false).map((t) => t.name);
    expect(mutating).toEqual(expect.arrayContaining(["create_export", "cancel_export", "create_destination", "rotate_destination_credentials"]));
    expect(offered.map((t) => t.name)).toEqual(all.filter((t) => t.annotations?.readOnlyHint === true).map((t) => t.name));
    for (const tool of offered) expect(tool.annotations?.destructiveHint).toBe(false);
  });

  it("calling a tool left out by read-only mode fails cleanly, naming the tool and the reason", async () => {
    const client = await readOnly.connect();
    await expect(callTool(client, "cancel_export", { export_id: "00000000-0000-4000-8000-000000000000" })).rejects.toThrow(
      /Tool "cancel_export" is not available: this server runs in read-only mode/,
    );
    expect((await callTool(client, "list_projects", { limit: 1 })).isError).toBeFalsy();
  });

  it("--toolsets (here via LANGSMITH_MCP_TOOLSETS) offers only the chosen groups", async () => {
    const client = await runsOnly.connect();
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(["diagnose_export", "get_run", "get_trace", "list_projects", "query_runs"]);
    await expect(callTool(client, "list_exports", {})).rejects.toThrow(/Tool "list_exports" is not available: its toolset "exports" is not enabled/);
  });

  it("an unknown toolset is a startup error naming it", () => {
    const result = spawnSync(process.execPath, [BUILT_SERVER, "--simulator", "--toolsets", "runs,exprots"], { env: { PATH: process.env.PATH ?? "" }, encoding: "utf8", input: "", timeout: 20_000 });
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
      await control(stack.sim, "POST", "faults", { match: { method: "GET", path: "/api/v1/sessions*" }, kind: "delay", delay_ms: 1_500, times: 1 });
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
