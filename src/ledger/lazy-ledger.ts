/**
 * A ledger opened on its first use. Most sessions never touch a deletion tool, and opening the
 * ledger costs a cold start the native SQLite module (or the Postgres driver and a connection),
 * the file and its migrations; so the server starts with this stand-in and `open` runs when a
 * deletion tool, a ledger resource or a purge-id completion first asks. Which backend `open`
 * picks is its own business (openLedger: by the location).
 *
 * A ledger that cannot be opened is reported then, not at startup: `open` is expected to
 * resolve to a ledger that answers every call with the fault (openLedger does), and the
 * deletion tool that asked says what is wrong and how to fix it.
 */
import type { Ledger } from "./types.js";

/**
 * A Ledger that calls `open` once, on the first call of any method (every Ledger method
 * returns a Promise, so the stand-in's do too); `location` and `close` never open it.
 */
export function lazyLedger(location: string, open: () => Promise<Ledger>): Ledger {
  let opening: Promise<Ledger> | undefined;
  let opened: Ledger | undefined;
  return new Proxy({} as Ledger, {
    get(_target, property) {
      if (property === "location") return opened?.location ?? location;
      if (property === "close") return async () => (opening ? (await opening).close() : undefined);
      // Not a thenable: `await` on the ledger must not open it.
      if (property === "then") return undefined;
      return async (...args: unknown[]) => {
        opening ??= open().then((ledger) => (opened = ledger));
        const ledger = await opening;
        const method = ledger[property as keyof Ledger] as (...a: unknown[]) => unknown;
        return method.apply(ledger, args);
      };
    },
  });
}
