import { describe, expect, it } from "vitest";
import { parseTimeMicros } from "./http.js";

describe("parseTimeMicros", () => {
  it("keeps six fractional digits, with Z, an offset, or none (naive UTC)", () => {
    // 2026-11-29T10:00:00Z is 1795946400 s after the epoch (Python: datetime(2026, 11, 29, 10, tzinfo=timezone.utc).timestamp()).
    expect(parseTimeMicros("2026-11-29T10:00:00.123456Z")).toBe(1_795_946_400_123_456);
    expect(parseTimeMicros("2026-11-29T10:00:00.123456")).toBe(1_795_946_400_123_456);
    expect(parseTimeMicros("2026-11-29T12:00:00.123456+02:00")).toBe(1_795_946_400_123_456);
    expect(parseTimeMicros("2026-11-29T10:00:00.123Z")).toBe(1_795_946_400_123_000);
    expect(parseTimeMicros("2026-11-29T10:00:00Z")).toBe(1_795_946_400_000_000);
  });

  it("cuts digits past the microsecond, as Python's datetime does", () => {
    expect(parseTimeMicros("2026-11-29T10:00:00.123456789Z")).toBe(1_795_946_400_123_456);
  });

  it("refuses what is not a date-time", () => {
    for (const v of ["yesterday", "", 42, null, "2026-11-29T10:00:00.12x"]) expect(parseTimeMicros(v)).toBeUndefined();
  });
});
