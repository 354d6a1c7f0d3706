import { describe, expect, it } from "vitest";
import { parseDuration, parseIsoTimestamp, parseNumericString } from "./values.js";
import { closestMatch } from "./suggest.js";

describe("parseIsoTimestamp", () => {
  it.each([
    ["2024-05-01T12:00:00Z", Date.UTC(2024, 4, 1, 12)],
    ["2024-05-01T12:00:00.123Z", Date.UTC(2024, 4, 1, 12, 0, 0, 123)],
    ["2024-05-01T12:00:00.123456789Z", Date.UTC(2024, 4, 1, 12, 0, 0, 123)],
    ["2024-05-01T12:00:00+02:00", Date.UTC(2024, 4, 1, 10)],
    ["2024-05-01T12:00:00-0130", Date.UTC(2024, 4, 1, 13, 30)],
    ["2024-05-01T12:00:00", Date.UTC(2024, 4, 1, 12)],
    ["2024-05-01 12:00", Date.UTC(2024, 4, 1, 12)],
    ["2024-05-01", Date.UTC(2024, 4, 1)],
    ["2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29)],
  ])("reads %s as UTC epoch milliseconds", (text, ms) => {
    expect(parseIsoTimestamp(text)).toBe(ms);
  });

  it.each([
    "yesterday",
    "",
    "2024-5-1",
    "2024-13-01",
    "2023-02-29",
    "2024-04-31",
    "2024-05-01T24:00:00Z",
    "2024-05-01T12:60Z",
    "1714521600000",
    "2024-05-01T12:00:00+25:00",
  ])("rejects %s", (text) => {
    expect(parseIsoTimestamp(text)).toBeUndefined();
  });
});

describe("parseDuration", () => {
  it.each([
    ["500ms", 0.5],
    ["5s", 5],
    ["2.5m", 150],
    ["1h", 3600],
    ["1.5 h", 5400],
    ["10S", 10],
    ["7", 7],
    ["0.25", 0.25],
  ])("reads %s as %d seconds", (text, seconds) => {
    expect(parseDuration(text)).toBeCloseTo(seconds, 9);
  });

  it.each(["", "fast", "5 parsecs", "-5s", "5d", "s", "1h30m"])("rejects %s", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("parseNumericString", () => {
  it("reads plain decimal numbers only", () => {
    expect(parseNumericString("0.01")).toBe(0.01);
    expect(parseNumericString("-3e2")).toBe(-300);
    expect(parseNumericString("0x10")).toBeUndefined();
    expect(parseNumericString("Infinity")).toBeUndefined();
    expect(parseNumericString("")).toBeUndefined();
  });
});

describe("closestMatch", () => {
  const names = ["latency", "start_time", "end_time", "run_type", "metadata_key"];

  it("finds near misses, transpositions and other cases", () => {
    expect(closestMatch("lantency", names)).toBe("latency");
    expect(closestMatch("latnecy", names)).toBe("latency");
    expect(closestMatch("RUN_TYPE", names)).toBe("run_type");
    expect(closestMatch("starttime", names)).toBe("start_time");
  });

  it("suggests nothing when no name is close", () => {
    expect(closestMatch("colour", names)).toBeUndefined();
    expect(closestMatch("x".repeat(500), names)).toBeUndefined();
  });
});
