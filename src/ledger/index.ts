/** The deletion ledger: interface, SQLite implementation, faults, completion windows. */
export * from "./types.js";
export { openSqliteLedger, SqliteLedger } from "./sqlite-ledger.js";
export { traceSetDigest, eventHash, GENESIS_HASH, cutBatches, type CutBatch } from "./rows.js";
export { openLedger, unavailableLedger, type OpenedLedger } from "./open-ledger.js";
export { lazyLedger } from "./lazy-ledger.js";
export { isPostgresUrl, redactLedgerUrl, ledgerUrlSecrets } from "./postgres-url.js";
export { LedgerFault, TokenAlreadyUsed, isLedgerFault, ledgerFaultOf } from "./faults.js";
export { expectedCompletionWindow } from "./completion-window.js";
