import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUN_SELECT_FIELDS } from "../../src/langsmith/index.js";
import { toV2, type V2Select } from "../../src/simulator/index.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { nodesOf, runsOf } from "../support/runs.js";

/**
 * Many clients give the model only the text block; others only JSON.stringify(structuredContent).
 * Whatever the agent asked for must be readable in both: every value a run result holds in
 * structuredContent is checked to appear in the text, field by field, for every field an
 * agent may select. Expected presence comes from the simulator's own API view of its stored
 * runs (toV2), never from this server's rendering.
 */

const textOf = (result: CallToolResult): string => result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");
const squash = (text: string): string => text.replace(/\s+/g, " ");

/** Fields an agent may name in `fields` (share_url has its own switch on get_run). */
const SELECTABLE = RUN_SELECT_FIELDS.filter((f) => f !== "SHARE_URL").map((f) => f.toLowerCase());
/** Previews repeat the start of their full field, so a result keeps only the full one when both are selected. */
const PREVIEW_OF: Record<string, string> = { inputs_preview: "inputs", outputs_preview: "outputs", error_preview: "error" };

/** Nothing but nulls and empties, however deep ({ raw: {} } included). */
const isEmpty = (value: unknown): boolean =>
  value === null ||
  value === undefined ||
  value === "" ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every(isEmpty));

/** Every scalar inside a JSON value. */
function leaves(value: unknown): Array<string | number | boolean> {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (typeof value === "object") return Object.values(value).flatMap(leaves);
  return [value as string | number | boolean];
}

/**
 * Whether `text` shows `value` of field `key` recognisably: text as written (whitespace
 * aside), costs in dollars, seconds with their unit, booleans next to their key, lists and
 * objects by each value they hold.
 */
function missingFromText(text: string, key: string, value: unknown): string[] {
  const flat = squash(text);
  if (typeof value === "string") return flat.includes(squash(value)) ? [] : [`${key}: "${value.slice(0, 80)}"`];
  if (typeof value === "number") {
    // With its unit, or bare in a line or table column whose name says the unit.
    const shown = key.endsWith("_cost") ? `$${value}` : key.endsWith("_seconds") ? `${value} s` : String(value);
    return flat.includes(shown) || flat.includes(`${key}: ${value}`) ? [] : [`${key}: ${shown}`];
  }
  if (typeof value === "boolean") return flat.includes(`${key}: ${value}`) ? [] : [`${key}: ${value}`];
  return leaves(value).flatMap((leaf) => {
    if (typeof leaf === "string") {
      // Inside one-line JSON, a string's quotes and newlines are escaped.
      const escaped = JSON.stringify(leaf).slice(1, -1);
      return flat.includes(squash(leaf)) || flat.includes(escaped) ? [] : [`${key} → "${leaf.slice(0, 80)}"`];
    }
    return flat.includes(String(leaf)) ? [] : [`${key} → ${String(leaf)}`];
  });
}

/** Table cells split at `|`, a `\|` inside a value read as `|`. */
const cellsOf = (line: string): string[] => line.split(/(?<!\\)\|/).map((cell) => cell.replace(/\\\|/g, "|"));

/**
 * What a listing's text says about one run, as `key: value` lines, read the way an agent reads
 * the page: its row of the table against the header line of column names (a cell `@n` stands
 * for the value the text gives for @n, or for the id of the row written `@n=<id>`; a time
 * without a date is on the date the text names), the `  key: value` lines under the row, and
 * the line of fields every run shares.
 */
function blockOf(text: string, id: string): string {
  const lines = text.split("\n");
  const headerAt = lines.findIndex((line) => line.startsWith("id|") || line === "id");
  expect(headerAt, `no table header in:\n${text.slice(0, 500)}`).toBeGreaterThan(0);
  const header = lines[headerAt]!.split("|");
  const date = /without a date is on (\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
  const refs = new Map<string, string>();
  let last: string | undefined;
  for (const line of lines.slice(0, headerAt)) {
    const ref = /^@(\d+)=(.*)$/.exec(line);
    if (ref) refs.set((last = ref[1]!), ref[2]!);
    else if (last && line.startsWith("  ")) refs.set(last, `${refs.get(last)}\n${line}`);
    else last = undefined;
  }
  for (const line of lines.slice(headerAt + 1)) {
    const named = /^@(\d+)=([0-9a-f-]{36})(\||$)/.exec(line);
    if (named) refs.set(named[1]!, named[2]!);
  }
  const resolve = (field: string, value: string): string => {
    if (/^@\d+(, @\d+)*$/.test(value))
      return value
        .split(", ")
        .map((ref) => refs.get(ref.slice(1)) ?? ref)
        .join(", ");
    const time = /^(\d{2})(\d{2})(\d{2}(?:\.\d+)?)$/.exec(value);
    if (date && time && /_time$/.test(field)) return `${date}T${time[1]}:${time[2]}:${time[3]}Z`;
    return value;
  };
  const rowAt = lines.findIndex((line, i) => i > headerAt && cellsOf(line)[0]!.replace(/^@\d+=/, "") === id);
  expect(rowAt, `no row for run ${id} in:\n${text.slice(0, 500)}`).toBeGreaterThan(headerAt);
  const cells = cellsOf(lines[rowAt]!);
  const facts = header.flatMap((field, i) => (cells[i] ? [`${field}: ${resolve(field, i === 0 ? id : cells[i]!)}`] : []));
  for (const line of lines.slice(rowAt + 1)) {
    const detail = /^ {2}([a-z_]+): (.*)$/.exec(line);
    if (detail) facts.push(`${detail[1]}: ${resolve(detail[1]!, detail[2]!)}`);
    else if (line.startsWith("    ")) facts.push(line);
    else break;
  }
  const same = lines.slice(0, headerAt).find((line) => line.startsWith("Same for every run: "));
  return [...facts, ...(same ? [same] : [])].join("\n");
}

type RunView = Record<string, unknown> & { id: string };

describe("the text shows every field the agent asked for", () => {
  let stack: InMemoryStack;
  beforeAll(async () => {
    stack = await startInMemoryStack();
  });
  afterAll(async () => stack?.close());

  /** Selected fields the simulator's API answer holds a value for: the result must carry them. */
  function expectedFields(id: string, fields: readonly string[]): string[] {
    const run = stack.sim.store.run(id);
    expect(run, `run ${id} not in the simulator`).toBeDefined();
    return fields.filter((field) => {
      if (PREVIEW_OF[field] && fields.includes(PREVIEW_OF[field]!)) return false;
      const select = field.toUpperCase() as V2Select;
      return !isEmpty(toV2(run!, [select])[field]);
    });
  }

  /** Checks one run: every selected field with a value is there, and every value it holds is in the text. */
  function checkRun(view: RunView, text: string, fields: readonly string[], seen: Set<string>): void {
    const missingInResult = expectedFields(view.id, fields).filter((field) => !(field in view));
    expect(missingInResult, `run ${view.id}: selected fields absent from structuredContent`).toEqual([]);
    const missing = Object.entries(view).flatMap(([key, value]) => {
      seen.add(key);
      return missingFromText(text, key, value);
    });
    expect(missing, `run ${view.id}: values of structuredContent not in the text:\n${text}`).toEqual([]);
  }

  const presets = {
    compact: [
      "id",
      "name",
      "run_type",
      "status",
      "start_time",
      "end_time",
      "latency_seconds",
      "total_tokens",
      "total_cost",
      "error_preview",
      "trace_id",
      "is_root",
    ],
    detailed: [
      "id",
      "name",
      "run_type",
      "status",
      "start_time",
      "end_time",
      "latency_seconds",
      "total_tokens",
      "prompt_tokens",
      "completion_tokens",
      "total_cost",
      "first_token_time",
      "error_preview",
      "trace_id",
      "is_root",
      "parent_run_ids",
      "thread_id",
      "tags",
      "metadata",
      "inputs_preview",
      "outputs_preview",
      "feedback_stats",
      "project_id",
    ],
    full: SELECTABLE.filter((f) => f !== "attachments"),
  } as const;

  const cases: Array<[string, string | string[], readonly string[]]> = [
    ["compact", "compact", presets.compact],
    ["detailed", "detailed", presets.detailed],
    ["full", "full", presets.full],
    ["payloads by name", ["inputs", "outputs", "metadata", "feedback_stats"], ["id", "inputs", "outputs", "metadata", "feedback_stats"]],
    ["every selectable field by name", SELECTABLE, SELECTABLE],
  ];

  it.each(cases)("query_runs with fields %s: each run's values are in its block of the text", async (_label, fields, selected) => {
    const seen = new Set<string>();
    for (const filter of [{ has_error: true }, { has_error: false, run_type: "llm" }, { is_root: true }]) {
      const result = await stack.call("query_runs", { project: "checkout-bot", start_time: "30d", page_size: 4, fields, ...filter });
      const text = textOf(result);
      expect(result.isError, text).toBeFalsy();
      const runs = runsOf(result);
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) checkRun(run, blockOf(text, run.id), selected, seen);
    }
    // The check is not vacuous: the selected fields showed up with values.
    const shownOfSelected = selected.filter((f) => seen.has(f) || (PREVIEW_OF[f] && seen.has(PREVIEW_OF[f]!)));
    expect(shownOfSelected.length, `seen: ${[...seen].join(", ")}`).toBeGreaterThanOrEqual(Math.min(selected.length, 4));
  });

  it("query_runs with payloads by name is no longer a bare list of ids", async () => {
    const result = await stack.call("query_runs", {
      project: "checkout-bot",
      start_time: "30d",
      page_size: 2,
      fields: ["inputs", "outputs"],
    });
    const [run] = runsOf(result);
    const stored = stack.sim.store.run(run!.id)!;
    const block = blockOf(textOf(result), run!.id);
    expect(block).toMatch(/inputs: \{/);
    // The first input value, as the simulator stored it.
    const firstInput = leaves(stored.inputs).find((leaf) => typeof leaf === "string") as string;
    expect(squash(block)).toContain(JSON.stringify(firstInput).slice(1, 40));
  });

  it.each(cases)("get_run with fields %s: every value of the run is in the text", async (_label, fields, selected) => {
    const seen = new Set<string>();
    const runs = runsOf(
      await stack.call("query_runs", { project: "checkout-bot", start_time: "30d", page_size: 3, has_error: true, run_type: "llm" }),
    );
    for (const { id } of runs) {
      const result = await stack.call("get_run", { run_id: id, fields });
      expect(result.isError, textOf(result)).toBeFalsy();
      const { run } = result.structuredContent as { run: RunView };
      checkRun(run, textOf(result), selected, seen);
    }
  });

  it("get_run cuts a long payload in the text exactly as in structuredContent, with the same note", async () => {
    const long = stack.sim.store
      .allProjects()
      .flatMap((p) => stack.sim.store.runsOfProject(p.id))
      .find((r) => JSON.stringify(r.outputs ?? {}).length > 400);
    expect(long, "a run with outputs longer than 400 characters").toBeDefined();
    const result = await stack.call("get_run", { run_id: long!.id, fields: ["outputs"], max_field_chars: 200 });
    const { run } = result.structuredContent as { run: { outputs: string } };
    expect(run.outputs).toMatch(/… \[truncated, \d+ chars in all\]$/);
    expect(textOf(result)).toContain(`outputs: ${run.outputs}`);
    expect(textOf(result)).toMatch(/max_field_chars/);
  });

  it("get_trace: every node's values are on its line, nested under its parent", async () => {
    const runs = runsOf(
      await stack.call("query_runs", { project: "checkout-bot", start_time: "30d", page_size: 3, is_root: true, has_error: true }),
    );
    for (const root of runs) {
      const result = await stack.call("get_trace", { trace_id: root.id });
      const text = textOf(result);
      const trace = {
        ...(result.structuredContent as {
          trace_id: string;
          project_id: string;
          run_count: number;
          error_count: number;
          total_tokens?: number;
          total_cost?: number;
        }),
        nodes: nodesOf(result),
      };
      expect(text).toContain(trace.trace_id);
      expect(text).toContain(trace.project_id);
      expect(text).toContain(`${trace.run_count} runs`);
      expect(text).toContain(`${trace.error_count} errored`);
      if (trace.total_tokens !== undefined) expect(text).toContain(String(trace.total_tokens));
      if (trace.total_cost !== undefined) expect(text).toContain(`$${trace.total_cost}`);
      if (trace.total_tokens === undefined && trace.total_cost === undefined) expect(text).toContain("no tokens or cost recorded");
      const lines = text.split("\n");
      for (const node of trace.nodes) {
        // Line 0 is the header, which names the trace (the root's id).
        const at = lines.findIndex((line, i) => i > 0 && line.includes(node.id));
        const line = lines[at]!;
        const { id: _id, depth, parent_run_id, total_tokens, ...rest } = node;
        const missing = Object.entries(rest).flatMap(([key, value]) => missingFromText(line, key, value));
        expect(missing, line).toEqual([]);
        if (typeof total_tokens === "number") expect(line).toContain(`${total_tokens} tokens`);
        expect(line.length - line.trimStart().length, line).toBe(2 * (depth as number));
        // The parent is the nearest line above that is one level shallower.
        const parentLine = lines
          .slice(0, at)
          .reverse()
          .find((l) => l.length - l.trimStart().length === 2 * ((depth as number) - 1));
        if (parent_run_id) expect(parentLine).toContain(parent_run_id as string);
        else expect(depth).toBe(0);
      }
      // The stored tree, not only the result's own nodes.
      expect(trace.nodes.map((n) => n.id).sort()).toEqual(
        stack.sim.store
          .runsOfTrace(root.id)
          .map((r) => r.id)
          .sort(),
      );
    }
  });

  it("list_projects shows run count, error rate, latency p50/p99, tokens, cost and last run as the simulator counts them", async () => {
    const result = await stack.call("list_projects", {});
    const text = textOf(result);
    const { projects } = result.structuredContent as { projects: Array<{ id: string; name: string }> };
    expect(projects.length).toBeGreaterThan(0);
    for (const project of projects) {
      const line = text.split("\n").find((l) => l.includes(project.id))!;
      expect(line, `no line for ${project.name}`).toBeDefined();
      const stats = stack.sim.store.projectStats(project.id);
      expect(line).toContain(`${stats.run_count} traces`);
      if (stats.error_rate !== null) {
        const percent = Number(/error rate ([\d.]+)%/.exec(line)?.[1]);
        expect(percent).toBeCloseTo(stats.error_rate * 100, 6);
      }
      if (stats.latency_p50 !== null) expect(line).toContain(`p50 ${stats.latency_p50} s`);
      if (stats.latency_p99 !== null) expect(line).toContain(`p99 ${stats.latency_p99} s`);
      if (stats.total_tokens !== null) expect(line).toContain(`${stats.total_tokens} tokens`);
      if (stats.total_cost !== null) expect(Number(/cost \$([\d.]+)/.exec(line)?.[1])).toBeCloseTo(stats.total_cost, 6);
      if (stats.last_run_start_time !== null)
        expect(line).toContain(`last run ${new Date(stats.last_run_start_time).toISOString().slice(0, 19)}`);
    }
  });
});
