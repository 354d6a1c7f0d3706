import { KEYWORDS, MAX_NESTING_DEPTH, type FilterCall, type FilterExpr, type FilterList, type FilterNode } from "./ast.js";
import { FilterError, describeFound } from "./error.js";
import { Lexer, type Token } from "./lexer.js";
import { recordSource, recordSpan } from "./spans.js";
import { infixLogicHint, keyAccessHint } from "./suggest.js";

const EXPECTED_FILTER = "a comparator such as eq(...)";
const EXPECTED_ARGUMENT = "an attribute name, a value or a call";

/**
 * Parses filter text into a tree (syntax only: unknown operators and attributes are the
 * checker's business, and only warnings). Throws FilterError of kind "syntax" at the first
 * token that cannot continue a valid filter: the one thing the client refuses to send.
 */
export function parseFilter(text: string): FilterExpr {
  return new Parser(text).parse();
}

class Parser {
  private readonly lexer: Lexer;
  private token: Token;
  private previous: Token | undefined;
  private depth = 0;

  constructor(private readonly source: string) {
    this.lexer = new Lexer(source);
    this.token = this.lexer.next();
  }

  parse(): FilterExpr {
    const head = this.token;
    if (head.type !== "identifier" || KEYWORDS.has(head.text ?? "")) this.fail(EXPECTED_FILTER);
    this.advance();
    const expr = this.parseCall(head);
    if (this.token.type !== "end") this.fail("end of input");
    recordSource(expr, this.source);
    return expr;
  }

  private parseArgument(expected: string): FilterNode {
    const token = this.token;
    switch (token.type) {
      case "identifier": {
        this.advance();
        const name = token.text ?? "";
        if (KEYWORDS.has(name)) {
          return this.spanned({ type: "literal", value: KEYWORDS.get(name) ?? null }, token.start, token.end);
        }
        if (this.token.type === "(") return this.parseCall(token);
        return this.spanned({ type: "attribute", name }, token.start, token.end);
      }
      case "string":
      case "number":
        this.advance();
        return this.spanned({ type: "literal", value: token.value ?? null }, token.start, token.end);
      case "[":
        return this.parseList();
      default:
        return this.fail(expected);
    }
  }

  /** `head` is the operator name, already consumed; the current token should be "(". */
  private parseCall(head: Token): FilterCall {
    if (this.token.type !== "(") this.fail('"("');
    this.enter();
    this.advance();
    const args = this.parseSequence(")", EXPECTED_ARGUMENT);
    this.depth--;
    return this.spanned({ type: "call", op: head.text ?? "", args }, head.start, this.previous?.end ?? head.end);
  }

  private parseList(): FilterList {
    const start = this.token.start;
    this.enter();
    this.advance();
    const items = this.parseSequence("]", "a value");
    this.depth--;
    return this.spanned({ type: "list", items }, start, this.previous?.end ?? start + 1);
  }

  /** Comma-separated arguments up to and including `close`; no trailing comma. */
  private parseSequence(close: ")" | "]", expectedItem: string): FilterNode[] {
    const items: FilterNode[] = [];
    if (this.token.type === close) {
      this.advance();
      return items;
    }
    for (;;) {
      items.push(this.parseArgument(items.length === 0 ? `${expectedItem} or "${close}"` : expectedItem));
      if (this.token.type === close) {
        this.advance();
        return items;
      }
      if (this.token.type !== ",") this.fail(`"," or "${close}"`);
      this.advance();
    }
  }

  private enter(): void {
    this.depth++;
    if (this.depth > MAX_NESTING_DEPTH) {
      const position = this.token.start;
      throw new FilterError({
        kind: "syntax",
        source: this.source,
        position,
        expected: `at most ${MAX_NESTING_DEPTH} levels of nesting`,
        describe: (at) => `filter nests deeper than ${MAX_NESTING_DEPTH} levels ${at}; flatten it (and/or take many arguments)`,
      });
    }
  }

  private advance(): void {
    this.previous = this.token;
    this.token = this.lexer.next();
  }

  private spanned<T extends FilterNode>(node: T, start: number, end: number): T {
    recordSpan(node, { start, end });
    return node;
  }

  private fail(expected: string): never {
    const token = this.token;
    const found = describeFound(token.text);
    // `gt(latency, 5s)`: the number ends and a unit follows without quotes.
    const unquotedUnit = this.previous?.type === "number" && token.type === "identifier" && token.start === this.previous.end;
    const hint = unquotedUnit
      ? `durations are strings: write "${this.previous?.text ?? ""}${token.text ?? ""}"`
      : (this.infixHint(token) ?? this.slipHint(token, expected));
    throw new FilterError({
      kind: "syntax",
      source: this.source,
      position: token.start,
      expected,
      found,
      ...(hint ? { describe: (at: string) => `expected ${expected} ${at}, found ${found} (${hint})` } : {}),
    });
  }

  /** Key access into a collection (`metadata.user_id`) and infix and/or, which the language lacks. */
  private slipHint(token: Token, expected: string): string | undefined {
    if (token.text === "." || token.text === "[") {
      return keyAccessHint(this.previous?.type === "identifier" ? this.previous.text : undefined, this.source.slice(token.start));
    }
    return expected === "end of input" && token.type === "identifier" ? infixLogicHint(token.text) : undefined;
  }

  /** `run_type == "llm"`: the infix form many query languages use; say the prefix call to write instead. */
  private infixHint(token: Token): string | undefined {
    const name = this.previous?.type === "identifier" ? this.previous.text : undefined;
    if (name === undefined || token.type !== "invalid") return undefined;
    const m = INFIX.exec(this.source.slice(token.start));
    const op = m ? INFIX_OPERATORS[m[1] ?? ""] : undefined;
    if (!m || !op) return undefined;
    return `filters are prefix calls: write ${op}(${name}, ${m[2] ?? "value"})`;
  }
}

const INFIX = /^(==|=|!=|<>|>=|<=|>|<)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,()]+)?/;
const INFIX_OPERATORS: Readonly<Record<string, string>> = {
  "==": "eq",
  "=": "eq",
  "!=": "neq",
  "<>": "neq",
  ">": "gt",
  ">=": "gte",
  "<": "lt",
  "<=": "lte",
};
