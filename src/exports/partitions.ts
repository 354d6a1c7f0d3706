/**
 * The UTC day partitions LangSmith splits an export's range into (contract §4.3: one export run
 * per UTC day of [start, end), start inclusive, end exclusive). The only partitioner on the
 * client side: create_export counts them, the diagnosis plans over them, the completeness check
 * reconciles them. Times are epoch milliseconds.
 */

export interface Interval {
  start: number;
  end: number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Cuts intervals at UTC midnights: the partitions LangSmith would run them as. */
export function utcDayPartitions(intervals: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const interval of intervals) {
    let start = interval.start;
    while (start < interval.end) {
      const end = Math.min(Math.floor(start / DAY_MS) * DAY_MS + DAY_MS, interval.end);
      out.push({ start, end });
      start = end;
    }
  }
  return out;
}

/** The partitions of [start, end) as ISO strings. */
export function dayPartitions(start: Date, end: Date): { start: string; end: string }[] {
  return utcDayPartitions([{ start: start.getTime(), end: end.getTime() }]).map((p) => ({
    start: new Date(p.start).toISOString(),
    end: new Date(p.end).toISOString(),
  }));
}
