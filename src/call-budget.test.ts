import { describe, expect, it } from "vitest";
import { CallBudget, DEFAULT_CALL_BUDGET_MS, quoteSeconds } from "./call-budget.js";

describe("CallBudget", () => {
  it("defaults to 45 s, below the official TypeScript client's 60 s request timeout", () => {
    expect(DEFAULT_CALL_BUDGET_MS).toBe(45_000);
  });

  it("counts down on its clock and never below zero", () => {
    let now = 1_000;
    const budget = new CallBudget(10_000, () => now);
    expect(budget.remainingMs()).toBe(10_000);
    now += 4_000;
    expect([budget.elapsedMs(), budget.remainingMs(), budget.allows(6_000), budget.allows(6_001)]).toEqual([4_000, 6_000, true, false]);
    now += 60_000;
    expect(budget.remainingMs()).toBe(0);
  });

  it("is the current budget inside run(), across awaits, and none outside", async () => {
    const budget = new CallBudget(5_000);
    expect(CallBudget.current()).toBeUndefined();
    const seen = await budget.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return CallBudget.current();
    });
    expect(seen).toBe(budget);
  });

  it("quotes waits in whole seconds, rounding up and never 0", () => {
    expect([quoteSeconds(0), quoteSeconds(1), quoteSeconds(120_000), quoteSeconds(120_001)]).toEqual([1, 1, 120, 121]);
  });
});
