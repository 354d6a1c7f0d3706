import * as chrono from "chrono-node";
import { UserInputError } from "../errors.js";

/** Units an agent may use for a time back from now ("30m", "24h", "7d", "2w"). */
const RELATIVE_UNITS_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const RELATIVE = /^(?:(?:last|past)\s+)?(\d+(?:\.\d+)?)\s*([smhdw])(?:\s+ago)?$/i;
// Checked by hand: Date rolls 2024-02-31 over to 2024-03-02, which would silently widen a window.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
// A span back from now ("3 days ago", "last 3 days", "past week") keeps the time of day;
// a day named without a time ("yesterday", "Monday", "Nov 20") means its start.
const SPAN_BACK = /\bago$|^(?:last|past|previous)\s+(?:\d+|an?|one|few)?\s*(?:second|minute|hour|day|week|month|year)s?$/i;
// "since Monday" and "from yesterday" name the same instant as the day alone.
const LEADING_WORD = /^(?:since|from|after|starting)\s+/i;

export const TIME_DESCRIPTION =
  'ISO 8601 (UTC unless an offset is given), "yesterday", "since Monday", "2 hours ago", "now", ' +
  'or a duration back from now ("24h", "7d").';

/** Parses an absolute or relative time, in UTC unless the text gives an offset; throws UserInputError naming `field`. */
export function parseTime(value: string, field: string, now: Date): Date {
  const text = value.trim().replace(/\s+/g, " ");
  if (text.toLowerCase() === "now") return new Date(now);
  const relative = RELATIVE.exec(text);
  if (relative) {
    const unit = RELATIVE_UNITS_MS[relative[2]!.toLowerCase()]!;
    return new Date(now.getTime() - Number(relative[1]) * unit);
  }
  const iso = ISO_DATE_TIME.exec(text);
  if (iso) return parseIso(iso, value, field);
  if (/^\d{4}-\d{1,2}-\d{1,2}\b/.test(text)) throw unreadable(value, field);
  return parsePhrase(text.replace(LEADING_WORD, ""), value, field, now);
}

function parseIso(m: RegExpExecArray, value: string, field: string): Date {
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((part) => Number(part ?? 0));
  const lastDay = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12) {
    throw new UserInputError(field, `"${value}" has no month ${month}.`, 'Months run 01–12, as in "2026-11-24".');
  }
  if (day! < 1 || day! > lastDay) {
    throw new UserInputError(
      field,
      `"${value}" is not a date: ${m[1]}-${m[2]} has ${lastDay} days.`,
      "Give a real calendar date; nothing was rounded to the next month.",
    );
  }
  if (hour! > 23 || minute! > 59 || second! > 59) {
    throw new UserInputError(field, `"${value}" is not a time of day.`, "Hours run 00–23, minutes and seconds 00–59.");
  }
  const date =
    m[4] === undefined
      ? `${m[1]}-${m[2]}-${m[3]}T00:00:00Z`
      : `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? "00"}${m[7] ?? ""}${offset(m[8])}`;
  const parsed = new Date(date);
  if (Number.isNaN(parsed.getTime())) throw unreadable(value, field);
  return parsed;
}

/** No offset means UTC; "+0530" becomes "+05:30", the form Date reads. */
function offset(text: string | undefined): string {
  if (text === undefined) return "Z";
  return /^[+-]\d{4}$/.test(text) ? `${text.slice(0, 3)}:${text.slice(3)}` : text;
}

/** chrono-node reads the words; the whole text must be one time, or we would guess at a part of it. */
function parsePhrase(text: string, value: string, field: string, now: Date): Date {
  const results = chrono.parse(text, { instant: now, timezone: "UTC" }, { forwardDate: false });
  const only = results.length === 1 ? results[0] : undefined;
  if (only?.index !== 0 || only.text.length !== text.length) throw unreadable(value, field);
  if (only.end) {
    throw new UserInputError(field, `"${value}" is a range, not one time.`, "Give the start in start_time and the end in end_time.");
  }
  const date = only.start.date();
  if (only.start.isCertain("hour") || SPAN_BACK.test(text)) return date;
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function unreadable(value: string, field: string): UserInputError {
  return new UserInputError(field, `"${value}" is not a time I can read.`, `Use ${TIME_DESCRIPTION}`);
}

export interface TimeWindow {
  start: Date;
  end: Date;
}

/** Resolves a window with natural defaults and refuses an inverted or empty one. */
export function resolveWindow(start: string | undefined, end: string | undefined, now: Date, defaultStart = "24h"): TimeWindow {
  const window = {
    start: parseTime(start ?? defaultStart, "start_time", now),
    end: parseTime(end ?? "now", "end_time", now),
  };
  if (window.start.getTime() >= window.end.getTime()) {
    throw new UserInputError(
      "start_time",
      `${window.start.toISOString()} is not before end_time ${window.end.toISOString()}.`,
      'Give a start_time earlier than end_time (for example start_time "7d" and end_time "now").',
    );
  }
  return window;
}
