import { Client as LangSmithSdkClient } from "langsmith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkFilter, compileFilter } from "../../src/filter/index.js";
import type { SimRun } from "../../src/simulator/model.js";
import { PROTOCOLS, startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { textOf } from "../support/stack.js";
import { nodesOf, runsOf } from "../support/runs.js";

const ERRORED_LLM = 'and(eq(run_type, "llm"), neq(error, null))';

interface QueryResult {
  project: { id: string; name: string };
  window: { start_time: string; end_time: string };
  runs: { id: string; start_time: string; run_type: string; status: string; error_preview?: string | null }[];
  next_cursor?: string;
  has_more: boolean;
  notes: string[];
}

/** What the simulator's own data says a query must return, newest first. */
function expectedRuns(stack: InMemoryStack, projectName: string, window: QueryResult["window"], filter?: string): SimRun[] {
  const project = stack.sim.store.projectByName(stack.sim.workspaceId, projectName)!;
  const min = Date.parse(window.start_time);
  const max = Date.parse(window.end_time);
  const predicate = filter ? compileFilter(checkFilter(filter).expr) : () => true;
  return stack.sim.store
    .runsOfProject(project.id)
    .filter((run) => run.start_time >= min && run.start_time <= max && predicate(stack.sim.store.filterable(run)))
    .sort((a, b) => b.start_time - a.start_time || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

async function pageThrough(stack: InMemoryStack, args: Record<string, unknown>): Promise<{ pages: QueryResult[]; ids: string[] }> {
  const pages: QueryResult[] = [];
  let cursor: string | undefined;
  do {
    const result = await stack.call("query_runs", { ...args, ...(cursor && { cursor }) });
    expect(result.isError, textOf(result)).toBeFalsy();
    const page = { ...(result.structuredContent as object), runs: runsOf<QueryResult["runs"][number]>(result) } as unknown as QueryResult;
    pages.push(page);
    cursor = page.next_cursor;
  } while (cursor && pages.length < 200);
  return { pages, ids: pages.flatMap((p) => p.runs.map((r) => r.id)) };
}

// The same assertions at both protocol versions: 2025-11-25 (initialize) and 2026-07-28 (per-request _meta).
// The time zone of a process is e2e's to show (test/e2e/timezone.test.ts).
describe.each(PROTOCOLS)("run tools at %s (SDK client ↔ server in memory ↔ simulator over HTTP)", (protocol) => {
  let stack: InMemoryStack;
  const outputs: string[] = [];
  const record = (value: unknown) => outputs.push(JSON.stringify(value));

  beforeAll(async () => {
    // Debug, as the e2e server logged: the last test reads every log line for secrets.
    stack = await startInMemoryStack({ protocol, logLevel: "debug" });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("lists every tool with complete annotations and schemas in the default 2020-12 dialect (no $schema)", async () => {
    const { tools } = await stack.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const name of ["list_projects", "query_runs", "get_run", "get_trace"]) {
      expect(byName.get(name)?.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: true,
      });
    }
    for (const tool of tools) {
      expect(tool.inputSchema.$schema, "2020-12 is the default dialect; Gemini refuses $schema").toBeUndefined();
      expect(tool.outputSchema?.$schema).toBeUndefined();
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        expect(typeof tool.annotations?.[hint], `${tool.name}.${hint}`).toBe("boolean");
      }
    }
  });

  it("list_projects finds projects by name fragment, with the simulator's run counts", async () => {
    const result = await stack.call("list_projects", { name_contains: "bot" });
    record(result);
    const { projects } = result.structuredContent as { projects: { id: string; name: string; run_count: number }[] };
    const expected = stack.sim.store.projectsOfTenant(stack.sim.workspaceId).filter((p) => p.name.includes("bot"));
    expect(projects.map((p) => p.name).sort()).toEqual(expected.map((p) => p.name).sort());
    for (const project of projects) {
      // LangSmith's project stats count traces (root runs).
      expect(project.run_count).toBe(stack.sim.store.runsOfProject(project.id).filter((r) => r.parent_run_id === null).length);
    }
    expect(textOf(result)).toContain("checkout-bot");
  });

  it("query_runs pages through errored LLM runs of the last day: every run exactly once, newest first", async () => {
    const { pages, ids } = await pageThrough(stack, { project: "checkout-bot", start_time: "24h", filter: ERRORED_LLM, page_size: 7 });
    pages.forEach(record);
    const expected = expectedRuns(stack, "checkout-bot", pages[0]!.window, ERRORED_LLM);
    expect(expected.length).toBeGreaterThan(7);
    expect(ids).toEqual(expected.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const run of pages.flatMap((p) => p.runs)) {
      expect(run.run_type).toBe("llm");
      expect(run.status).toBe("error");
      expect(run.error_preview).toBeTruthy();
    }
    expect(pages.at(-1)!.has_more).toBe(false);
  });

  it("query_runs keeps its window fixed across pages and rejects a cursor used with other arguments", async () => {
    const first = await stack.call("query_runs", { project: "support-bot", start_time: "2d", page_size: 3 });
    const page = first.structuredContent as unknown as QueryResult;
    const second = await stack.call("query_runs", { project: "support-bot", start_time: "2d", page_size: 3, cursor: page.next_cursor });
    expect((second.structuredContent as unknown as QueryResult).window).toEqual(page.window);
    const misuse = await stack.call("query_runs", { project: "support-bot", start_time: "3d", page_size: 3, cursor: page.next_cursor });
    expect(misuse.isError).toBe(true);
    expect(textOf(misuse)).toMatch(/`cursor`.*different arguments/);
  });

  it("query_runs with run_type, is_root and ascending order agrees with the simulator's data", async () => {
    const { pages, ids } = await pageThrough(stack, {
      project: "rag-search",
      start_time: "12h",
      run_type: "RETRIEVER",
      sort_order: "asc",
      page_size: 200,
    });
    const expected = expectedRuns(stack, "rag-search", pages[0]!.window, 'eq(run_type, "retriever")').reverse();
    expect(ids).toEqual(expected.map((r) => r.id));

    const roots = await pageThrough(stack, { project: "rag-search", start_time: "6h", is_root: true, page_size: 500 });
    expect(roots.ids).toEqual(expectedRuns(stack, "rag-search", roots.pages[0]!.window, "eq(is_root, true)").map((r) => r.id));
  });

  it("get_run reads a run from its id alone and matches the stored run", async () => {
    const run = expectedRuns(
      stack,
      "checkout-bot",
      { start_time: new Date(0).toISOString(), end_time: new Date(stack.sim.clock.now()).toISOString() },
      ERRORED_LLM,
    )[0]!;
    const result = await stack.call("get_run", { run_id: run.id });
    record(result);
    expect(result.isError, textOf(result)).toBeFalsy();
    const { run: view, project_id } = result.structuredContent as { run: Record<string, unknown>; project_id: string };
    // The project is said once: in the run when it holds project_id, else beside it.
    expect(project_id ?? view.project_id).toBe(run.project_id);
    expect(view).toMatchObject({ id: run.id, name: run.name, run_type: "llm", status: "error", trace_id: run.trace_id });
    // A count LangSmith did not record is not shown (null and absent say the same).
    expect(view["total_tokens"]).toBe(run.total_tokens ?? undefined);
    expect(String(view.error)).toContain(run.error!.slice(0, 40));
    expect(view.share_url).toBeUndefined();
  });

  it("get_run cuts a very large payload and says how to see more", async () => {
    const big = stack.sim.store
      .runsOfProject(stack.sim.store.projectByName(stack.sim.workspaceId, "rag-search")!.id)
      .concat(...stack.sim.store.projectsOfTenant(stack.sim.workspaceId).map((p) => [...stack.sim.store.runsOfProject(p.id)]))
      .find((r) => JSON.stringify(r.outputs ?? {}).length > 100_000);
    expect(big, "the seeded data has a run with a very large output").toBeDefined();
    const result = await stack.call("get_run", { run_id: big!.id, fields: ["name", "outputs"] });
    record(result);
    const structured = result.structuredContent as { truncated_fields: { field: string; original_chars: number }[]; notes: string[] };
    expect(structured.truncated_fields.map((c) => c.field)).toContain("outputs");
    expect(structured.notes.join(" ")).toMatch(/max_field_chars/);
    expect(JSON.stringify(result).length).toBeLessThan(80_000);
  });

  it("get_trace shows the whole tree in dotted order with depths from the simulator", async () => {
    const run = expectedRuns(
      stack,
      "checkout-bot",
      { start_time: new Date(0).toISOString(), end_time: new Date(stack.sim.clock.now()).toISOString() },
      ERRORED_LLM,
    )[0]!;
    const result = await stack.call("get_trace", { run_id: run.id });
    record(result);
    expect(result.isError, textOf(result)).toBeFalsy();
    const trace = { ...(result.structuredContent as object), nodes: nodesOf(result) } as unknown as {
      trace_id: string;
      run_count: number;
      error_count: number;
      nodes: { id: string; depth: number; parent_run_id: string | null }[];
    };
    const stored = [...stack.sim.store.runsOfTrace(run.trace_id)].sort((a, b) => a.dotted_order.localeCompare(b.dotted_order));
    expect(trace.trace_id).toBe(run.trace_id);
    expect(trace.run_count).toBe(stored.length);
    expect(trace.nodes.map((n) => n.id)).toEqual(stored.map((r) => r.id));
    expect(trace.nodes.map((n) => n.depth)).toEqual(stored.map((r) => r.parent_run_ids.length));
    // The root has no parent_run_id (absent, not null).
    expect(trace.nodes.map((n) => n.parent_run_id ?? null)).toEqual(stored.map((r) => r.parent_run_id));
    expect(trace.error_count).toBe(stored.filter((r) => r.status === "error").length);
    expect(
      textOf(result)
        .split("\n")
        .some((line) => line.startsWith("  └ ")),
    ).toBe(true);
  });

  it("the official langsmith client sees the same runs that query_runs returns", async () => {
    const { pages, ids } = await pageThrough(stack, {
      project: "support-bot",
      start_time: "24h",
      filter: 'and(eq(run_type, "llm"), gt(total_tokens, 500))',
      page_size: 200,
    });
    const sdk = new LangSmithSdkClient({ apiUrl: stack.sim.url, apiKey: stack.sim.apiKey, autoBatchTracing: false });
    const seen: string[] = [];
    for await (const run of sdk.listRuns({
      projectName: "support-bot",
      startTime: new Date(pages[0]!.window.start_time),
      filter: 'and(eq(run_type, "llm"), gt(total_tokens, 500))',
    })) {
      if (Date.parse(String(run.start_time)) <= Date.parse(pages[0]!.window.end_time)) seen.push(run.id);
    }
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it("share_url appears only when asked for explicitly", async () => {
    const shared = stack.sim.store
      .projectsOfTenant(stack.sim.workspaceId)
      .flatMap((p) => [...stack.sim.store.runsOfProject(p.id)])
      .find((r) => r.share_token);
    expect(shared, "the seeded data has a shared run").toBeDefined();
    const hidden = await stack.call("get_run", { run_id: shared!.id });
    record(hidden);
    expect((hidden.structuredContent as { run: Record<string, unknown> }).run.share_url).toBeUndefined();
    const asked = await stack.call("get_run", { run_id: shared!.id, include_share_url: true });
    expect((asked.structuredContent as { run: Record<string, unknown> }).run.share_url).toMatch(
      new RegExp(`/public/${shared!.share_token}/r$`),
    );
    expect(textOf(asked)).toContain(`/public/${shared!.share_token}/r`);
  });

  it.each([
    ["unknown project", "query_runs", { project: "no-such-project" }, /`project`.*no project named "no-such-project"/],
    ["malformed uuid", "get_run", { run_id: "not-a-uuid" }, /`run_id`/],
    [
      "inverted time range",
      "query_runs",
      { project: "checkout-bot", start_time: "1h", end_time: "2d" },
      /`start_time`.*not before end_time/,
    ],
    ["page_size 0", "query_runs", { project: "checkout-bot", page_size: 0 }, /`page_size`.*1/],
    ["page_size 5000", "query_runs", { project: "checkout-bot", page_size: 5000 }, /`page_size`.*1000/],
    ["invalid filter", "query_runs", { project: "checkout-bot", filter: 'and(eq(run_type, "llm"), gt(latency, 5)' }, /`filter`.*column 40/],
    ["unknown field", "query_runs", { project: "checkout-bot", fields: ["name", "colour"] }, /`fields`.*unknown field "colour"/],
    ["unknown run", "get_run", { run_id: "00000000-0000-4000-8000-000000000000" }, /`run_id`.*no run/],
    ["neither trace nor run id", "get_trace", {}, /exactly one of trace_id or run_id/],
  ])("bad input (%s) gives an actionable error and the server keeps serving", async (_case, tool, args, message) => {
    const result = await stack.call(tool, args);
    record(result);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(message);
    expect(textOf(result)).not.toMatch(/\n\s+at /);
    const after = await stack.call("list_projects", { limit: 1 });
    expect(after.isError).toBeFalsy();
  });

  it("no tool output and no log line carries the API key or a share URL", async () => {
    const shared = stack.sim.store
      .projectsOfTenant(stack.sim.workspaceId)
      .flatMap((p) => [...stack.sim.store.runsOfProject(p.id)])
      .filter((r) => r.share_token);
    const shareUrls = shared.map((r) => `/public/${r.share_token}/r`);
    // Alone (-t), it makes calls of its own like those the tests above record.
    if (outputs.length === 0) {
      const { pages } = await pageThrough(stack, { project: "checkout-bot", start_time: "24h", filter: ERRORED_LLM, page_size: 7 });
      pages.forEach(record);
      record(await stack.call("list_projects", { name_contains: "bot" }));
      for (const run of [pages[0]!.runs[0]!, ...shared.slice(0, 5)]) record(await stack.call("get_run", { run_id: run.id }));
      record(await stack.call("get_trace", { run_id: pages[0]!.runs[0]!.id }));
      record(await stack.call("query_runs", { project: "no-such-project" }));
    }
    expect(outputs.length).toBeGreaterThan(10);
    const everything = outputs.join("\n") + stack.logs();
    expect(stack.logs().length).toBeGreaterThan(0);
    expect(everything).not.toContain(stack.sim.apiKey);
    for (const url of shareUrls) expect(everything).not.toContain(url);
  });
});
