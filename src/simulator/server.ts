/**
 * startSimulator: a real HTTP server (node:http, loopback) in front of the route tables.
 * Per request: the export engine catches up with the clock → faults (before anything, as a
 * proxy would) → route match (404/405; no v2 API before LangSmith 0.16.0) → auth and tenant
 * → rate limit (when on) → handler → reply; API requests are logged and shown to `onResponse`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { authenticate, type Principal } from "./auth.js";
import type { SimClock } from "./clock.js";
import { statusFaultReply, type FaultRule } from "./faults.js";
import { HttpError, json, problem, readJsonBody, type BodyResult, type Reply } from "./http.js";
import { Router, type RequestContext, type Route, type RouteMatch } from "./router.js";
import { DEFAULT_EXPORT_LIMITS } from "./export-limits.js";
import type { ObjectStore, SeededStorage } from "./object-store.js";
import { bulkExportDestinationRoutes } from "./routes/bulk-export-destinations.js";
import { bulkExportRoutes } from "./routes/bulk-exports.js";
import { controlRoutes } from "./routes/control.js";
import { exportControlRoutes } from "./routes/export-control.js";
import { DEFAULT_LANGSMITH_VERSION, hasV2Api, infoRoutes } from "./routes/info.js";
import { runsV1Routes } from "./routes/runs-v1.js";
import { runsV2Routes } from "./routes/runs-v2.js";
import { runsDeleteRoutes } from "./routes/runs-delete.js";
import { runStatsRoutes } from "./routes/run-stats.js";
import { threadsRoutes } from "./routes/threads.js";
import { auditLogRoutes } from "./routes/audit-logs.js";
import { sessionsRoutes } from "./routes/sessions.js";
import { SimState, type V2HasMore } from "./state.js";
import type { SimStore } from "./store.js";

export interface SimulatorOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 42. */
  seed?: number;
  /** The clock's start and the anchor of the seeded data; default the real now. */
  now?: Date | string | number;
  /** 1 = the default data size (~36k runs); benchmarks use more. */
  scale?: number;
  /** Enforce LangSmith's documented rate limits; default false. */
  rateLimits?: boolean;
  /** Accept `ai_query` on v2 queries; default false (400 with a remedy, as most workspaces). */
  aiQuery?: boolean;
  /** Behave as a self-hosted install: destinations may omit credentials (environment credentials); default false. */
  selfHosted?: boolean;
  /** The organization's plan; audit logs need "enterprise". Default "plus" (most workspaces). */
  plan?: "plus" | "enterprise";
  /** The real clock simulated time flows on (milliseconds); tests inject one that jumps. */
  realNow?: () => number;
  /**
   * The LangSmith version to behave as (`/api/v1/info` reports it); default "0.16.2". Below
   * 0.16.0 every `/api/v2/*` and `/v2/*` route answers 404 {"detail": "Not Found"}.
   */
  langsmithVersion?: string;
  /** Write export run `errors` values as objects {message, type, retry_number}; default false. */
  exportRunErrorsAsObjects?: boolean;
  /** `has_more` on v2 run queries: "always" (default) or "never" (next_cursor alone). */
  v2HasMore?: V2HasMore;
  /** Called with every API response (never for `/_sim/*`), e.g. to validate it against the spec. */
  onResponse?: (info: ResponseInfo) => void;
}

/** What `onResponse` sees of one API response. */
export interface ResponseInfo {
  method: string;
  /** Without the query string. */
  path: string;
  /** The matched route's path (`/api/v1/bulk-exports/:export_id`); null when no route matched or a fault answered. */
  routePattern: string | null;
  status: number;
  /** Parsed JSON; the raw text when the body is not JSON (a fault's HTML page). */
  body: unknown;
  /**
   * Set when the response deliberately goes beyond the published spec, with the reason
   * (e.g. a status forced to a value only a newer server writes).
   */
  offSpec?: string;
}

export interface RunningSimulator {
  url: string;
  /** Workspace-scoped key of the default workspace. */
  apiKey: string;
  /** Org-scoped key: requires X-Tenant-Id on workspace resources. */
  orgApiKey: string;
  workspaceId: string;
  organizationId: string;
  /** Workspace key without WORKSPACES_MANAGE: 403 on destination and export writes. */
  readOnlyApiKey: string;
  /** A full key of the second workspace (another tenant of the organization), and that workspace's id. */
  secondWorkspaceApiKey: string;
  secondWorkspaceId: string;
  /** The seeded buckets and the credentials to use with them (secret values included, for tests). */
  storage: SeededStorage;
  /** The object store exports write to (replaced on /_sim/reset; always the current one). */
  readonly objectStore: ObjectStore;
  /** Read access for tests (replaced on /_sim/reset; always the current one). */
  readonly store: SimStore;
  clock: SimClock;
  close(): Promise<void>;
}

/** Every route table; a new concern adds its table here. */
export const SIMULATOR_ROUTES: readonly Route[] = [
  ...controlRoutes,
  ...exportControlRoutes,
  ...infoRoutes,
  ...sessionsRoutes,
  ...runsV1Routes,
  ...runStatsRoutes,
  ...runsV2Routes,
  ...threadsRoutes,
  ...runsDeleteRoutes,
  ...auditLogRoutes,
  // Destinations first: `/bulk-exports/destinations` must not be taken for an export id.
  ...bulkExportDestinationRoutes,
  ...bulkExportRoutes,
];

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const startMs = options.now === undefined ? Date.now() : new Date(options.now).getTime();
  if (Number.isNaN(startMs)) throw new RangeError("SimulatorOptions.now is not a valid date");
  const scale = options.scale ?? 1;
  if (!(scale >= 0) || !Number.isFinite(scale)) throw new RangeError("SimulatorOptions.scale must be a finite number >= 0");
  const state = new SimState({
    seed: options.seed ?? 42,
    startMs,
    scale,
    ...(options.realNow && { realNow: options.realNow }),
    config: {
      rateLimits: options.rateLimits ?? false,
      aiQuery: options.aiQuery ?? false,
      selfHosted: options.selfHosted ?? false,
      plan: options.plan ?? "plus",
      exports: { ...DEFAULT_EXPORT_LIMITS },
      langsmithVersion: options.langsmithVersion ?? DEFAULT_LANGSMITH_VERSION,
      exportRunErrorsAsObjects: options.exportRunErrorsAsObjects ?? false,
      v2HasMore: options.v2HasMore ?? "always",
    },
  });
  const onResponse = options.onResponse;
  const router = new Router(SIMULATOR_ROUTES);
  const server = createServer({ keepAlive: true }, (req, res) => {
    handle(req, res, state, router, onResponse).catch((e: unknown) => {
      process.stderr.write(`[simulator] unhandled error: ${e instanceof Error ? e.message : String(e)}\n`);
      if (!res.headersSent) send(res, json({ detail: "Internal Server Error" }, 500));
    });
  });
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    apiKey: state.store.apiKey,
    orgApiKey: state.store.orgApiKey,
    workspaceId: state.store.defaultWorkspace.id,
    organizationId: state.store.organization.id,
    readOnlyApiKey: state.readOnlyApiKey,
    secondWorkspaceApiKey: state.secondWorkspaceApiKey,
    secondWorkspaceId: state.store.workspaces[1]!.id,
    storage: state.storage,
    get objectStore() {
      return state.objectStore;
    },
    get store() {
      return state.store;
    },
    clock: state.clock,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  state: SimState,
  router: Router,
  onResponse: SimulatorOptions["onResponse"],
): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const rawUrl = req.url ?? "/";
  const q = rawUrl.indexOf("?");
  let path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  const query = new URLSearchParams(q === -1 ? "" : rawUrl.slice(q + 1));
  const isControl = path === "/_sim" || path.startsWith("/_sim/");
  const log = (status: number | null, fault: FaultRule | undefined, sent?: { bytes: number; reply: Reply }): void => {
    if (isControl) return;
    state.requestLog.record({
      at: new Date(state.clock.now()).toISOString(),
      method,
      path,
      status,
      fault: fault?.kind ?? null,
      bytes: sent?.bytes ?? 0,
      items: sent ? itemCount(sent.reply) : 0,
    });
  };
  const report = (reply: Reply, routePattern: string | null): void => {
    if (isControl || !onResponse) return;
    onResponse({
      method,
      path,
      routePattern,
      status: reply.status,
      body: bodyOf(reply),
      ...(reply.offSpec ? { offSpec: reply.offSpec } : {}),
    });
  };

  // The engine is event-driven on the sim clock: every request first sees it caught up.
  state.exports.advance(state.clock.now());
  state.deletions.advance(state.clock.now());
  // LangSmith's clock is the sim clock: clients judge deletion windows by the Date header.
  res.setHeader("date", new Date(state.clock.now()).toUTCString());
  const fault = isControl ? undefined : state.faults.take(method, path);
  if (fault?.kind === "reset") {
    log(null, fault);
    req.socket.destroy();
    return;
  }
  if (fault?.kind === "status") {
    const reply = statusFaultReply(fault);
    log(reply.status, fault, { bytes: send(res, reply), reply });
    report(reply, null);
    return;
  }
  if (fault?.kind === "delay") {
    await sleep(fault.delay_ms ?? 0);
    if (res.destroyed || req.socket.destroyed) {
      log(null, fault);
      return;
    }
  }

  let reply: Reply;
  const match = versionedMatch(router, method, path, state);
  try {
    reply = await dispatch(req, method, path, query, state, match);
  } catch (e) {
    if (e instanceof HttpError) reply = e.reply;
    else {
      process.stderr.write(`[simulator] ${method} ${path} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      reply = json({ detail: "Internal Server Error" }, 500);
    }
  }
  if (fault?.kind === "reset_after_processing") {
    log(null, fault);
    req.socket.destroy();
    return;
  }
  if (fault?.kind === "slow_answer") {
    await sleep(fault.delay_ms ?? 0);
    if (res.destroyed || req.socket.destroyed) {
      log(null, fault);
      return;
    }
  }
  if (fault?.kind === "malformed_json") reply = truncated(reply);
  log(reply.status, fault, { bytes: send(res, reply), reply });
  report(reply, fault?.kind === "malformed_json" || match.kind !== "found" ? null : match.route.path);
}

const isV2Path = (path: string): boolean => path === "/v2" || path.startsWith("/v2/") || path === "/api/v2" || path.startsWith("/api/v2/");

/** The route for a request; an install older than 0.16.0 has no v2 API at all (FastAPI's unknown route). */
function versionedMatch(router: Router, method: string, path: string, state: SimState): RouteMatch {
  if (isV2Path(path) && !hasV2Api(state.config.langsmithVersion)) return { kind: "not_found" };
  return router.match(method, path);
}

/**
 * The v2 service answers a bad key as problem details (runs.yml lists 401 as
 * shared.ProblemDetails); the gateway's `{"error": …}` for an org key without a workspace
 * comes before it and stays.
 */
function asProblem(reply: Reply, path: string, remedy: string): HttpError {
  const detail = (reply.body as { detail?: unknown } | undefined)?.detail;
  if (typeof detail !== "string") return new HttpError(reply);
  const converted = problem(reply.status, detail, path, remedy);
  return new HttpError({ ...converted.reply, ...(reply.headers ? { headers: reply.headers } : {}) });
}

function bodyOf(reply: Reply): unknown {
  if (reply.raw === undefined) return reply.body;
  try {
    return JSON.parse(reply.raw) as unknown;
  } catch {
    return reply.raw;
  }
}

async function dispatch(
  req: IncomingMessage,
  method: string,
  path: string,
  query: URLSearchParams,
  state: SimState,
  match: RouteMatch,
): Promise<Reply> {
  if (match.kind === "not_found") return json({ detail: "Not Found" }, 404);
  if (match.kind === "method_not_allowed")
    return json({ detail: "Method Not Allowed" }, 405, { allow: [...new Set(match.allowed)].join(", ") });
  const { route, params } = match;
  let tenantId = "";
  let principal: Principal | null = null;
  if (route.auth) {
    const v2 = isV2Path(path);
    try {
      principal = authenticate(req.headers, state.store, state.readOnlyApiKey, state.secondWorkspaceApiKey);
    } catch (e) {
      throw v2 && e instanceof HttpError
        ? asProblem(e.reply, path, "Send a valid LangSmith API key in X-API-Key (and X-Tenant-Id for an org-scoped key).")
        : e;
    }
    tenantId = principal.tenantId;
    if (state.config.rateLimits) {
      const limited = state.rateLimiter.check(principal.apiKey, route.rateClass ?? "default", state.clock.now());
      // The limiter sits in front of both APIs: one body for v1 and v2 (contract §1).
      if (limited) return json({ detail: "Too many requests" }, 429, { "retry-after": String(limited.retryAfterSeconds) });
    }
  }
  let bodyPromise: Promise<BodyResult> | undefined;
  const ctx: RequestContext = {
    req,
    method,
    path,
    query,
    params,
    tenantId,
    principal,
    sim: state,
    body: () => (bodyPromise ??= readJsonBody(req)),
  };
  return route.handler(ctx);
}

/** What a client sees when the connection drops mid-body: a 200 JSON reply cut short. */
function truncated(reply: Reply): Reply {
  const full = reply.raw ?? JSON.stringify(reply.body ?? {});
  const cut = full.slice(0, Math.max(1, Math.floor(full.length / 2)));
  return { status: 200, raw: cut, contentType: "application/json" };
}

/** Writes the reply; returns the body's length in bytes (0 when nothing could be sent). */
function send(res: ServerResponse, reply: Reply): number {
  if (res.headersSent || res.destroyed) return 0;
  const payload = reply.raw ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
  const buffer = Buffer.from(payload, "utf8");
  res.statusCode = reply.status;
  res.setHeader("content-type", reply.contentType ?? "application/json");
  res.setHeader("content-length", buffer.length);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.end(buffer);
  return buffer.length;
}

/** Objects a reply lists, for the request log: see RequestLogEntry.items. */
function itemCount(reply: Reply): number {
  if (reply.status >= 300 || reply.raw !== undefined) return 0;
  const body = reply.body;
  if (Array.isArray(body)) return body.length;
  if (typeof body !== "object" || body === null) return 0;
  const list = (body as { items?: unknown; runs?: unknown }).items ?? (body as { runs?: unknown }).runs;
  return Array.isArray(list) ? list.length : 1;
}
