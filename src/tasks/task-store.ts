/**
 * The tasks of one server process, in memory: long tool calls that answer at once with a task
 * id and run on in the background, to be polled (tasks/get), read (tasks/result, or inline in
 * tasks/get on 2026-07-28), listed and cancelled. The store knows nothing of either protocol's
 * wire shape (wire.ts renders it); it keeps the state and the rules both revisions share:
 *
 * - Every task belongs to one caller (`owner`: the LangSmith key's fingerprint over HTTP, the
 *   connection over stdio). Another caller's task reads as "not found", never as "forbidden",
 *   so task ids cannot be probed (2025-11-25 tasks, "Task Isolation and Access Control").
 * - Bounded twice: at most `maxTasks` kept (the oldest finished task makes room), at most
 *   `maxRunningPerOwner` running per caller; and each task is forgotten `ttlMs` after its
 *   creation (a running task is cancelled then).
 * - Terminal states never change: a task cancelled stays cancelled whatever its work does next.
 *
 * Sources: MCP 2025-11-25 basic/utilities/tasks; the Tasks extension for 2026-07-28
 * (io.modelcontextprotocol/tasks, SEP-2663).
 */
import { randomUUID } from "node:crypto";

export type TaskStatus = "working" | "input_required" | "completed" | "failed" | "cancelled";

/** A JSON-RPC error as a failed task carries it. */
export interface TaskError {
  code: number;
  message: string;
  data?: unknown;
}

/** The result of the tools/call the task runs (a CallToolResult; `isError` for a tool error). */
export type TaskResult = { content: unknown[]; isError?: boolean } & Record<string, unknown>;

/** A server-to-client request the task waits on (2026-07-28: surfaced by tasks/get). */
export interface TaskInputRequest {
  method: string;
  params: Record<string, unknown>;
}

export interface TaskSnapshot {
  readonly taskId: string;
  readonly toolName: string;
  readonly status: TaskStatus;
  readonly statusMessage?: string;
  readonly createdAt: number;
  readonly lastUpdatedAt: number;
  readonly ttlMs: number;
  readonly pollIntervalMs: number;
  /** Set when completed (and kept for a cancelled task the work still answered: see cancel). */
  readonly result?: TaskResult;
  readonly error?: TaskError;
  /** Outstanding input requests by key (input_required only). */
  readonly inputRequests: Readonly<Record<string, TaskInputRequest>>;
}

/** Limits of the store; TASK_LIMITS is what the server runs with. */
export interface TaskLimits {
  /**
   * Tasks kept in all (running and finished); the oldest finished one makes room. A result is
   * at most the token budget (~80 KB of JSON at 20,000 tokens), so 256 keep memory under ~20 MB.
   */
  maxTasks: number;
  /** Tasks one caller may have running at once. */
  maxRunningPerOwner: number;
  /** TTL when the client asks for none (2026-07-28 clients never ask). */
  defaultTtlMs: number;
  /** Bounds of a requested TTL: long enough to outlive the task's own cap, short enough to free memory. */
  minTtlMs: number;
  maxTtlMs: number;
  /** How often a client should poll. */
  pollIntervalMs: number;
}

export const TASK_LIMITS: Readonly<TaskLimits> = Object.freeze({
  maxTasks: 256,
  maxRunningPerOwner: 20,
  defaultTtlMs: 60 * 60_000,
  minTtlMs: 30 * 60_000,
  maxTtlMs: 24 * 60 * 60_000,
  pollIntervalMs: 2_000,
});

/** Why a task could not be created; the message is agent-facing. */
export class TaskLimitError extends Error {
  override readonly name = "TaskLimitError";
}

interface TaskRecord {
  taskId: string;
  owner: string;
  toolName: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: number;
  lastUpdatedAt: number;
  ttlMs: number;
  result?: TaskResult;
  error?: TaskError;
  inputRequests: Map<string, { request: TaskInputRequest; answer: (response: unknown) => void }>;
  /** Aborted on tasks/cancel and on expiry: the work's signal. */
  controller: AbortController;
  /** Resolves once the task is terminal. */
  settled: Promise<void>;
  settle: () => void;
  listeners: Set<(task: TaskSnapshot) => void>;
}

/** What the code running a task uses to report on it. */
export interface TaskHandle {
  readonly taskId: string;
  /** Aborted when the task is cancelled or expires. */
  readonly signal: AbortSignal;
  /** Updates the status message of a working task (progress). */
  report(message: string): void;
  /** Ends the task with the call's result. */
  complete(result: TaskResult): void;
  /** Ends the task with a JSON-RPC error (the call failed at the protocol level). */
  fail(error: TaskError): void;
  /**
   * Puts `request` to the client under `key` (unique within the task) and waits for its answer
   * (2026-07-28: tasks/update). The task is input_required meanwhile. Rejects when the task is
   * cancelled or expires first.
   */
  ask(key: string, request: TaskInputRequest): Promise<unknown>;
  /** Marks the task input_required while `waiting` runs (an answer asked for another way). */
  awaitInput<T>(message: string, waiting: Promise<T>): Promise<T>;
  /** Calls `listener` on every change of status (not on progress); returns the unsubscribe. */
  onStatus(listener: (task: TaskSnapshot) => void): () => void;
}

const TERMINAL: ReadonlySet<TaskStatus> = new Set(["completed", "failed", "cancelled"]);
export const isTerminal = (status: TaskStatus): boolean => TERMINAL.has(status);

export class TaskStore {
  private readonly tasks = new Map<string, TaskRecord>();
  readonly limits: Readonly<TaskLimits>;

  /** @param now milliseconds since the epoch, injectable for tests. */
  constructor(
    limits: Partial<TaskLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = Object.freeze({ ...TASK_LIMITS, ...limits });
  }

  /** The TTL a task gets when `requestedMs` is asked for (undefined: the default). */
  ttlFor(requestedMs: number | undefined): number {
    const { defaultTtlMs, minTtlMs, maxTtlMs } = this.limits;
    if (requestedMs === undefined || !Number.isFinite(requestedMs)) return defaultTtlMs;
    return Math.min(maxTtlMs, Math.max(minTtlMs, Math.round(requestedMs)));
  }

  /**
   * Creates a working task for `owner` and hands back the handle to run it with.
   * @throws TaskLimitError when the caller already runs maxRunningPerOwner tasks, or the
   * store is full of running tasks.
   */
  create(owner: string, toolName: string, options: { ttlMs?: number; statusMessage?: string } = {}): TaskHandle {
    const refused = this.refusal(owner);
    if (refused) throw new TaskLimitError(refused);
    if (this.tasks.size >= this.limits.maxTasks) this.evictOldestFinished();
    const at = this.now();
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const record: TaskRecord = {
      taskId: randomUUID(),
      owner,
      toolName,
      status: "working",
      ...(options.statusMessage !== undefined && { statusMessage: options.statusMessage }),
      createdAt: at,
      lastUpdatedAt: at,
      ttlMs: this.ttlFor(options.ttlMs),
      inputRequests: new Map(),
      controller: new AbortController(),
      settled,
      settle,
      listeners: new Set(),
    };
    this.tasks.set(record.taskId, record);
    return this.handleOf(record);
  }

  /** Why `owner` cannot start a task now (agent-facing), or undefined when it can. */
  refusal(owner: string): string | undefined {
    this.sweep();
    const all = [...this.tasks.values()];
    const running = all.filter((t) => t.owner === owner && !isTerminal(t.status)).length;
    if (running >= this.limits.maxRunningPerOwner) {
      return (
        `${running} tasks of this caller are still running, the most this server runs at once for one caller; wait for one to ` +
        `finish or cancel one (tasks/cancel), then call again.`
      );
    }
    if (all.length >= this.limits.maxTasks && all.every((t) => !isTerminal(t.status))) {
      return `This server already runs ${all.length} tasks, the most it keeps; retry in a minute.`;
    }
    return undefined;
  }

  /** The caller's task, or undefined when it does not exist, expired, or is someone else's. */
  get(owner: string, taskId: string): TaskSnapshot | undefined {
    const record = this.find(owner, taskId);
    return record && this.snapshot(record);
  }

  /**
   * The caller's tasks, oldest first, `pageSize` at a time. The cursor names the last task of
   * the page before; undefined when it names no task of this caller (any more).
   */
  list(owner: string, cursor: string | undefined, pageSize = 50): { tasks: TaskSnapshot[]; nextCursor?: string } | undefined {
    this.sweep();
    const mine = [...this.tasks.values()].filter((t) => t.owner === owner);
    let start = 0;
    if (cursor !== undefined) {
      const after = decodeCursor(cursor);
      const index = after === undefined ? -1 : mine.findIndex((t) => t.taskId === after);
      if (index < 0) return undefined;
      start = index + 1;
    }
    const page = mine.slice(start, start + pageSize);
    const more = start + pageSize < mine.length;
    return { tasks: page.map((t) => this.snapshot(t)), ...(more && page.length > 0 && { nextCursor: encodeCursor(page.at(-1)!.taskId) }) };
  }

  /**
   * Cancels the caller's task: aborts its work and marks it cancelled at once. Returns the
   * task as it is now (already terminal ones unchanged), or undefined when not found.
   */
  cancel(
    owner: string,
    taskId: string,
    message = "Cancelled at the client's request.",
  ): { task: TaskSnapshot; wasTerminal: boolean } | undefined {
    const record = this.find(owner, taskId);
    if (!record) return undefined;
    if (isTerminal(record.status)) return { task: this.snapshot(record), wasTerminal: true };
    this.finish(record, { status: "cancelled", statusMessage: message });
    record.controller.abort(new TaskCancelled(message));
    return { task: this.snapshot(record), wasTerminal: false };
  }

  /**
   * Hands the answers to outstanding input requests of the caller's task to the work waiting
   * on them. Keys not outstanding are ignored (answered already, or never asked).
   * @returns false when the task is not found.
   */
  respond(owner: string, taskId: string, responses: Record<string, unknown>): boolean {
    const record = this.find(owner, taskId);
    if (!record) return false;
    for (const [key, response] of Object.entries(responses)) {
      const pending = record.inputRequests.get(key);
      if (!pending) continue;
      record.inputRequests.delete(key);
      pending.answer(response);
    }
    if (record.status === "input_required" && record.inputRequests.size === 0) this.update(record, { status: "working" });
    return true;
  }

  /** Resolves with the task once it is terminal, or undefined if it expires first or `signal` aborts. */
  async settled(owner: string, taskId: string, signal?: AbortSignal): Promise<TaskSnapshot | undefined> {
    const record = this.find(owner, taskId);
    if (!record) return undefined;
    if (!isTerminal(record.status)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          signal?.removeEventListener("abort", done);
          resolve();
        };
        signal?.addEventListener("abort", done, { once: true });
        void record.settled.then(done);
      });
    }
    return this.find(owner, taskId) && isTerminal(record.status) ? this.snapshot(record) : undefined;
  }

  /** Tasks held (running and finished), after forgetting the expired ones. */
  get size(): number {
    this.sweep();
    return this.tasks.size;
  }

  /** Cancels every running task (shutdown). */
  cancelAll(message: string): void {
    for (const record of this.tasks.values()) {
      if (isTerminal(record.status)) continue;
      this.finish(record, { status: "cancelled", statusMessage: message });
      record.controller.abort(new TaskCancelled(message));
    }
  }

  private find(owner: string, taskId: string): TaskRecord | undefined {
    this.sweep();
    const record = this.tasks.get(taskId);
    return record?.owner === owner ? record : undefined;
  }

  /** Forgets tasks past their TTL; a running one is cancelled first, so its work stops. */
  private sweep(): void {
    const at = this.now();
    for (const record of [...this.tasks.values()]) {
      if (at < record.createdAt + record.ttlMs) continue;
      this.tasks.delete(record.taskId);
      if (!isTerminal(record.status)) {
        this.finish(record, { status: "cancelled", statusMessage: "Expired: its time to live ended before it finished." });
        record.controller.abort(new TaskCancelled("the task expired"));
      }
    }
  }

  private evictOldestFinished(): boolean {
    for (const record of this.tasks.values()) {
      if (isTerminal(record.status)) {
        this.tasks.delete(record.taskId);
        return true;
      }
    }
    return false;
  }

  private update(record: TaskRecord, change: Partial<Pick<TaskRecord, "status" | "statusMessage">>): void {
    if (isTerminal(record.status)) return;
    const statusChanged = change.status !== undefined && change.status !== record.status;
    Object.assign(record, change);
    record.lastUpdatedAt = this.now();
    if (statusChanged) this.emit(record);
  }

  private finish(record: TaskRecord, end: Pick<TaskRecord, "status" | "statusMessage" | "result" | "error">): void {
    if (isTerminal(record.status)) return;
    Object.assign(record, end);
    record.lastUpdatedAt = this.now();
    for (const pending of record.inputRequests.values()) pending.answer(undefined);
    record.inputRequests.clear();
    record.settle();
    this.emit(record);
  }

  private emit(record: TaskRecord): void {
    const snapshot = this.snapshot(record);
    for (const listener of record.listeners) {
      try {
        listener(snapshot);
      } catch {
        // A listener (a notification to a client that left) must not break the task.
      }
    }
  }

  private snapshot(record: TaskRecord): TaskSnapshot {
    return {
      taskId: record.taskId,
      toolName: record.toolName,
      status: record.status,
      ...(record.statusMessage !== undefined && { statusMessage: record.statusMessage }),
      createdAt: record.createdAt,
      lastUpdatedAt: record.lastUpdatedAt,
      ttlMs: record.ttlMs,
      pollIntervalMs: this.limits.pollIntervalMs,
      ...(record.result && { result: record.result }),
      ...(record.error && { error: record.error }),
      inputRequests: Object.fromEntries([...record.inputRequests].map(([key, pending]) => [key, pending.request])),
    };
  }

  private handleOf(record: TaskRecord): TaskHandle {
    const waitWhileInput = <T>(waiting: Promise<T>): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const stop = () => reject(record.controller.signal.reason);
        if (record.controller.signal.aborted) return stop();
        record.controller.signal.addEventListener("abort", stop, { once: true });
        waiting.then(resolve, reject).finally(() => record.controller.signal.removeEventListener("abort", stop));
      });
    return {
      taskId: record.taskId,
      signal: record.controller.signal,
      report: (message) => this.update(record, { statusMessage: message }),
      complete: (result) => this.finish(record, { status: "completed", result, statusMessage: record.statusMessage }),
      fail: (error) => this.finish(record, { status: "failed", error, statusMessage: error.message }),
      ask: (key, request) => {
        if (isTerminal(record.status)) return Promise.reject(record.controller.signal.reason ?? new TaskCancelled("the task ended"));
        const answered = new Promise<unknown>((answer) => record.inputRequests.set(key, { request, answer }));
        this.update(record, { status: "input_required" });
        return waitWhileInput(answered);
      },
      awaitInput: async (message, waiting) => {
        const before = record.statusMessage;
        this.update(record, { status: "input_required", statusMessage: message });
        try {
          return await waitWhileInput(waiting);
        } finally {
          this.update(record, { status: "working", ...(before !== undefined && { statusMessage: before }) });
        }
      },
      onStatus: (listener) => {
        record.listeners.add(listener);
        return () => record.listeners.delete(listener);
      },
    };
  }
}

/** The abort reason of a cancelled or expired task; handlers see it as an AbortError. */
export class TaskCancelled extends Error {
  override readonly name = "AbortError";
}

const encodeCursor = (taskId: string): string => Buffer.from(`after:${taskId}`).toString("base64url");
const decodeCursor = (cursor: string): string | undefined => {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  return text.startsWith("after:") ? text.slice("after:".length) : undefined;
};
