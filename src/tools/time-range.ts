import { UserInputError } from "../errors.js";

/** Units an agent may use for a time back from now ("30m", "24h", "7d", "2w"). */
const RELATIVE_UNITS_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const RELATIVE = /^(\d+(?:\.\d+)?)\s*([smhdw])(?:\s+ago)?$/i;
// An ISO date or date-time; a time without an offset would be ambiguous, so one is required.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

export const TIME_DESCRIPTION =
  "An ISO 8601 timestamp with offset (\"2026-11-24T09:00:00Z\"), a UTC date (\"2026-11-24\"), \"now\", " +
  "or a duration back from now (\"30m\", \"24h\", \"7d\").";

/** Parses an absolute or relative time; throws UserInputError naming `field`. */
export function parseTime(value: string, field: string, now: Date): Date {
  const text = value.trim();
  if (text.toLowerCase() === "now") return new Date(now);
  const relative = RELATIVE.exec(text);
  if (relative) {
    const unit = RELATIVE_UNITS_MS[relative[2]!.toLowerCase()]!;
    return new Date(now.getTime() - Number(relative[1]) * unit);
  }
  if (ISO_DATE_TIME.test(text)) {
    const date = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new UserInputError(field, `"${value}" is not a time I can read.`, `Use ${TIME_DESCRIPTION}`);
}

export interface TimeWindow {
  start: Date;
  end: Date;
}

/** Resolves a window with natural defaults and refuses an inverted or empty one. */
export function resolveWindow(
  start: string | undefined,
  end: string | undefined,
  now: Date,
  defaultStart = "24h",
): TimeWindow {
  const window = {
    start: parseTime(start ?? defaultStart, "start_time", now),
    end: parseTime(end ?? "now", "end_time", now),
  };
  if (window.start.getTime() >= window.end.getTime()) {
    throw new UserInputError(
      "start_time",
      `${window.start.toISOString()} is not before end_time ${window.end.toISOString()}.`,
      "Give a start_time earlier than end_time (for example start_time \"7d\" and end_time \"now\").",
    );
  }
  return window;
}
