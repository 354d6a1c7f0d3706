/**
 * Breaker: get_run's start_time. The issue: "get_run must not require or truncate start_time".
 * query_runs' *text* (what many clients pass to the model) shows start times without their
 * fraction, and get_run then answers "no run … in this workspace" for a run that exists,
 * blaming run_id. A start time that does not match exactly should cost a retry without it,
 * as readRun already does for a start time it located itself.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { runsOf } from "../support/runs.js";

const NOW = "2026-03-04T12:00:00Z";
const textOf = (r: CallToolResult): string => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("breaker: get_run with a start_time that is not to the microsecond", () => {
  let stack: InMemoryStack;
  let run: { id: string; start_time: string };
  let shownInText: string;

  beforeAll(async () => {
    stack = await startInMemoryStack({ sim: { now: NOW } });
    const page = await stack.call("query_runs", {
      project: "support-bot",
      start_time: "2026-03-04T10:00:00Z",
      end_time: NOW,
      page_size: 20,
      is_root: false,
    });
    const runs = runsOf<{ id: string; start_time: string }>(page);
    run = runs.find((r) => /\.\d{6}Z$/.test(r.start_time))!;
    // What an agent may copy or type: the time to the second (older text lines showed no fraction).
    shownInText = run.start_time.replace(/\.\d+Z$/, "Z");
  });
  afterAll(async () => stack?.close());

  it("finds the run with its start_time cut to the second, as an agent may copy it", async () => {
    expect(shownInText).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const result = await stack.call("get_run", { run_id: run.id, project: "support-bot", start_time: shownInText, fields: ["name"] });
    expect(result.isError, textOf(result)).toBeFalsy();
  });

  it("finds the run with its start_time cut to milliseconds", async () => {
    const ms = run.start_time.replace(/(\.\d{3})\d+Z$/, "$1Z");
    const result = await stack.call("get_run", { run_id: run.id, project: "support-bot", start_time: ms, fields: ["name"] });
    expect(result.isError, textOf(result)).toBeFalsy();
  });

  it("accepts a start_time written with a space instead of T (Python's str(datetime), RFC 3339 §5.6 note)", async () => {
    const spaced = run.start_time.replace("T", " ");
    const result = await stack.call("get_run", { run_id: run.id, project: "support-bot", start_time: spaced, fields: ["name"] });
    expect(result.isError, textOf(result)).toBeFalsy();
  });
});
