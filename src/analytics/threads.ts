/**
 * Conversation threads of a project (LangSmith v2 threads API, threads.yml): the threads active
 * in a window with their turn count, time span, errors, latency, tokens and cost, and one
 * thread as its turns in order. Threads need the v2 API (LangSmith ≥ 0.16 when self-hosted).
 */
import { ConfigurationError, UserInputError } from "../errors.js";
import {
  costUsd,
  isLangSmithApiError,
  isRouteNotFound,
  needsV2Message,
  type LangSmithClient,
  type ThreadTraceSelectField,
} from "../langsmith/index.js";

export interface ThreadSummary {
  thread_id: string;
  turns: number;
  errored_turns?: number;
  first_start?: string;
  last_start?: string;
  latency_p50_s?: number;
  latency_p99_s?: number;
  total_tokens?: number;
  total_cost_usd?: number;
  first_input?: string;
  last_output?: string;
  last_error?: string;
  last_trace_id?: string;
}

export interface ThreadTurn {
  trace_id: string;
  name?: string;
  /** success, error or pending: read from the error preview and end time (the turn listing has no status). */
  status: "success" | "error" | "pending";
  start_time?: string;
  latency_s?: number;
  total_tokens?: number;
  total_cost_usd?: number;
  input?: string;
  output?: string;
  error?: string;
}

const TURN_SELECTS: ThreadTraceSelectField[] = [
  "NAME",
  "START_TIME",
  "END_TIME",
  "LATENCY",
  "TOTAL_TOKENS",
  "TOTAL_COST",
  "INPUTS_PREVIEW",
  "OUTPUTS_PREVIEW",
  "ERROR_PREVIEW",
];
/** Pages of turns read at most (100 turns a page). */
const MAX_TURN_PAGES = 10;

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== "")) as T;

async function v2Only<T>(client: LangSmithClient, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isRouteNotFound(error)) throw new ConfigurationError(needsV2Message(what, await client.capabilities.runsApi("threads")));
    throw error;
  }
}

/** One page of the project's threads active in [start, end], most recent first. */
export async function listThreads(
  client: LangSmithClient,
  q: { projectId: string; start: Date; end: Date; filter?: string; pageSize: number; cursor?: string },
  signal?: AbortSignal,
): Promise<{ threads: ThreadSummary[]; nextCursor?: string }> {
  const page = await v2Only(client, "Listing threads", () =>
    client.queryThreads(
      {
        project_id: q.projectId,
        min_start_time: q.start.toISOString(),
        max_start_time: q.end.toISOString(),
        page_size: q.pageSize,
        ...(q.filter !== undefined && { filter: q.filter }),
        ...(q.cursor !== undefined && { cursor: q.cursor }),
      },
      signal,
    ),
  );
  // A thread without its id cannot be opened or told apart: left out.
  const threads = (page.items ?? []).flatMap((t) =>
    !t.thread_id
      ? []
      : defined<ThreadSummary>({
          thread_id: t.thread_id,
          turns: t.count ?? 0,
          errored_turns: t.num_errored_turns ?? undefined,
          first_start: t.min_start_time ?? undefined,
          last_start: t.max_start_time ?? undefined,
          latency_p50_s: t.latency_p50 ?? undefined,
          latency_p99_s: t.latency_p99 ?? undefined,
          total_tokens: t.total_tokens ?? undefined,
          total_cost_usd: costUsd(t.total_cost) ?? undefined,
          first_input: t.first_inputs ?? undefined,
          last_output: t.last_outputs ?? undefined,
          last_error: t.last_error ?? undefined,
          last_trace_id: t.last_trace_id ?? undefined,
        }),
  );
  return { threads, ...(page.next_cursor ? { nextCursor: page.next_cursor } : {}) };
}

/**
 * A thread's turns (its traces' root runs) in start order, at most `maxTurns`.
 * @throws UserInputError when the project has no such thread.
 */
export async function readThread(
  client: LangSmithClient,
  projectId: string,
  threadId: string,
  maxTurns: number,
  signal?: AbortSignal,
): Promise<{ turns: ThreadTurn[]; complete: boolean }> {
  const turns: ThreadTurn[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TURN_PAGES; page++) {
    let got;
    try {
      got = await v2Only(client, "Reading a thread", () =>
        client.listThreadTraces(
          threadId,
          { projectId, selects: TURN_SELECTS, pageSize: 100, ...(cursor !== undefined && { cursor }) },
          signal,
        ),
      );
    } catch (error) {
      if (isLangSmithApiError(error) && error.status === 404 && !isRouteNotFound(error)) {
        throw new UserInputError("thread_id", `no thread ${threadId} in this project.`, "list_threads shows the project's thread ids.");
      }
      throw error;
    }
    turns.push(
      ...(got.items ?? []).flatMap((t) =>
        !t.trace_id
          ? []
          : defined<ThreadTurn>({
              trace_id: t.trace_id,
              name: t.name ?? undefined,
              status: t.error_preview ? "error" : t.end_time ? "success" : "pending",
              start_time: t.start_time ?? undefined,
              latency_s: t.latency ?? undefined,
              total_tokens: t.total_tokens ?? undefined,
              total_cost_usd: costUsd(t.total_cost) ?? undefined,
              input: t.inputs_preview ?? undefined,
              output: t.outputs_preview ?? undefined,
              error: t.error_preview ?? undefined,
            }),
      ),
    );
    cursor = got.next_cursor ?? undefined;
    if (!cursor) break;
  }
  if (turns.length === 0)
    throw new UserInputError("thread_id", `no thread ${threadId} in this project.`, "list_threads shows the project's thread ids.");
  // The API does not promise an order; a conversation reads oldest first.
  turns.sort((a, b) => (a.start_time ?? "").localeCompare(b.start_time ?? ""));
  return { turns: turns.slice(0, maxTurns), complete: !cursor && turns.length <= maxTurns };
}
