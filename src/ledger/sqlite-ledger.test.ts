import { describe, expect, it } from "vitest";
import { expectedCompletionWindow } from "./completion-window.js";
import { openSqliteLedger } from "./sqlite-ledger.js";
import type { NewPurge } from "./types.js";

const uuid = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

function newPurge(traces: number): NewPurge {
  return {
    id: "purge_1",
    created_at: "2026-03-04T10:00:00.000Z",
    endpoint: "https://api.smith.langchain.com",
    workspace_id: null,
    owner: { scope: "https://api.smith.langchain.com|workspace:w1", key_fingerprint: "sha256:0123456789abcdef" },
    criteria: { kind: "trace_ids", projects: [{ id: uuid(0), name: "support-bot" }], requested: traces, not_found: 0, send_as: "trace_batches" },
    plan_digest: "d",
    token_digest: "t",
    traces: Array.from({ length: traces }, (_, i) => ({ trace_id: uuid(i + 1), start_time: `2026-03-0${1 + (i % 3)}T00:00:00.000Z`, project_id: uuid(0) })),
    batch_size: 1000,
  };
}

describe("SQLite ledger", () => {
  it("records a purge as planned batches of at most 1000 ids, in order", () => {
    const ledger = openSqliteLedger(":memory:");
    const purge = ledger.createPurge(newPurge(2500));
    expect(purge.batches.map((b) => [b.batch_no, b.state, b.trace_count])).toEqual([
      [1, "planned", 1000],
      [2, "planned", 1000],
      [3, "planned", 500],
    ]);
    expect(ledger.traceIds("purge_1", 3)).toEqual(Array.from({ length: 500 }, (_, i) => uuid(2001 + i)));
    expect(purge).toMatchObject({ earliest_start_time: "2026-03-01T00:00:00.000Z", latest_start_time: "2026-03-03T00:00:00.000Z", window: null });
    expect(ledger.purgeIdForToken("t")).toBe("purge_1");
  });

  it("allows only the legal transitions: planned → sending → queued | failed; failed and sending may be re-sent; queued never", () => {
    const ledger = openSqliteLedger(":memory:");
    ledger.createPurge(newPurge(10));
    const window = expectedCompletionWindow(new Date("2026-03-04T10:00:00Z"));
    expect(() => ledger.markQueued("purge_1", 1, "x", window)).toThrow(/planned, not sending/);
    ledger.markSending("purge_1", 1, "2026-03-04T10:00:00Z");
    ledger.markFailed("purge_1", 1, "503");
    ledger.markSending("purge_1", 1, "2026-03-04T10:01:00Z");
    ledger.markSending("purge_1", 1, "2026-03-04T10:02:00Z"); // after a crash: ambiguous, sent again
    ledger.markQueued("purge_1", 1, "2026-03-04T10:02:01Z", window);
    expect(() => ledger.markSending("purge_1", 1, "later")).toThrow(/queued/);
    const purge = ledger.getPurge("purge_1")!;
    expect(purge.batches[0]).toMatchObject({ state: "queued", attempts: 3, error: null, delete_requested_at: "2026-03-04T10:02:01Z" });
    expect(purge.window).toEqual(window);
  });

  it("survives reopening the file and migrates a fresh file to the current schema", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = `${mkdtempSync(`${tmpdir()}/ledger-`)}/nested/ledger.sqlite`;
    const first = openSqliteLedger(path);
    first.createPurge(newPurge(3));
    first.markSending("purge_1", 1, "2026-03-04T10:00:00Z");
    first.close();
    const second = openSqliteLedger(path);
    expect(second.getPurge("purge_1")!.batches[0]!.state).toBe("sending");
    second.recordVerification("purge_1", { at: "a", checked: 3, remaining_count: 3, remaining_ids: [uuid(1)], verdict: "pending", audit: null, requests: 1 });
    expect(second.listPurges()[0]!.last_verification).toMatchObject({ verdict: "pending", remaining_ids: [uuid(1)] });
    second.close();
  });
});

describe("expected completion window", () => {
  it.each([
    ["2026-03-04T10:00:00Z", "2026-03-07T00:00:00.000Z", "2026-03-09T00:00:00.000Z"], // Wednesday → that weekend
    ["2026-03-07T01:00:00Z", "2026-03-14T00:00:00.000Z", "2026-03-16T00:00:00.000Z"], // during a weekend → the next full one
    ["2026-03-08T23:59:00Z", "2026-03-14T00:00:00.000Z", "2026-03-16T00:00:00.000Z"],
    ["2026-03-06T23:59:59Z", "2026-03-07T00:00:00.000Z", "2026-03-09T00:00:00.000Z"],
  ])("a request at %s is due in %s … %s", (at, start, end) => {
    expect(expectedCompletionWindow(new Date(at))).toEqual({ start, end });
  });
});

describe("default ledger location", () => {
  it("follows each platform's user data directory", async () => {
    const { defaultLedgerPath } = await import("../config.js");
    expect(defaultLedgerPath({ XDG_DATA_HOME: "/data" }, "linux", "/home/u")).toBe("/data/langsmith-mcp/ledger.sqlite");
    expect(defaultLedgerPath({}, "linux", "/home/u")).toBe("/home/u/.local/share/langsmith-mcp/ledger.sqlite");
    expect(defaultLedgerPath({}, "darwin", "/Users/u")).toBe("/Users/u/Library/Application Support/langsmith-mcp/ledger.sqlite");
    expect(defaultLedgerPath({ APPDATA: "C:\\Users\\u\\AppData\\Roaming" }, "win32", "C:\\Users\\u")).toMatch(/langsmith-mcp[\\/]ledger\.sqlite$/);
  });
});
