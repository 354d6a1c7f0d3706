/**
 * A ledger URL (`postgres://user:password@host:5432/db`) without its secrets, and what can go
 * wrong with a Postgres ledger, worded for the person who fixes it. Loaded without the `pg`
 * driver: the SQLite path never needs either.
 */
import { LedgerFault } from "./faults.js";

/** `postgres://` or `postgresql://`: the ledger lives on a PostgreSQL server. */
export const isPostgresUrl = (location: string): boolean => /^postgres(?:ql)?:\/\//i.test(location.trim());

/** Query parameters of a libpq/pg URL that carry a secret (or a path to one). */
const SECRET_PARAMS = /^(?:password|passfile|sslpassword|sslkey|sslcert|sslrootcert)$/i;

/**
 * The URL as messages and logs may show it: no password, no secret parameters, the user name
 * kept (it says which role to check). An URL that cannot be parsed shows only its scheme.
 */
export function redactLedgerUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return `${url.trim().split(":")[0]}://(an URL that could not be parsed)`;
  }
  if (parsed.password) parsed.password = "";
  for (const name of [...parsed.searchParams.keys()]) if (SECRET_PARAMS.test(name)) parsed.searchParams.set(name, "redacted");
  return parsed.toString();
}

/** The secrets of a ledger URL (password, secret parameters), to redact from any message. */
export function ledgerUrlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url.trim());
    const out = [decodeURIComponent(parsed.password), parsed.password];
    for (const [name, value] of parsed.searchParams) if (SECRET_PARAMS.test(name)) out.push(value);
    return [...new Set(out.filter((s) => s.length >= 3))];
  } catch {
    return [url];
  }
}

const CHECK_URL = "Check --ledger / LANGSMITH_MCP_LEDGER_URL (postgres://user:password@host:5432/database) and restart the server.";

/**
 * Turns a `pg` or network error into a LedgerFault; undefined for anything else (a bug). Codes:
 * PostgreSQL's SQLSTATEs (appendix A of its manual) and Node's errno names. `secrets` are cut
 * from any server text quoted.
 */
export function postgresFaultOf(location: string, error: unknown, secrets: readonly string[] = []): LedgerFault | undefined {
  if (error instanceof LedgerFault) return error;
  const code = typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : "";
  let message = error instanceof Error ? error.message : String(error);
  for (const secret of secrets) message = message.split(secret).join("[redacted]");
  if (
    ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ECONNRESET", "EPIPE"].includes(code) ||
    isLostConnection(message)
  ) {
    return new LedgerFault(
      location,
      `cannot be reached (${code || message}).`,
      `Check that the PostgreSQL server is running and reachable from this host; nothing was sent for the step that failed. ${CHECK_URL}`,
    );
  }
  if (code === "28P01" || code === "28000") {
    return new LedgerFault(location, "refused the login (wrong user or password, or no access from this host).", CHECK_URL);
  }
  if (code === "3D000") {
    return new LedgerFault(
      location,
      "names a database that does not exist.",
      "Create it (e.g. `createdb langsmith_mcp`) or name another one in the URL, then restart the server.",
    );
  }
  if (code === "42501") {
    return new LedgerFault(
      location,
      `refused an operation: the user lacks a privilege (${message}).`,
      "Grant the user CREATE on the database's schema and read/write on the ledger's tables (or start the server once as the owner to " +
        "create them).",
    );
  }
  if (code === "25006") {
    return new LedgerFault(
      location,
      "is read-only (a read-only transaction, role or standby).",
      "Point the URL at the primary, or start the server with --read-only to list and report without writing.",
    );
  }
  if (code === "53100") {
    return new LedgerFault(
      location,
      "cannot be written: the database server's disk is full.",
      "Free space on the server, then retry; nothing was sent for the step that failed.",
    );
  }
  if (code === "57P01" || code === "57P02" || code === "57P03" || code === "53300") {
    return new LedgerFault(location, `is not accepting connections now (${code}: ${message}).`, "Retry in a moment.");
  }
  if (code === "40P01" || code === "40001" || code === "55P03") {
    return new LedgerFault(
      location,
      `gave way to another replica's write (${code}).`,
      "Retry the call; nothing was sent for the step that failed.",
    );
  }
  if (/^[0-9A-Z]{5}$/.test(code)) {
    return new LedgerFault(location, `failed (SQLSTATE ${code}: ${message}).`, CHECK_URL);
  }
  return undefined;
}

const isLostConnection = (message: string): boolean =>
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONN/i.test(message);
