/**
 * CORS for browser clients of /mcp. A page on an origin the Origin check allows (its own, or
 * one listed in --allowed-origins) may call the server from another origin: the browser first
 * asks with a preflight `OPTIONS /mcp`, then reads responses only when they name its origin in
 * `Access-Control-Allow-Origin`. A refused origin gets its 403 without any of these headers,
 * so the browser shows the page nothing. Credentials are headers the page sets itself
 * (Authorization, X-LangSmith-Api-Key), never cookies, so `Allow-Credentials` is not sent.
 *
 * Source: the Fetch standard's CORS protocol (https://fetch.spec.whatwg.org/#http-cors-protocol);
 * the MCP Streamable HTTP transport for the headers (2025-11-25 and 2026-07-28 revisions).
 */
import type { ServerResponse } from "node:http";

/** What /mcp answers to: POST always; GET (notification stream) and DELETE (end a session) with --sessions. */
export const CORS_ALLOWED_METHODS: readonly string[] = ["GET", "POST", "DELETE", "OPTIONS"];

/**
 * Request headers a browser client may send beyond the CORS-safelisted ones: `content-type`
 * (application/json is not safelisted), the bearer token, the session and protocol headers of
 * 2025-11-25, `mcp-method` and `mcp-name` that 2026-07-28 adds to every request, `last-event-id`
 * to resume a stream, and a caller's own LangSmith key.
 */
export const CORS_ALLOWED_HEADERS: readonly string[] = [
  "content-type",
  "authorization",
  "mcp-session-id",
  "mcp-protocol-version",
  "mcp-method",
  "mcp-name",
  "last-event-id",
  "x-langsmith-api-key",
];

/**
 * Response headers a page may read: the session to send back, the revision, the 401's challenge,
 * and a 503's Retry-After (session cap, OAuth keys out of reach), which is not CORS-safelisted.
 */
export const CORS_EXPOSED_HEADERS: readonly string[] = ["Mcp-Session-Id", "Mcp-Protocol-Version", "WWW-Authenticate", "Retry-After"];

/** How long a browser may reuse a preflight answer: two hours, the most Chromium honours. */
export const CORS_MAX_AGE_SECONDS = 7_200;

/**
 * Marks every response as depending on the request's Origin (a shared cache must not hand one
 * origin's answer to another) and, for a request from an allowed `origin`, lets that origin
 * read it. Set before anything answers, so refusals, errors and event streams carry them too.
 */
export function setCorsHeaders(res: ServerResponse, origin: string | undefined): void {
  res.setHeader("vary", "Origin");
  if (origin === undefined) return;
  res.setHeader("access-control-allow-origin", origin);
  res.setHeader("access-control-expose-headers", CORS_EXPOSED_HEADERS.join(", "));
}

/**
 * Answers `OPTIONS /mcp` with 204: for a CORS preflight (it carries `Origin`, already allowed)
 * the methods, headers and max age; for a plain OPTIONS only `Allow`.
 */
export function answerPreflight(res: ServerResponse, origin: string | undefined): void {
  const headers: Record<string, string> = { allow: CORS_ALLOWED_METHODS.join(", ") };
  if (origin !== undefined) {
    headers["access-control-allow-methods"] = CORS_ALLOWED_METHODS.join(", ");
    headers["access-control-allow-headers"] = CORS_ALLOWED_HEADERS.join(", ");
    headers["access-control-max-age"] = String(CORS_MAX_AGE_SECONDS);
  }
  res.writeHead(204, headers);
  res.end();
}
