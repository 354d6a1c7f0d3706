import { describe, expect, it } from "vitest";
import { loadDefinition } from "./deferred.js";
import type { AnyToolDefinition } from "./define-tool.js";
import { TOOLS } from "./index.js";

describe("loadDefinition", () => {
  it("returns a full definition as it is", async () => {
    const tool = TOOLS[0]!;
    expect(await loadDefinition(tool)).toBe(tool);
  });

  it("loads a stand-in's definition through its load()", async () => {
    const real = TOOLS[1]!;
    const { inputSchema: _i, outputSchema: _o, handler: _h, ...data } = real;
    const stub = { ...data, load: async () => real } as unknown as AnyToolDefinition;
    expect(await loadDefinition(stub)).toBe(real);
  });
});
