/**
 * A purge's recorded trace ids, kept in memory after the first read: an agent polling a purge
 * over the weekend re-checks the same ids each time, and reading 10,000 rows from the ledger
 * was a check's largest cost after the queries themselves (about 2 ms of 33).
 *
 * Safe to keep because the ids never change: a purge and its traces are written in one
 * transaction (createPurge) and no ledger method updates or deletes them afterwards, so an id
 * list read once is the list any replica sharing the ledger would read later. A purge first
 * seen here is read from the ledger, so one recorded by another process is found too.
 *
 * This cache holds no permission of its own: callers reach it with a purge they were already
 * allowed to see (verify_deletion asks `ownPurge` first), and an entry is the same list
 * `ledger.traceIds` would answer, for the same ledger object (a WeakMap key, so two ledgers
 * never share entries, even when both are `:memory:`).
 */
import type { Ledger } from "../ledger/index.js";
import { chunks } from "./client.js";
import { PURGE_LIMITS } from "./limits.js";

/** A purge's trace ids in recorded order, and where each stands in it. */
export interface RecordedIds {
  readonly ids: readonly string[];
  /** Each id's position in `ids` (its first, if the list repeats it: then `unique` is false). */
  readonly position: ReadonlyMap<string, number>;
  /** No id is recorded twice (so one mark per position counts each visible id once). */
  readonly unique: boolean;
  /**
   * `ids` cut into the re-query's chunks (PURGE_LIMITS.idsPerQuery), frozen: the client tests and
   * lower-cases a frozen list once (langsmith/validate.ts), not on every check.
   */
  readonly chunks: ReadonlyArray<readonly string[]>;
}

/**
 * Ids kept in all, across purges and ledgers: about 100 bytes each with the index, so 10 MB
 * at most. A purge larger than this is read on every check; its ~200 rate-limited queries
 * (15 per 10 s) dwarf the read anyway.
 */
export const MAX_CACHED_IDS = 100_000;

export class RecordedIdsCache {
  /** Insertion order is recency order: a hit is moved to the end, eviction takes from the front. */
  private readonly entries = new Map<string, RecordedIds>();
  private readonly ledgerKeys = new WeakMap<Ledger, number>();
  private nextLedgerKey = 0;
  private held = 0;

  constructor(private readonly maxIds: number = MAX_CACHED_IDS) {}

  /** The purge's ids, from memory when read before through the same ledger. */
  async get(ledger: Ledger, purgeId: string): Promise<RecordedIds> {
    const key = `${this.ledgerKey(ledger)}:${purgeId}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const recorded = indexed(await ledger.traceIds(purgeId));
    // An empty list is not kept: a purge's traces arrive with it, so none means no such purge (yet).
    if (recorded.ids.length === 0 || recorded.ids.length > this.maxIds) return recorded;
    // Two checks of one purge at once both read it; the first to finish is kept.
    const raced = this.entries.get(key);
    if (raced) return raced;
    this.entries.set(key, recorded);
    this.held += recorded.ids.length;
    for (const [oldest, entry] of this.entries) {
      if (this.held <= this.maxIds) break;
      this.entries.delete(oldest);
      this.held -= entry.ids.length;
    }
    return recorded;
  }

  /** Ids held now, across entries. */
  get size(): number {
    return this.held;
  }

  private ledgerKey(ledger: Ledger): number {
    let key = this.ledgerKeys.get(ledger);
    if (key === undefined) {
      key = this.nextLedgerKey++;
      this.ledgerKeys.set(ledger, key);
    }
    return key;
  }
}

function indexed(ids: readonly string[]): RecordedIds {
  const position = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) if (!position.has(ids[i]!)) position.set(ids[i]!, i);
  const cut = Object.freeze(chunks(ids, PURGE_LIMITS.idsPerQuery).map((chunk) => Object.freeze(chunk)));
  return { ids, position, unique: position.size === ids.length, chunks: cut };
}
