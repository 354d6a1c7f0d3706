import type { FilterNode } from "./ast.js";

/** Where a node sits in the text it was parsed from: [start, end) offsets. */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * Side table from parsed nodes to their spans. Kept outside the nodes so trees stay plain
 * data (printing then parsing yields a deep-equal tree) while the checker can still point at
 * the offending token. Hand-built nodes have no span.
 */
const spans = new WeakMap<FilterNode, SourceSpan>();
const sources = new WeakMap<FilterNode, string>();

export function recordSpan(node: FilterNode, span: SourceSpan): void {
  spans.set(node, span);
}

export function recordSource(root: FilterNode, text: string): void {
  sources.set(root, text);
}

export function spanOf(node: FilterNode): SourceSpan | undefined {
  return spans.get(node);
}

export function sourceOf(root: FilterNode): string | undefined {
  return sources.get(root);
}
