/**
 * LangSmith's v1 API (FastAPI) writes naive UTC datetimes ("2024-01-15T10:30:00.123456"),
 * which JavaScript would read as local time. These helpers read them as UTC.
 */
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch milliseconds of an API timestamp, naive ones taken as UTC; NaN when unreadable. */
export function apiTimeMs(value: string): number {
  return Date.parse(HAS_ZONE.test(value) ? value : `${value}Z`);
}

/** An API timestamp as RFC 3339 UTC (`…Z`), or null when absent or unreadable. */
export function apiTimeIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = apiTimeMs(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
