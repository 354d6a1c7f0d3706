/**
 * Half-open UTC intervals [start, end) in epoch milliseconds, as exports use them (contract
 * §4.2: start inclusive, end exclusive; one run per UTC day partition, §4.3).
 */

import { apiTimeMs } from "../api-time.js";
import { DAY_MS, HOUR_MS, utcDayPartitions, type Interval } from "../exports/partitions.js";

export { DAY_MS, HOUR_MS, type Interval };

/** ISO timestamps; one without a zone designator is read as UTC, as LangSmith writes them. */
export const parseUtc = (iso: string): number => apiTimeMs(iso.trim());

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

export const hoursOf = (interval: Interval): number => (interval.end - interval.start) / HOUR_MS;

/** Sorted, and touching or overlapping intervals joined. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last && next.start <= last.end) last.end = Math.max(last.end, next.end);
    else merged.push({ ...next });
  }
  return merged;
}

/** `range` minus every interval of `removed`. */
export function subtractIntervals(range: Interval, removed: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let cursor = range.start;
  for (const cut of mergeIntervals(removed)) {
    if (cut.end <= cursor) continue;
    if (cut.start >= range.end) break;
    if (cut.start > cursor) out.push({ start: cursor, end: Math.min(cut.start, range.end) });
    cursor = Math.max(cursor, cut.end);
  }
  if (cursor < range.end) out.push({ start: cursor, end: range.end });
  return out;
}

/** Cuts intervals at UTC midnights: the partitions LangSmith would run them as (the export state's partitioner). */
export const splitAtUtcDays = utcDayPartitions;

/** Consecutive pieces of `pieceMs` from the start; the last one ends at the interval's end. */
export function chunkInterval(interval: Interval, pieceMs: number): Interval[] {
  const out: Interval[] = [];
  for (let start = interval.start; start < interval.end; start += pieceMs) {
    out.push({ start, end: Math.min(start + pieceMs, interval.end) });
  }
  return out;
}

/** "2026-11-20" for a whole UTC day, else "2026-11-20T06:00Z–2026-11-20T12:00Z". */
export function describeInterval(interval: Interval): string {
  const day = toIso(interval.start).slice(0, 10);
  if (interval.start % DAY_MS === 0 && interval.end - interval.start === DAY_MS) return day;
  const short = (ms: number): string =>
    toIso(ms)
      .replace(/:00\.000Z$/, "Z")
      .replace(/\.000Z$/, "Z");
  return `${short(interval.start)}–${short(interval.end)}`;
}
