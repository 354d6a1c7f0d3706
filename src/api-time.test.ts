import { describe, expect, it } from "vitest";
import { apiTimeIso, apiTimeMs } from "./api-time.js";

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
