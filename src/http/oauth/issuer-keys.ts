/**
 * The authorization server's signing keys: its JWKS, found from its metadata (RFC 8414
 * `/.well-known/oauth-authorization-server`, then OpenID Connect Discovery
 * `/.well-known/openid-configuration`) or configured (--oauth-jwks-url). Looked up on the first
 * token, not at startup, so the server starts while the authorization server is down; the key
 * set itself is jose's remote JWKS, cached and refetched when a token names an unknown key id
 * (key rotation), at most once per cooldown.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";

/** Each discovery or JWKS request gives up after this long. */
const FETCH_TIMEOUT_MS = 10_000;
/** A failed discovery is not retried for this long: a burst of requests is one lookup, not hundreds. */
const FAILURE_COOLDOWN_MS = 10_000;
/** jose refetches the key set no more often than this when a token names an unknown key. */
const JWKS_COOLDOWN_MS = 30_000;
/** Keys are refetched at least this often, so a removed (compromised) key stops verifying. */
const JWKS_MAX_AGE_MS = 10 * 60_000;

/** The authorization server could not be asked for its keys: no token can be checked now. */
export class IssuerUnavailableError extends Error {
  override readonly name = "IssuerUnavailableError";
}

/**
 * Where an issuer's metadata may be, in the order RFC 8414 §3.1 and the MCP authorization spec
 * try them: the well-known suffix inserted before the issuer's path, then OpenID Connect's
 * appended after it.
 */
export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
  const urls = [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}/.well-known/openid-configuration${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
  return [...new Set(urls)];
}

/** Issuer identifiers compare as strings (RFC 8414 §3.3), one trailing slash aside. */
const sameIssuer = (a: string, b: string): boolean => a.replace(/\/$/, "") === b.replace(/\/$/, "");

export class IssuerKeys {
  private pending: Promise<JWTVerifyGetKey> | undefined;
  private failedAt = 0;

  constructor(
    readonly issuer: string,
    private readonly jwksUrl: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key resolver for jose's jwtVerify; rejects with IssuerUnavailableError. */
  keys(): Promise<JWTVerifyGetKey> {
    if (this.pending) return this.pending;
    if (this.now() - this.failedAt < FAILURE_COOLDOWN_MS) {
      return Promise.reject(new IssuerUnavailableError(`the authorization server ${this.issuer} could not be reached a moment ago`));
    }
    const pending = this.discover();
    this.pending = pending;
    pending.catch(() => {
      this.pending = undefined;
      this.failedAt = this.now();
    });
    return pending;
  }

  private async discover(): Promise<JWTVerifyGetKey> {
    const jwksUri = this.jwksUrl ?? (await this.discoverJwksUri());
    return createRemoteJWKSet(new URL(jwksUri), {
      timeoutDuration: FETCH_TIMEOUT_MS,
      cooldownDuration: JWKS_COOLDOWN_MS,
      cacheMaxAge: JWKS_MAX_AGE_MS,
    });
  }

  private async discoverJwksUri(): Promise<string> {
    const tried: string[] = [];
    for (const url of metadataUrls(this.issuer)) {
      let response: Response;
      try {
        response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      } catch (error) {
        tried.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        tried.push(`${url}: HTTP ${response.status}`);
        continue;
      }
      const metadata = (await response.json().catch(() => undefined)) as { issuer?: unknown; jwks_uri?: unknown } | undefined;
      // A document naming another issuer is not this issuer's (RFC 8414 §3.3: mix-up defence).
      if (typeof metadata?.issuer !== "string" || !sameIssuer(metadata.issuer, this.issuer)) {
        tried.push(`${url}: names issuer ${JSON.stringify(metadata?.issuer)}, not ${this.issuer}`);
        continue;
      }
      if (typeof metadata.jwks_uri !== "string" || !URL.canParse(metadata.jwks_uri)) {
        tried.push(`${url}: has no jwks_uri`);
        continue;
      }
      return metadata.jwks_uri;
    }
    throw new IssuerUnavailableError(`no metadata with signing keys found for ${this.issuer} (${tried.join("; ")}); set --oauth-jwks-url`);
  }
}
