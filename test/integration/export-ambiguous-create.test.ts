/**
 * A create whose answer is lost (a 2xx whose body is cut, a connection reset after LangSmith
 * processed the request, an answer slower than the client's timeout) must leave exactly one
 * export or destination, and the tool must answer with it or say that it may exist and how to
 * check: never "try again". The faults are the simulator's, on the POST itself.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { control } from "../../src/simulator/testing.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { destinationArgs } from "../support/tool-flows.js";

const DAY = 86_400_000;
const CLIENT_TIMEOUT_MS = 2_000;
const textOf = (result: CallToolResult): string => result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("ambiguous creates: the answer is lost, the export or destination is found, never duplicated", () => {
  let stack: InMemoryStack;
  let destination: string;
  let day = 2;

  beforeAll(async () => {
    stack = await startInMemoryStack({ client: { timeoutMs: CLIENT_TIMEOUT_MS } });
    const created = await stack.call("create_destination", destinationArgs(stack.sim, "ambiguous"));
    destination = (created.structuredContent as { destination: { id: string } }).destination.id;
  });
  afterEach(async () => {
    await control(stack.sim, "DELETE", "faults");
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** A fresh one-day range per test, so exports of earlier tests never match. */
  const nextRange = () => {
    const midnight = Math.floor(stack.sim.clock.now() / DAY) * DAY;
    day += 1;
    return { start_time: new Date(midnight - day * DAY).toISOString(), end_time: new Date(midnight - (day - 1) * DAY).toISOString() };
  };
  const exportsIn = async (range: { start_time: string }) => {
    const all = (await stack.api.listExports()).filter(
      (e) => Date.parse(`${e.start_time.replace(/Z?$/, "Z")}`) === Date.parse(range.start_time),
    );
    return all.map((e) => e.id);
  };
  const fault = (path: string, kind: string, extra: Record<string, unknown> = {}) =>
    control(stack.sim, "POST", "faults", { match: { method: "POST", path }, kind, ...extra });

  it.each([
    ["a 200 whose body is cut", "malformed_json"],
    ["a reset after LangSmith processed the request", "reset_after_processing"],
  ])("create_export after %s answers with the export it created, and there is exactly one", async (_what, kind) => {
    const range = nextRange();
    await fault("/api/v1/bulk-exports", kind);
    const result = await stack.call("create_export", { project: "checkout-bot", destination, ...range });
    expect(result.isError, textOf(result)).toBeFalsy();
    const created = result.structuredContent as { export: { id: string }; notes: string[] };
    expect(created.notes.join(" ")).toMatch(/answer was lost .* but the export exists.*Do not create it again/);
    expect(textOf(result)).not.toMatch(/try again/i);
    expect(await exportsIn(range)).toEqual([created.export.id]);
  });

  it("create_export whose answer comes after the client's timeout answers with the export LangSmith created; one export", async () => {
    const range = nextRange();
    await fault("/api/v1/bulk-exports", "slow_answer", { delay_ms: CLIENT_TIMEOUT_MS + 1_000 });
    const result = await stack.call("create_export", { project: "checkout-bot", destination, ...range });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(textOf(result)).not.toMatch(/try again/i);
    expect((result.structuredContent as { notes: string[] }).notes.join(" ")).toMatch(
      /no answer came before the request timeout\), but the export exists/,
    );
    expect(await exportsIn(range)).toHaveLength(1);
  });

  it("create_destination after a reset past processing answers with the destination, and there is exactly one", async () => {
    await fault("/api/v1/bulk-exports/destinations", "reset_after_processing");
    const result = await stack.call("create_destination", destinationArgs(stack.sim, "after reset"));
    expect(result.isError, textOf(result)).toBeFalsy();
    expect((result.structuredContent as { notes: string[] }).notes[0]).toMatch(/answer was lost .* but the destination exists/);
    expect((await stack.api.listDestinations()).filter((d) => d.display_name === "after reset")).toHaveLength(1);
  });

  it("a reset before LangSmith saw the request looks the same from here: nothing is found, and the answer says it may exist and how to check", async () => {
    const range = nextRange();
    await fault("/api/v1/bulk-exports", "reset");
    const result = await stack.call("create_export", { project: "checkout-bot", destination, ...range });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/may have been created: the connection dropped.*Check with list_exports/s);
    expect(textOf(result)).not.toMatch(/try again/i);
    expect(await exportsIn(range)).toEqual([]);
  });
});
