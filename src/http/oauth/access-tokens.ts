/**
 * Validates OAuth access tokens in the JWT format (RFC 9068) as the MCP authorization spec asks
 * of a resource server: the signature against the issuer's published keys, the issuer, the
 * expiry (with a small clock tolerance) and the audience, which must be this server's resource
 * URL (RFC 8707), so a token minted for another service is refused here. Implements the SDK's
 * OAuthTokenVerifier interface.
 *
 * The token itself is never logged or put in an error message; the descriptions below go to
 * the client in `WWW-Authenticate` and to the log.
 */
import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokenVerifier } from "@modelcontextprotocol/server";
import { IssuerKeys, IssuerUnavailableError } from "./issuer-keys.js";

/** Clocks of the issuer and this server may disagree this much (seconds) on exp and nbf. */
export const CLOCK_TOLERANCE_S = 30;

/** Public-key algorithms only: a JWKS never holds the shared secret an HS* token would need. */
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];

/** Who a verified token speaks for, kept on AuthInfo.extra. */
export interface TokenSubject {
  issuer: string;
  /** `sub`, or the client id for a token without one. */
  subject: string;
}

export interface AccessTokenOptions {
  issuer: string;
  /** This server's resource URL: the audience every token must carry. */
  resource: string;
  jwksUrl?: string;
  now?: () => number;
}

export class JwtAccessTokens implements OAuthTokenVerifier {
  private readonly keys: IssuerKeys;

  constructor(private readonly options: AccessTokenOptions) {
    this.keys = new IssuerKeys(options.issuer, options.jwksUrl, options.now);
  }

  /**
   * The token's AuthInfo (scopes, client, expiry, resource, and TokenSubject in `extra`).
   * Throws OAuthError(invalid_token) with a description of what is wrong, or
   * IssuerUnavailableError when the issuer's keys cannot be fetched.
   */
  async verifyAccessToken(token: string): Promise<AuthInfo> {
    let payload: JWTPayload;
    try {
      // The keys are asked for only once the token parses as a JWS of an accepted algorithm:
      // junk is refused as junk (401), even while the issuer is out of reach (503).
      const keys: JWTVerifyGetKey = async (header, input) => (await this.keys.keys())(header, input);
      ({ payload } = await jwtVerify(token, keys, {
        issuer: issuerForms(this.options.issuer),
        audience: this.options.resource,
        clockTolerance: CLOCK_TOLERANCE_S,
        algorithms: ALGORITHMS,
        requiredClaims: ["exp"],
        ...(this.options.now && { currentDate: new Date(this.options.now()) }),
      }));
    } catch (error) {
      throw this.refusal(error);
    }
    const clientId = stringClaim(payload, "client_id") ?? stringClaim(payload, "azp") ?? "";
    const subject: TokenSubject = { issuer: this.options.issuer, subject: payload.sub ?? clientId };
    return {
      token,
      clientId,
      scopes: scopesOf(payload),
      expiresAt: payload.exp,
      resource: new URL(this.options.resource),
      extra: { subject },
    };
  }

  private refusal(error: unknown): Error {
    if (error instanceof IssuerUnavailableError) return error;
    if (error instanceof joseErrors.JWKSTimeout)
      return new IssuerUnavailableError(`the authorization server's keys did not arrive in time`);
    if (error instanceof joseErrors.JWTExpired) return invalid("The access token has expired; get a new one");
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      switch (error.claim) {
        case "aud":
          return invalid(`The access token was issued for another resource; ask for one with resource=${this.options.resource}`);
        case "iss":
          return invalid(`The access token was issued by another authorization server; this server accepts ${this.options.issuer}`);
        case "nbf":
        case "iat":
          return invalid("The access token is not valid yet; check the clocks");
        default:
          return invalid(`The access token's ${error.claim} claim is not acceptable`);
      }
    }
    if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWSSignatureVerificationFailed) {
      return invalid("The access token's signature does not match the authorization server's keys");
    }
    if (error instanceof joseErrors.JOSEAlgNotAllowed)
      return invalid("The access token is signed with an algorithm this server does not accept");
    if (error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JOSENotSupported) {
      return invalid("The access token is not a signed JWT");
    }
    // The key set could not be fetched or read: the token may be fine, this server cannot tell.
    return new IssuerUnavailableError(
      `the authorization server's keys could not be read (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/**
 * The configured issuer with and without one trailing slash: discovery already takes metadata
 * naming either form (issuer-keys.ts), so tokens of that issuer must pass too. Providers such as
 * Auth0 name themselves with the slash; operators often write the URL without it.
 */
const issuerForms = (issuer: string): string[] => {
  const bare = issuer.replace(/\/$/, "");
  return [bare, `${bare}/`];
};

const invalid = (description: string): OAuthError => new OAuthError(OAuthErrorCode.InvalidToken, description);

const stringClaim = (payload: JWTPayload, name: string): string | undefined =>
  typeof payload[name] === "string" ? (payload[name] as string) : undefined;

/** RFC 9068's space-separated `scope`, or the `scp` array (or string) some issuers send instead. */
export function scopesOf(payload: JWTPayload): string[] {
  const raw = payload["scope"] ?? payload["scp"];
  const list = typeof raw === "string" ? raw.split(" ") : Array.isArray(raw) ? raw.filter((s) => typeof s === "string") : [];
  return list.filter(Boolean);
}
