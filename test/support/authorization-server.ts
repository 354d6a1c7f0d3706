/**
 * A real OAuth 2.1 / OpenID Connect authorization server for the OAuth tests: the certified
 * `oidc-provider` package on loopback, with the client_credentials grant and resource
 * indicators (RFC 8707), issuing JWT access tokens (RFC 9068) whose `aud` is the resource the
 * client asked for. Each client is allowed a set of scopes for any resource; a request for more
 * is narrowed to them, as an authorization server's policy would.
 *
 * oidc-provider warns "Unsupported runtime" on Node 20 but runs; its in-memory adapter is fine
 * for one test file. The signing key is kept so a test can mint tokens the server cannot
 * (expired ones, other issuers) with the issuer's own key.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import Provider from "oidc-provider";

export interface TestClient {
  id: string;
  secret: string;
  /** The scopes this client may get for any resource. */
  scopes: string;
}

export interface RunningAuthorizationServer {
  /** http://127.0.0.1:<port> */
  issuer: string;
  tokenEndpoint: string;
  /** A token by client_credentials, straight from the token endpoint, for `resource`. */
  token(client: TestClient, resource: string, scope?: string): Promise<string>;
  /** A JWT signed with the issuer's own key (same kid) with these claims. */
  signWithIssuerKey(claims: JWTPayload): Promise<string>;
  /** A JWT with the issuer's kid but signed by another key. */
  signWithForeignKey(claims: JWTPayload): Promise<string>;
  close(): Promise<void>;
}

const KID = "test-signing-key";

export async function startAuthorizationServer(clients: readonly TestClient[]): Promise<RunningAuthorizationServer> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const { privateKey: foreignKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: KID, alg: "RS256", use: "sig" };

  // The issuer names the port, which is known only once listening: route to the provider then.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503);
    res.end();
  };
  const http: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const scopesOf = new Map(clients.map((client) => [client.id, client.scopes]));

  const provider = new Provider(issuer, {
    clients: clients.map((client) => ({
      client_id: client.id,
      client_secret: client.secret,
      grant_types: ["client_credentials"],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: "client_secret_basic",
    })),
    jwks: { keys: [jwk] },
    ttl: { ClientCredentials: 600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        getResourceServerInfo: (_ctx, resource, client) => ({
          scope: scopesOf.get(client.clientId) ?? "",
          audience: resource,
          accessTokenFormat: "jwt",
          accessTokenTTL: 600,
          jwt: { sign: { alg: "RS256" } },
        }),
      },
    },
  });
  handle = provider.callback();
  const tokenEndpoint = `${issuer}/token`;

  const sign = (key: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"], claims: JWTPayload) =>
    new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid: KID }).sign(key);

  return {
    issuer,
    tokenEndpoint,
    token: async (client, resource, scope = client.scopes) => {
      const response = await fetch(tokenEndpoint, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ grant_type: "client_credentials", scope, resource }),
      });
      const body = (await response.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    signWithIssuerKey: (claims) => sign(privateKey, claims),
    signWithForeignKey: (claims) => sign(foreignKey, claims),
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
