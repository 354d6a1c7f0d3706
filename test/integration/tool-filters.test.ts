import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";

// Startup errors of the filters (an unknown toolset) are a process's: test/e2e/http-modes.test.ts.
describe("read-only mode and toolsets are registry filters (in memory)", () => {
  let full: InMemoryStack;
  let readOnly: InMemoryStack;
  let runsOnly: InMemoryStack;
  beforeAll(async () => {
    [full, readOnly, runsOnly] = await Promise.all([
      startInMemoryStack(),
      startInMemoryStack({ args: ["--read-only"] }),
      startInMemoryStack({ env: { LANGSMITH_MCP_TOOLSETS: "runs,diagnosis" } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([full?.close(), readOnly?.close(), runsOnly?.close()]);
  });

  it("--read-only leaves every tool whose readOnlyHint is false out of tools/list", async () => {
    const all = (await full.client.listTools()).tools;
    const offered = (await readOnly.client.listTools()).tools;
    const mutating = all.filter((t) => t.annotations?.readOnlyHint === false).map((t) => t.name);
    expect(mutating).toEqual(
      expect.arrayContaining(["create_export", "cancel_export", "create_destination", "rotate_destination_credentials"]),
    );
    expect(offered.map((t) => t.name)).toEqual(all.filter((t) => t.annotations?.readOnlyHint === true).map((t) => t.name));
    for (const tool of offered) expect(tool.annotations?.destructiveHint).toBe(false);
  });

  it("calling a tool left out by read-only mode fails cleanly, naming the tool and the reason", async () => {
    await expect(readOnly.call("cancel_export", { export_id: "00000000-0000-4000-8000-000000000000" })).rejects.toThrow(
      /Tool "cancel_export" is not available: this server runs in read-only mode/,
    );
    expect((await readOnly.call("list_projects", { limit: 1 })).isError).toBeFalsy();
  });

  it("--toolsets (here via LANGSMITH_MCP_TOOLSETS) offers only the chosen groups", async () => {
    const names = (await runsOnly.client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(["diagnose_export", "get_run", "get_trace", "list_projects", "list_threads", "query_runs", "run_stats"]);
    await expect(runsOnly.call("list_exports", {})).rejects.toThrow(
      /Tool "list_exports" is not available: its toolset "exports" is not enabled/,
    );
  });
});
