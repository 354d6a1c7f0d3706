/**
 * Opening the ledger without letting it take the server down: the read tools never need it,
 * so a ledger that cannot be opened (unwritable directory, a directory path, a read-only or
 * damaged file, a full disk, a Postgres server that cannot be reached or refuses the login)
 * becomes one that answers every deletion call with the fault (where, what is wrong, how to
 * fix it), and the server starts anyway.
 *
 * The back end is chosen by the location: `postgres://…` / `postgresql://…` is a shared ledger
 * on a PostgreSQL server (replicas), anything else a SQLite file (or `:memory:`). The Postgres
 * module and its driver are loaded only for a Postgres URL.
 */
import { LedgerFault, ledgerFaultOf } from "./faults.js";
import { isPostgresUrl, ledgerUrlSecrets, postgresFaultOf, redactLedgerUrl } from "./postgres-url.js";
import { openSqliteLedger, type OpenOptions } from "./sqlite-ledger.js";
import type { Ledger } from "./types.js";

export interface OpenedLedger {
  ledger: Ledger;
  /** Why the ledger is unavailable; undefined when it opened. */
  fault?: LedgerFault;
}

/**
 * Opens the ledger at `location` (a SQLite path, `:memory:` or a Postgres URL). Never throws
 * for the environment's faults: they come back as `fault`, with a ledger that reports it.
 * `ledger.location` and `fault.location` never carry a password.
 */
export async function openLedger(location: string, options: OpenOptions = {}): Promise<OpenedLedger> {
  if (isPostgresUrl(location)) return openPostgres(location, options);
  try {
    return { ledger: openSqliteLedger(location, options) };
  } catch (error) {
    const fault =
      ledgerFaultOf(location, error) ??
      new LedgerFault(
        location,
        `could not be opened (${error instanceof Error ? error.message : String(error)}).`,
        "Point --ledger at another file and restart.",
      );
    return { ledger: unavailableLedger(fault), fault };
  }
}

async function openPostgres(url: string, options: OpenOptions): Promise<OpenedLedger> {
  const shown = redactLedgerUrl(url);
  try {
    const { openPostgresLedger } = await import("./postgres-ledger.js");
    return { ledger: await openPostgresLedger(url, { readOnly: options.readOnly ?? false }) };
  } catch (error) {
    const secrets = ledgerUrlSecrets(url);
    let message = error instanceof Error ? error.message : String(error);
    for (const secret of secrets) message = message.split(secret).join("[redacted]");
    const fault =
      postgresFaultOf(shown, error, secrets) ??
      new LedgerFault(shown, `could not be opened (${message}).`, "Check --ledger / LANGSMITH_MCP_LEDGER_URL and restart.");
    return { ledger: unavailableLedger(fault), fault };
  }
}

/** A ledger whose every call rejects with `fault`; `location` and `close` still work. */
export function unavailableLedger(fault: LedgerFault): Ledger {
  return new Proxy({} as Ledger, {
    get(_target, property) {
      if (property === "location") return fault.location;
      if (property === "close") return async () => undefined;
      if (property === "then") return undefined;
      return () => Promise.reject(fault);
    },
  });
}
