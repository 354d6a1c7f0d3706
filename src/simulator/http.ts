/**
 * Request and reply plumbing shared by all route tables: the reply value handlers return,
 * the error they throw, body reading with a size limit, and the two error dialects
 * (v1 FastAPI `{"detail"}` / 422 lists, v2 RFC 7807 problem details).
 */
import type { IncomingMessage } from "node:http";
import { STATUS_CODES } from "node:http";

export interface Reply {
  status: number;
  /** JSON-serialised unless `raw` is set. */
  body?: unknown;
  /** A pre-rendered body (HTML error pages, truncated JSON). */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Why this reply deliberately goes beyond the published spec (shown to `onResponse`). */
  offSpec?: string;
}

export const json = (body: unknown, status = 200, headers?: Record<string, string>): Reply => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});

/** Thrown by handlers and helpers; the server turns it into its reply. */
export class HttpError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

/** v1 (FastAPI) error: `{"detail": "..."}`. */
export const v1Error = (status: number, detail: string): HttpError => new HttpError(json({ detail }, status));

export interface ValidationIssue {
  loc: Array<string | number>;
  msg: string;
  type: string;
}

/** v1 validation error, FastAPI's 422 list. */
export const v1Validation = (...issues: ValidationIssue[]): HttpError => new HttpError(json({ detail: issues }, 422));

/** v2 error: RFC 7807 problem details plus LangSmith's `remedy`. */
export function problem(status: number, detail: string, instance: string, remedy: string): HttpError {
  return new HttpError({
    status,
    contentType: "application/problem+json",
    body: { type: "about:blank", title: STATUS_CODES[status] ?? "Error", status, detail, instance, remedy },
  });
}

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export type BodyResult = { kind: "empty" } | { kind: "ok"; value: unknown } | { kind: "invalid"; message: string } | { kind: "too_large" };

/** Reads the whole body (up to the limit, then drains the rest) and parses it as JSON. */
export function readJsonBody(req: IncomingMessage): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", () => resolve({ kind: "invalid", message: "request body could not be read" }));
    req.on("end", () => {
      if (tooLarge) return resolve({ kind: "too_large" });
      const text = Buffer.concat(chunks).toString("utf8");
      if (text.trim() === "") return resolve({ kind: "empty" });
      try {
        resolve({ kind: "ok", value: JSON.parse(text) as unknown });
      } catch (e) {
        resolve({ kind: "invalid", message: e instanceof Error ? e.message : "invalid JSON" });
      }
    });
  });
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === "string" && UUID_PATTERN.test(v);

/** RFC3339 / ISO 8601 date-time to epoch ms; undefined when it does not parse. */
export function parseTime(v: unknown): number | undefined {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}(T|\s|$)/.test(v)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(v) || !v.includes("T");
  const ms = Date.parse(hasZone ? v : `${v}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * RFC3339 / ISO 8601 date-time to epoch microseconds, keeping up to six fractional digits
 * (more are cut, as Python's datetime does); undefined when it does not parse.
 */
export function parseTimeMicros(v: unknown): number | undefined {
  if (typeof v !== "string") return undefined;
  const m = /^([^.,]*)(?:[.,](\d+))?((?:Z|[+-]\d{2}:?\d{2})?)$/i.exec(v.trim());
  if (!m) return undefined;
  const ms = parseTime(`${m[1]}${m[3]}`);
  if (ms === undefined) return undefined;
  const fraction = (m[2] ?? "").slice(0, 6).padEnd(6, "0");
  return ms * 1000 + Number(fraction);
}
