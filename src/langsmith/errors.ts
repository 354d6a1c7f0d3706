/**
 * Typed errors of the LangSmith client. Messages are agent-facing copy: they name the method,
 * the path (never the query string or headers), the status, what LangSmith said and, where
 * there is one, what to do. The raw upstream body stays on the error object (truncated and
 * redacted) for the stderr log, never in the message.
 */
import { STATUS_CODES } from "node:http";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** What the client knew about the call when it failed. */
export interface RequestContext {
  method: HttpMethod;
  /** Path only, e.g. `/api/v2/runs/query`. */
  path: string;
  /** Attempts made, including the one that failed. */
  attempts: number;
}

export abstract class LangSmithError extends Error {
  readonly method: HttpMethod;
  readonly path: string;
  readonly attempts: number;
  constructor(message: string, ctx: RequestContext, options?: { cause?: unknown }) {
    super(message, options);
    this.method = ctx.method;
    this.path = ctx.path;
    this.attempts = ctx.attempts;
  }
  /** Whether the client retried before giving up. */
  get retried(): boolean {
    return this.attempts > 1;
  }
}

export type ApiErrorKind = "auth" | "forbidden" | "not_found" | "conflict" | "validation" | "rate_limited" | "server" | "client";

/** Status → kind. Statuses not listed fall back by class (4xx client, 5xx server). */
export const API_ERROR_KIND_BY_STATUS: Readonly<Record<number, ApiErrorKind>> = Object.freeze({
  400: "validation",
  401: "auth",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "validation",
  429: "rate_limited",
});

export function apiErrorKind(status: number): ApiErrorKind {
  return API_ERROR_KIND_BY_STATUS[status] ?? (status >= 500 ? "server" : "client");
}

/** The error code LangSmith sends when an org-scoped key is used without a workspace (contract §1). */
export const ORG_SCOPED_KEY_REQUIRES_WORKSPACE = "org_scoped_key_requires_workspace";

/** What could be read from an error body of any of the shapes in contract §1. */
export interface ParsedErrorBody {
  /** Human-readable reason, flattened to one line. */
  detail?: string;
  /** RFC 7807 `title` (v2 endpoints). */
  title?: string;
  /** LangSmith's hint for the caller (v2 problem details). */
  remedy?: string;
  /** Machine code such as `org_scoped_key_requires_workspace`. */
  code?: string;
}

export class LangSmithApiError extends LangSmithError {
  override readonly name = "LangSmithApiError";
  readonly status: number;
  readonly kind: ApiErrorKind;
  readonly detail: string | undefined;
  readonly title: string | undefined;
  readonly remedy: string | undefined;
  readonly code: string | undefined;
  /** For 429 (and 503 with Retry-After): how long LangSmith asked us to wait. */
  readonly retryAfterMs: number | undefined;
  /** Upstream body, truncated to 2 KB and redacted: for logs, not for the agent. */
  readonly rawBody: string;
  constructor(
    message: string,
    ctx: RequestContext,
    fields: { status: number; parsed: ParsedErrorBody; retryAfterMs?: number; rawBody: string },
  ) {
    super(message, ctx);
    this.status = fields.status;
    this.kind = apiErrorKind(fields.status);
    this.detail = fields.parsed.detail;
    this.title = fields.parsed.title;
    this.remedy = fields.parsed.remedy;
    this.code = fields.parsed.code;
    this.retryAfterMs = fields.retryAfterMs;
    this.rawBody = fields.rawBody;
  }
}

export type NetworkErrorKind = "reset" | "timeout" | "refused" | "dns" | "aborted" | "other";

export class LangSmithNetworkError extends LangSmithError {
  override readonly name = "LangSmithNetworkError";
  readonly kind: NetworkErrorKind;
  /** The low-level code, e.g. `ECONNRESET` or `UND_ERR_SOCKET`. */
  readonly code: string | undefined;
  constructor(message: string, ctx: RequestContext, fields: { kind: NetworkErrorKind; code?: string; cause?: unknown }) {
    super(message, ctx, { cause: fields.cause });
    this.kind = fields.kind;
    this.code = fields.code;
  }
}

export type ResponseErrorKind = "malformed_json" | "schema" | "too_large";

/** LangSmith answered 2xx but the body is not what the contract says, or (`too_large`) any body past the size cap. */
export class LangSmithResponseError extends LangSmithError {
  override readonly name = "LangSmithResponseError";
  readonly kind: ResponseErrorKind;
  readonly status: number;
  /** For `schema`: the dotted path of the first offending field, e.g. `items.3.start_time`. */
  readonly field: string | undefined;
  readonly rawBody: string;
  constructor(
    message: string,
    ctx: RequestContext,
    fields: { kind: ResponseErrorKind; status: number; field?: string; rawBody: string; cause?: unknown },
  ) {
    super(message, ctx, { cause: fields.cause });
    this.kind = fields.kind;
    this.status = fields.status;
    this.field = fields.field;
    this.rawBody = fields.rawBody;
  }
}

/** A cursor loop stopped at its page cap (or the server repeated a cursor). */
export class LangSmithPaginationError extends LangSmithError {
  override readonly name = "LangSmithPaginationError";
  readonly pages: number;
  /** Where to resume, when known. */
  readonly nextCursor: string | undefined;
  constructor(message: string, ctx: RequestContext, fields: { pages: number; nextCursor?: string }) {
    super(message, ctx);
    this.pages = fields.pages;
    this.nextCursor = fields.nextCursor;
  }
}

export const isLangSmithError = (e: unknown): e is LangSmithError => e instanceof LangSmithError;
export const isLangSmithApiError = (e: unknown): e is LangSmithApiError => e instanceof LangSmithApiError;
export const isLangSmithNetworkError = (e: unknown): e is LangSmithNetworkError => e instanceof LangSmithNetworkError;
export const isLangSmithResponseError = (e: unknown): e is LangSmithResponseError => e instanceof LangSmithResponseError;
export const isLangSmithPaginationError = (e: unknown): e is LangSmithPaginationError => e instanceof LangSmithPaginationError;

export const statusText = (status: number): string => STATUS_CODES[status] ?? "Unknown Status";
