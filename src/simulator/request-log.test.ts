import { describe, expect, it } from "vitest";
import { RequestLog } from "./request-log.js";

describe("RequestLog", () => {
  it("keeps the newest entries, oldest first, once past its capacity", () => {
    const log = new RequestLog(3);
    for (let i = 0; i < 5; i++)
      log.record({ at: "2025-06-01T00:00:00.000Z", method: "GET", path: `/p${i}`, status: 200, fault: null, bytes: 2, items: 0 });
    expect(log.list().map((e) => [e.seq, e.path])).toEqual([
      [3, "/p2"],
      [4, "/p3"],
      [5, "/p4"],
    ]);
  });
});
