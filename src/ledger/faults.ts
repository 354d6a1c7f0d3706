/**
 * What can go wrong with the ledger file, worded for the person who has to fix it: the path,
 * what is wrong, how to fix it. A ledger fault is the user's environment, not a bug: it is a
 * UserInputError so the server's error boundary passes the words on as they are.
 */
import { UserInputError } from "../errors.js";

export class LedgerFault extends UserInputError {
  constructor(
    readonly location: string,
    problem: string,
    fix: string,
  ) {
    super(undefined, `The deletion ledger at ${location} ${problem}`, fix);
  }
}

export const isLedgerFault = (error: unknown): error is LedgerFault => error instanceof LedgerFault;

/** The token of a plan was used by another call first (two confirmations of one token). */
export class TokenAlreadyUsed extends UserInputError {
  constructor(readonly purgeId: string | undefined) {
    super(
      "confirmation_token",
      `was already used${purgeId ? `: it queued purge ${purgeId}` : ""}. A token queues its plan once.`,
      purgeId
        ? `Check it with list_deletions or verify_deletion; to send its unsent batches call queue_deletion with purge_id "${purgeId}".`
        : "Check list_deletions for the purge it queued.",
    );
  }
}

const SET_LEDGER =
  "Point --ledger (LANGSMITH_MCP_LEDGER) at a writable file path, e.g. ~/.local/share/langsmith-mcp/ledger.sqlite, and restart the server.";

/**
 * Turns a SQLite or file-system error into a LedgerFault; undefined for anything else (a bug,
 * which should surface as one). Codes: SQLite's extended result codes as better-sqlite3
 * reports them, and Node's errno names from mkdir.
 */
export function ledgerFaultOf(location: string, error: unknown): LedgerFault | undefined {
  if (error instanceof LedgerFault) return error;
  const code = typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : "";
  const message = error instanceof Error ? error.message : String(error);
  if (code === "SQLITE_FULL" || code === "ENOSPC") {
    return new LedgerFault(
      location,
      "cannot be written: the disk is full.",
      "Free space on that disk (or move the ledger with --ledger), then retry; nothing was sent for the step that failed.",
    );
  }
  if (code.startsWith("SQLITE_READONLY") || code === "EROFS") {
    return new LedgerFault(
      location,
      "is read-only (the file, its directory or the file system does not allow writing).",
      `Make it writable (chmod u+w on the file and its directory) or ${SET_LEDGER.charAt(0).toLowerCase()}${SET_LEDGER.slice(1)}`,
    );
  }
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return new LedgerFault(
      location,
      "is not a readable SQLite database (damaged, or another kind of file).",
      "Move the file aside (keep it: it may be evidence), restart so a new ledger is created, and restore the old one from a backup if " +
        "you have one.",
    );
  }
  if (code === "EISDIR" || (/directory/i.test(message) && code.startsWith("SQLITE_CANTOPEN"))) {
    return new LedgerFault(location, "is a directory, not a file.", SET_LEDGER);
  }
  if (code === "EEXIST" || code === "ENOTDIR") {
    return new LedgerFault(location, `cannot be opened (${code}: a part of its directory path is a file, not a directory).`, SET_LEDGER);
  }
  if (code === "EACCES" || code === "EPERM" || code.startsWith("SQLITE_CANTOPEN") || code === "SQLITE_PERM" || code === "SQLITE_AUTH") {
    return new LedgerFault(
      location,
      `cannot be opened (${code}: the file or its directory is missing, not a directory, or not writable).`,
      SET_LEDGER,
    );
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new LedgerFault(
      location,
      "is locked by another process for longer than the 5 s wait.",
      "Retry in a moment; if it stays locked, find the process holding it (another langsmith-mcp or a sqlite3 shell).",
    );
  }
  if (code.startsWith("SQLITE_IOERR")) {
    return new LedgerFault(
      location,
      `could not be read or written (${code}).`,
      `Check the disk and the file's permissions; ${SET_LEDGER.charAt(0).toLowerCase()}${SET_LEDGER.slice(1)}`,
    );
  }
  if (code.startsWith("SQLITE_")) {
    return new LedgerFault(location, `failed (${code}: ${message}).`, SET_LEDGER);
  }
  return undefined;
}
