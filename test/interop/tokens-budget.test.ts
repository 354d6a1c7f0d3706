/**
 * Results stay within the token budget (default 20,000) in both views a client may show the
 * model: the text, and JSON.stringify(structuredContent) (what Claude Code shows instead of the
 * text). Counted with the real tokenizer package, never estimated from bytes; and every cut
 * says how to see more.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { countTokens as countWithPackage } from "gpt-tokenizer/encoding/o200k_base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control } from "../../src/simulator/testing.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { nodesOf } from "../support/runs.js";

const BUDGET = 20_000;
/** Counted straight with the package, not through src/tokens.ts: the truth comes from outside. */
const tokens = (text: string): number => countWithPackage(text, { disallowedSpecial: new Set() });
const textOf = (result: CallToolResult): string => result.content.map((c) => (c.type === "text" ? c.text : "")).join("");

function views(result: CallToolResult): { text: number; structured: number } {
  expect(result.isError, textOf(result)).toBeFalsy();
  return { text: tokens(textOf(result)), structured: tokens(JSON.stringify(result.structuredContent)) };
}

const utcMidnight = (daysAgo: number, now: number): string => {
  const d = new Date(now - daysAgo * 86_400_000);
  d.setUTCHours(0, 0, 0, 0);
  return d.toISOString();
};

describe("token budget of results (default 20,000 tokens, text and structured each)", () => {
  let stack: InMemoryStack;
  let biggest: { id: string; name: string };

  beforeAll(async () => {
    stack = await startInMemoryStack();
    const projects = stack.sim.store.projectsOfTenant(stack.sim.workspaceId);
    const [top] = projects.map((p) => ({ p, n: stack.sim.store.runsOfProject(p.id).length })).sort((a, b) => b.n - a.n);
    biggest = { id: top!.p.id, name: top!.p.name };
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("query_runs with full fields on the biggest project sizes the page to the budget and continues with next_cursor", async () => {
    const result = await stack.call("query_runs", { project: biggest.name, start_time: "30d", fields: "full", page_size: 1000 });
    const size = views(result);
    const page = result.structuredContent as { count: number; next_cursor?: string };
    expect(size.text).toBeLessThanOrEqual(BUDGET);
    expect(size.structured).toBeLessThanOrEqual(BUDGET);
    expect(page.count).toBeLessThan(1000);
    expect(page.next_cursor).toBeTruthy();
    expect(textOf(result)).toMatch(/Next page: call query_runs with the same arguments and cursor/);
    // Most of the budget is used: the page is not needlessly short.
    expect(Math.max(size.text, size.structured)).toBeGreaterThan(BUDGET * 0.7);

    const next = await stack.call("query_runs", {
      project: biggest.name,
      start_time: "30d",
      fields: "full",
      page_size: 1000,
      cursor: page.next_cursor,
    });
    const second = views(next);
    expect(Math.max(second.text, second.structured)).toBeLessThanOrEqual(BUDGET);
  });

  it("verify_deletion with max_ids 1000 lists fewer ids and gives ids_offset for the rest", async () => {
    const result = await stack.call("verify_deletion", { project: biggest.name, max_ids: 1000 });
    const size = views(result);
    const check = result.structuredContent as {
      remaining_count: number;
      remaining_ids: string[];
      next_ids_offset?: number;
      notes: string[];
    };
    expect(check.remaining_count).toBeGreaterThan(1000);
    expect(size.text).toBeLessThanOrEqual(BUDGET);
    expect(size.structured).toBeLessThanOrEqual(BUDGET);
    expect(check.remaining_ids.length).toBeLessThan(1000);
    expect(check.next_ids_offset).toBe(check.remaining_ids.length);
    expect(check.notes.join(" ")).toMatch(
      new RegExp(`20,000-token result budget; call again with ids_offset ${check.remaining_ids.length}`),
    );
    expect(textOf(result)).toMatch(/ids_offset/);

    const rest = await stack.call("verify_deletion", { project: biggest.name, max_ids: 1000, ids_offset: check.next_ids_offset });
    const more = rest.structuredContent as { remaining_ids: string[] };
    expect(more.remaining_ids[0]).not.toBe(check.remaining_ids[0]);
    expect(new Set([...check.remaining_ids, ...more.remaining_ids]).size).toBe(check.remaining_ids.length + more.remaining_ids.length);
  });

  it("get_trace of the largest trace stays within the budget", async () => {
    const runs = stack.sim.store.runsOfProject(biggest.id);
    const root = runs
      .filter((r) => r.parent_run_id === null)
      .sort((a, b) => stack.sim.store.runsOfTrace(b.id).length - stack.sim.store.runsOfTrace(a.id).length)[0]!;
    const result = await stack.call("get_trace", { trace_id: root.id, max_nodes: 5000 });
    const size = views(result);
    expect(size.text).toBeLessThanOrEqual(BUDGET);
    expect(size.structured).toBeLessThanOrEqual(BUDGET);
    const trace = { ...(result.structuredContent as { run_count: number; notes: string[] }), nodes: nodesOf(result) };
    if (trace.nodes.length < trace.run_count) expect(trace.notes.join(" ")).toMatch(/result budget\)\. query_runs with trace_id/);
  });

  it("the exports://{id}/runs resource of a long failing export stays within the budget and says where the rest is", async () => {
    const sim = (method: string, path: string, body?: unknown) => control(stack.sim, method, path, body);
    const { fullAccess } = stack.sim.storage.credentials;
    const destination = await stack.call("create_destination", {
      display_name: "budget test",
      bucket_name: stack.sim.storage.buckets.traces,
      region: "eu-west-1",
      access_key_id: fullAccess.access_key_id,
      secret_access_key: fullAccess.secret_access_key,
    });
    expect(destination.isError, textOf(destination)).toBeFalsy();
    const destinationId = (destination.structuredContent as { destination: { id: string } }).destination.id;
    const now = stack.sim.clock.now();
    const created = await stack.call("create_export", {
      project: biggest.name,
      destination: destinationId,
      start_time: utcMidnight(200, now),
      end_time: utcMidnight(1, now),
    });
    expect(created.isError, textOf(created)).toBeFalsy();
    const exportId = (created.structuredContent as { export: { id: string } }).export.id;
    await sim("POST", "export-faults", { export_id: exportId, scenario: "serialization_error" });
    for (let hour = 0; hour < 48; hour++) await sim("POST", "clock", { advance_seconds: 3600 });

    const read = await stack.client.readResource({ uri: `exports://${exportId}/runs` });
    const text = (read.contents[0] as { text: string }).text;
    expect(tokens(text)).toBeLessThanOrEqual(BUDGET);
    const view = JSON.parse(text) as { run_count: number; runs: unknown[]; runs_omitted?: number; more?: string };
    expect(view.run_count).toBeGreaterThan(150);
    if (view.runs.length < view.run_count) {
      expect(view.runs_omitted).toBe(view.run_count - view.runs.length);
      expect(view.more).toMatch(new RegExp(`export_status ${exportId} with runs_offset ${view.runs.length}`));
    }

    const status = await stack.call("export_status", { export_id: exportId, runs_limit: 500 });
    const size = views(status);
    expect(size.text).toBeLessThanOrEqual(BUDGET);
    expect(size.structured).toBeLessThanOrEqual(BUDGET);
  });
});
