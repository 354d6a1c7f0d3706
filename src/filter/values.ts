/** Literal value formats the filter language accepts beyond plain JSON scalars. */

const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Epoch milliseconds of an ISO 8601 timestamp (`2024-05-01`, `2024-05-01T12:00:00Z`,
 * `2024-05-01T12:00:00.123+02:00`), or undefined when the text is not one. A timestamp
 * without a zone is UTC, as LangSmith stores and compares times in UTC. Calendar fields are
 * range-checked (no 2024-02-30) rather than left to Date's lenient rollover.
 */
export function parseIsoTimestamp(text: string): number | undefined {
  const m = ISO_TIMESTAMP.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const [offsetHours, offsetMins] = [Number(m[10]), Number(m[11])];
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return utc - offsetMinutes * 60_000;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Seconds per unit of a latency duration string. */
export const DURATION_UNITS: Readonly<Record<string, number>> = Object.freeze({
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
});

const DURATION = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)$/i;
const PLAIN_NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Seconds denoted by `"500ms"`, `"5s"`, `"2.5m"`, `"1h"` or a bare number string; else undefined. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  const m = DURATION.exec(trimmed);
  if (m) {
    const unit = DURATION_UNITS[(m[2] ?? "").toLowerCase()];
    return unit === undefined ? undefined : Number(m[1]) * unit;
  }
  return parseNumericString(trimmed);
}

/** The number a string spells (`"0.01"`, `"12"`), or undefined. */
export function parseNumericString(text: string): number | undefined {
  const trimmed = text.trim();
  if (!PLAIN_NUMBER.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}
