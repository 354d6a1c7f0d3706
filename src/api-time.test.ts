import { describe, expect, it } from "vitest";
import { apiTimeIso, apiTimeMicros, apiTimeMs, apiTimestamp, exactApiTime } from "./api-time.js";

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
