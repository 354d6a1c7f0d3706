import { describe, expect, it } from "vitest";
import { UserInputError } from "../../src/errors.js";
import { parseTime, resolveWindow } from "../../src/tools/time-range.js";

// A Wednesday afternoon in UTC; every expectation below was worked out by hand from it.
const NOW = new Date("2026-11-25T15:30:00Z");
const at = (text: string, field = "start_time") => parseTime(text, field, NOW).toISOString();

describe("times as people type them (UTC unless an offset is given)", () => {
  it.each([
    ["now", "2026-11-25T15:30:00.000Z"],
    ["24h", "2026-11-24T15:30:00.000Z"],
    ["7d", "2026-11-18T15:30:00.000Z"],
    ["2h ago", "2026-11-25T13:30:00.000Z"],
    ["last 24h", "2026-11-24T15:30:00.000Z"],
    ["2 hours ago", "2026-11-25T13:30:00.000Z"],
    ["3 days ago", "2026-11-22T15:30:00.000Z"],
    ["last 3 days", "2026-11-22T15:30:00.000Z"],
    ["past 3 days", "2026-11-22T15:30:00.000Z"],
    ["last week", "2026-11-18T15:30:00.000Z"],
    ["yesterday", "2026-11-24T00:00:00.000Z"],
    ["today", "2026-11-25T00:00:00.000Z"],
    ["Yesterday", "2026-11-24T00:00:00.000Z"],
    ["since Monday", "2026-11-23T00:00:00.000Z"],
    ["last Monday", "2026-11-23T00:00:00.000Z"],
    ["since yesterday", "2026-11-24T00:00:00.000Z"],
    ["yesterday 9am", "2026-11-24T09:00:00.000Z"],
    ["Nov 20", "2026-11-20T00:00:00.000Z"],
    ["2026-11-29", "2026-11-29T00:00:00.000Z"],
    ["2026-11-29T10:00", "2026-11-29T10:00:00.000Z"],
    ["2026-11-29 10:00:30", "2026-11-29T10:00:30.000Z"],
    ["2026-11-29T10:00:00Z", "2026-11-29T10:00:00.000Z"],
    ["2026-11-29T10:00:00+05:30", "2026-11-29T04:30:00.000Z"],
    ["2026-11-29T10:00:00-0800", "2026-11-29T18:00:00.000Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
  ])("reads %j as %s", (text, expected) => {
    expect(at(text)).toBe(expected);
  });

  it.each([
    ["2024-02-31", "2024-02 has 29 days"],
    ["2023-02-29", "2023-02 has 28 days"],
    ["2026-04-31", "2026-04 has 30 days"],
    ["2026-13-01", "no month 13"],
    ["2026-11-29T24:00", "not a time of day"],
    ["2026-11-29T10:60", "not a time of day"],
  ])("refuses the impossible %j instead of rolling it over", (text, reason) => {
    const error = (() => {
      try {
        parseTime(text, "end_time", NOW);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as UserInputError).field).toBe("end_time");
    expect((error as UserInputError).agentMessage).toContain("Invalid `end_time`");
    expect((error as UserInputError).message).toContain(reason);
  });

  it.each(["soon-ish", "yesterday or so", "the day before the launch", "2026-1-5", "Nov 20 - Nov 22", ""])(
    "refuses %j rather than guessing at part of it",
    (text) => {
      expect(() => parseTime(text, "start_time", NOW)).toThrow(UserInputError);
    },
  );

  it("makes yesterday to today the whole of yesterday", () => {
    const window = resolveWindow("yesterday", "today", NOW);
    expect([window.start.toISOString(), window.end.toISOString()]).toEqual(["2026-11-24T00:00:00.000Z", "2026-11-25T00:00:00.000Z"]);
  });

  it("does not depend on the machine's time zone", () => {
    // The window is computed in UTC; TZ is read by Date only for local-time methods we do not use.
    expect(at("yesterday")).toBe("2026-11-24T00:00:00.000Z");
    expect(parseTime("today", "start_time", new Date("2026-11-25T23:59:00Z")).toISOString()).toBe("2026-11-25T00:00:00.000Z");
    expect(parseTime("today", "start_time", new Date("2026-11-25T00:01:00Z")).toISOString()).toBe("2026-11-25T00:00:00.000Z");
  });
});
