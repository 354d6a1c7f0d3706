import { describe, expect, it } from "vitest";
import { control } from "../../src/simulator/testing.js";
import { startStack, textOf } from "../support/stack.js";

describe("stdio graceful shutdown", () => {
  it("on SIGTERM lets an in-flight tool call finish and answer before the process exits", async () => {
    const stack = await startStack();
    try {
      await control(stack.sim, "POST", "faults", {
        match: { method: "GET", path: "/api/v1/sessions*" },
        kind: "delay",
        delay_ms: 1_500,
        times: 1,
      });
      const call = stack.call("list_projects", { limit: 2 });
      // Wait until the simulator holds the request, so the call is truly in flight.
      for (let i = 0; i < 200; i++) {
        const { body } = await control<{ faults: { remaining: number }[] }>(stack.sim, "GET", "faults");
        if (body.faults.every((f) => f.remaining === 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      process.kill(stack.pid()!, "SIGTERM");
      const result = await call.catch((e: unknown) => {
        throw new Error(`${String(e)}\n${stack.stderr()}`);
      });
      expect(result.isError, textOf(result)).toBeFalsy();
      for (let i = 0; i < 200 && !/shutting down/.test(stack.stderr()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(stack.stderr()).toMatch(/shutting down.*reason=SIGTERM.*drained=true/);
    } finally {
      await stack.close();
    }
  });
});
