/**
 * Token counts of what a model reads, with a real BPE tokenizer: gpt-tokenizer's o200k_base,
 * pure JavaScript with its ranks inside the package (nothing is fetched at run time). No
 * client's own tokenizer is published for every model; o200k is the common modern one, and the
 * default budget (20k) keeps a margin under the 25k cap one popular client enforces.
 *
 * The encoder's tables take ~0.4 s to load, so they are loaded on first need, and not at all
 * while every string is shorter in UTF-8 bytes than the limit it is checked against: a
 * byte-level BPE never makes more tokens than bytes.
 */
type Encoding = typeof import("gpt-tokenizer/encoding/o200k_base");

/** Special-token markers such as `<|endoftext|>` in user data count as plain text, never throw. */
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * Entries of the encoder's merge cache (piece of text → tokens; the package keeps 100,000 by
 * default, ~15 MB that fill up over a long scan, since ids and timestamps rarely repeat). A
 * tenth keeps the common words and holds memory flat from the first pages on.
 */
const MERGE_CACHE_ENTRIES = 10_000;

let encoding: Promise<Encoding> | undefined;
const loadEncoding = (): Promise<Encoding> =>
  (encoding ??= import("gpt-tokenizer/encoding/o200k_base").then((loaded) => {
    loaded.setMergeCacheSize(MERGE_CACHE_ENTRIES);
    return loaded;
  }));

export const utf8Bytes = (text: string): number => Buffer.byteLength(text, "utf8");

/** Tokens in `text`. */
export async function countTokens(text: string): Promise<number> {
  if (text.length === 0) return 0;
  return (await loadEncoding()).countTokens(text, AS_PLAIN_TEXT);
}
