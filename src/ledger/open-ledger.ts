/**
 * Opening the ledger without letting it take the server down: the read tools never need it,
 * so a ledger that cannot be opened (unwritable directory, a directory path, a read-only or
 * damaged file, a full disk) becomes one that answers every deletion call with the fault
 * (path, what is wrong, how to fix it), and the server starts anyway.
 */
import { LedgerFault, ledgerFaultOf } from "./faults.js";
import { openSqliteLedger, type OpenOptions } from "./sqlite-ledger.js";
import type { Ledger } from "./types.js";

export interface OpenedLedger {
  ledger: Ledger;
  /** Why the ledger is unavailable; undefined when it opened. */
  fault?: LedgerFault;
}

export async function openLedger(path: string, options: OpenOptions = {}): Promise<OpenedLedger> {
  try {
    return { ledger: openSqliteLedger(path, options) };
  } catch (error) {
    const fault =
      ledgerFaultOf(path, error) ??
      new LedgerFault(
        path,
        `could not be opened (${error instanceof Error ? error.message : String(error)}).`,
        "Point --ledger at another file and restart.",
      );
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
