/**
 * Where the HTTP transport listens, and which `Host` header values name it. Loopback is the
 * default because a local MCP server reachable from the network is the attack the MCP
 * transport guidance warns about; a non-loopback bind is only allowed with a bearer token
 * (enforced in config.ts, so a misconfiguration fails at startup, not at the first request).
 */
import { isIP } from "node:net";

export const DEFAULT_HTTP_HOST = "127.0.0.1";
export const DEFAULT_HTTP_PORT = 3333;

/** The names a browser or client may use for this machine's loopback interface. */
const LOOPBACK_NAMES: readonly string[] = ["localhost", "127.0.0.1", "[::1]"];

/** Strips the brackets of an IPv6 literal (`[::1]` → `::1`). */
const unbracket = (host: string): string => (host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host);

/** True for `localhost`, any 127.0.0.0/8 address and `::1`: addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = unbracket(host.trim().toLowerCase());
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (isIP(bare) === 6) return bare === "::1" || bare === "0:0:0:0:0:0:0:1";
  return false;
}

/** True for a bind on every interface (`0.0.0.0`, `::`), where the Host header names cannot be known. */
export function isWildcardHost(host: string): boolean {
  const bare = unbracket(host.trim());
  return bare === "0.0.0.0" || bare === "::" || bare === "";
}

/** How a host is written inside a URL or a Host header (`::1` → `[::1]`). */
export const hostForUrl = (host: string): string => (isIP(unbracket(host)) === 6 ? `[${unbracket(host)}]` : host);

/**
 * The host names (without port) that requests must carry in `Host`: the bound name, the loopback
 * aliases when bound to loopback, and any names the operator added (a reverse proxy's name).
 * `undefined` means "any": a wildcard bind without configured names, where the bearer token,
 * not the Host header, is what keeps a rebinding page out.
 */
export function allowedHostNames(bindHost: string, extra: readonly string[]): ReadonlySet<string> | undefined {
  if (isWildcardHost(bindHost) && extra.length === 0) return undefined;
  const names = new Set(extra.map((name) => name.toLowerCase()));
  if (!isWildcardHost(bindHost)) names.add(hostForUrl(bindHost).toLowerCase());
  if (isLoopbackHost(bindHost)) for (const name of LOOPBACK_NAMES) names.add(name);
  return names;
}
