/**
 * The stdio transport's message limit, seen from a client: a message over it ends the server
 * with a non-zero status and a log line saying why (the SDK alone drops it and exits 0).
 */
import { describe, expect, it } from "vitest";
import { STDIO_MAX_MESSAGE_BYTES } from "../../src/stdio-guard.js";
import { builtServer } from "../support/built-server.js";
import { spawnStdio } from "../support/stdio.js";

describe("stdio message limit", () => {
  it("a message over the limit is logged and ends the process with a non-zero status", async () => {
    const server = await spawnStdio({
      command: process.execPath,
      args: [builtServer(), "--simulator"],
      env: { PATH: process.env.PATH ?? "", LANGSMITH_MCP_LEDGER: ":memory:" },
    });
    try {
      // One JSON-RPC line past the limit: the argument alone is one byte longer than it.
      const call = server.call("list_projects", { name_contains: "x".repeat(STDIO_MAX_MESSAGE_BYTES + 1) }).catch((e: unknown) => e);
      const code = await server.exited;
      expect(code, server.stderr()).toBe(1);
      expect(server.stderr()).toMatch(/a message on stdin is larger than the stdio transport accepts.*maxBytes=10485760/);
      expect(server.stderr()).toMatch(/shutting down.*reason="?message too large/);
      expect(await call).toBeInstanceOf(Error);
    } finally {
      await server.close();
    }
  });
});
