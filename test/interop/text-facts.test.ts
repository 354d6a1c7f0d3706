import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { runsOf } from "../support/runs.js";

/**
 * Export, destination and deletion tools: the text carries every fact of structuredContent
 * (statuses, counts, ids, settings, next step), and structuredContent carries no empty value
 * and says nothing twice. Flows run against the simulator's seeded buckets and traces.
 */

const DAY = 86_400_000;
const textOf = (result: CallToolResult): string => result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");
const squash = (text: string): string => text.replace(/\s+/g, " ");

/**
 * Run payloads are the user's data, kept as LangSmith sent them; so are a run table's rows and
 * refs, whose null cells are the table's blanks ("not recorded", as its output schema says).
 */
const PAYLOAD_KEYS = new Set([
  "inputs",
  "outputs",
  "extra",
  "metadata",
  "events",
  "manifest",
  "feedback_stats",
  "serialized",
  "rows",
  "refs",
]);

/** Paths of null, "", [] or {} values (payloads aside). */
function emptyPaths(value: unknown, path = "$"): string[] {
  if (value === null || value === "" || (Array.isArray(value) && value.length === 0)) return [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => emptyPaths(item, `${path}[${i}]`));
  if (typeof value === "object" && value !== undefined) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [path];
    return entries.flatMap(([key, item]) => (PAYLOAD_KEYS.has(key) ? [] : emptyPaths(item, `${path}.${key}`)));
  }
  return [];
}

/** Every string and number in a structured result, with its path. */
function scalarLeaves(value: unknown, path = "$"): Array<[string, string | number]> {
  if (Array.isArray(value)) return value.flatMap((item, i) => scalarLeaves(item, `${path}[${i}]`));
  if (typeof value === "object" && value !== null)
    return Object.entries(value).flatMap(([key, item]) => scalarLeaves(item, `${path}.${key}`));
  if (typeof value === "string" || typeof value === "number") return [[path, value]];
  return [];
}

/** Leaves of structuredContent whose value the text does not show (numbers as written, text whitespace and case aside). */
function missingFacts(result: CallToolResult): string[] {
  const text = squash(textOf(result)).toLowerCase();
  return scalarLeaves(result.structuredContent).flatMap(([path, value]) => {
    const shown = typeof value === "number" ? String(value) : squash(value).toLowerCase();
    return text.includes(shown) ? [] : [`${path} = ${JSON.stringify(value).slice(0, 120)}`];
  });
}

/** Booleans of structuredContent, each with the words that say it in the text (written by hand). */
const BOOLEAN_WORDS: Record<string, Record<string, [true: RegExp, false: RegExp]>> = {
  export_status: { status_changed: [/changed from/, /unchanged/] },
  cancel_export: { cancelled: [/^Cancelled export/m, /Nothing has changed yet/] },
  rotate_destination_credentials: { rotated: [/^Rotated/m, /Nothing has changed yet/] },
  diagnose_export: { retried_automatically: [/LangSmith retries this by itself/, /does not retry this by itself/] },
  list_deletions: { has_more: [/more: offset/, /^(?![\s\S]*more: offset)/] },
};

describe("export and deletion texts carry every structured fact; structuredContent has no empties", () => {
  let stack: InMemoryStack;
  const results: Array<[string, CallToolResult]> = [];

  async function call(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const result = await stack.call(name, args);
    expect(result.isError, `${name}: ${textOf(result)}`).toBeFalsy();
    results.push([name, result]);
    return result.structuredContent as Record<string, unknown>;
  }

  beforeAll(async () => {
    stack = await startInMemoryStack();
    const midnight = (daysAgo: number) => new Date(Math.floor(stack.sim.clock.now() / DAY) * DAY - daysAgo * DAY).toISOString();
    const { fullAccess, rotation } = stack.sim.storage.credentials;

    await call("list_projects", {});
    await call("list_projects", { name_contains: "no such project anywhere" });
    const created = (await call("create_destination", {
      display_name: "text facts",
      bucket_name: stack.sim.storage.buckets.traces,
      prefix: "text-facts",
      region: "eu-west-1",
      access_key_id: fullAccess.access_key_id,
      secret_access_key: fullAccess.secret_access_key,
    })) as { destination: { id: string } };
    const destination = created.destination.id;
    await call("list_destinations", {});
    const rotate = { destination, access_key_id: rotation.access_key_id, secret_access_key: rotation.secret_access_key };
    const rotation1 = (await call("rotate_destination_credentials", rotate)) as { confirmation_token: string };
    await call("rotate_destination_credentials", { ...rotate, confirmation_token: rotation1.confirmation_token });

    const started = (await call("create_export", {
      project: "checkout-bot",
      destination,
      start_time: midnight(3),
      end_time: midnight(1),
      filter: 'eq(run_type, "llm")',
    })) as {
      export: { id: string };
    };
    await call("list_exports", {});
    await call("export_status", { export_id: started.export.id });
    await call("diagnose_export", { export_id: started.export.id });
    await call("diagnose_export", {
      error_text: "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied",
    });
    const cancel = (await call("cancel_export", { export_id: started.export.id })) as { confirmation_token: string };
    await call("cancel_export", { export_id: started.export.id, confirmation_token: cancel.confirmation_token });
    await call("export_status", { export_id: started.export.id });

    const runs = runsOf(await call("query_runs", { project: "support-bot", start_time: "30d", is_root: true, page_size: 3 }));
    const [errored] = runsOf(
      await call("query_runs", {
        project: "checkout-bot",
        start_time: "30d",
        has_error: true,
        run_type: "llm",
        page_size: 2,
        fields: "full",
      }),
    );
    await call("get_run", { run_id: errored!.id });
    await call("get_trace", { run_id: errored!.id });
    const purge = { project: "support-bot", trace_ids: [...runs.map((run) => run.id), "00000000-0000-4000-8000-000000000000"] };
    const plan = (await call("queue_deletion", purge)) as { confirmation_token: string };
    const queued = (await call("queue_deletion", { ...purge, confirmation_token: plan.confirmation_token })) as {
      purge: { purge_id: string };
    };
    await call("queue_deletion", { purge_id: queued.purge.purge_id });
    await call("verify_deletion", { purge_id: queued.purge.purge_id });
    await call("verify_deletion", { project: "support-bot", start_time: "30d", filter: 'eq(name, "no such run name")' });
    await call("list_deletions", {});
  });
  afterAll(async () => stack?.close());

  it("every structuredContent leaves out null, empty text, empty lists and empty objects", () => {
    expect(results.length).toBeGreaterThan(15);
    const found = results.flatMap(([name, result]) => emptyPaths(result.structuredContent).map((path) => `${name} ${path}`));
    expect(found).toEqual([]);
  });

  it("the text of every export, destination and deletion result shows each string and number of its structuredContent", () => {
    // Run listings are checked field by field, tables read back, in text-fields.test.ts.
    const runTools = new Set(["list_projects", "query_runs", "get_trace"]);
    const missing = results
      .filter(([name]) => !runTools.has(name))
      .flatMap(([name, result]) => missingFacts(result).map((fact) => `${name}: ${fact}`));
    expect(missing).toEqual([]);
  });

  it("the text says each yes/no fact in words", () => {
    for (const [name, result] of results) {
      for (const [key, [yes, no]] of Object.entries(BOOLEAN_WORDS[name] ?? {})) {
        const value = (result.structuredContent as Record<string, unknown>)[key];
        if (typeof value !== "boolean") continue;
        expect(textOf(result), `${name}.${key} = ${value}`).toMatch(value ? yes : no);
      }
    }
  });

  it("says nothing twice: no preview beside its full field, no nested copy of a top-level fact", () => {
    for (const [name, result] of results) {
      const s = result.structuredContent as Record<string, unknown>;
      if (name === "verify_deletion" && s.purge) {
        const purge = s.purge as Record<string, unknown>;
        expect(purge.expected_completion_window, name).toBeUndefined();
        expect(purge.last_verification, name).toBeUndefined();
      }
      for (const run of [s.run, ...(name === "query_runs" ? runsOf(s) : [])] as Array<Record<string, unknown> | undefined>) {
        if (!run) continue;
        for (const full of ["inputs", "outputs", "error"]) {
          if (run[full] !== undefined) expect(run[`${full}_preview`], `${name} ${full}_preview`).toBeUndefined();
        }
      }
      if (name === "get_run" && (s.run as Record<string, unknown>).project_id) expect(s.project_id, name).toBeUndefined();
      if (name === "get_trace") expect(s.root, "get_trace root repeats nodes[0]").toBeUndefined();
      if (name === "create_export") expect((s.export as Record<string, unknown>).compression, name).toBeUndefined();
      for (const exp of [s.export, ...((s.exports as unknown[]) ?? [])] as Array<Record<string, unknown> | undefined>) {
        if (exp?.project_id) expect(exp.scope, name).toBeUndefined();
      }
    }
  });
});
