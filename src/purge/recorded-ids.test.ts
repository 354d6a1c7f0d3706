/**
 * The recorded-ids cache against a stand-in ledger that only answers `traceIds` from fixed
 * lists and counts the reads: the cache, not the ledger, is under test here (the ledger's
 * own reads are covered by test/support/ledger-contract.ts).
 */
import { describe, expect, it } from "vitest";
import type { Ledger } from "../ledger/index.js";
import { RecordedIdsCache } from "./recorded-ids.js";

const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => id(from + i));

function listLedger(lists: Record<string, string[]>): Ledger & { reads: string[] } {
  const reads: string[] = [];
  const ledger = {
    reads,
    traceIds: async (purgeId: string) => {
      reads.push(purgeId);
      return [...(lists[purgeId] ?? [])];
    },
  };
  return ledger as unknown as Ledger & { reads: string[] };
}

describe("recorded ids in memory", () => {
  it("reads a purge's ids from the ledger once, and answers the same list and positions after", async () => {
    const ids = range(1, 5);
    const ledger = listLedger({ purge_a: ids });
    const cache = new RecordedIdsCache(100);
    const first = await cache.get(ledger, "purge_a");
    const second = await cache.get(ledger, "purge_a");
    expect(ledger.reads).toEqual(["purge_a"]);
    expect(second.ids).toEqual(ids);
    expect([...second.position]).toEqual(ids.map((x, i) => [x, i]));
    expect(second).toBe(first);
    expect(second.unique).toBe(true);
  });

  it("keeps the entries of two ledgers apart, even under one purge id", async () => {
    const one = listLedger({ purge_1: range(1, 3) });
    const other = listLedger({ purge_1: range(100, 2) });
    const cache = new RecordedIdsCache(100);
    await cache.get(one, "purge_1");
    expect((await cache.get(other, "purge_1")).ids).toEqual(range(100, 2));
    expect((await cache.get(one, "purge_1")).ids).toEqual(range(1, 3));
    expect([one.reads, other.reads]).toEqual([["purge_1"], ["purge_1"]]);
  });

  it("holds at most its bound of ids, dropping the least recently used purge first", async () => {
    const ledger = listLedger({ a: range(1, 4), b: range(10, 4), c: range(20, 4), big: range(30, 11) });
    const cache = new RecordedIdsCache(10);
    await cache.get(ledger, "a");
    await cache.get(ledger, "b");
    await cache.get(ledger, "a"); // a is now the more recent of the two
    await cache.get(ledger, "c"); // 12 ids: b goes
    expect(cache.size).toBe(8);
    ledger.reads.length = 0;
    await cache.get(ledger, "a");
    await cache.get(ledger, "c");
    expect(ledger.reads).toEqual([]);
    await cache.get(ledger, "b");
    expect(ledger.reads).toEqual(["b"]);
    // Larger than the whole bound: answered, never kept, nothing else dropped for it.
    ledger.reads.length = 0;
    expect((await cache.get(ledger, "big")).ids).toHaveLength(11);
    await cache.get(ledger, "big");
    expect(ledger.reads).toEqual(["big", "big"]);
    expect(cache.size).toBe(8);
  });

  it("does not keep an empty answer (a purge not recorded yet), and says when an id repeats", async () => {
    const lists: Record<string, string[]> = {};
    const ledger = listLedger(lists);
    const cache = new RecordedIdsCache(100);
    expect((await cache.get(ledger, "later")).ids).toEqual([]);
    lists["later"] = [id(1), id(2), id(1)];
    const recorded = await cache.get(ledger, "later");
    expect(recorded.ids).toEqual([id(1), id(2), id(1)]);
    expect(recorded.unique).toBe(false);
    expect(recorded.position.get(id(1))).toBe(0);
  });
});
