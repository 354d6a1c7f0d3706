import { FilterError } from "./error.js";

export type TokenType = "identifier" | "string" | "number" | "(" | ")" | "[" | "]" | "," | "end" | "invalid";

export interface Token {
  readonly type: TokenType;
  /** 0-based offset of the token's first character. */
  readonly start: number;
  /** Offset just past the token. */
  readonly end: number;
  /** The raw text; undefined at end of input. */
  readonly text: string | undefined;
  /** Decoded value of a string or number token. */
  readonly value?: string | number;
}

const PUNCTUATION: ReadonlySet<string> = new Set(["(", ")", "[", "]", ","]);

/** Both quote styles; escapes follow JSON plus `\'` so single-quoted strings can hold one. */
const SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ["'", "'"],
  ["\\", "\\"],
  ["/", "/"],
  ["n", "\n"],
  ["t", "\t"],
  ["r", "\r"],
  ["b", "\b"],
  ["f", "\f"],
]);

const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /\s/;
const HEX4 = /^[0-9A-Fa-f]{4}$/;

/** Tokens on demand, so the parser can say what it expected when a character makes no token. */
export class Lexer {
  private offset = 0;

  constructor(private readonly source: string) {}

  next(): Token {
    this.skipWhitespace();
    const start = this.offset;
    const source = this.source;
    if (start >= source.length) return { type: "end", start, end: start, text: undefined };
    const ch = source.charAt(start);
    if (PUNCTUATION.has(ch)) {
      this.offset++;
      return { type: ch as TokenType, start, end: start + 1, text: ch };
    }
    if (ch === '"' || ch === "'") return this.readString(ch);
    if (isIdentifierStart(ch)) {
      let end = start + 1;
      while (end < source.length && isIdentifierPart(source.charAt(end))) end++;
      this.offset = end;
      return { type: "identifier", start, end, text: source.slice(start, end) };
    }
    NUMBER.lastIndex = start;
    const number = NUMBER.exec(source);
    if (number) {
      const text = number[0];
      this.offset = start + text.length;
      return { type: "number", start, end: this.offset, text, value: Number(text) };
    }
    // One whole code point, so an emoji is reported as itself rather than half a surrogate pair.
    const codePoint = source.codePointAt(start) ?? 0;
    const width = codePoint > 0xffff ? 2 : 1;
    this.offset = start + width;
    return { type: "invalid", start, end: this.offset, text: source.slice(start, this.offset) };
  }

  private skipWhitespace(): void {
    const source = this.source;
    while (this.offset < source.length && WHITESPACE.test(source.charAt(this.offset))) this.offset++;
  }

  private readString(quote: string): Token {
    const source = this.source;
    const start = this.offset;
    let i = start + 1;
    let value = "";
    let chunkStart = i;
    while (i < source.length) {
      const ch = source.charAt(i);
      if (ch === quote) {
        value += source.slice(chunkStart, i);
        this.offset = i + 1;
        return { type: "string", start, end: this.offset, text: source.slice(start, this.offset), value };
      }
      if (ch !== "\\") {
        i++;
        continue;
      }
      value += source.slice(chunkStart, i);
      const escaped = source.charAt(i + 1);
      const simple = SIMPLE_ESCAPES.get(escaped);
      if (simple !== undefined) {
        value += simple;
        i += 2;
      } else if (escaped === "u" && HEX4.test(source.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        throw new FilterError({
          kind: "syntax",
          source,
          position: i,
          expected: "an escape such as \\\" \\' \\\\ \\n \\t or \\uXXXX",
          describe: (at) =>
            `invalid escape ${JSON.stringify(source.slice(i, i + 2))} in string ${at}: ` +
            "use \\\" \\' \\\\ \\n \\t or \\uXXXX (write \\\\ for a literal backslash)",
        });
      }
      chunkStart = i;
    }
    throw new FilterError({
      kind: "syntax",
      source,
      position: start,
      expected: `a closing ${quote}`,
      describe: (at) => `unterminated string starting ${at}: expected a closing ${quote}, found end of input`,
    });
  }
}

function isIdentifierStart(ch: string): boolean {
  return (ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z") || ch === "_";
}

function isIdentifierPart(ch: string): boolean {
  return isIdentifierStart(ch) || (ch >= "0" && ch <= "9");
}
