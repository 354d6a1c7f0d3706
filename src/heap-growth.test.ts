import { describe, expect, it } from "vitest";
import { tuneHeapGrowth } from "./heap-growth.js";

describe("tuneHeapGrowth", () => {
  it("leaves a growing factor chosen on Node's command line alone", () => {
    expect(tuneHeapGrowth(["--heap-growing-percent=50"])).toBe(false);
    expect(tuneHeapGrowth(["--inspect", "--heap_growing_percent=5"])).toBe(false);
  });

  it("sets its own when none was chosen", () => {
    expect(tuneHeapGrowth(["--enable-source-maps", "--max-old-space-size=4096"])).toBe(true);
  });
});
