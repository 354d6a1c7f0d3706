/**
 * OAuth 2.1 for the MCP endpoint, the resource-server half the MCP authorization spec
 * (revisions 2025-11-25 and 2026-07-28) describes:
 * - Protected Resource Metadata (RFC 9728) at `/.well-known/oauth-protected-resource` and its
 *   path-suffixed form for the MCP URL, naming the authorization server and the scopes;
 * - 401 with `WWW-Authenticate: Bearer resource_metadata="…"` for a request without a token
 *   (RFC 6750 §3.1: no error code then), `error="invalid_token"` for a bad one;
 * - 403 `insufficient_scope` with the `scope` needed for a token that may not do what the
 *   request asks (no usable scope at all, or a write tool called with the read scope);
 * - 503 when the authorization server's keys cannot be fetched (the token may be fine).
 * Token checks (signature, issuer, expiry, audience) are JwtAccessTokens'.
 */
import {
  getOAuthProtectedResourceMetadataUrl,
  OAuthError,
  OAuthErrorCode,
  type JSONRPCMessage,
  type OAuthProtectedResourceMetadata,
} from "@modelcontextprotocol/server";
import { JwtAccessTokens, type TokenSubject } from "./access-tokens.js";
import { IssuerUnavailableError } from "./issuer-keys.js";
import { grantOf, writeToolsCalled, type Grant, type ScopeNames } from "./scopes.js";

export const PROTECTED_RESOURCE_PATH = "/.well-known/oauth-protected-resource";

/** The refusal reason of a request that carries no token at all. */
export const NO_TOKEN = "no token";

export interface OAuthGateOptions {
  issuer: string;
  /** This server's public MCP URL (the resource identifier and the tokens' audience). */
  resource: string;
  jwksUrl?: string;
  scopes: ScopeNames;
  now?: () => number;
}

/** A request whose token passed. */
export interface OAuthPass {
  ok: true;
  subject: TokenSubject;
  grant: Exclude<Grant, "none">;
}

/** A refusal, ready to send: status, the challenge header, the reason for the log and the client. */
export interface OAuthRefusal {
  ok: false;
  status: 401 | 403 | 503;
  headers: Record<string, string>;
  message: string;
  /** For the log: never the token. */
  reason: string;
  /** The JSON-RPC id to answer with, when the refusal is about one request of the body. */
  id?: string | number | null;
}

export class OAuthGate {
  readonly metadataUrl: string;
  private readonly tokens: JwtAccessTokens;
  private readonly metadataPaths: ReadonlySet<string>;

  constructor(private readonly options: OAuthGateOptions) {
    this.tokens = new JwtAccessTokens(options);
    this.metadataUrl = getOAuthProtectedResourceMetadataUrl(new URL(options.resource));
    // The path-suffixed location clients derive from the resource URL first, then the root one
    // (RFC 9728 §3.1; the MCP spec's fallback order).
    this.metadataPaths = new Set([new URL(this.metadataUrl).pathname, PROTECTED_RESOURCE_PATH]);
  }

  /** Whether `path` is where this server publishes its Protected Resource Metadata. */
  servesMetadataAt(path: string): boolean {
    return this.metadataPaths.has(path.length > 1 ? path.replace(/\/$/, "") : path);
  }

  /** The RFC 9728 document. */
  metadata(): OAuthProtectedResourceMetadata {
    return {
      resource: this.options.resource,
      authorization_servers: [this.options.issuer],
      scopes_supported: [this.options.scopes.read, this.options.scopes.write],
      bearer_methods_supported: ["header"],
      resource_name: "LangSmith MCP server",
    };
  }

  /** Checks the Authorization header of a request to the MCP endpoint. */
  async authenticate(authorization: string | undefined): Promise<OAuthPass | OAuthRefusal> {
    if (!authorization) {
      return {
        ok: false,
        status: 401,
        headers: { "www-authenticate": challenge({ resource_metadata: this.metadataUrl }) },
        message:
          `Unauthorized: send Authorization: Bearer <access token> from ${this.options.issuer}; ` +
          `${this.metadataUrl} describes how to get one.`,
        reason: NO_TOKEN,
      };
    }
    let scopes: string[];
    let subject: TokenSubject;
    try {
      // Not the SDK's verifyBearerToken: it checks `exp` again with no clock tolerance.
      const token = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1];
      if (!token) throw new OAuthError(OAuthErrorCode.InvalidToken, "Send the access token as Authorization: Bearer <token>");
      const info = await this.tokens.verifyAccessToken(token);
      scopes = info.scopes;
      subject = info.extra!.subject as TokenSubject;
    } catch (error) {
      if (error instanceof IssuerUnavailableError) {
        return {
          ok: false,
          status: 503,
          headers: { "retry-after": "10" },
          message:
            "Service Unavailable: access tokens cannot be checked now (the authorization server's keys are out of reach); retry shortly.",
          reason: error.message,
        };
      }
      const description = error instanceof OAuthError ? error.message : "The access token could not be checked";
      return {
        ok: false,
        status: 401,
        headers: {
          "www-authenticate": challenge({ error: "invalid_token", error_description: description, resource_metadata: this.metadataUrl }),
        },
        message: `Unauthorized: ${description}.`,
        reason: description,
      };
    }
    const grant = grantOf(scopes, this.options.scopes);
    if (grant === "none") {
      return this.insufficient(
        this.options.scopes.read,
        `the access token has neither the ${this.options.scopes.read} nor the ${this.options.scopes.write} scope`,
      );
    }
    return { ok: true, subject, grant };
  }

  /** A 403 when the request calls a tool its grant does not offer; undefined when it may go on. */
  scopeRefusal(pass: OAuthPass, messages: readonly JSONRPCMessage[]): OAuthRefusal | undefined {
    if (pass.grant === "write") return undefined;
    const { names: tools, firstId } = writeToolsCalled(messages);
    if (tools.length === 0) return undefined;
    const one = tools.length === 1;
    const refusal = this.insufficient(
      this.options.scopes.write,
      `${tools.join(", ")} change${one ? "s" : ""} data and need${one ? "s" : ""} the ` +
        `${this.options.scopes.write} scope; this access token has only ${this.options.scopes.read}`,
    );
    return { ...refusal, id: firstId };
  }

  private insufficient(scope: string, why: string): OAuthRefusal {
    const error = new OAuthError(OAuthErrorCode.InsufficientScope, why);
    return {
      ok: false,
      status: 403,
      headers: {
        "www-authenticate": challenge({
          error: error.code,
          error_description: why,
          scope,
          resource_metadata: this.metadataUrl,
        }),
      },
      message: `Forbidden: ${why}; ask the authorization server for a token with ${scope}.`,
      reason: why,
    };
  }
}

/**
 * A `Bearer` challenge (RFC 6750 §3): each value a quoted-string, `\` and `"` escaped and
 * characters outside printable ASCII replaced, as the SDK's own challenges do.
 */
export function challenge(params: Record<string, string>): string {
  const quoted = (value: string) => value.replaceAll(/[\\"]/g, "\\$&").replaceAll(/[^\x20-\x7e]/g, " ");
  return `Bearer ${Object.entries(params)
    .map(([name, value]) => `${name}="${quoted(value)}"`)
    .join(", ")}`;
}
