import { createHash } from "node:crypto";
import { z } from "zod";
import { UserInputError } from "../errors.js";

/**
 * The cursor query_runs hands to agents. It wraps LangSmith's own cursor because a page may
 * be cut by size before its end: `s` says how many runs of the API page at `c` were already
 * shown. It also pins what was resolved on the first page (the project, and the window as
 * absolute times, so "24h" on page 3 means what it meant on page 1), and a fingerprint of the
 * arguments, so a cursor is never applied to a different query. Everything else is rebuilt
 * from the arguments, which keeps the cursor short enough for an agent to copy. `e` carries the
 * previous page's cost per run, so the next page reads about what it can show.
 */
const PageCursorSchema = z.object({
  v: z.literal(1),
  /** Fingerprint of the arguments that defined the query. */
  f: z.string(),
  /** The project the first page resolved. */
  p: z.object({ id: z.string(), name: z.string() }),
  /** The window the first page resolved: [min_start_time, max_start_time]. */
  w: z.tuple([z.string(), z.string()]),
  /** LangSmith's cursor for the page being read, null for the first page. */
  c: z.string().nullable(),
  /** Runs of that page already returned. */
  s: z.number().int().min(0),
  /**
   * Budget tokens one run took on the previous page (page-estimate.ts), so the next page asks
   * LangSmith for about what fits. Absent in cursors issued before it was added: estimated anew.
   */
  e: z.number().int().min(1).max(1_000_000).optional(),
});

export type PageCursor = z.infer<typeof PageCursorSchema>;

/**
 * `<base64url of the rest>.<LangSmith's cursor>`: LangSmith's cursor is already a printable
 * token, so it is appended as is rather than encoded again inside the JSON (which made it a
 * third longer and cost ~90 more tokens in each view of every page). base64url has no ".", so
 * the first "." splits the two; a cursor without one is the first page's position or an older
 * cursor holding `c` in its JSON.
 */
export function encodePageCursor(cursor: PageCursor): string {
  const { c, ...rest } = cursor;
  const head = Buffer.from(JSON.stringify(rest), "utf8").toString("base64url");
  return c === null ? head : `${head}.${c}`;
}

export function decodePageCursor(text: string): PageCursor {
  try {
    const dot = text.indexOf(".");
    const head = JSON.parse(Buffer.from(dot === -1 ? text : text.slice(0, dot), "base64url").toString("utf8")) as Record<string, unknown>;
    return PageCursorSchema.parse({ c: null, ...head, ...(dot !== -1 && { c: text.slice(dot + 1) }) });
  } catch {
    throw new UserInputError(
      "cursor",
      "is not a cursor this server issued.",
      "Pass next_cursor exactly as a previous query_runs result gave it, or omit cursor to start from the first page.",
    );
  }
}

/** Stable fingerprint of the query-defining arguments (key order independent). */
export function fingerprint(args: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(args)
      .sort()
      .filter((key) => args[key] !== undefined)
      .map((key) => [key, args[key]]),
  );
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
}
