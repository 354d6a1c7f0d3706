import { describe, expect, it } from "vitest";
import { increasingProgress, waitingProgress } from "./progress.js";

describe("increasingProgress", () => {
  it("sends only values above the last one sent, and none above the total", async () => {
    const sent: number[] = [];
    const progress = increasingProgress(async (p) => {
      sent.push(p);
    });
    for (const p of [0, 0, 1, 1, 0.5, 3, 2, 7, Number.NaN, 4]) await progress(p, 5, "m");
    expect(sent).toEqual([0, 1, 3, 4]);
  });
});

describe("waitingProgress", () => {
  it("is the work done plus the share of the wait spent on the rest", () => {
    expect(waitingProgress(0, 0)).toBe(0);
    expect(waitingProgress(0, 0.5)).toBe(50);
    expect(waitingProgress(0.5, 0.5)).toBe(75);
    expect(waitingProgress(1, 0)).toBe(100);
    expect(waitingProgress(0.2, 1)).toBe(100);
  });
});
