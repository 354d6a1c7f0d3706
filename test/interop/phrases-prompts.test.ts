import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkFilter, FILTER_OPERATORS } from "../../src/filter/index.js";
import { PROMPTS } from "../../src/prompts/index.js";
import { TOOLS } from "../../src/tools/index.js";
import { parseTime } from "../../src/tools/time-range.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";

const UUID = "6f1c9c1e-3b0a-4a8e-9f5e-2d3c4b5a6978";
const NOW = new Date("2026-11-25T15:30:00Z");

/** What an agent fills into a `<…>` placeholder, by argument; a time placeholder's own "e.g." wins. */
function fill(field: string, placeholder: string): unknown {
  const example = /e\.g\. ([^>]+)>$/.exec(placeholder)?.[1];
  if (field === "start_time" || field === "end_time") return example ?? "7d";
  if (field === "filter" || field === "tree_filter") return 'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))';
  if (/(^|_)id$/.test(field) && field !== "access_key_id" && field !== "purge_id") return UUID;
  if (field === "destination") return UUID;
  return "sample";
}

const isPlaceholder = (v: unknown): v is string => typeof v === "string" && v.startsWith("<") && v.endsWith(">");

/** The JSON object starting at `text[start]`, read with strings and nesting respected. */
function jsonObjectAt(text: string, start: number): Record<string, unknown> {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return JSON.parse(text.slice(start, i + 1)) as Record<string, unknown>;
  }
  throw new Error(`unbalanced JSON at ${start}: ${text.slice(start, start + 80)}`);
}

/** Every tool call a rendered prompt suggests: "Call `tool` with {…}" and "call tool with {…}" in the prose. */
function suggestedCalls(text: string): { tool: string; args: Record<string, unknown> }[] {
  const calls: { tool: string; args: Record<string, unknown> }[] = [];
  for (const m of text.matchAll(/call `?([a-z_]+)`? (?:again )?with (?=\{)/gi)) {
    calls.push({ tool: m[1]!, args: jsonObjectAt(text, m.index + m[0].length) });
  }
  return calls;
}

/** Filter expressions quoted in the prose (`and(eq(…), …)`, `search("…")`), balanced, outside JSON. */
function quotedFilters(text: string): string[] {
  const names = FILTER_OPERATORS.map((op) => op.name).join("|");
  const found: string[] = [];
  for (const m of text.matchAll(new RegExp(`(?<![\\w"'])(?:${names})\\(`, "g"))) {
    let depth = 0;
    let quote: string | undefined;
    for (let i = m.index; i < text.length; i++) {
      const ch = text[i]!;
      if (quote) {
        if (ch === "\\") i++;
        else if (ch === quote) quote = undefined;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === "(") depth++;
      else if (ch === ")" && --depth === 0) {
        found.push(text.slice(m.index, i + 1));
        break;
      }
    }
  }
  // Nested hits (eq( inside and( ) are parts of a longer one.
  return found.filter((f) => !found.some((g) => g !== f && g.includes(f)));
}

const SAMPLES: Record<string, Record<string, string>[]> = {
  check_export_health: [{}, { project: "checkout-bot" }, { export_id: UUID }],
  investigate_errored_runs: [
    { project: "checkout-bot" },
    { project: "checkout-bot", window: "7d" },
    { project: "checkout-bot", window: "yesterday" },
    { project: "checkout-bot", window: "2026-11-24..2026-11-25" },
    { project: "checkout-bot", window: "since Monday..today" },
  ],
  check_app_health: [
    { project: "checkout-bot" },
    { project: "checkout-bot, rag-search", window: "7d" },
    { project: "checkout-bot", window: "2026-11-24..2026-11-25" },
  ],
  compliance_purge: [
    { project: "support-bot", criteria: "metadata user_id is 123" },
    { criteria: "metadata user_id is 123" },
    { project: "support-bot, checkout-bot", criteria: "user_id=123" },
    { project: "support-bot", criteria: "inputs mention jane@example.com" },
  ],
};

describe("prompts suggest only calls the tools accept", () => {
  let stack: InMemoryStack;
  beforeAll(async () => {
    stack = await startInMemoryStack();
  });
  afterAll(() => stack.close());

  it("has samples for every prompt", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(PROMPTS.map((p) => p.name).sort());
  });

  for (const prompt of PROMPTS) {
    for (const sample of SAMPLES[prompt.name] ?? []) {
      it(`${prompt.name} ${JSON.stringify(sample)}`, async () => {
        const rendered = await stack.client.getPrompt({ name: prompt.name, arguments: sample });
        const text = rendered.messages.map((m) => (m.content.type === "text" ? m.content.text : "")).join("\n");
        const calls = suggestedCalls(text);
        expect(calls.length, text).toBeGreaterThan(0);
        for (const { tool: name, args } of calls) {
          const tool = TOOLS.find((t) => t.name === name);
          expect(tool, `${prompt.name} suggests ${name}`).toBeDefined();
          const filled = Object.fromEntries(
            Object.entries(args).map(([k, v]) => [k, typeof v === "string" && v.startsWith("<") && v.endsWith(">") ? fill(k, v) : v]),
          );
          const shape = Object.keys(tool!.inputSchema.shape);
          for (const key of Object.keys(filled)) expect(shape, `${prompt.name} → ${name}.${key}`).toContain(key);
          const parsed = tool!.inputSchema.safeParse(filled);
          expect(parsed.success, `${prompt.name} → ${name} ${JSON.stringify(filled)}: ${parsed.error?.message}`).toBe(true);
          for (const field of ["start_time", "end_time"]) {
            if (typeof filled[field] === "string")
              expect(() => parseTime(filled[field] as string, field, NOW), `${name}.${field}`).not.toThrow();
          }
          for (const field of ["filter", "tree_filter"]) {
            if (typeof filled[field] === "string") expect(checkFilter(filled[field] as string).warnings, `${name}.${field}`).toEqual([]);
          }
        }
        for (const filter of quotedFilters(text)) expect(checkFilter(filter).warnings, filter).toEqual([]);

        // Calls an agent can make as written (placeholders only for times and filters) run without error:
        // every read, and the plan step of a purge (no token: nothing is queued). Not for a sample export
        // id (no such export) or a window read against today's weekday ("since Monday..today" is empty on a Monday).
        if (/since|today/.test(sample.window ?? "")) return;
        for (const { tool: name, args } of calls) {
          const tool = TOOLS.find((t) => t.name === name)!;
          const runnable = Object.entries(args).every(
            ([k, v]) => v !== UUID && (!isPlaceholder(v) || ["start_time", "end_time", "filter", "tree_filter"].includes(k)),
          );
          const changesNothing =
            tool.annotations.readOnlyHint || (name === "queue_deletion" && !("confirmation_token" in args) && !("purge_id" in args));
          if (!runnable || !changesNothing) continue;
          const filled = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, isPlaceholder(v) ? fill(k, v as string) : v]));
          const result = await stack.call(name, filled);
          const said = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
          expect(result.isError, `${prompt.name} → ${name} ${JSON.stringify(filled)}: ${said}`).toBeFalsy();
          if (name === "queue_deletion")
            expect((result.structuredContent as { status: string }).status).toMatch(/^(plan|nothing_to_delete)$/);
        }
      });
    }
  }
});
