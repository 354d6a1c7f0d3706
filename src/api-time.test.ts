import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { apiTimeIso, apiTimeMicros, apiTimeMs, apiTimestamp, exactApiTime, hasTimeShape } from "./api-time.js";

describe("API timestamps", () => {
  it("reads v1's naive datetimes as UTC, whatever the local time zone", () => {
    expect(apiTimeIso("2024-01-15T10:30:00.123456")).toBe("2024-01-15T10:30:00.123Z");
    expect(apiTimeMs("2024-01-15T10:30:00")).toBe(Date.UTC(2024, 0, 15, 10, 30));
  });

  it("keeps explicit offsets", () => {
    expect(apiTimeIso("2024-01-15T10:30:00+02:00")).toBe("2024-01-15T08:30:00.000Z");
    expect(apiTimeIso("2024-01-15T10:30:00.5Z")).toBe("2024-01-15T10:30:00.500Z");
  });

  it("answers null for absent or unreadable values", () => {
    expect(apiTimeIso(null)).toBeNull();
    expect(apiTimeIso("")).toBeNull();
    expect(apiTimeIso("yesterday")).toBeNull();
  });
});

describe("lossless API timestamps", () => {
  it("keeps microseconds of v2 times and of v1's naive UTC times alike", () => {
    expect(apiTimestamp("2026-11-29T10:00:00.123456Z")).toBe("2026-11-29T10:00:00.123456Z");
    expect(apiTimestamp("2026-11-29T10:00:00.123456")).toBe("2026-11-29T10:00:00.123456Z");
  });

  it("writes one form whatever the precision LangSmith used", () => {
    expect(apiTimestamp("2026-11-29T10:00:00Z")).toBe("2026-11-29T10:00:00.000Z");
    expect(apiTimestamp("2026-11-29T10:00:00")).toBe("2026-11-29T10:00:00.000Z");
    expect(apiTimestamp("2026-11-29T10:00:00.123000")).toBe("2026-11-29T10:00:00.123Z");
    expect(apiTimestamp("2026-11-29T10:00:00.5Z")).toBe("2026-11-29T10:00:00.500Z");
    expect(apiTimestamp("2026-11-29T10:00:00.1234Z")).toBe("2026-11-29T10:00:00.123400Z");
  });

  it("moves an offset to UTC without touching the fraction", () => {
    expect(apiTimestamp("2026-11-29T12:00:00.123456+02:00")).toBe("2026-11-29T10:00:00.123456Z");
  });

  it("orders times that differ only in microseconds", () => {
    expect(apiTimeMicros("2026-11-29T10:00:00.123457Z") - apiTimeMicros("2026-11-29T10:00:00.123456")).toBe(1);
    expect(apiTimestamp("yesterday")).toBeNull();
    expect(Number.isNaN(apiTimeMicros(null))).toBe(true);
  });

  it("passes a time to match exactly as written, adding only the zone a naive time implies", () => {
    expect(exactApiTime("2026-11-29T10:00:00.123456Z")).toBe("2026-11-29T10:00:00.123456Z");
    expect(exactApiTime("2026-11-29T10:00:00.123456")).toBe("2026-11-29T10:00:00.123456Z");
    expect(exactApiTime("2026-11-29T11:00:00.123456+01:00")).toBe("2026-11-29T11:00:00.123456+01:00");
  });
});

describe("apiTimestamp's fast path for times already in its form", () => {
  const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(""));
  // Times shaped like v2's, valid or not (month 13, day 31 of a short month, hour 24, minute 60).
  const shaped = fc
    .tuple(
      fc.integer({ min: 1970, max: 2100 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 61 }),
      fc.integer({ min: 0, max: 61 }),
      fc.constantFrom(3, 6, 9).chain(digits),
    )
    .map(([y, mo, d, h, mi, s, f]) => {
      const two = (n: number) => String(n).padStart(2, "0");
      return `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}.${f}Z`;
    });

  it("answers exactly as the general parser does (a leading space sends a time through it)", () => {
    fc.assert(
      fc.property(shaped, (time) => {
        expect(apiTimestamp(time)).toBe(apiTimestamp(` ${time}`));
      }),
      { numRuns: 2000 },
    );
  });

  it("trims zero groups and rejects impossible dates like the general parser", () => {
    expect(apiTimestamp("2026-11-29T10:00:00.123000Z")).toBe("2026-11-29T10:00:00.123Z");
    expect(apiTimestamp("2026-11-29T10:00:00.000000Z")).toBe("2026-11-29T10:00:00.000Z");
    expect(apiTimestamp("2026-13-29T10:00:00.123Z")).toBeNull();
    expect(apiTimestamp("2026-11-29T10:60:00.123Z")).toBeNull();
  });
});

describe("the shape of a time, char by char", () => {
  it("takes digits and the separators of YYYY-MM-DDTHH:MM:SS. up to the end asked for, and nothing past the string", () => {
    expect(hasTimeShape("2026-11-30T20:28:55.557712Z", 26)).toBe(true);
    expect(hasTimeShape("2026-11-30T20:28:55Z", 19)).toBe(true);
    expect(hasTimeShape("2026-11-30 20:28:55Z", 19)).toBe(false);
    expect(hasTimeShape("2026-11-30T20:28:55,5Z", 21)).toBe(false);
    expect(hasTimeShape("2026-11-30T20:28:5x", 19)).toBe(false);
    expect(hasTimeShape("2026-11-30T20:28", 19)).toBe(false);
    expect(hasTimeShape("2026-11-30T20:28:55.5a", 22)).toBe(false);
  });
});
