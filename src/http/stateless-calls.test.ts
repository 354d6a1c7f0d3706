import { describe, expect, it } from "vitest";
import { StatelessCalls } from "./stateless-calls.js";

const request = (id: number | string) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "export_status" } });
const cancelled = (requestId: number | string) => ({
  jsonrpc: "2.0",
  method: "notifications/cancelled",
  params: { requestId, reason: "user" },
});

describe("StatelessCalls", () => {
  it("ends the call a cancellation names, for the same caller only", () => {
    const calls = new StatelessCalls();
    const ended: string[] = [];
    calls.track("key-a", request(3), () => ended.push("a3"));
    calls.track("key-a", request(4), () => ended.push("a4"));
    calls.track("key-b", request(3), () => ended.push("b3"));

    expect(calls.cancel("key-a", cancelled(3))).toBe(1);
    expect(ended).toEqual(["a3"]);
    expect(calls.cancel("key-c", cancelled(4))).toBe(0);
    expect(calls.cancel("key-a", [cancelled("4"), { jsonrpc: "2.0", method: "notifications/initialized" }])).toBe(0);
    expect(ended).toEqual(["a3"]);
  });

  it("forgets a call once its response is done", () => {
    const calls = new StatelessCalls();
    const ended: string[] = [];
    const done = calls.track("key-a", [request(1)], () => ended.push("1"));
    done();
    expect(calls.cancel("key-a", cancelled(1))).toBe(0);
    expect(ended).toEqual([]);
  });

  it("leaves an id held by two calls of one caller alone: it cannot tell which was meant", () => {
    const calls = new StatelessCalls();
    const ended: string[] = [];
    calls.track("shared-key", request(7), () => ended.push("first"));
    const second = calls.track("shared-key", request(7), () => ended.push("second"));
    expect(calls.cancel("shared-key", cancelled(7))).toBe(0);
    second();
    expect(calls.cancel("shared-key", cancelled(7))).toBe(1);
    expect(ended).toEqual(["first"]);
  });
});
