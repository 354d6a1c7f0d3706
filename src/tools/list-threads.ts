import { z } from "zod";
import { listThreads, readThread, type ThreadSummary, type ThreadTurn } from "../analytics/index.js";
import { checkFilters } from "../langsmith/index.js";
import { defineTool } from "./define-tool.js";
import { fitItems } from "./output-budget.js";
import { noteLines, num, seconds, usd } from "./render.js";
import { resolveWindow } from "./time-range.js";

const inputSchema = z.object({
  project: z.string().min(1).describe("Project name or id."),
  thread_id: z.string().min(1).optional().describe("Show this thread's turns in order instead."),
  start_time: z.string().optional().describe('As query_runs; default "7d".'),
  end_time: z.string().optional().describe('Default "now".'),
  filter: z.string().optional().describe("On turn root runs, as query_runs."),
  limit: z.number().int().min(1).max(100).default(20).describe("Threads or turns, default 20."),
  cursor: z.string().optional().describe("next_cursor of the previous call."),
});

const ThreadSchema = z.object({
  thread_id: z.string(),
  turns: z.number().int(),
  errored_turns: z.number().int().optional(),
  first_start: z.string().optional(),
  last_start: z.string().optional(),
  latency_p50_s: z.number().optional(),
  latency_p99_s: z.number().optional(),
  total_tokens: z.number().optional(),
  total_cost_usd: z.number().optional(),
  first_input: z.string().optional(),
  last_output: z.string().optional(),
  last_error: z.string().optional(),
  last_trace_id: z.string().optional(),
});

const TurnSchema = z.object({
  trace_id: z.string(),
  name: z.string().optional(),
  status: z.enum(["success", "error", "pending"]),
  start_time: z.string().optional(),
  latency_s: z.number().optional(),
  total_tokens: z.number().optional(),
  total_cost_usd: z.number().optional(),
  input: z.string().optional(),
  output: z.string().optional(),
  error: z.string().optional(),
});

const outputSchema = z.object({
  project: z.object({ id: z.string(), name: z.string() }),
  window: z.object({ start_time: z.string(), end_time: z.string() }).optional().describe("Thread list only."),
  threads: z.array(ThreadSchema).optional(),
  thread_id: z.string().optional(),
  turns: z.array(TurnSchema).optional().describe("Oldest first."),
  count: z.number().int(),
  next_cursor: z.string().optional(),
  notes: z.array(z.string()).optional(),
});

export const listThreadsTool = defineTool({
  name: "list_threads",
  title: "Conversation threads",
  description:
    "A project's conversation threads in a window (turns, time span, errors, latency, tokens, cost), most recent first; with thread_id, " +
    "that thread's turns in order. " +
    "Next: get_trace on a turn's trace_id.",
  toolset: "runs",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, { client, projects, config, signal, now }) {
    const notes = checkFilters({ ...(args.filter !== undefined && { filter: args.filter }) });
    const project = await projects.resolve(args.project, "project", signal);
    const ref = { id: project.id, name: project.name };

    if (args.thread_id) {
      if (args.start_time || args.end_time || args.cursor)
        notes.push("start_time, end_time and cursor apply to the thread list; a thread shows all its turns.");
      const { turns, complete } = await readThread(client, project.id, args.thread_id, args.limit, signal);
      if (!complete) notes.push(`Showing the first ${turns.length} turns (limit ${args.limit}).`);
      const render = (count: number) => {
        const shown = turns.slice(0, count);
        const pageNotes = count < turns.length ? [...notes, `Cut to ${count} turns to fit the result budget.`] : notes;
        return {
          structured: { project: ref, thread_id: args.thread_id as string, turns: shown, count: shown.length, notes: pageNotes },
          text: [
            `Thread ${args.thread_id} in ${project.name}: ${shown.length} turn${shown.length === 1 ? "" : "s"}, oldest first.`,
            ...shown.map(turnLine),
            ...noteLines(pageNotes),
          ].join("\n"),
        };
      };
      return (await fitItems(turns.length, render, config.maxOutputTokens)).payload;
    }

    const window = resolveWindow(args.start_time, args.end_time, now(), "7d");
    const query = {
      projectId: project.id,
      start: window.start,
      end: window.end,
      ...(args.filter !== undefined && { filter: args.filter }),
      ...(args.cursor !== undefined && { cursor: args.cursor }),
    };
    const page = await listThreads(client, { ...query, pageSize: args.limit }, signal);
    if (page.threads.length === 0)
      notes.push("No threads in this window: runs join a thread through metadata thread_id (or session_id / conversation_id).");
    const span = { start_time: window.start.toISOString(), end_time: window.end.toISOString() };
    const cutNote = (read: typeof page, count: number): string =>
      `Cut to ${count} threads to fit the ${config.maxOutputTokens.toLocaleString("en-US")}-token result ` +
      `budget${read.nextCursor ? "; next_cursor continues after them" : ""}.`;
    /** `page` shows its first `count` threads; `cut` says the page was read shorter to fit (or will be). */
    const renderPage = (read: typeof page, cut: boolean) => (count: number) => {
      const shown = read.threads.slice(0, count);
      const pageNotes = cut || count < read.threads.length ? [...notes, cutNote(read, count)] : notes;
      return {
        structured: {
          project: ref,
          window: span,
          threads: shown,
          count: shown.length,
          ...(read.nextCursor && { next_cursor: read.nextCursor }),
          notes: pageNotes,
        },
        text: [
          `${shown.length} thread${shown.length === 1 ? "" : "s"} of ${project.name} active ${span.start_time} … ${span.end_time}, ` +
            `most recent first${read.nextCursor ? " (more: pass next_cursor as cursor)" : ""}.`,
          ...shown.map(threadLine),
          ...(read.nextCursor ? [`next_cursor: ${read.nextCursor}`] : []),
          ...noteLines(pageNotes),
        ].join("\n"),
      };
    };
    let read = page;
    let fitted = await fitItems(read.threads.length, renderPage(read, false), config.maxOutputTokens);
    // LangSmith's next_cursor points after the whole page it sent: handing it out with fewer
    // threads shown would skip the rest. Read again exactly the threads that fit, so the cursor
    // continues right after the last one shown (again if the new page differs and still overflows).
    for (let reads = 0; fitted.count < read.threads.length && reads < 3; reads++) {
      read = await listThreads(client, { ...query, pageSize: fitted.count }, signal);
      fitted = await fitItems(read.threads.length, renderPage(read, true), config.maxOutputTokens);
    }
    return fitted.payload;
  },
});

const opt = (label: string, v: number | undefined, show: (n: number) => string = num): string =>
  v === undefined ? "" : `, ${label} ${show(v)}`;

function threadLine(t: ThreadSummary): string {
  return (
    `- ${t.thread_id}: ${t.turns} turn${t.turns === 1 ? "" : "s"}, ${t.errored_turns ?? "?"} errored, ${t.first_start ?? "?"} … ` +
    `${t.last_start ?? "?"}` +
    opt("latency p50", t.latency_p50_s, seconds) +
    opt("p99", t.latency_p99_s, seconds) +
    opt("tokens", t.total_tokens) +
    opt("cost", t.total_cost_usd, usd) +
    (t.first_input ? `\n  first input: ${t.first_input}` : "") +
    (t.last_output ? `\n  last output: ${t.last_output}` : "") +
    (t.last_error ? `\n  last error: ${t.last_error}` : "") +
    (t.last_trace_id ? `\n  last trace: ${t.last_trace_id}` : "")
  );
}

function turnLine(t: ThreadTurn, i: number): string {
  return (
    `${i + 1}. ${t.start_time ?? "?"} ${t.name ?? ""} ${t.status}` +
    opt("latency", t.latency_s, seconds) +
    opt("tokens", t.total_tokens) +
    opt("cost", t.total_cost_usd, usd) +
    ` trace ${t.trace_id}` +
    (t.input ? `\n  input: ${t.input}` : "") +
    (t.output ? `\n  output: ${t.output}` : "") +
    (t.error ? `\n  error: ${t.error}` : "")
  );
}
