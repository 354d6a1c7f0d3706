/**
 * Reading purge records for one identity: a caller sees only the purges of its own workspace,
 * and a purge of another one reads as absent (its existence is not disclosed either).
 */
import { UserInputError } from "../errors.js";
import type { Ledger, PurgeRecord, UnreadablePurge } from "../ledger/index.js";
import { owns, type Identity } from "./identity.js";

export async function requireLedger(ledger: Ledger | undefined): Promise<Ledger> {
  if (!ledger) {
    throw new UserInputError(
      undefined,
      "this server was started without a deletion ledger, so it cannot record or verify purges.",
      "Start langsmith-mcp normally (it opens the ledger under your data directory) or pass --ledger <path>.",
    );
  }
  // A cheap read: a ledger that cannot be opened or read says so (path, what, fix) before any work.
  await ledger.countPurges();
  return ledger;
}

/** The purge if it exists and belongs to `identity`; else the same "no purge" error either way. */
export async function ownPurge(ledger: Ledger, identity: Identity, purgeId: string): Promise<PurgeRecord> {
  const purge = await ledger.getPurge(purgeId);
  if (!purge || !owns(identity, purge)) {
    throw new UserInputError(
      "purge_id",
      `no purge ${purgeId} in the ledger for this LangSmith workspace.`,
      "list_deletions shows the recorded purges.",
    );
  }
  return purge;
}

/** Purges of `identity`, newest first, with the rows that could not be read. */
export async function listOwn(
  ledger: Ledger,
  identity: Identity,
  page: { limit: number; offset: number },
): Promise<{ total: number; purges: PurgeRecord[]; unreadable: UnreadablePurge[] }> {
  const { purges, unreadable } = await ledger.listPurgesChecked({ ...page, scope: identity.scope });
  return { total: await ledger.countPurges(identity.scope), purges, unreadable };
}
