/**
 * Bearer-token check for the HTTP transport. Both sides are hashed to fixed-length digests
 * before the constant-time comparison, so neither the token's content nor its length leaks
 * through response timing.
 */
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

export type BearerVerdict = "ok" | "missing" | "invalid";

export class BearerAuth {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = digest(token);
  }

  check(authorization: string | undefined): BearerVerdict {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
    if (!match) return authorization ? "invalid" : "missing";
    return timingSafeEqual(digest(match[1]!), this.expected) ? "ok" : "invalid";
  }
}

/** The RFC 6750 challenge for a 401: no error code when the token was simply absent. */
export function bearerChallenge(verdict: Exclude<BearerVerdict, "ok">): string {
  return verdict === "missing"
    ? 'Bearer realm="langsmith-mcp"'
    : 'Bearer realm="langsmith-mcp", error="invalid_token", error_description="The bearer token is not valid"';
}
