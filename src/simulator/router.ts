/**
 * The route table type and its matcher. Each concern (sessions, v1 runs, v2 runs, info,
 * control, later exports and deletion) exports a `Route[]`; the server concatenates them.
 */
import type { IncomingMessage } from "node:http";
import type { Principal } from "./auth.js";
import type { BodyResult, Reply } from "./http.js";
import type { SimState } from "./state.js";

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** Which documented rate limit a route counts against (contract §1). */
export type RateClass = "runs_query" | "run_read" | "default";

export interface RequestContext {
  req: IncomingMessage;
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  params: Readonly<Record<string, string>>;
  /** The workspace the request is scoped to (after auth); empty on unauthenticated routes. */
  tenantId: string;
  /** The authenticated caller; null on unauthenticated routes. */
  principal: Principal | null;
  sim: SimState;
  body(): Promise<BodyResult>;
}

export interface Route {
  method: Method;
  /** Segments; `:name` captures one segment. */
  path: string;
  /** false only for the `/_sim` control API. */
  auth: boolean;
  rateClass?: RateClass;
  handler(ctx: RequestContext): Promise<Reply> | Reply;
}

interface CompiledRoute {
  route: Route;
  segments: string[];
}

export type RouteMatch =
  | { kind: "found"; route: Route; params: Record<string, string> }
  | { kind: "method_not_allowed"; allowed: Method[] }
  | { kind: "not_found" };

export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map((route) => ({ route, segments: splitPath(route.path) }));
  }

  match(method: string, path: string): RouteMatch {
    const segments = splitPath(path);
    const allowed: Method[] = [];
    for (const { route, segments: pattern } of this.compiled) {
      const params = matchSegments(pattern, segments);
      if (!params) continue;
      if (route.method === method) return { kind: "found", route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: "method_not_allowed", allowed } : { kind: "not_found" };
  }
}

function splitPath(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const a = actual[i] as string;
    if (p.startsWith(":")) {
      try {
        params[p.slice(1)] = decodeURIComponent(a);
      } catch {
        return null;
      }
    } else if (p !== a) return null;
  }
  return params;
}

/** The same route under several prefixes (LangSmith serves v1 with and without `/api/v1`). */
export function aliased(prefixes: readonly string[], route: Route): Route[] {
  return prefixes.map((prefix) => ({ ...route, path: `${prefix}${route.path}` }));
}
