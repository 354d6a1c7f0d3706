/**
 * The one error the filter language throws. Its message is agent-facing copy: it says what
 * was expected, where (1-based column, and line when the filter spans several), and what was
 * found instead, so a model can fix its own filter.
 */

export type FilterErrorKind = "syntax" | "semantic";

export interface FilterErrorInit {
  readonly kind: FilterErrorKind;
  /** 0-based offset into `source`. */
  readonly position: number;
  /** What would have been valid here, e.g. `")"` or `an attribute name`. */
  readonly expected: string;
  /** The filter text, used to turn the offset into line and column; absent for hand-built trees. */
  readonly source?: string | undefined;
  /** What was found instead, e.g. `end of input` or `"x"`; used by the default message. */
  readonly found?: string;
  /** Builds a custom message around the location phrase (`at column 4`). */
  readonly describe?: (at: string) => string;
}

export class FilterError extends Error {
  override readonly name = "FilterError";
  readonly kind: FilterErrorKind;
  readonly position: number;
  /** 1-based line of `position`. */
  readonly line: number;
  /** 1-based column of `position` on its line. */
  readonly column: number;
  readonly expected: string;

  constructor(init: FilterErrorInit) {
    const { line, column } = locate(init.source, init.position);
    const at = line === 1 ? `at column ${column}` : `at line ${line}, column ${column}`;
    super(init.describe ? init.describe(at) : `expected ${init.expected} ${at}, found ${init.found ?? "something else"}`);
    this.kind = init.kind;
    this.position = init.position;
    this.line = line;
    this.column = column;
    this.expected = init.expected;
  }
}

export const isFilterError = (e: unknown): e is FilterError => e instanceof FilterError;

function locate(source: string | undefined, position: number): { line: number; column: number } {
  if (source === undefined) return { line: 1, column: position + 1 };
  let line = 1;
  let lineStart = 0;
  const end = Math.min(position, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

/** How a token is named in "found ..." phrases: quoted, shortened, never the whole filter. */
export function describeFound(text: string | undefined): string {
  if (text === undefined) return "end of input";
  const shown = text.length > 24 ? `${text.slice(0, 21)}...` : text;
  return JSON.stringify(shown);
}
