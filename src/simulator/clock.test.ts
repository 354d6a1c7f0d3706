import { describe, expect, it } from "vitest";
import { createClock } from "./clock.js";

describe("SimClock", () => {
  it("flows at `rate` times the real clock from its anchor, and can be set, advanced and frozen", () => {
    let real = 1_000;
    const clock = createClock(Date.parse("2025-06-01T00:00:00Z"), () => real);
    const start = clock.now();
    real += 500;
    expect(clock.now()).toBe(start + 500);
    clock.setRate(60);
    real += 1_000;
    expect(clock.now()).toBe(start + 500 + 60_000);
    clock.advance(3_600_000);
    expect(clock.now()).toBe(start + 500 + 60_000 + 3_600_000);
    clock.setRate(0);
    real += 10_000;
    clock.set(42);
    real += 10_000;
    expect(clock.now()).toBe(42);
    expect(clock.rate).toBe(0);
    expect(() => clock.setRate(-1)).toThrow(RangeError);
  });
});
