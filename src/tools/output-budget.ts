/**
 * Tool results must fit a client's context: one popular client caps a result at 25k tokens.
 * Results are cut by size, not only by count, and always say what was cut.
 */

export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");

export interface TruncatedText {
  text: string;
  truncated: boolean;
  originalChars: number;
}

/** Cuts a string to `maxChars`, marking the cut so an agent never mistakes it for the whole. */
export function truncateText(text: string, maxChars: number): TruncatedText {
  if (text.length <= maxChars) return { text, truncated: false, originalChars: text.length };
  const marker = ` … [truncated, ${text.length} chars in all]`;
  return { text: text.slice(0, Math.max(0, maxChars - marker.length)) + marker, truncated: true, originalChars: text.length };
}

/**
 * How many of `sizes` (bytes per item, in order) fit in `budget`; at least one item is always
 * kept so paging makes progress.
 */
export function countThatFits(sizes: readonly number[], budget: number): number {
  let used = 0;
  for (let i = 0; i < sizes.length; i++) {
    used += sizes[i]! + 1;
    if (used > budget) return Math.max(1, i);
  }
  return sizes.length;
}
