/** The deletion ledger: interface, SQLite implementation, completion windows. */
export * from "./types.js";
export { openSqliteLedger, SqliteLedger } from "./sqlite-ledger.js";
export { expectedCompletionWindow } from "./completion-window.js";
