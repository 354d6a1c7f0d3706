/**
 * Clients put every tool's name, description and inputSchema into the model's context before
 * it has read a word of the task. Issue #14: all of them together stay ≤ 6,000 tokens, counted
 * with the real tokenizer, and each description still says what to call next.
 */
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { toolListing } from "../../src/tools/listing.js";
import { TOOLS } from "../../src/tools/index.js";

const GOAL_TOKENS = 6_000;
const tokens = (text: string): number => countTokens(text, { disallowedSpecial: new Set() });
const names = new Set(TOOLS.map((tool) => tool.name));

describe("tool definitions in the model's context", () => {
  it(`take at most ${GOAL_TOKENS.toLocaleString("en-US")} tokens for all tools (name + description + inputSchema)`, () => {
    const perTool = TOOLS.map((tool) => {
      const { name, description, inputSchema } = toolListing(tool);
      return [name, tokens(JSON.stringify({ name, description, inputSchema }))] as const;
    });
    const total = perTool.reduce((sum, [, n]) => sum + n, 0);
    console.info(
      [
        ...perTool.map(([name, n]) => `${name.padEnd(32)} ${String(n).padStart(5)}`),
        `${"total".padEnd(32)} ${String(total).padStart(5)}`,
      ].join("\n"),
    );
    expect(total).toBeLessThanOrEqual(GOAL_TOKENS);
  });

  it.each(TOOLS.map((tool) => [tool.name, tool.description] as const))("%s names a real tool after Next:", (_name, description) => {
    const next = /Next: (.*)$/s.exec(description)?.[1] ?? "";
    const named = next.match(/\b[a-z]+(?:_[a-z]+)+\b/g) ?? [];
    expect(
      named.filter((word) => names.has(word)),
      `"Next: ${next}"`,
    ).not.toEqual([]);
  });
});
