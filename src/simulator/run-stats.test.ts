import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nearestRank } from "./run-stats.js";

describe("nearestRank (the simulator's percentile definition)", () => {
  it("matches the textbook examples", () => {
    // Nearest rank: the value at 1-based rank ⌈p/100 · n⌉.
    expect(nearestRank([15, 20, 35, 40, 50], 30)).toBe(20);
    expect(nearestRank([15, 20, 35, 40, 50], 40)).toBe(20);
    expect(nearestRank([15, 20, 35, 40, 50], 50)).toBe(35);
    expect(nearestRank([15, 20, 35, 40, 50], 100)).toBe(50);
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRank([], 50)).toBeNull();
  });

  it("is a member at least p% of the values are at or below, and the smallest such", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 100 }),
        (values, p) => {
          const sorted = [...values].sort((a, b) => a - b);
          const v = nearestRank(sorted, p) as number;
          expect(sorted).toContain(v);
          const atOrBelow = sorted.filter((x) => x <= v).length;
          expect(atOrBelow * 100).toBeGreaterThanOrEqual(p * sorted.length);
          const below = sorted.filter((x) => x < v).length;
          expect(below * 100).toBeLessThan(p * sorted.length);
        },
      ),
    );
  });
});
