/**
 * The Streamable HTTP host: MCP at /mcp through the SDK's transport, GET /healthz, and the
 * checks every request passes first, in this order: Host (DNS rebinding), Origin (cross-site),
 * route, CORS preflight, bearer token or OAuth access token (oauth/), LangSmith key, body size,
 * JSON-RPC shape, batch refusal, OAuth scope. Nothing reaches an MCP server until all have passed,
 * and every refusal is a JSON-RPC error object; past the Origin check, every response (refusals
 * too) carries the CORS headers (cors.ts). With OAuth, the Protected Resource Metadata is served
 * after the Host check and before the Origin check: it is public, for any page to read.
 *
 * Both protocol eras at one endpoint. A 2026-07-28 request (per-request _meta, Mcp-Method
 * and Mcp-Name headers, no session) always goes to the SDK's createMcpHandler, which builds
 * a server per request. A 2025-11-25 request goes there too when stateless (the default:
 * any replica behind a load balancer can answer any request); with --sessions it goes to a
 * server per Mcp-Session-Id instead (SessionStore bounds them).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { NodeStreamableHTTPServerTransport, toNodeHandler, toWebRequest } from "@modelcontextprotocol/node";
import {
  createMcpHandler,
  isInitializeRequest,
  isLegacyRequest,
  ProtocolErrorCode as ErrorCode,
  type AuthInfo,
  type McpServer,
} from "@modelcontextprotocol/server";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { BearerAuth, bearerChallenge } from "./bearer-auth.js";
import { allowedHostNames, hostForUrl, isWildcardHost } from "../bind.js";
import { answerPreflight, setCorsHeaders } from "./cors.js";
import { readBody } from "./body-limit.js";
import { isHostAllowed } from "./host-check.js";
import { InFlight } from "./in-flight.js";
import { batchRefusal, parseJsonRpcBody, sendJsonRpcError, SESSION_NOT_FOUND, TRANSPORT_ERROR } from "./json-rpc.js";
import { API_KEY_HEADER, type LangSmithAccess, type LangSmithClients } from "./langsmith-keys.js";
import { OriginPolicy } from "./origin-check.js";
import { type Session, SessionStore, sessionRef } from "./sessions.js";
import { StatelessCalls } from "./stateless-calls.js";
import { callerOf, type Caller } from "./caller.js";
import { NO_TOKEN, OAuthGate, type OAuthPass } from "./oauth/gate.js";
import { serveMetadata } from "./oauth/metadata-route.js";

export const MCP_PATH = "/mcp";
export const HEALTH_PATH = "/healthz";

export type HttpConfig = Pick<
  Config,
  | "host"
  | "port"
  | "sessions"
  | "sessionIdleMs"
  | "maxSessions"
  | "allowedOrigins"
  | "allowedHosts"
  | "authToken"
  | "oauthIssuer"
  | "oauthResource"
  | "oauthJwksUrl"
  | "oauthReadScope"
  | "oauthWriteScope"
  | "maxBodyBytes"
  | "shutdownGraceMs"
>;

export interface HttpHostOptions {
  config: HttpConfig;
  logger: Logger;
  clients: LangSmithClients;
  /** Builds the MCP server for one request (stateless) or one session, on the caller's LangSmith access. */
  /** `callSignal`: aborted when a stateless caller cancels the call (stateless mode only). */
  /** `caller`: whose request it is (tasks and sessions are theirs) and whether it may only read. */
  makeServer: (access: LangSmithAccess, callSignal?: AbortSignal, caller?: Caller) => McpServer;
}

export interface RunningHttpHost {
  /** e.g. http://127.0.0.1:3333/mcp */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, waits (bounded) for in-flight requests, then closes sessions and connections. */
  close(): Promise<{ drained: boolean }>;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export async function startHttpHost(options: HttpHostOptions): Promise<RunningHttpHost> {
  const { config, clients, makeServer } = options;
  const log = options.logger.child("http");
  const hostNames = allowedHostNames(config.host, config.allowedHosts);
  const origins = new OriginPolicy(config.allowedOrigins);
  const auth = config.authToken ? new BearerAuth(config.authToken) : undefined;
  const inFlight = new InFlight();
  const statelessCalls = new StatelessCalls();
  const sessions = config.sessions
    ? new SessionStore(config.sessionIdleMs, config.maxSessions, (session) => {
        log.info("session closed after idling", { session: sessionRef(session.id) });
        void closeQuietly(session.server);
      })
    : undefined;
  let draining = false;
  // The caller's LangSmith access rides to the server factory as the request's authInfo.
  const perRequest = createMcpHandler(({ authInfo }) => makeServer(accessOf(authInfo), callSignalOf(authInfo), callerIn(authInfo)), {
    legacy: sessions ? "reject" : "stateless",
    onerror: (error) => log.debug("MCP request refused", { error: error.message }),
  });
  // Made once the port is known: the default resource URL is the URL this server listens on.
  let oauth: OAuthGate | undefined;
  const serveModern = toNodeHandler(perRequest, { onerror: (error) => log.error("MCP request failed", { error: error.message }) });

  if (!hostNames) log.warn("listening on every interface without --allowed-hosts: the Host header is not checked (credentials still are)");

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const path = new URL(req.url ?? "/", "http://placeholder").pathname;
    res.on("finish", () =>
      log.debug("request", { method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) }),
    );
    if (draining) {
      sendJsonRpcError(res, 503, TRANSPORT_ERROR, "Server is shutting down; retry on another instance or after it restarts.", {
        headers: { connection: "close" },
      });
      return;
    }

    const host = header(req, "host");
    if (!isHostAllowed(host, hostNames)) {
      log.warn("refused a request for a foreign Host (DNS rebinding protection)", { host });
      sendJsonRpcError(res, 403, TRANSPORT_ERROR, `Forbidden: Host "${host ?? ""}" is not a name of this server.`);
      return;
    }
    if (oauth?.servesMetadataAt(path)) {
      serveMetadata(req, res, oauth);
      return;
    }
    const origin = header(req, "origin");
    if (!origins.allows(origin, host)) {
      log.warn("refused a request from a foreign Origin", { origin });
      sendJsonRpcError(
        res,
        403,
        TRANSPORT_ERROR,
        `Forbidden: Origin "${origin}" is not allowed; the server's operator can add it with --allowed-origins.`,
      );
      return;
    }
    setCorsHeaders(res, origin);

    if (path === HEALTH_PATH) {
      if (req.method !== "GET" && req.method !== "HEAD") {
        sendJsonRpcError(res, 405, TRANSPORT_ERROR, "Method not allowed: use GET /healthz.", { headers: { allow: "GET, HEAD" } });
        return;
      }
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : JSON.stringify({ status: "ok" }));
      return;
    }
    if (path !== MCP_PATH) {
      sendJsonRpcError(res, 404, TRANSPORT_ERROR, `Not found: MCP is served at ${MCP_PATH}.`);
      return;
    }
    if (req.method === "OPTIONS") {
      // A browser's preflight carries no credentials, so it is answered before they are checked.
      answerPreflight(res, origin);
      return;
    }

    if (auth) {
      const verdict = auth.check(header(req, "authorization"));
      if (verdict !== "ok") {
        // Not "bearer token" in a log line: the secret redaction takes the word after "bearer" for one.
        log.warn("refused a request without a valid static token (--auth-token)", { reason: verdict });
        sendJsonRpcError(
          res,
          401,
          TRANSPORT_ERROR,
          verdict === "missing" ? "Unauthorized: send Authorization: Bearer <token>." : "Unauthorized: the bearer token is not valid.",
          {
            headers: { "www-authenticate": bearerChallenge(verdict) },
          },
        );
        return;
      }
    }

    let pass: OAuthPass | undefined;
    if (config.oauthIssuer) {
      const verdict = await oauth!.authenticate(header(req, "authorization"));
      if (!verdict.ok) {
        // A request without a token is how every OAuth client starts (discovery): not worth a warning.
        const level = verdict.reason === NO_TOKEN ? "debug" : "warn";
        log[level]("refused a request: its access token does not pass", { status: verdict.status, reason: verdict.reason });
        sendJsonRpcError(res, verdict.status, TRANSPORT_ERROR, verdict.message, { headers: verdict.headers });
        return;
      }
      pass = verdict;
    }

    const resolved = clients.resolve(req.headers[API_KEY_HEADER]);
    if (!resolved.ok) {
      // Signed in with OAuth, a 401 would read to the client as its access token refused: it signs
      // in again and loses this message. The token passed, so the missing key is a 403.
      const [status, word] = pass ? [403, "Forbidden"] : [401, "Unauthorized"];
      sendJsonRpcError(
        res,
        status,
        TRANSPORT_ERROR,
        resolved.reason === "missing"
          ? `${word}: this server has no LangSmith API key of its own; send yours in the X-LangSmith-Api-Key header.`
          : `${word}: the X-LangSmith-Api-Key header does not hold a LangSmith API key.`,
      );
      return;
    }
    const access = resolved.access;
    const caller = callerOf(access, pass);

    if (req.method === "POST") {
      const done = inFlight.begin();
      res.on("close", done);
      const body = await readBody(req, config.maxBodyBytes);
      if (body.kind === "aborted") {
        // No one is left to answer; a hang-up is routine, not a server fault worth a stack.
        log.debug("client closed the connection during its upload", { reason: body.reason });
        return;
      }
      if (body.kind === "too-large") {
        // The rest of the body is never read, so this connection cannot carry another request.
        sendJsonRpcError(res, 413, TRANSPORT_ERROR, `Payload Too Large: a request body may hold at most ${config.maxBodyBytes} bytes.`, {
          headers: { connection: "close" },
        });
        return;
      }
      const parsed = parseJsonRpcBody(body.text);
      if (!parsed.ok) {
        sendJsonRpcError(res, parsed.status, parsed.code, parsed.message, { id: parsed.id });
        return;
      }
      // A session's negotiated revision outranks the header: naming an older one must not buy batches.
      const batchRefused = batchRefusal(parsed.body, sessionRevision(req) ?? header(req, "mcp-protocol-version"));
      if (batchRefused) {
        sendJsonRpcError(res, 400, ErrorCode.InvalidRequest, batchRefused);
        return;
      }
      const scopeRefusal = pass && oauth!.scopeRefusal(pass, parsed.messages);
      if (scopeRefusal) {
        log.info("refused a tool call the access token's scopes do not cover", { reason: scopeRefusal.reason });
        sendJsonRpcError(res, scopeRefusal.status, TRANSPORT_ERROR, scopeRefusal.message, {
          headers: scopeRefusal.headers,
          id: scopeRefusal.id ?? null,
        });
        return;
      }
      if (sessions && (await isLegacyRequest(await toWebRequest(req, parsed.body)))) {
        return handleSessionPost(req, res, parsed.body, parsed.messages.some(isInitializeRequest), access, caller);
      }
      let callSignal: AbortSignal | undefined;
      if (!sessions) {
        // Stateless: a 2025-11-25 client's notifications/cancelled arrives in a POST of its own,
        // on a fresh server that never saw the call; end the call it names here.
        statelessCalls.cancel(caller.owner, parsed.body);
        const controller = new AbortController();
        res.on(
          "close",
          statelessCalls.track(caller.owner, parsed.body, () => controller.abort()),
        );
        callSignal = controller.signal;
      }
      (req as IncomingMessage & { auth?: AuthInfo }).auth = authInfoOf(access, caller, callSignal);
      return serveModern(req, res, parsed.body);
    }
    if (!sessions) {
      // Stateless: there is no session to stream server-initiated messages on or to delete.
      sendJsonRpcError(res, 405, TRANSPORT_ERROR, "Method not allowed: this server is stateless; send JSON-RPC requests with POST.", {
        headers: { allow: "POST, OPTIONS" },
      });
      return;
    }
    if (req.method === "GET" || req.method === "DELETE") {
      const session = findSession(req, res, caller);
      if (!session) return;
      await serveInSession(session, req, res);
      return;
    }
    sendJsonRpcError(res, 405, TRANSPORT_ERROR, "Method not allowed.", { headers: { allow: "GET, POST, DELETE, OPTIONS" } });
  };

  /** The revision a session's initialize negotiated (2025-era sessions only; undefined without one). */
  const sessionRevision = (req: IncomingMessage): string | undefined => {
    const id = header(req, "mcp-session-id");
    // The accessor is deprecated for 2026-07-28 requests only; a session is 2025-era by nature.
    return id ? sessions?.get(id)?.server.server.getNegotiatedProtocolVersion() : undefined;
  };

  const findSession = (req: IncomingMessage, res: ServerResponse, caller: Caller): Session | undefined => {
    const id = header(req, "mcp-session-id");
    if (!id) {
      sendJsonRpcError(
        res,
        400,
        TRANSPORT_ERROR,
        "Bad Request: the Mcp-Session-Id header is required; start a session with an initialize request.",
      );
      return undefined;
    }
    const session = sessions!.get(id);
    if (!session) {
      sendJsonRpcError(
        res,
        404,
        SESSION_NOT_FOUND,
        "Session not found: it expired or was closed; start a new one with an initialize request.",
      );
      return undefined;
    }
    if (session.keyFingerprint !== caller.owner) {
      sendJsonRpcError(
        res,
        403,
        TRANSPORT_ERROR,
        `Forbidden: this session was opened with a different LangSmith API key${config.oauthIssuer ? " or by another user" : ""}.`,
      );
      return undefined;
    }
    if (session.readOnly !== caller.readOnly) {
      // Its server was built for the scopes the session opened with (a step-up to the write
      // scope would still find the write tools missing); 404 makes the client open a new one.
      sendJsonRpcError(
        res,
        404,
        SESSION_NOT_FOUND,
        "Session not found: it was opened with an access token of other scopes; start a new one with an initialize request.",
      );
      return undefined;
    }
    return session;
  };

  const serveInSession = async (session: Session, req: IncomingMessage, res: ServerResponse, body?: unknown): Promise<void> => {
    session.active++;
    session.lastActive = Date.now();
    res.on("close", () => {
      session.active--;
      session.lastActive = Date.now();
    });
    await session.transport.handleRequest(req, res, body);
  };

  const handleSessionPost = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    initialize: boolean,
    access: LangSmithAccess,
    caller: Caller,
  ): Promise<void> => {
    if (!initialize || header(req, "mcp-session-id")) {
      const session = findSession(req, res, caller);
      if (session) await serveInSession(session, req, res, body);
      return;
    }
    if (sessions!.full) {
      log.warn("refused a new session: the session limit is reached", { open: sessions!.size });
      sendJsonRpcError(
        res,
        503,
        TRANSPORT_ERROR,
        `Service Unavailable: ${sessions!.maxSessions} sessions are open, the most this server keeps; retry later or close unused ` +
          `sessions (DELETE /mcp).`,
        {
          headers: { "retry-after": "30" },
        },
      );
      return;
    }
    const server = makeServer(access, undefined, caller);
    let session: Session | undefined;
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => {
        session = { id, server, transport, keyFingerprint: caller.owner, readOnly: caller.readOnly, lastActive: Date.now(), active: 0 };
        sessions!.add(session);
        log.info("session opened", { session: sessionRef(id), open: sessions!.size });
      },
    });
    transport.onclose = () => {
      if (session) sessions!.remove(session.id);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    // An initialize that failed never produced a session: nothing else will close its server.
    if (!session) void closeQuietly(server);
  };

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error("request failed unexpectedly", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      sendJsonRpcError(
        res,
        500,
        ErrorCode.InternalError,
        "Internal error: the server failed to handle this request; the details are in its log.",
      );
    });
  });
  // Slow-loris bounds: a client must send its headers and body promptly.
  http.headersTimeout = 20_000;
  http.requestTimeout = 120_000;

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(config.port, config.host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const urlHost = isWildcardHost(config.host) ? "127.0.0.1" : hostForUrl(config.host);
  const url = `http://${urlHost}:${port}${MCP_PATH}`;
  if (config.oauthIssuer) {
    oauth = new OAuthGate({
      issuer: config.oauthIssuer,
      resource: config.oauthResource ?? url,
      ...(config.oauthJwksUrl && { jwksUrl: config.oauthJwksUrl }),
      scopes: { read: config.oauthReadScope, write: config.oauthWriteScope },
    });
  }

  return {
    url,
    port,
    close: async () => {
      draining = true;
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      const drained = await inFlight.drained(config.shutdownGraceMs);
      if (!drained)
        log.warn("shutdown grace period over; closing requests still in flight", {
          inFlight: inFlight.count,
          graceMs: config.shutdownGraceMs,
        });
      await Promise.all((sessions?.drain() ?? []).map((session) => closeQuietly(session.server)));
      await perRequest.close().catch(() => undefined);
      http.closeAllConnections();
      await stopped;
      return { drained };
    },
  };
}

const authInfoOf = (access: LangSmithAccess, caller: Caller, callSignal?: AbortSignal): AuthInfo => ({
  token: access.fingerprint,
  clientId: "langsmith-mcp",
  scopes: [],
  extra: { access, caller, ...(callSignal && { callSignal }) },
});

const callerIn = (auth: AuthInfo | undefined): Caller | undefined => auth?.extra?.caller as Caller | undefined;

/** Aborted when a stateless caller cancels the call this request carries (see StatelessCalls). */
const callSignalOf = (auth: AuthInfo | undefined): AbortSignal | undefined => auth?.extra?.callSignal as AbortSignal | undefined;

function accessOf(auth: AuthInfo | undefined): LangSmithAccess {
  const access = auth?.extra?.access as LangSmithAccess | undefined;
  // Only our own checks set it; a server built without it would serve on no one's key.
  if (!access) throw new Error("MCP request reached the server factory without a LangSmith access");
  return access;
}

async function closeQuietly(server: McpServer): Promise<void> {
  await server.close().catch(() => undefined);
}
