/**
 * Opening the ledger without letting it take the server down: the read tools never need it,
 * so a ledger that cannot be opened (unwritable directory, a directory path, a read-only or
 * damaged file, a full disk, a Postgres server that cannot be reached or refuses the login)
 * becomes one that answers every deletion call with the fault (where, what is wrong, how to
 * fix it), and the server starts anyway. A Postgres ledger tries again on a later call.
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
export async function openLedger(location: string, options: OpenOptions & { now?: () => number } = {}): Promise<OpenedLedger> {
  if (isPostgresUrl(location)) return openPostgres(location, options, options.now);
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

/** How long a Postgres ledger that could not be opened waits before a call tries again. */
export const POSTGRES_REOPEN_MS = 5_000;

/**
 * A Postgres ledger, or, when the server cannot be used yet (down, restarting, a database or
 * privilege still to be created), one that tries to open it again on a deletion call, at most
 * every POSTGRES_REOPEN_MS: a replica started before its database recovers without a restart.
 */
async function openPostgres(url: string, options: OpenOptions, now: () => number = Date.now): Promise<OpenedLedger> {
  const shown = redactLedgerUrl(url);
  const secrets = ledgerUrlSecrets(url);
  const attempt = async (): Promise<Ledger> => {
    try {
      const { openPostgresLedger } = await import("./postgres-ledger.js");
      return await openPostgresLedger(url, { readOnly: options.readOnly ?? false });
    } catch (error) {
      let message = error instanceof Error ? error.message : String(error);
      for (const secret of secrets) message = message.split(secret).join("[redacted]");
      throw (
        postgresFaultOf(shown, error, secrets) ??
        new LedgerFault(shown, `could not be opened (${message}).`, "Check --ledger / LANGSMITH_MCP_LEDGER_URL and restart.")
      );
    }
  };
  try {
    return { ledger: await attempt() };
  } catch (error) {
    if (!(error instanceof LedgerFault)) throw error;
    return { ledger: reopeningLedger(shown, error, attempt, now), fault: error };
  }
}

function reopeningLedger(location: string, firstFault: LedgerFault, open: () => Promise<Ledger>, now: () => number): Ledger {
  let fault = firstFault;
  let triedAt = now();
  let opened: Ledger | undefined;
  let opening: Promise<Ledger> | undefined;
  const current = async (): Promise<Ledger> => {
    if (opened) return opened;
    if (!opening) {
      if (now() - triedAt < POSTGRES_REOPEN_MS) throw fault;
      triedAt = now();
      opening = open().then(
        (ledger) => (opened = ledger),
        (error: unknown) => {
          if (error instanceof LedgerFault) fault = error;
          throw fault;
        },
      );
      opening.finally(() => (opening = undefined)).catch(() => undefined);
    }
    return opening;
  };
  return new Proxy({} as Ledger, {
    get(_target, property) {
      if (property === "location") return location;
      if (property === "then") return undefined;
      if (property === "close")
        return async () => {
          await opening?.catch(() => undefined);
          await opened?.close();
        };
      return async (...args: unknown[]) => {
        const ledger = await current();
        return (ledger[property as keyof Ledger] as (...a: unknown[]) => unknown).apply(ledger, args);
      };
    },
  });
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
