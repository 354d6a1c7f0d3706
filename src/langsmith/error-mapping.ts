/**
 * Turns what came back from LangSmith (a status and body, or a low-level socket error) into
 * the typed errors of errors.ts with agent-facing messages. Pure functions: the client hands
 * in the redactor so no secret reaches a message or a stored body.
 */
import {
  type ApiErrorKind,
  apiErrorKind,
  LangSmithApiError,
  LangSmithNetworkError,
  type NetworkErrorKind,
  ORG_SCOPED_KEY_REQUIRES_WORKSPACE,
  type ParsedErrorBody,
  type RequestContext,
  statusText,
} from "./errors.js";

/** Raw bodies kept on errors are cut here: enough for a log line, not a memory hazard. */
export const RAW_BODY_LIMIT = 2048;

/** Details longer than this are cut in messages: an agent needs the gist, not a page of HTML. */
const DETAIL_LIMIT = 500;

export type Redactor = (text: string) => string;

const oneLine = (s: string): string => s.replace(/\s+/g, " ").trim();
const cut = (s: string, limit: number): string => (s.length > limit ? `${s.slice(0, limit)}…` : s);

export function truncateBody(body: string, redact: Redactor): string {
  return redact(cut(body, RAW_BODY_LIMIT));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? oneLine(v) : undefined);

/** FastAPI 422 items `{loc: ["body", "field"], msg}` become `body.field: msg`. */
function flattenValidationItems(items: readonly unknown[]): string {
  return items
    .map((item) => {
      if (!isRecord(item)) return typeof item === "string" ? item : JSON.stringify(item);
      const loc = Array.isArray(item.loc) ? item.loc.map(String).join(".") : undefined;
      const msg = str(item.msg) ?? str(item.message) ?? "invalid";
      return loc ? `${loc}: ${msg}` : msg;
    })
    .join("; ");
}

/**
 * Reads every error body shape of contract §1: v1 `{detail}`, v1 422 `{detail: [{loc, msg}]}`,
 * v2 RFC 7807 `{title, detail, remedy}`, `{error: code}`; HTML from a proxy is reduced to its
 * title; other text to its first line.
 */
export function parseErrorBody(body: string): ParsedErrorBody {
  const trimmed = body.trim();
  if (!trimmed) return {};
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(trimmed)?.[1];
    if (title !== undefined) return title.trim() ? { detail: oneLine(title) } : {};
    if (/^<(!doctype|html)/i.test(trimmed)) return {};
    return { detail: cut(oneLine(trimmed), DETAIL_LIMIT) };
  }
  if (!isRecord(json)) return typeof json === "string" && json.trim() ? { detail: oneLine(json) } : {};

  const parsed: ParsedErrorBody = {};
  if (Array.isArray(json.detail)) parsed.detail = flattenValidationItems(json.detail);
  else if (str(json.detail)) parsed.detail = str(json.detail);
  else if (isRecord(json.detail)) parsed.detail = JSON.stringify(json.detail);
  const title = str(json.title);
  if (title) parsed.title = title;
  const remedy = str(json.remedy);
  if (remedy) parsed.remedy = remedy;
  const code = str(json.error) ?? str(json.code);
  if (code) parsed.code = code;
  parsed.detail ??= str(json.message) ?? title ?? code;
  if (parsed.detail) parsed.detail = cut(parsed.detail, DETAIL_LIMIT);
  return parsed;
}

/** Where the server's own key is set: what a 401 tells the user to check by default. */
export const SERVER_KEY_SOURCE = "LANGSMITH_API_KEY";

/** The 401 hint, naming where the rejected key came from (`keySource`). */
const authHint = (keySource: string): string =>
  `LangSmith rejected the API key (401). Check ${keySource}: it must be a valid, unrevoked key for this endpoint's region ` +
  "(EU keys only work on eu.api.smith.langchain.com).";

/** What to do next, by kind; agent-facing. The 401 hint is {@link authHint}. */
const API_ERROR_HINTS: Readonly<Record<Exclude<ApiErrorKind, "auth">, string>> = Object.freeze({
  forbidden:
    "The API key's role or the organization's plan does not allow this call (403). Ask a workspace admin for the permission, or check " +
    "the plan (bulk exports need Plus or Enterprise).",
  not_found: "Check the id, and that it belongs to the workspace this API key is used with (LANGSMITH_WORKSPACE_ID).",
  conflict: "The resource is in a state that does not allow this change; re-read it and decide again.",
  validation: "Correct the request as described and send it again.",
  rate_limited: "LangSmith rate-limited this API key.",
  server: "LangSmith had a server-side problem; try again in a minute.",
  client: "LangSmith refused the request.",
});

const ORG_SCOPED_HINT =
  "The API key is organization-scoped: set LANGSMITH_WORKSPACE_ID to the workspace id (sent as X-Tenant-Id) and try again.";

const attemptsSuffix = (attempts: number): string => (attempts > 1 ? ` after ${attempts} attempts` : "");
const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);

function kindHint(kind: ApiErrorKind, parsed: ParsedErrorBody, retryAfterMs: number | undefined, keySource: string): string {
  if (kind === "auth") return authHint(keySource);
  if (
    kind === "forbidden" &&
    (parsed.code === ORG_SCOPED_KEY_REQUIRES_WORKSPACE || parsed.detail?.includes(ORG_SCOPED_KEY_REQUIRES_WORKSPACE))
  ) {
    return ORG_SCOPED_HINT;
  }
  if (kind === "rate_limited") {
    const wait = retryAfterMs === undefined ? "a few seconds" : `${Math.max(1, Math.ceil(retryAfterMs / 1000))} s`;
    return `${API_ERROR_HINTS.rate_limited} Retry after ${wait}.`;
  }
  return API_ERROR_HINTS[kind];
}

/**
 * The typed error for a non-2xx answer. `keySource` says where the key in use was set, so a
 * 401 names it: {@link SERVER_KEY_SOURCE} by default, the request header for a caller's own key.
 */
export function makeApiError(
  ctx: RequestContext,
  response: { status: number; body: string; retryAfterMs?: number },
  redact: Redactor,
  keySource: string = SERVER_KEY_SOURCE,
): LangSmithApiError {
  const { status, retryAfterMs } = response;
  const parsed = parseErrorBody(response.body);
  const kind = apiErrorKind(status);
  const reason = parsed.detail ?? parsed.title ?? statusText(status);
  const parts = [`${ctx.method} ${ctx.path} → ${status} ${statusText(status)}${attemptsSuffix(ctx.attempts)}: ${sentence(reason)}`];
  if (parsed.remedy) parts.push(`Remedy: ${sentence(parsed.remedy)}`);
  parts.push(kindHint(kind, parsed, retryAfterMs, keySource));
  const redactedParsed: ParsedErrorBody = {};
  for (const key of ["detail", "title", "remedy", "code"] as const) {
    const value = parsed[key];
    if (value !== undefined) redactedParsed[key] = redact(value);
  }
  return new LangSmithApiError(redact(parts.join(" ")), ctx, {
    status,
    parsed: redactedParsed,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    rawBody: truncateBody(response.body, redact),
  });
}

/** Low-level codes (node, undici) → network error kind. */
export const NETWORK_ERROR_KIND_BY_CODE: Readonly<Record<string, NetworkErrorKind>> = Object.freeze({
  ECONNRESET: "reset",
  EPIPE: "reset",
  ECONNABORTED: "reset",
  UND_ERR_SOCKET: "reset",
  UND_ERR_CLOSED: "reset",
  ETIMEDOUT: "timeout",
  UND_ERR_CONNECT_TIMEOUT: "timeout",
  UND_ERR_HEADERS_TIMEOUT: "timeout",
  UND_ERR_BODY_TIMEOUT: "timeout",
  ECONNREFUSED: "refused",
  EHOSTUNREACH: "refused",
  ENETUNREACH: "refused",
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  UND_ERR_ABORTED: "aborted",
  ABORT_ERR: "aborted",
});

/** Finds the first code we know in an error, its causes, or an AggregateError's members. */
function findCode(err: unknown, depth = 0): string | undefined {
  if (!isRecord(err) || depth > 5) return undefined;
  const code = typeof err.code === "string" ? err.code : undefined;
  if (code && code in NETWORK_ERROR_KIND_BY_CODE) return code;
  if (err.name === "AbortError") return "ABORT_ERR";
  if (Array.isArray(err.errors)) {
    for (const inner of err.errors) {
      const found = findCode(inner, depth + 1);
      if (found) return found;
    }
  }
  const fromCause = findCode(err.cause, depth + 1);
  if (fromCause) return fromCause;
  if (code) return code;
  const message = typeof err.message === "string" ? err.message : "";
  if (/other side closed|socket hang up|socket closed/i.test(message)) return "UND_ERR_SOCKET";
  return undefined;
}

export function classifyNetworkError(err: unknown): { kind: NetworkErrorKind; code: string | undefined } {
  const code = findCode(err);
  return { kind: (code && NETWORK_ERROR_KIND_BY_CODE[code]) || "other", code };
}

const NETWORK_DESCRIPTIONS: Readonly<Record<NetworkErrorKind, (code: string | undefined, timeoutMs: number, host: string) => string>> =
  Object.freeze({
    reset: (code) => `the connection to LangSmith was reset${code ? ` (${code})` : ""}`,
    timeout: (_code, timeoutMs) => `no complete response from LangSmith within ${timeoutMs / 1000} s (timeout)`,
    refused: (code, _t, host) => `could not connect to ${host}${code ? ` (${code})` : ""}`,
    dns: (_code, _t, host) => `could not resolve ${host}`,
    aborted: () => "cancelled by the caller",
    other: (code) => `network error${code ? ` (${code})` : ""}`,
  });

const NETWORK_HINTS: Readonly<Record<NetworkErrorKind, string>> = Object.freeze({
  reset: "This is usually transient; try again.",
  timeout: "Try again, or narrow the request (shorter time range, smaller page_size, fewer selects).",
  refused: "Check LANGSMITH_ENDPOINT and that the LangSmith API is reachable from this machine.",
  dns: "Check the host name in LANGSMITH_ENDPOINT.",
  aborted: "",
  other: "Check network connectivity to LANGSMITH_ENDPOINT.",
});

export function makeNetworkError(
  ctx: RequestContext,
  err: unknown,
  fields: { kind: NetworkErrorKind; code: string | undefined; timeoutMs: number; host: string },
  redact: Redactor,
): LangSmithNetworkError {
  const what = NETWORK_DESCRIPTIONS[fields.kind](fields.code, fields.timeoutMs, fields.host);
  const hint = NETWORK_HINTS[fields.kind];
  const message = `${ctx.method} ${ctx.path} → ${what}${attemptsSuffix(ctx.attempts)}.${hint ? ` ${hint}` : ""}`;
  return new LangSmithNetworkError(redact(message), ctx, {
    kind: fields.kind,
    ...(fields.code !== undefined ? { code: fields.code } : {}),
    cause: err,
  });
}
