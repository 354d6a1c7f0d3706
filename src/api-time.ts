/**
 * LangSmith writes times in two styles: v2 RFC 3339 with a zone (`2026-11-29T10:00:00.123456Z`),
 * v1 (FastAPI) naive UTC (`2026-11-29T10:00:00.123456`), which JavaScript would read as local
 * time. Both carry microseconds, which a JavaScript Date cannot hold: a time that goes back to
 * LangSmith (v2 GET run matches start_time exactly) must stay a string, never pass through Date.
 */
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const PARTS = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2}))?(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Epoch milliseconds of an API timestamp, naive ones taken as UTC; NaN when unreadable. */
export function apiTimeMs(value: string): number {
  return Date.parse(HAS_ZONE.test(value) ? value : `${value}Z`);
}

/** An API timestamp as RFC 3339 UTC (`…Z`) at millisecond precision, or null when absent or unreadable. */
export function apiTimeIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = apiTimeMs(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * An API timestamp in one lossless form, RFC 3339 UTC with milliseconds and, when present,
 * microseconds (and nanoseconds): `2026-11-29T10:00:00.000Z`, `2026-11-29T10:00:00.123456Z`.
 * v1's naive times are UTC; an offset is moved to UTC without touching the fraction. So v1 and
 * v2 answers for the same run read the same, and a time can be passed back to LangSmith as is.
 * Null when absent or unreadable.
 */
export function apiTimestamp(value: string | null | undefined): string | null {
  if (!value) return null;
  if (isCanonical(value)) return value;
  const m = PARTS.exec(value.trim());
  if (!m) return null;
  const [, date, hm, seconds = "00", digits = "", zone = "Z"] = m;
  const base = Date.parse(`${date}T${hm}:${seconds}${/^z$/i.test(zone) ? "Z" : zone}`);
  if (Number.isNaN(base)) return null;
  return `${new Date(base).toISOString().slice(0, 19)}.${fraction(digits)}Z`;
}

/** The last `YYYY-MM-DDTHH` found valid: a page's times share a few hours, so the Date work is done once per hour. */
let validHour = "";

/**
 * Whether `value` is already what apiTimestamp would return (the v2 form, every run's time,
 * `2026-11-29T10:00:00.123456Z`): `YYYY-MM-DDTHH:MM:SS.` then 3, 6 or 9 digits and `Z`, minutes
 * and seconds below 60, a fraction not ending in a zero group, and a date and hour that survive
 * Date's round trip. The slow path gives the same answer for it, only slower. Read char by char
 * (no match array, no substrings: every time of every run of a page passes here).
 */
function isCanonical(value: string): boolean {
  const n = value.length;
  if ((n !== 24 && n !== 27 && n !== 30) || value.charCodeAt(n - 1) !== 90 /* Z */) return false;
  if (!hasTimeShape(value, n - 1)) return false;
  // Minutes and seconds below 60; a fraction ending in a zero group is written shorter by apiTimestamp.
  if (value.charCodeAt(14) > 53 || value.charCodeAt(17) > 53 || (n > 24 && value.endsWith("000Z"))) return false;
  if (validHour !== "" && value.startsWith(validHour)) return true;
  const hour = value.slice(0, 13);
  const ms = Date.parse(`${hour}:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 13) !== hour) return false;
  validHour = hour;
  return true;
}

/** Char codes at the fixed positions of `YYYY-MM-DDTHH:MM:SS.` (0, or past its end: a digit goes there). */
const TIME_SEPARATORS = new Uint8Array(20);
for (const [at, char] of [
  [4, "-"],
  [7, "-"],
  [10, "T"],
  [13, ":"],
  [16, ":"],
  [19, "."],
] as const)
  TIME_SEPARATORS[at] = char.charCodeAt(0);

/**
 * Whether the first `end` chars of `value` are those of `YYYY-MM-DDTHH:MM:SS.` and digits after
 * it: the shape of a time, read char by char (no match array, no substrings), for checks run on
 * every time of every run of a page. Values of the fields are not checked (a 13th month passes).
 */
export function hasTimeShape(value: string, end: number): boolean {
  if (end > value.length) return false;
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i);
    const separator = TIME_SEPARATORS[i] ?? 0;
    if (separator !== 0 ? c !== separator : c < 48 || c > 57) return false;
  }
  return true;
}

/** Fraction digits in groups of three, at least milliseconds, without trailing zero groups. */
function fraction(digits: string): string {
  let text = digits.padEnd(Math.max(3, Math.ceil(digits.length / 3) * 3), "0");
  while (text.length > 3 && text.endsWith("000")) text = text.slice(0, -3);
  return text;
}

/** Epoch microseconds of an API timestamp (exact below 2^53, i.e. until the year 2255); NaN when unreadable. */
export function apiTimeMicros(value: string | null | undefined): number {
  const canonical = apiTimestamp(value);
  if (!canonical) return NaN;
  const micros = canonical.slice(20, -1).padEnd(6, "0").slice(0, 6);
  return Date.parse(`${canonical.slice(0, 19)}Z`) * 1000 + Number(micros);
}

/**
 * A time the user gave for LangSmith to match exactly: sent as written, except that a naive
 * one (copied from a v1 answer) gets the `Z` it implies, because RFC 3339 requires a zone.
 */
export function exactApiTime(value: string): string {
  const text = value.trim();
  return HAS_ZONE.test(text) ? text : `${text}Z`;
}
