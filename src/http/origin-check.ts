/**
 * DNS-rebinding and cross-site protection, second half: browsers stamp every cross-origin
 * request with `Origin`. Only non-browser clients (which send none), the server's own origin
 * and origins the operator listed may call; any other Origin gets 403 before anything runs.
 */

/** `scheme://host[:port]` in lowercase, default ports dropped; undefined when not a URL origin. */
export function normaliseOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return `${url.protocol}//${url.host}`.toLowerCase();
  } catch {
    return undefined;
  }
}

export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[]) {
    this.allowed = new Set(allowedOrigins.map((o) => normaliseOrigin(o)).filter((o): o is string => o !== undefined));
  }

  /**
   * `hostHeader` is the request's (already validated) Host: an Origin naming exactly it is the
   * server's own origin. `null` (sandboxed frames, file: pages) is never allowed.
   */
  allows(origin: string | undefined, hostHeader: string | undefined): boolean {
    if (origin === undefined) return true;
    const normalised = normaliseOrigin(origin);
    if (!normalised) return false;
    if (this.allowed.has(normalised)) return true;
    return hostHeader !== undefined && new URL(normalised).host === hostHeader.trim().toLowerCase();
  }
}
