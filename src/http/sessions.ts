/**
 * Session mode (--sessions): one MCP server and transport per client session, addressed by
 * the Mcp-Session-Id the transport issues. Bounded twice: sessions idle longer than the
 * timeout are closed, and no more than `maxSessions` are open at once, so clients that
 * never send DELETE cannot exhaust the server.
 */
import { createHash } from "node:crypto";
import type { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";
import type { McpServer } from "@modelcontextprotocol/server";

/**
 * How a session is named in logs: a session id is a bearer credential (whoever holds it
 * speaks in that session), so logs carry 12 hex digits of its sha256, enough to follow one
 * session through a log and useless for taking it over.
 */
export const sessionRef = (id: string): string => createHash("sha256").update(id, "utf8").digest("hex").slice(0, 12);

export interface Session {
  readonly id: string;
  readonly server: McpServer;
  readonly transport: NodeStreamableHTTPServerTransport;
  /** The LangSmith key the session was opened with; later requests must carry the same. */
  readonly keyFingerprint: string;
  /** Opened with only the read scope: its server offers the read tools only. */
  readonly readOnly: boolean;
  lastActive: number;
  /** Requests of this session being served; a session is never idle while one runs. */
  active: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly idleMs: number,
    readonly maxSessions: number,
    private readonly onExpire: (session: Session) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(250, Math.min(idleMs / 4, 30_000)));
    // The sweeper must not keep a shutting-down process alive.
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  get full(): boolean {
    return this.sessions.size >= this.maxSessions;
  }

  add(session: Session): void {
    this.sessions.set(session.id, session);
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  remove(id: string): void {
    this.sessions.delete(id);
  }

  /** Closes every session idle for longer than the timeout. */
  sweep(): void {
    const cutoff = this.now() - this.idleMs;
    for (const session of [...this.sessions.values()]) {
      if (session.active === 0 && session.lastActive < cutoff) {
        this.sessions.delete(session.id);
        this.onExpire(session);
      }
    }
  }

  /** Stops the sweeper and hands back every open session for closing. */
  drain(): Session[] {
    clearInterval(this.sweeper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    return all;
  }
}
