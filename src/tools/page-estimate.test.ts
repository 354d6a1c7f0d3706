import { describe, expect, it } from "vitest";
import { PAGE_AIM, runsToAsk, tokensPerRunFromSelects, tokensPerRunMeasured } from "./page-estimate.js";

describe("page estimate", () => {
  it("asks for what the aimed share of the budget holds, never more than page_size nor fewer than one", () => {
    expect(runsToAsk(1000, 20_000, 100)).toBe(Math.floor((20_000 * PAGE_AIM) / 100));
    expect(runsToAsk(50, 20_000, 100)).toBe(50);
    expect(runsToAsk(1000, 1_000, 50_000)).toBe(1);
  });

  it("estimates a payload field far above an id, and every field at least a token", () => {
    const ids = tokensPerRunFromSelects(["ID"]);
    expect(tokensPerRunFromSelects(["ID", "INPUTS"]) - ids).toBeGreaterThan(100);
    expect(tokensPerRunFromSelects(["ID", "IS_ROOT"])).toBeGreaterThan(ids);
  });

  it("measures tokens per run from a page's share of the budget, rounded up", () => {
    // 0.5 of 20,000 tokens over 100 runs: 100 tokens a run.
    expect(tokensPerRunMeasured(0.5, 20_000, 100)).toBe(100);
    expect(tokensPerRunMeasured(0.5001, 20_000, 100)).toBe(101);
    expect(tokensPerRunMeasured(0, 20_000, 0)).toBe(1);
  });
});
