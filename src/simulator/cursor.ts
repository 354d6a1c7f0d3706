/**
 * Opaque page cursors: base64url(JSON position) + "." + base64url(HMAC). The position is the
 * last (start_time, id) returned, the sort order, the resolved time window, and a
 * fingerprint of the query, so a tampered cursor, one minted by another simulator, or one
 * reused with a different query is rejected instead of silently skipping or repeating runs.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export interface CursorPosition {
  /** Which endpoint minted it (cursors of different endpoints are not interchangeable). */
  api: "v1" | "v2" | "threads" | "thread_traces";
  fingerprint: string;
  order: "asc" | "desc";
  startTime: number;
  id: string;
  /** The resolved time window of the first page, so a moving clock cannot shift later pages. */
  min: number | null;
  max: number | null;
}

export class CursorCodec {
  constructor(private readonly secret: Buffer) {}

  encode(position: CursorPosition): string {
    const payload = Buffer.from(JSON.stringify(position)).toString("base64url");
    return `${payload}.${this.sign(payload)}`;
  }

  /** The position, or undefined when the cursor is not one this simulator minted for this query. */
  decode(cursor: string, api: CursorPosition["api"], fingerprint: string): CursorPosition | undefined {
    const [payload, signature, extra] = cursor.split(".");
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const position = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as CursorPosition;
      if (position.api !== api || position.fingerprint !== fingerprint) return undefined;
      return position;
    } catch {
      return undefined;
    }
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.secret).update(payload).digest("base64url").slice(0, 22);
  }
}

/** A stable digest of the query-defining fields (key order does not matter). */
export function fingerprint(fields: Record<string, unknown>): string {
  return createHash("sha256").update(canonicalJson(fields)).digest("hex").slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
