/**
 * OAuth 2.1 for the MCP endpoint, end to end: a real authorization server (oidc-provider on
 * loopback, client_credentials, resource indicators, JWT access tokens), the built server in
 * HTTP mode as its resource server, and the MCP SDK client's own OAuth support
 * (ClientCredentialsProvider): discovery from the 401's resource_metadata, token, calls.
 * Expected values come from the specs (RFC 9728, RFC 6750, RFC 8707, the MCP authorization
 * spec) and the tool annotations, written here by hand.
 */
import { Client, ClientCredentialsProvider, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthorizationServer, type RunningAuthorizationServer, type TestClient } from "../support/authorization-server.js";
import { callTool, INITIALIZE, rawPost, rawRequest, spawnHttpServer, startHttpStack, type HttpStack } from "../support/http-stack.js";
import { clientProtocolOptions, type Protocol } from "../support/protocols.js";
import { modernCaller } from "../support/tasks-wire.js";
import { destinationArgs } from "../support/tool-flows.js";

const WRITER: TestClient = { id: "agent-writer", secret: "writer-secret-0123456789abcdef", scopes: "langsmith:read langsmith:write" };
const READER: TestClient = { id: "agent-reader", secret: "reader-secret-0123456789abcdef", scopes: "langsmith:read" };
const OUTSIDER: TestClient = { id: "agent-outsider", secret: "outsider-secret-0123456789abcd", scopes: "" };
/** For the server started with its own scope names. */
const CUSTOM_READER: TestClient = { id: "agent-custom", secret: "custom-secret-0123456789abcdef", scopes: "mcp.read" };

/** The tools whose readOnlyHint is false (create, cancel, rotate, purge), from their definitions. */
const WRITE_TOOLS = ["cancel_export", "create_destination", "create_export", "queue_deletion", "rotate_destination_credentials"];

const LIST_TOOLS = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} });

describe("OAuth sign-in: the HTTP server as an OAuth resource server", () => {
  let as: RunningAuthorizationServer;
  let stack: HttpStack;
  const clients: Client[] = [];
  const issued: string[] = [];

  beforeAll(async () => {
    as = await startAuthorizationServer([WRITER, READER, OUTSIDER, CUSTOM_READER]);
    stack = await startHttpStack({ args: ["--oauth-issuer", as.issuer] });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await stack?.close();
    await as?.close();
  });

  /** An SDK client that signs in by itself: it knows only the MCP URL and its credentials. */
  const connectAs = async (credentials: TestClient, url = stack.server.url, protocol?: Protocol): Promise<Client> => {
    const provider = new ClientCredentialsProvider({
      clientId: credentials.id,
      clientSecret: credentials.secret,
      expectedIssuer: as.issuer,
    });
    const client = new Client({ name: "oauth-e2e", version: "1.0.0" }, clientProtocolOptions(protocol));
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }));
    clients.push(client);
    const token = provider.tokens()?.access_token;
    if (token) issued.push(token);
    return client;
  };

  const tokenFor = async (credentials: TestClient, resource = stack.server.url) => {
    const token = await as.token(credentials, resource);
    issued.push(token);
    return token;
  };

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const now = () => Math.floor(Date.now() / 1000);

  it("publishes Protected Resource Metadata at the path-suffixed and the root well-known URLs", async () => {
    const expected = {
      resource: stack.server.url,
      authorization_servers: [as.issuer],
      scopes_supported: ["langsmith:read", "langsmith:write"],
      bearer_methods_supported: ["header"],
    };
    for (const path of ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]) {
      const res = await rawRequest(`${stack.server.origin}${path}`, { method: "GET" });
      expect(res.status, path).toBe(200);
      expect(res.json(), path).toMatchObject(expected);
      expect(res.headers["access-control-allow-origin"], path).toBe("*");
    }
  });

  it("answers a request without a token with 401 and a challenge naming the resource metadata, no error code", async () => {
    const res = await rawPost(stack.server.url, INITIALIZE);
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toBe(
      `Bearer resource_metadata="${stack.server.origin}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(res.json().error.message).toContain(as.issuer);
  });

  it("lets the SDK client discover the authorization server, get a token and call a tool; the write scope offers every tool", async () => {
    const client = await connectAs(WRITER);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    for (const name of [...WRITE_TOOLS, "list_projects", "query_runs"]) expect(names).toContain(name);
    const projects = await callTool(client, "list_projects");
    expect(projects.isError).toBeFalsy();
    expect(JSON.stringify(projects.structuredContent)).toContain("id");
  });

  it("offers only the read tools to a token with the read scope, and refuses its write call with 403 insufficient_scope", async () => {
    const client = await connectAs(READER);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain("list_projects");
    for (const name of WRITE_TOOLS) expect(names).not.toContain(name);
    expect((await callTool(client, "list_projects")).isError).toBeFalsy();
    // The SDK tries step-up authorization; the authorization server does not widen this client's scopes.
    await expect(callTool(client, "cancel_export", { export_id: "00000000-0000-4000-8000-000000000000" })).rejects.toThrow(
      /403 insufficient_scope after step-up/,
    );

    const token = await tokenFor(READER);
    const call = JSON.stringify({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "cancel_export", arguments: { export_id: "00000000-0000-4000-8000-000000000000" } },
    });
    const res = await rawPost(stack.server.url, call, { ...bearer(token), "mcp-protocol-version": "2025-11-25" });
    expect(res.status).toBe(403);
    const challenge = res.headers["www-authenticate"] as string;
    expect(challenge).toMatch(/^Bearer error="insufficient_scope"/);
    expect(challenge).toContain('scope="langsmith:write"');
    expect(challenge).toContain(`resource_metadata="${stack.server.origin}/.well-known/oauth-protected-resource/mcp"`);
    expect(res.json()).toMatchObject({ id: 3, error: { message: expect.stringContaining("cancel_export") } });
  });

  it("still takes the LangSmith key from X-LangSmith-Api-Key when a signed-in request brings one", async () => {
    const token = await tokenFor(READER);
    const call = JSON.stringify({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "list_projects", arguments: {} } });
    const headers = { ...bearer(token), "mcp-protocol-version": "2025-11-25" };
    const own = await rawPost(stack.server.url, call, { ...headers, "x-langsmith-api-key": stack.sim.apiKey });
    expect(own.status).toBe(200);
    expect(own.text).not.toContain('"isError":true');
    const malformed = await rawPost(stack.server.url, call, { ...headers, "x-langsmith-api-key": "not a key" });
    // 403, not 401: the access token passed, and a 401 would send an OAuth client to sign in again.
    expect(malformed.status).toBe(403);
    expect(malformed.headers["www-authenticate"]).toBeUndefined();
    expect(malformed.json().error.message).toContain("X-LangSmith-Api-Key");
  });

  it("refuses a token with neither scope with 403, asking for the read scope", async () => {
    const token = await tokenFor(OUTSIDER);
    const res = await rawPost(stack.server.url, LIST_TOOLS, { ...bearer(token), "mcp-protocol-version": "2025-11-25" });
    expect(res.status).toBe(403);
    expect(res.headers["www-authenticate"]).toMatch(/error="insufficient_scope".*scope="langsmith:read"/);
  });

  it("refuses a token issued for another resource (RFC 8707 audience) with 401 invalid_token", async () => {
    const token = await tokenFor(WRITER, "https://other-service.example/mcp");
    const res = await rawPost(stack.server.url, LIST_TOOLS, bearer(token));
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer error="invalid_token", error_description="[^"]*another resource/);
  });

  it("refuses an expired token signed by the issuer with 401 invalid_token", async () => {
    const token = await as.signWithIssuerKey({
      iss: as.issuer,
      aud: stack.server.url,
      sub: WRITER.id,
      client_id: WRITER.id,
      scope: WRITER.scopes,
      iat: now() - 3600,
      exp: now() - 600,
    });
    issued.push(token);
    const res = await rawPost(stack.server.url, LIST_TOOLS, bearer(token));
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/error="invalid_token", error_description="[^"]*expired/);
    // Within the 30 s clock tolerance, a token just past its exp still passes.
    const justExpired = await as.signWithIssuerKey({
      iss: as.issuer,
      aud: stack.server.url,
      sub: WRITER.id,
      scope: WRITER.scopes,
      iat: now() - 600,
      exp: now() - 5,
    });
    issued.push(justExpired);
    expect((await rawPost(stack.server.url, LIST_TOOLS, { ...bearer(justExpired), "mcp-protocol-version": "2025-11-25" })).status).toBe(
      200,
    );
  });

  it("refuses a token from another issuer, and one whose signature is not the issuer's, with 401 invalid_token", async () => {
    const claims = { aud: stack.server.url, sub: WRITER.id, scope: WRITER.scopes, iat: now(), exp: now() + 600 };
    const otherIssuer = await as.signWithIssuerKey({ ...claims, iss: "https://impostor.example" });
    const forged = await as.signWithForeignKey({ ...claims, iss: as.issuer });
    issued.push(otherIssuer, forged);
    const wrongIssuer = await rawPost(stack.server.url, LIST_TOOLS, bearer(otherIssuer));
    expect(wrongIssuer.status).toBe(401);
    expect(wrongIssuer.headers["www-authenticate"]).toMatch(/error="invalid_token".*another authorization server/);
    const wrongSignature = await rawPost(stack.server.url, LIST_TOOLS, bearer(forged));
    expect(wrongSignature.status).toBe(401);
    expect(wrongSignature.headers["www-authenticate"]).toMatch(/error="invalid_token".*signature/);
    const notAJwt = await rawPost(stack.server.url, LIST_TOOLS, bearer("not-a-jwt"));
    expect(notAJwt.status).toBe(401);
  });

  it("takes a configured JWKS URL and its own scope names, for 2026-07-28 clients and 2025-11-25 sessions alike", async () => {
    const server = await spawnHttpServer(
      [
        "--oauth-issuer",
        as.issuer,
        "--oauth-jwks-url",
        `${as.issuer}/jwks`,
        "--oauth-read-scope",
        "mcp.read",
        "--oauth-write-scope",
        "mcp.write",
        "--sessions",
      ],
      { LANGSMITH_API_KEY: stack.sim.apiKey, LANGSMITH_ENDPOINT: stack.sim.url },
    );
    try {
      const metadata = await rawRequest(`${server.origin}/.well-known/oauth-protected-resource/mcp`, { method: "GET" });
      expect(metadata.json().scopes_supported).toEqual(["mcp.read", "mcp.write"]);
      for (const protocol of ["2026-07-28", "2025-11-25"] as const) {
        const client = await connectAs(CUSTOM_READER, server.url, protocol);
        const names = (await client.listTools()).tools.map((tool) => tool.name);
        expect(names, protocol).toContain("query_runs");
        for (const name of WRITE_TOOLS) expect(names, protocol).not.toContain(name);
        expect((await callTool(client, "list_projects")).isError, protocol).toBeFalsy();
        await client.close();
      }
      // The first server's scope names mean nothing here.
      const token = await tokenFor(READER, server.url);
      const res = await rawPost(server.url, LIST_TOOLS, { ...bearer(token), "mcp-protocol-version": "2025-11-25" });
      expect(res.status).toBe(403);
      expect(res.headers["www-authenticate"]).toContain('scope="mcp.read"');
    } finally {
      await server.stop();
    }
  });

  it("sends a session opened with the read scope to a new session once the user steps up to the write scope", async () => {
    // The step-up flow: 403 insufficient_scope, a new token with the write scope, the call again.
    // A session's server was built for the scopes it opened with, so it cannot serve the new grant.
    const server = await spawnHttpServer(["--oauth-issuer", as.issuer, "--sessions"], {
      LANGSMITH_API_KEY: stack.sim.apiKey,
      LANGSMITH_ENDPOINT: stack.sim.url,
    });
    try {
      // One client (one user) asking first for the read scope only, then for both.
      const reader = await as.token(WRITER, server.url, "langsmith:read");
      issued.push(reader);
      const opened = await rawPost(server.url, INITIALIZE, bearer(reader));
      const session = opened.headers["mcp-session-id"] as string;
      expect(session).toBeTruthy();
      const cancel = JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "cancel_export", arguments: {} } });
      const inSession = { "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" };
      expect((await rawPost(server.url, cancel, { ...bearer(reader), ...inSession })).status).toBe(403);
      const writer = await tokenFor(WRITER, server.url);
      const stepped = await rawPost(server.url, cancel, { ...bearer(writer), ...inSession });
      // 404 is what tells a 2025-11-25 client to initialize again (its new session gets the new grant).
      expect(stepped.status).toBe(404);
      expect(stepped.json().error.code).toBe(-32001);
      const fresh = await connectAs(WRITER, server.url, "2025-11-25");
      expect((await fresh.listTools()).tools.map((tool) => tool.name)).toContain("cancel_export");
      await fresh.close();
    } finally {
      await server.stop();
    }
  });

  it("gives each signed-in user their own tasks, though both use the server's one LangSmith key", async () => {
    const writer = await connectAs(WRITER);
    const destination = await callTool(writer, "create_destination", destinationArgs(stack.sim, "oauth-tasks"));
    const day = 86_400_000;
    const midnight = Math.floor(Date.now() / day) * day;
    const created = await callTool(writer, "create_export", {
      project: "checkout-bot",
      destination: (destination.structuredContent as { destination: { id: string } }).destination.id,
      start_time: new Date(midnight - 3 * day).toISOString(),
      end_time: new Date(midnight - 2 * day).toISOString(),
    });
    const exportId = (created.structuredContent as { export: { id: string } }).export.id;

    const fetchHttp = (url: string, init: RequestInit) => fetch(url, init);
    const owner = modernCaller(fetchHttp, stack.server.url, bearer(await tokenFor(WRITER)));
    const stranger = modernCaller(fetchHttp, stack.server.url, bearer(await tokenFor(READER)));
    const task = (await owner.request("tools/call", { name: "export_status", arguments: { export_id: exportId, wait_seconds: 120 } }))
      .result!;
    expect(task).toMatchObject({ resultType: "task", status: "working" });
    expect((await stranger.request("tasks/get", { taskId: task.taskId })).error?.code).toBe(-32602);
    expect((await stranger.request("tasks/cancel", { taskId: task.taskId })).error?.code).toBe(-32602);
    expect((await owner.request("tasks/get", { taskId: task.taskId })).result).toMatchObject({ status: "working" });
    expect((await owner.request("tasks/cancel", { taskId: task.taskId })).result).toMatchObject({ resultType: "complete" });
  });

  it("never writes an access token to its log, passed or refused", async () => {
    const valid = await tokenFor(WRITER);
    const foreign = await tokenFor(WRITER, "https://other-service.example/mcp");
    expect((await rawPost(stack.server.url, LIST_TOOLS, { ...bearer(valid), "mcp-protocol-version": "2025-11-25" })).status).toBe(200);
    expect((await rawPost(stack.server.url, LIST_TOOLS, bearer(foreign))).status).toBe(401);
    const log = stack.server.stderr();
    expect(log).toContain("access token does not pass");
    for (const token of [valid, foreign, ...issued]) expect(log).not.toContain(token);
  });
});
