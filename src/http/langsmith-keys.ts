/**
 * Which LangSmith client serves a request: the server's own (LANGSMITH_API_KEY), or one built
 * for the key the request carries in `X-LangSmith-Api-Key`, so several people can share one
 * server without sharing a key. Per-key clients are built with the same options as the
 * server's own, share one connection pool (so dropping one from the bounded cache needs no
 * cleanup), and keep their own project-name cache (names are per workspace).
 */
import { createHash } from "node:crypto";
import type { Agent } from "undici";
import { LangSmithClient, loadUndici, type LangSmithClientOptions } from "../langsmith/index.js";
import type { Logger } from "../log.js";
import { ProjectResolver } from "../langsmith/project-resolver.js";
import { keyScopedLogger } from "./key-scoped-logger.js";

export const API_KEY_HEADER = "x-langsmith-api-key";
/** What a 401 on a caller's own key tells them to check (not the server's LANGSMITH_API_KEY). */
const KEY_SOURCE = "the key sent in the X-LangSmith-Api-Key header";

/** Enough for every user of a team server; the least recently used key is rebuilt on return. */
const MAX_CACHED_KEYS = 256;
/** LangSmith keys are ~50 characters; anything far longer or with spaces is not one. */
const KEY_SHAPE = /^[\x21-\x7e]{8,512}$/;

export interface LangSmithAccess {
  client: LangSmithClient;
  projects: ProjectResolver;
  /** Values to redact from tool output of this request. */
  secrets: readonly string[];
  /** Identifies the key without holding it (sessions are bound to the key they opened with). */
  fingerprint: string;
}

export type AccessResult = { ok: true; access: LangSmithAccess } | { ok: false; reason: "missing" | "malformed" };

export const fingerprintOf = (key: string): string => createHash("sha256").update(key, "utf8").digest("base64url");

export class LangSmithClients {
  private readonly byFingerprint = new Map<string, LangSmithAccess>();
  /** Made on the first request of any key (undici is loaded then, not at startup). */
  private sharedPool: Promise<Agent> | undefined;
  private readonly pool = (): Promise<Agent> => (this.sharedPool ??= loadUndici().then(({ Agent }) => new Agent(this.poolOptions)));
  private readonly poolOptions: Agent.Options;

  constructor(
    /** Options of the server's own client, minus the key; per-key clients reuse them. */
    private readonly options: Omit<LangSmithClientOptions, "apiKey" | "logger" | "dispatcher">,
    private readonly logger: Logger,
    /** The server's own access; undefined when it has no key and every request must bring one. */
    private readonly fallback: LangSmithAccess | undefined,
    private readonly now: () => number = Date.now,
  ) {
    // The same limits the server's own client sets on its private pool.
    const timeoutMs = options.timeoutMs ?? 30_000;
    this.poolOptions = {
      connections: 64,
      keepAliveTimeout: 10_000,
      connect: { timeout: 10_000 },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    };
  }

  /** Access for a request, from its `X-LangSmith-Api-Key` header value or the server's own key. */
  resolve(headerValue: string | string[] | undefined): AccessResult {
    const key = (Array.isArray(headerValue) ? headerValue[0] : headerValue)?.trim();
    if (!key) return this.fallback ? { ok: true, access: this.fallback } : { ok: false, reason: "missing" };
    if (!KEY_SHAPE.test(key)) return { ok: false, reason: "malformed" };
    const fingerprint = fingerprintOf(key);
    let access = this.byFingerprint.get(fingerprint);
    if (access) {
      // Refresh its place in the LRU order.
      this.byFingerprint.delete(fingerprint);
    } else {
      const client = new LangSmithClient({
        ...this.options,
        apiKey: key,
        keySource: KEY_SOURCE,
        dispatcher: this.pool,
        logger: keyScopedLogger(this.logger, [key]),
      });
      access = { client, projects: new ProjectResolver(client, this.now), secrets: [key], fingerprint };
    }
    this.byFingerprint.set(fingerprint, access);
    if (this.byFingerprint.size > MAX_CACHED_KEYS) this.byFingerprint.delete(this.byFingerprint.keys().next().value!);
    return { ok: true, access };
  }

  async close(): Promise<void> {
    this.byFingerprint.clear();
    if (this.sharedPool) await (await this.sharedPool).close();
  }
}
