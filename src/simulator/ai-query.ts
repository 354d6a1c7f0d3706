/**
 * A stand-in for LangSmith's natural-language `ai_query` (only when enabled through
 * `/_sim/config`): a few phrases map to filter expressions, anything else becomes a text
 * search. It exists so clients can exercise the code path, not to be clever.
 */
const PHRASES: ReadonlyArray<{ pattern: RegExp; filter: string }> = [
  { pattern: /\b(error|errors|errored|fail|failed|failing)\b/i, filter: 'eq(status, "error")' },
  { pattern: /\b(llm|model calls?)\b/i, filter: 'eq(run_type, "llm")' },
  { pattern: /\btool calls?|tools?\b/i, filter: 'eq(run_type, "tool")' },
  { pattern: /\bslow\b/i, filter: 'gt(latency, "5s")' },
];

export function aiQueryToFilter(text: string): string {
  const parts = PHRASES.filter((p) => p.pattern.test(text)).map((p) => p.filter);
  if (parts.length === 0) return `search(${JSON.stringify(text)})`;
  return parts.length === 1 ? (parts[0] as string) : `and(${parts.join(", ")})`;
}
