/**
 * Breaker: tools on a LangSmith older than 0.16 (simulator `langsmithVersion: "0.15.3"`: every
 * /api/v2 route answers FastAPI's 404 {"detail": "Not Found"}). The issue: run tools fall back
 * to v1 "with the same output, or say 'needs LangSmith ≥ 0.16'".
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall } from "../../src/simulator/testing.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { loadLangSmithSpec } from "../support/langsmith-openapi.js";
import { runsOf } from "../support/runs.js";

const NOW = "2026-03-04T12:00:00Z";
const WINDOW = { start_time: "2026-03-04T10:00:00Z", end_time: NOW };
const textOf = (r: CallToolResult): string => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("breaker: a pre-0.16 install", () => {
  let stack: InMemoryStack;
  let run: { id: string; trace_id: string };

  beforeAll(async () => {
    stack = await startInMemoryStack({ sim: { now: NOW, langsmithVersion: "0.15.3" } });
    const page = await stack.call("query_runs", { project: "support-bot", ...WINDOW, page_size: 1 });
    run = runsOf<{ id: string; trace_id: string }>(page)[0]!;
  });
  afterAll(async () => stack?.close());

  it("get_run with its default fields (full) reads the run through v1", async () => {
    const result = await stack.call("get_run", { run_id: run.id });
    expect(result.isError, textOf(result)).toBeFalsy();
  });

  it("query_runs with fields full reads through v1", async () => {
    const result = await stack.call("query_runs", { project: "support-bot", ...WINDOW, page_size: 2, fields: "full" });
    expect(result.isError, textOf(result)).toBeFalsy();
  });

  it("simulator v1 runs query accepts every select value of the spec's RunSelect enum", async () => {
    const spec = loadLangSmithSpec();
    const select = (spec.components.schemas["RunSelect"] as { enum: string[] }).enum;
    const res = await apiCall(stack.sim, "POST", "/api/v1/runs/query", { id: [run.id], select, limit: 1 });
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(200);
  });

  it("queue_deletion says it needs LangSmith ≥ 0.16 instead of a misleading 'Check the id' 404", async () => {
    const result = await stack.call("queue_deletion", { project: "support-bot", filter: 'eq(name, "nothing-matches")', ...WINDOW });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/0\.16/);
    expect(textOf(result)).not.toMatch(/Check the id/);
  });

  it("queue_deletion with explicit trace ids says it needs LangSmith ≥ 0.16", async () => {
    const result = await stack.call("queue_deletion", { project: "support-bot", trace_ids: [run.trace_id.toUpperCase()] });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/0\.16/);
  });

  it("verify_deletion says it needs LangSmith ≥ 0.16 instead of a misleading 'Check the id' 404", async () => {
    const result = await stack.call("verify_deletion", { project: "support-bot", filter: 'eq(name, "nothing-matches")', ...WINDOW });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/0\.16/);
    expect(textOf(result)).not.toMatch(/Check the id/);
  });
});
