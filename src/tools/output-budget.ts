/**
 * Tool results must fit a client's context: one popular client refuses a result over 25k
 * tokens. What a model reads is budgeted in tokens, each view on its own: the text content,
 * and the JSON of structuredContent (some clients show that instead of the text). Results are
 * cut by the tool's own means (fewer items with a continuation, shorter payload fields) and
 * always say what was cut.
 *
 * Counting is done on the serialised result, never per item: the whole once, then cuts sized in
 * proportion to the overshoot, each checked once. Strings shorter in bytes than the budget are
 * never tokenised at all.
 */
import { countTokens, utf8Bytes } from "../tokens.js";

/** The two views of a result a model may be shown. */
export interface Payload {
  text: string;
  structured: unknown;
}

export interface PayloadTokens {
  text: number;
  structured: number;
}

/**
 * No JSON or text of runs comes near this many bytes per token (runs measure 2.3–4); a rendering
 * this far over the budget in bytes is cut in proportion before it is tokenised at all.
 */
const MAX_BYTES_PER_TOKEN = 8;
/** A cut aims this far under the budget, so one more count usually confirms it. */
const AIM = 0.95;

/** Exact token counts of both views (for tests, benchmarks and logs). */
export async function countPayloadTokens(payload: Payload): Promise<PayloadTokens> {
  return { text: await countTokens(payload.text), structured: await countTokens(JSON.stringify(payload.structured) ?? "") };
}

/**
 * The JSON of each structured result measured here, by the result's identity: what is sent is
 * what was measured (results are built per call and never changed after, see dropEmpty), so the
 * secret scan before sending (server.ts) reads this instead of writing the JSON again.
 */
const measuredJson = new WeakMap<object, string>();

/**
 * `JSON.stringify(structured)`, written once: taken from the budget's measure of this very
 * object when there was one. Undefined where JSON.stringify gives undefined.
 */
export function structuredJson(structured: unknown): string | undefined {
  const measured = typeof structured === "object" && structured !== null ? measuredJson.get(structured) : undefined;
  return measured ?? JSON.stringify(structured);
}

/**
 * How far the larger view is over `budget` (≤ 1: it fits). Tokens are counted only where the
 * bytes cannot tell: a view no longer in bytes than the budget fits (a byte-level BPE makes at
 * most one token per byte), and one over `MAX_BYTES_PER_TOKEN` times it is over.
 */
async function load(payload: Payload, budget: number): Promise<number> {
  let worst = 0;
  const json = JSON.stringify(payload.structured) ?? "";
  if (typeof payload.structured === "object" && payload.structured !== null) measuredJson.set(payload.structured, json);
  for (const view of [payload.text, json]) {
    const bytes = utf8Bytes(view);
    const ratio =
      bytes <= budget
        ? bytes / budget
        : bytes > budget * MAX_BYTES_PER_TOKEN
          ? bytes / (budget * MAX_BYTES_PER_TOKEN)
          : (await countTokens(view)) / budget;
    worst = Math.max(worst, ratio);
  }
  return worst;
}

export interface Fitted<P extends Payload> {
  /** Items kept, from the front. */
  count: number;
  payload: P;
  /**
   * The larger view's share of the budget as measured for `payload` (≤ 1 when it fits; an upper
   * bound where bytes decided); undefined when a single item was kept without measuring.
   */
  load?: number;
}

/**
 * Keeps as many of `total` items (from the front) as fit `budget` tokens in both views of
 * `render(count)`; at least one, so paging always makes progress. The caller says what was
 * left out and how to reach it.
 */
export async function fitItems<P extends Payload>(total: number, render: (count: number) => P, budget: number): Promise<Fitted<P>> {
  let count = total;
  for (;;) {
    const payload = render(count);
    if (count <= 1) return { count, payload };
    const over = await load(payload, budget);
    if (over <= 1) return { count, payload, load: over };
    count = Math.max(1, Math.min(count - 1, Math.floor((count * AIM) / over)));
  }
}

/**
 * Renders with the largest per-field limit (from `maxChars`, halving down to `minChars`) whose
 * result fits `budget` tokens in both views.
 */
export async function fitFieldChars<P extends Payload>(
  maxChars: number,
  minChars: number,
  render: (maxChars: number) => P,
  budget: number,
): Promise<{ maxChars: number; payload: P }> {
  for (let chars = maxChars; ; chars = Math.max(minChars, Math.floor(chars / 2))) {
    const payload = render(chars);
    if (chars <= minChars || (await load(payload, budget)) <= 1) return { maxChars: chars, payload };
  }
}

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
