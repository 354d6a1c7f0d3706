/**
 * Cursor iteration shared by every paginated endpoint (v2 runs query `next_cursor`, v1
 * `cursors.next`, audit logs `cursor`). Every loop over pages has a cap, and a server that
 * hands back a cursor it already gave is stopped rather than followed forever.
 */
import { type HttpMethod, LangSmithPaginationError } from "./errors.js";

/** Hard cap on pages per iteration unless the client is configured otherwise. */
export const DEFAULT_MAX_PAGES = 1000;

export interface CursorPagesOptions<T> {
  /** For error messages: the endpoint being paged. */
  method: HttpMethod;
  path: string;
  fetchPage: (cursor: string | undefined) => Promise<T>;
  /** The cursor of the next page, or undefined on the last page. */
  nextCursor: (page: T) => string | null | undefined;
  maxPages: number;
  startCursor?: string | undefined;
}

export async function* iterateCursorPages<T>(options: CursorPagesOptions<T>): AsyncGenerator<T, void, undefined> {
  const { method, path, maxPages } = options;
  const seen = new Set<string>();
  let cursor = options.startCursor;
  if (cursor) seen.add(cursor);
  for (let pages = 1; ; pages++) {
    const page = await options.fetchPage(cursor);
    yield page;
    const next = options.nextCursor(page) ?? undefined;
    if (!next) return;
    const ctx = { method, path, attempts: 1 };
    if (seen.has(next)) {
      throw new LangSmithPaginationError(
        `${method} ${path} → LangSmith returned a cursor it had already returned (after ${pages} pages); stopped to avoid an endless ` +
          `loop. Narrow the query and try again.`,
        ctx,
        { pages },
      );
    }
    if (pages >= maxPages) {
      throw new LangSmithPaginationError(
        `${method} ${path} → stopped after ${pages} pages (the page cap) with more results remaining. Narrow the query (shorter time ` +
          `range, a filter, fewer projects) or continue from the returned cursor.`,
        ctx,
        { pages, nextCursor: next },
      );
    }
    seen.add(next);
    cursor = next;
  }
}
