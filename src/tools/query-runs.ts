import { z } from "zod";
import { UserInputError } from "../errors.js";
import { checkFilters, queryRunsPage, type LangSmithClient, type RunsQueryV2Request, type RunV2 } from "../langsmith/index.js";
import { apiTimeMicros, apiTimestamp } from "../api-time.js";
import { defineTool } from "./define-tool.js";
import { countPayloadTokens, fitItems } from "./output-budget.js";
import { PAGE_AIM, runsToAsk, tokensPerRunFromSelects, tokensPerRunMeasured } from "./page-estimate.js";
import { decodePageCursor, encodePageCursor, fingerprint, type PageCursor } from "./page-cursor.js";
import { FieldCutSchema, LangSmithIdSchema } from "./schemas.js";
import { resolveSelects, runFieldsParam, shapeRun, type FieldCut, type RunView } from "./run-fields.js";
import { runTableLines, RunTableSchema, tabulateRuns, type RunTable } from "./run-table.js";
import { resolveWindow, TIME_DESCRIPTION } from "./time-range.js";
import { noteLines } from "./render.js";

const RUN_TYPES = ["tool", "chain", "llm", "retriever", "embedding", "prompt", "parser"] as const;

/** The API's page maximum (contract §3.1). */
const API_MAX_PAGE_SIZE = 1000;
/** Payload previews in a listing stay short; get_run shows a run in full. */
const LISTING_FIELD_CHARS = 600;
/** LangSmith pages read for one call at most (v1 pages hold 100 runs; a page may come back short). */
const MAX_API_PAGES_PER_CALL = 20;

const inputSchema = z.object({
  project: z.string().min(1).describe('Project name or id, e.g. "checkout-bot" (list_projects shows them).'),
  start_time: z.string().optional().describe(`Earliest run start time. ${TIME_DESCRIPTION} Default "24h".`),
  end_time: z.string().optional().describe('Latest run start time, in the same forms. Default "now".'),
  filter: z
    .string()
    .optional()
    .describe(
      'LangSmith filter on each run, e.g. `and(eq(run_type, "llm"), neq(error, null))` for errored LLM calls, ' +
        '`gt(latency, "5s")`, `has(tags, "production")`, `and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))`.',
    ),
  trace_filter: z.string().optional().describe('Filter on the root run of each run\'s trace, e.g. `eq(status, "error")`.'),
  tree_filter: z.string().optional().describe('Keep runs whose trace contains any run matching this, e.g. `eq(name, "refund_payment")`.'),
  run_type: z
    .preprocess((value) => (typeof value === "string" ? value.toLowerCase() : value), z.enum(RUN_TYPES))
    .optional()
    .describe("Only runs of this type."),
  has_error: z.boolean().optional().describe("true: only errored runs; false: only runs without error."),
  is_root: z.boolean().optional().describe("true: only trace roots; false: only child runs."),
  trace_id: LangSmithIdSchema.optional().describe("Only runs of this trace (get_trace shows its tree)."),
  fields: runFieldsParam("compact"),
  sort_order: z.enum(["desc", "asc"]).default("desc").describe("By start time; default desc (newest first)."),
  page_size: z
    .number()
    .int()
    .min(1)
    .max(API_MAX_PAGE_SIZE)
    .default(50)
    .describe("Runs per page (default 50); a page may be cut to the token budget, next_cursor continues."),
  cursor: z.string().optional().describe("next_cursor of the previous call, with the same arguments."),
});

const outputSchema = z.object({
  project: z.object({ id: z.string(), name: z.string() }),
  window: z.object({ start_time: z.string(), end_time: z.string() }),
  sort_order: z.enum(["desc", "asc"]),
  count: z.number().int().describe("Runs in this page."),
  runs: RunTableSchema.optional().describe("The runs as a table; absent when no run matched."),
  has_more: z.boolean(),
  next_cursor: z.string().optional().describe("Pass as cursor, with the same arguments, for the next page."),
  truncated_fields: z.array(FieldCutSchema).optional(),
  notes: z.array(z.string()).optional(),
});

type QueryArgs = z.output<typeof inputSchema>;

/** The arguments that define the query; page_size and cursor only move through it. */
function queryDefinition(args: QueryArgs): Record<string, unknown> {
  const { page_size: _pageSize, cursor: _cursor, ...definition } = args;
  return definition;
}

export const queryRuns = defineTool({
  name: "query_runs",
  title: "Query runs",
  description:
    "Find runs in a LangSmith project by time range, filter, type, error state or trace, newest first, in compact form; e.g. 'LLM runs " +
    "that errored in checkout-bot yesterday'. " +
    "Page on with next_cursor. " +
    "Next: get_run for a run's inputs/outputs, get_trace for its tree.",
  toolset: "runs",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, { client, projects, config, signal, now }) {
    const notes = checkFilters(args);
    const definition = queryDefinition(args);
    const argsPrint = fingerprint(definition);

    let position: PageCursor;
    if (args.cursor) {
      position = decodePageCursor(args.cursor);
      if (position.f !== argsPrint) {
        throw new UserInputError(
          "cursor",
          "belongs to a query with different arguments.",
          "Repeat the exact arguments of the call that returned this cursor, or omit cursor to start a new query.",
        );
      }
    } else {
      const resolved = await projects.resolve(args.project, "project", signal);
      const window = resolveWindow(args.start_time, args.end_time, now());
      position = {
        v: 1,
        f: argsPrint,
        p: { id: resolved.id, name: resolved.name },
        w: [window.start.toISOString(), window.end.toISOString()],
        c: null,
        s: 0,
      };
    }

    const project = position.p;
    const [minStart, maxStart] = position.w;
    const query = buildQuery(args, project.id, minStart, maxStart);
    // Ask for about what the budget shows, not page_size and cut: runs read and not shown are read again by the next page.
    const budget = config.maxOutputTokens - CURSOR_RESERVE_TOKENS;
    let tokensPerRun = position.e ?? tokensPerRunFromSelects(query.selects ?? ["ID"]);
    const read = await collectRuns(
      client,
      query,
      { c: position.c, s: position.s },
      runsToAsk(args.page_size, budget, tokensPerRun),
      signal,
    );
    const noteSet = new Set(read.notes);

    const shaped: Array<{ view: RunView; cuts: FieldCut[] }> = [];
    const candidates: RunView[] = [];
    const shapeFrom = (from: number) => {
      for (const { run } of read.runs.slice(from)) {
        const cuts: FieldCut[] = [];
        const view = shapeRun(run, LISTING_FIELD_CHARS, cuts);
        shaped.push({ view, cuts });
        candidates.push(view);
      }
    };
    shapeFrom(0);
    const window = { start_time: minStart, end_time: maxStart };

    /** The result showing the first `count` runs read; the next page estimates `estimate` tokens a run. */
    const page = (count: number, estimate: number) => {
      const shown = candidates.slice(0, count);
      const pageNotes = [...notes, ...noteSet];
      let next: PageCursor | undefined;
      const firstHidden = read.runs[count];
      if (firstHidden) {
        next = { ...position, ...firstHidden.at, e: estimate };
        pageNotes.push(
          `Cut to ${count} of ${candidates.length} runs to stay within the ${config.maxOutputTokens.toLocaleString("en-US")}-token ` +
            `result budget; next_cursor continues where this page stopped.`,
        );
      } else if (read.after) {
        next = { ...position, ...read.after, e: estimate };
      }
      if (inOrder(shown, args.sort_order) === false) {
        shown.sort(
          (a, b) => (apiTimeMicros(a.start_time as string) - apiTimeMicros(b.start_time as string)) * (args.sort_order === "asc" ? 1 : -1),
        );
        pageNotes.push(
          `LangSmith did not return these runs ${args.sort_order === "asc" ? "oldest" : "newest"} first as sort_order asked; they are ` +
            `sorted here within this page only, so pages may not follow that order.`,
        );
      }
      const shownCuts = shaped.slice(0, count).flatMap(({ cuts }) => cuts);
      if (shownCuts.length)
        pageNotes.push(`Long payload fields were shortened to ${LISTING_FIELD_CHARS} characters; get_run shows a run in full.`);
      const nextCursor = next ? encodePageCursor(next) : undefined;
      const table = shown.length ? tabulateRuns(shown) : undefined;
      return {
        structured: {
          project,
          window,
          sort_order: args.sort_order,
          count: shown.length,
          runs: table,
          has_more: nextCursor !== undefined,
          ...(nextCursor && { next_cursor: nextCursor }),
          ...(shownCuts.length && { truncated_fields: shownCuts.slice(0, 50) }),
          // Only when there are any: a result with nothing to drop is sent as measured (output-budget.ts structuredJson).
          ...(pageNotes.length && { notes: pageNotes }),
        },
        text: renderText(project.name, window, args.sort_order, shown.length, table, nextCursor, pageNotes),
      };
    };
    // Fitted with the estimate this page was read with; a page well under its aim (the first page's estimate from the
    // selects errs high) is topped up from where the read stopped, which reads nothing twice.
    let renderedWith = tokensPerRun;
    let fitted = await fitItems(candidates.length, (count) => page(count, renderedWith), budget);
    let load = fitted.load;
    for (let topUps = 0; topUps < MAX_TOP_UPS && load !== undefined && fitted.count === candidates.length; topUps++) {
      if (!read.after || candidates.length >= args.page_size) break;
      // fitItems judges a result shorter in bytes than the budget by its bytes (2–4 per token): counted here, so a
      // small page is not mistaken for a full one.
      const counted = await countPayloadTokens(fitted.payload);
      load = Math.max(counted.text, counted.structured) / budget;
      tokensPerRun = tokensPerRunMeasured(load, budget, fitted.count);
      const room = Math.floor(((PAGE_AIM - load) * budget) / tokensPerRun);
      if (room < Math.max(1, Math.ceil(candidates.length * TOP_UP_MIN_SHARE))) break;
      const more = await collectRuns(client, query, read.after, Math.min(room, args.page_size - candidates.length), signal);
      const from = read.runs.length;
      read.runs.push(...more.runs);
      read.after = more.after;
      for (const note of more.notes) noteSet.add(note);
      shapeFrom(from);
      renderedWith = tokensPerRun;
      fitted = await fitItems(candidates.length, (count) => page(count, renderedWith), budget);
      load = fitted.load;
    }
    // Rendered once more when the cursor should carry the estimate this page measured, unless the one it carries is
    // within ESTIMATE_TOLERANCE of it (a digit or two of cursor; the reserve keeps that within the budget).
    const measured = load !== undefined && fitted.count > 0 ? tokensPerRunMeasured(load, budget, fitted.count) : tokensPerRun;
    return Math.abs(measured - renderedWith) <= renderedWith * ESTIMATE_TOLERANCE ? fitted.payload : page(fitted.count, measured);
  },
});

/** A cursor's estimate this close to the page's measure stands (saves rendering the page a second time). */
const ESTIMATE_TOLERANCE = 0.05;
/** At most this many more reads fill a page that came out well under its aim. */
const MAX_TOP_UPS = 2;
/** A top-up is worth a request when it adds at least this share of the runs already read. */
const TOP_UP_MIN_SHARE = 0.25;
/** Budget tokens kept free for the re-render that puts the measured estimate into the cursor (it grows by a digit or two). */
const CURSOR_RESERVE_TOKENS = 16;

interface Position {
  c: string | null;
  s: number;
}

/**
 * `want` runs from `start` (LangSmith's cursor `c`, `s` runs of that page already shown), each
 * with the position it was read at, following LangSmith's cursors (next_cursor alone, as the
 * official SDKs page) across as many pages as it takes. `after` is where the next call starts.
 */
async function collectRuns(
  client: LangSmithClient,
  query: RunsQueryV2Request,
  start: Position,
  want: number,
  signal: AbortSignal,
): Promise<{ runs: Array<{ run: RunV2; at: Position }>; after: Position | undefined; notes: string[] }> {
  const runs: Array<{ run: RunV2; at: Position }> = [];
  const notes = new Set<string>();
  let { c: cursor, s: skip } = start;
  for (let calls = 1; ; calls++) {
    const page = await queryRunsPage(
      client,
      { ...query, page_size: Math.min(API_MAX_PAGE_SIZE, skip + want - runs.length), ...(cursor !== null && { cursor }) },
      signal,
    );
    for (const note of page.notes) notes.add(note);
    const taken = page.items.slice(skip, skip + want - runs.length);
    for (const [i, run] of taken.entries()) runs.push({ run, at: { c: cursor, s: skip + i } });
    const rest: Position | undefined =
      skip + taken.length < page.items.length
        ? { c: cursor, s: skip + taken.length }
        : page.nextCursor
          ? { c: page.nextCursor, s: 0 }
          : undefined;
    if (runs.length >= want || !rest || rest.c === cursor || calls >= MAX_API_PAGES_PER_CALL)
      return { runs, after: rest, notes: [...notes] };
    cursor = rest.c;
    skip = 0;
  }
}

/** `2026-11-29T10:00:00.123456789Z`: apiTimestamp's form with nanoseconds, which apiTimeMicros drops. */
const NANOSECOND_TIME_CHARS = 30;

/** Whether the runs follow `order` by start time; undefined when start times were not selected. */
function inOrder(runs: readonly RunView[], order: "asc" | "desc"): boolean | undefined {
  // Times in apiTimestamp's own form (as shapeRun writes every readable one) of one length order as strings: fixed-width
  // fields, fractions of one length. Only a pair of different lengths (a fraction of 3 digits beside one of 6) is parsed,
  // and a pair with nanoseconds (30 chars): compared to the microsecond, as apiTimeMicros does, they may tie.
  if (runs.length >= 2 && runs.every((run) => typeof run.start_time === "string" && apiTimestamp(run.start_time) === run.start_time)) {
    return runs.every((run, i) => {
      if (i === 0) return true;
      const [a, b] = [runs[i - 1]!.start_time as string, run.start_time as string];
      const asText = a.length === b.length && a.length < NANOSECOND_TIME_CHARS;
      const before = asText ? a <= b : apiTimeMicros(a) <= apiTimeMicros(b);
      const after = asText ? a >= b : apiTimeMicros(a) >= apiTimeMicros(b);
      return order === "asc" ? before : after;
    });
  }
  const times = runs.map((run) => apiTimeMicros(typeof run.start_time === "string" ? run.start_time : null));
  if (times.length < 2 || times.some(Number.isNaN)) return undefined;
  return times.every((t, i) => i === 0 || (order === "asc" ? times[i - 1]! <= t : times[i - 1]! >= t));
}

function buildQuery(args: QueryArgs, projectId: string, minStart: string, maxStart: string): RunsQueryV2Request {
  return {
    project_ids: [projectId],
    min_start_time: minStart,
    max_start_time: maxStart,
    selects: resolveSelects(args.fields),
    // DESC is LangSmith's default, and sort_order is no longer in the SDKs' spec: ask only for ASC.
    ...(args.sort_order === "asc" && { sort_order: "ASC" as const }),
    ...(args.filter !== undefined && { filter: args.filter }),
    ...(args.trace_filter !== undefined && { trace_filter: args.trace_filter }),
    ...(args.tree_filter !== undefined && { tree_filter: args.tree_filter }),
    ...(args.run_type !== undefined && { run_type: args.run_type.toUpperCase() as RunsQueryV2Request["run_type"] }),
    ...(args.has_error !== undefined && { has_error: args.has_error }),
    ...(args.is_root !== undefined && { is_root: args.is_root }),
    ...(args.trace_id !== undefined && { trace_id: args.trace_id }),
  };
}

function renderText(
  projectName: string,
  window: { start_time: string; end_time: string },
  sortOrder: "asc" | "desc",
  count: number,
  table: RunTable | undefined,
  nextCursor: string | undefined,
  notes: string[],
): string {
  const header =
    `${count} run${count === 1 ? "" : "s"} in ${projectName} started ${window.start_time} … ${window.end_time}, ` +
    `${sortOrder === "asc" ? "oldest" : "newest"} first${nextCursor ? " (more available)" : ""}.`;
  const tail = [
    ...noteLines(notes),
    ...(nextCursor ? [`Next page: call query_runs with the same arguments and cursor "${nextCursor}".`] : []),
  ];
  return [header, ...(table ? runTableLines(table) : []), ...tail].join("\n");
}
