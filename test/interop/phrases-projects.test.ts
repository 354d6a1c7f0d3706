import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nearNames } from "../../src/langsmith/project-resolver.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";

const text = (r: { content: unknown }) => (r.content as { type: string; text?: string }[]).map((c) => c.text ?? "").join("\n");

describe("did you mean, for project names", () => {
  const names = ["checkout-bot", "support-bot", "rag-search", "eval-nightly", "empty-project", "abc", "abd"];

  it.each([
    ["chekout-bot", ["checkout-bot"]],
    ["checkuot-bot", ["checkout-bot"]],
    ["Checkout-Bot", ["checkout-bot"]],
    ["checkout_bt", ["checkout-bot"]],
    ["rag-serch", ["rag-search"]],
    ["eval-nighly", ["eval-nightly"]],
    ["abx", ["abc", "abd"]],
  ])("suggests for %j: %j", (typo, expected) => {
    expect(nearNames(typo, names)).toEqual(expected);
  });

  it.each(["checkout", "billing-bot", "xyz", "chckt-bot"])("stays quiet for %j, which is more than a slip away", (name) => {
    expect(nearNames(name, names)).toEqual([]);
  });
});

describe("a misspelt project through a tool", () => {
  let stack: InMemoryStack;
  beforeAll(async () => {
    stack = await startInMemoryStack();
  });
  afterAll(() => stack.close());

  it("answers with the workspace's project one letter off", async () => {
    const result = await stack.call("query_runs", { project: "chekout-bot", start_time: "yesterday" });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('no project named "chekout-bot" in this workspace. Did you mean "checkout-bot"?');
  });

  it("still lists the names that contain a fragment", async () => {
    const result = await stack.call("query_runs", { project: "bot" });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("Similar names:");
    expect(text(result)).toContain('"support-bot"');
    expect(text(result)).not.toContain("Did you mean");
  });
});
