/**
 * DNS-rebinding protection, first half: a page on evil.example that re-resolves its name to
 * 127.0.0.1 still sends `Host: evil.example`, so a request must name this server. The SDK's
 * own Host/Origin options are deprecated; this check is the server's job.
 */

/** The host name of a Host header value, lowercased, port dropped (`[::1]:3333` → `[::1]`). */
export function hostNameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    return end === -1 ? value : value.slice(0, end + 1);
  }
  const colon = value.indexOf(":");
  return colon === -1 ? value : value.slice(0, colon);
}

/** True when the Host header names this server; `allowed` undefined accepts any name (wildcard bind). */
export function isHostAllowed(hostHeader: string | undefined, allowed: ReadonlySet<string> | undefined): boolean {
  if (!allowed) return true;
  if (!hostHeader) return false;
  return allowed.has(hostNameOf(hostHeader));
}
