/**
 * The instructions a client receives at initialize (2025-11-25) or server/discover (2026-07-28):
 * the one text that tells an agent which tool does what before it reads any tool definition.
 * It must name every tool of the registry, and every option it names must be a real input of
 * the tool it is named with.
 */
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOLS } from "../../src/tools/index.js";
import { PROTOCOLS, startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";

/** Short enough to sit in every session's context: a fraction of the tool definitions' 6,000. */
const MAX_TOKENS = 500;

/** Options the text names, written by hand with the tool that takes each. */
const OPTIONS_NAMED: readonly (readonly [tool: string, option: string])[] = [
  ["query_runs", "filter"],
  ["list_threads", "thread_id"],
  ["export_status", "wait_seconds"],
  ["export_status", "check_completeness"],
  ["queue_deletion", "all_projects"],
  ["queue_deletion", "projects"],
  ["queue_deletion", "metadata"],
  ["queue_deletion", "confirmation_token"],
];

for (const protocol of PROTOCOLS) {
  describe(`server instructions at ${protocol}`, () => {
    let stack: InMemoryStack;
    let text: string;
    beforeAll(async () => {
      stack = await startInMemoryStack({ protocol });
      text = stack.client.getInstructions() ?? "";
    });
    afterAll(() => stack.close());

    it.each(TOOLS.map((tool) => tool.name))("names %s", (name) => {
      expect(text).toMatch(new RegExp(`\\b${name}\\b`));
    });

    it("names check_completeness, workspace-wide purges and the evidence report", () => {
      expect(text).toContain("check_completeness");
      expect(text).toMatch(/queue_deletion \(one, several or all projects; metadata such as user_id=123\)/);
      expect(text).toMatch(/then deletion_report for the evidence/);
      expect(text).toMatch(/App health .*: run_stats/);
    });

    it(`stays under ${MAX_TOKENS} tokens`, () => {
      expect(countTokens(text, { disallowedSpecial: new Set() })).toBeLessThanOrEqual(MAX_TOKENS);
    });
  });
}

describe("options the instructions name", () => {
  it.each(OPTIONS_NAMED)("%s takes %s", (toolName, option) => {
    const tool = TOOLS.find((t) => t.name === toolName);
    expect(Object.keys(tool!.inputSchema.shape)).toContain(option);
  });
});
