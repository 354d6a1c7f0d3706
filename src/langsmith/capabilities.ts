/**
 * What the LangSmith deployment behind the client can do, learnt once per client. The v2 runs
 * API (`/api/v2/runs/…`, `/api/v2/traces/…`) needs self-hosted LangSmith 0.16 or later (official
 * SDK docs: "Self-hosted deployments require LangSmith v0.16 or later"); cloud always has it.
 * Two signals, whichever comes first: the version `GET /api/v1/info` reports, and a v2 call
 * answered with FastAPI's route-not-found 404 (`{"detail":"Not Found"}`) rather than a v2
 * problem document about a run or project.
 */
import { isLangSmithApiError } from "./errors.js";
import type { ServerInfo } from "./schemas.js";

export const RUNS_V2_MIN_VERSION = "0.16.0";

/** LangSmith's own hosting (US, EU and other regions): v2 is always there, whatever /info says. */
const CLOUD_HOST = /(?:^|\.)smith\.langchain\.com$/i;

export type RunsApiSupport =
  | { v2: true; version: string | null }
  | { v2: false; version: string | null /** For messages: why v1 is used. */; reason: string };

/**
 * Compares dotted release numbers (`0.15.3`, `v0.16`, `0.16.2-rc1`) numerically.
 * @returns negative, 0 or positive; undefined when `a` has no leading number.
 */
export function compareVersions(a: string, b: string): number | undefined {
  const parse = (v: string): number[] | undefined => {
    const m = /^v?(\d+(?:\.\d+)*)/i.exec(v.trim());
    return m ? m[1]!.split(".").map(Number) : undefined;
  };
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * A 404 that names no resource: FastAPI's answer for a path it has no route for, which is what
 * an install without the v2 API sends. A v2 "run not found" is a problem document instead.
 */
export function isRouteNotFound(error: unknown): boolean {
  if (!isLangSmithApiError(error) || error.status !== 404) return false;
  try {
    const body = JSON.parse(error.rawBody) as unknown;
    return (
      typeof body === "object" &&
      body !== null &&
      !Array.isArray(body) &&
      Object.keys(body).length === 1 &&
      (body as { detail?: unknown }).detail === "Not Found"
    );
  } catch {
    return false;
  }
}

/**
 * v2 endpoint families, learnt apart: an install may serve the runs query and GET run before
 * it serves the trace listing, and one missing route must not send every read to v1.
 */
export type V2Family = "runs" | "traces" | "threads";
export const v2FamilyOf = (path: string): V2Family =>
  path.startsWith("/api/v2/traces/") ? "traces" : path.startsWith("/api/v2/threads/") ? "threads" : "runs";

export const isCloudEndpoint = (endpoint: string): boolean => CLOUD_HOST.test(new URL(endpoint).hostname);

/** The capabilities of one deployment; one instance per client, so each is learnt once. */
export class ServerCapabilities {
  private info: Promise<ServerInfo | null> | undefined;
  private readonly v2Missing = new Map<V2Family, string>();
  /** Set once LangSmith refused `sort_order` on a v2 query: later queries leave it out. */
  sortOrderRefused = false;

  constructor(
    private readonly endpoint: string,
    private readonly readInfo: () => Promise<ServerInfo>,
  ) {}

  /** `GET /api/v1/info`, read once; null when it failed or is absent (tolerated: it only refines). */
  serverInfo(): Promise<ServerInfo | null> {
    this.info ??= this.readInfo().catch(() => null);
    return this.info;
  }

  /** Whether to read through v2 (`family` of endpoints), and the reported version for messages. */
  async runsApi(family: V2Family = "runs"): Promise<RunsApiSupport> {
    const version = (await this.serverInfo())?.version ?? null;
    const missing = this.v2Missing.get(family);
    if (missing) return { v2: false, version, reason: missing };
    if (version !== null && !isCloudEndpoint(this.endpoint) && (compareVersions(version, RUNS_V2_MIN_VERSION) ?? 0) < 0) {
      return {
        v2: false,
        version,
        reason: `this install reports LangSmith ${version}; the v2 runs API needs ${RUNS_V2_MIN_VERSION} or later`,
      };
    }
    return { v2: true, version };
  }

  /** Records that a v2 path answered route-not-found: later reads of its family go to v1. */
  noteV2Missing(method: string, path: string): void {
    const family = v2FamilyOf(path);
    if (!this.v2Missing.has(family))
      this.v2Missing.set(family, `${method} ${path} answered 404 Not Found (no such route): this install lacks that v2 API`);
  }
}

/** The message for what only v2 can do, naming the version the install reports. */
export function needsV2Message(what: string, support: RunsApiSupport): string {
  return `${what} needs LangSmith ≥ 0.16 (this install reports ${support.version ?? "no version"}).`;
}
