import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { scopesOf } from "./access-tokens.js";
import { challenge, OAuthGate } from "./gate.js";
import { IssuerKeys, IssuerUnavailableError, metadataUrls } from "./issuer-keys.js";
import { grantOf, writeToolsCalled } from "./scopes.js";

const SCOPES = { read: "langsmith:read", write: "langsmith:write" };

describe("OAuth resource server pieces", () => {
  it("looks for issuer metadata where RFC 8414 and OpenID Connect Discovery put it", () => {
    expect(metadataUrls("https://login.example.com")).toEqual([
      "https://login.example.com/.well-known/oauth-authorization-server",
      "https://login.example.com/.well-known/openid-configuration",
    ]);
    expect(metadataUrls("https://login.example.com/tenant1/")).toEqual([
      "https://login.example.com/.well-known/oauth-authorization-server/tenant1",
      "https://login.example.com/.well-known/openid-configuration/tenant1",
      "https://login.example.com/tenant1/.well-known/openid-configuration",
    ]);
  });

  it("reads scopes from RFC 9068's space-separated scope claim or an scp array", () => {
    expect(scopesOf({ scope: "langsmith:read  openid" })).toEqual(["langsmith:read", "openid"]);
    expect(scopesOf({ scp: ["langsmith:write", 7] })).toEqual(["langsmith:write"]);
    expect(scopesOf({})).toEqual([]);
  });

  it("grants everything for the write scope, the read tools for the read scope, nothing otherwise", () => {
    expect(grantOf(["langsmith:write"], SCOPES)).toBe("write");
    expect(grantOf(["langsmith:read", "langsmith:write"], SCOPES)).toBe("write");
    expect(grantOf(["langsmith:read"], SCOPES)).toBe("read");
    expect(grantOf(["openid", "langsmith"], SCOPES)).toBe("none");
  });

  it("finds the write tools a request calls, batches included, and the id of the first", () => {
    const call = (id: number, name: string) => ({ jsonrpc: "2.0" as const, id, method: "tools/call", params: { name, arguments: {} } });
    expect(
      writeToolsCalled([call(1, "list_projects"), call(2, "queue_deletion"), call(3, "cancel_export"), call(4, "queue_deletion")]),
    ).toEqual({
      names: ["queue_deletion", "cancel_export"],
      firstId: 2,
    });
    expect(writeToolsCalled([{ jsonrpc: "2.0", id: 1, method: "tools/list" }]).names).toEqual([]);
  });

  it("quotes challenge parameters as RFC 6750 quoted-strings", () => {
    expect(challenge({ error: "invalid_token", error_description: 'a "quoted" \\ value\n' })).toBe(
      'Bearer error="invalid_token", error_description="a \\"quoted\\" \\\\ value "',
    );
  });

  it("serves its metadata at the path-suffixed and root well-known paths only", () => {
    const gate = new OAuthGate({ issuer: "https://login.example.com", resource: "https://mcp.example.com/team/mcp", scopes: SCOPES });
    expect(gate.metadataUrl).toBe("https://mcp.example.com/.well-known/oauth-protected-resource/team/mcp");
    expect(gate.servesMetadataAt("/.well-known/oauth-protected-resource/team/mcp")).toBe(true);
    expect(gate.servesMetadataAt("/.well-known/oauth-protected-resource/")).toBe(true);
    expect(gate.servesMetadataAt("/.well-known/oauth-protected-resource/other")).toBe(false);
    expect(gate.metadata()).toEqual({
      resource: "https://mcp.example.com/team/mcp",
      authorization_servers: ["https://login.example.com"],
      scopes_supported: ["langsmith:read", "langsmith:write"],
      bearer_methods_supported: ["header"],
      resource_name: "LangSmith MCP server",
    });
  });

  it("refuses metadata that names another issuer (RFC 8414 §3.3), and answers 503 while the issuer is out of reach", async () => {
    const http = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ issuer: "https://impostor.example", jwks_uri: "https://impostor.example/jwks" }));
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      const keys = new IssuerKeys(issuer, undefined);
      await expect(keys.keys()).rejects.toThrow(IssuerUnavailableError);
      await expect(keys.keys()).rejects.toThrow(/could not be reached a moment ago/);

      const gate = new OAuthGate({ issuer, resource: "http://127.0.0.1:1/mcp", scopes: SCOPES });
      const verdict = await gate.authenticate("Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
      expect(verdict).toMatchObject({ ok: false, status: 503, headers: { "retry-after": "10" } });
      // What cannot be a signed JWT is refused as such: no key is needed to tell.
      expect(await gate.authenticate("Bearer not-a-jwt")).toMatchObject({ ok: false, status: 401 });
    } finally {
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });

  it("accepts tokens whose iss is the configured issuer but for one trailing slash, as discovery already does", async () => {
    // Auth0 and others name themselves "https://tenant.auth0.com/"; an operator writes it without the slash.
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" };
    const http = createServer((req, res) => {
      const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(req.url === "/jwks" ? { keys: [jwk] } : { issuer: `${base}/`, jwks_uri: `${base}/jwks` }));
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const resource = "http://127.0.0.1:1/mcp";
    const mint = (iss: string) =>
      new SignJWT({ scope: "langsmith:read", sub: "u1" })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer(iss)
        .setAudience(resource)
        .setExpirationTime("5m")
        .sign(privateKey);
    try {
      const gate = new OAuthGate({ issuer, resource, scopes: SCOPES });
      expect(await gate.authenticate(`Bearer ${await mint(`${issuer}/`)}`)).toMatchObject({ ok: true, grant: "read" });
      expect(await gate.authenticate(`Bearer ${await mint(issuer)}`)).toMatchObject({ ok: true, grant: "read" });
      expect(await gate.authenticate(`Bearer ${await mint(`${issuer}/other`)}`)).toMatchObject({ ok: false, status: 401 });
    } finally {
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});
