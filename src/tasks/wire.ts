/**
 * How a task looks on the wire of each protocol revision. The two differ in names and in
 * where the result lives:
 *
 * | | 2025-11-25 (core, basic/utilities/tasks) | 2026-07-28 (extension io.modelcontextprotocol/tasks) |
 * |---|---|---|
 * | ask for a task | `params.task: { ttl }` on tools/call | client declares the extension in its request `_meta`; server decides |
 * | tools/call answer | `{ task: Task }` | `{ resultType: "task", ...Task }` (flat) |
 * | lifetimes | `ttl`, `pollInterval` | `ttlMs`, `pollIntervalMs` |
 * | result | `tasks/result` (blocks), with related-task `_meta` | inline on `tasks/get` as `result` (completed) or `error` (failed) |
 * | tool error (`isError`) | status `failed` | status `completed`, `result.isError` |
 * | cancel | `tasks/cancel` answers the Task; a terminal task is -32602 | empty ack, idempotent |
 * | also | `tasks/list` | `tasks/update` (answers to `inputRequests`) |
 */
import type { TaskSnapshot, TaskStatus } from "./task-store.js";

/** The 2026-07-28 extension's identifier, in capabilities.extensions of both sides. */
export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";
/** `_meta` key tying a 2025-11-25 message to its task. */
export const RELATED_TASK_META_KEY = "io.modelcontextprotocol/related-task";
/** `_meta` key of a CreateTaskResult: what the host may hand the model while the task runs (2025-11-25, non-binding). */
export const MODEL_IMMEDIATE_RESPONSE_META_KEY = "io.modelcontextprotocol/model-immediate-response";
/** JSON-RPC error code of a request from a client that did not declare a capability it needs (2026-07-28). */
export const MISSING_REQUIRED_CLIENT_CAPABILITY = -32021;

/** The 2025-11-25 server capability: task-augmented tools/call, tasks/list and tasks/cancel. */
export const TASKS_CAPABILITY_2025 = { list: {}, cancel: {}, requests: { tools: { call: {} } } } as const;

const iso = (ms: number): string => new Date(ms).toISOString();

/** 2025-11-25 says a tool call whose result has isError ended "failed"; 2026-07-28 says "completed". */
const status2025 = (task: TaskSnapshot): TaskStatus => (task.status === "completed" && task.result?.isError ? "failed" : task.status);

/** A Task of 2025-11-25 (tasks/get, tasks/list, tasks/cancel, the CreateTaskResult's `task`). */
export function taskV1(task: TaskSnapshot): Record<string, unknown> {
  const status = status2025(task);
  const message = status === "failed" && task.result?.isError ? firstText(task.result.content) : task.statusMessage;
  return {
    taskId: task.taskId,
    status,
    ...(message !== undefined && { statusMessage: message }),
    createdAt: iso(task.createdAt),
    lastUpdatedAt: iso(task.lastUpdatedAt),
    ttl: task.ttlMs,
    pollInterval: task.pollIntervalMs,
  };
}

/** The Task fields of 2026-07-28 (CreateTaskResult, without the detail tasks/get inlines). */
export function taskV2(task: TaskSnapshot): Record<string, unknown> {
  return {
    taskId: task.taskId,
    status: task.status,
    ...(task.statusMessage !== undefined && { statusMessage: task.statusMessage }),
    createdAt: iso(task.createdAt),
    lastUpdatedAt: iso(task.lastUpdatedAt),
    ttlMs: task.ttlMs,
    pollIntervalMs: task.pollIntervalMs,
  };
}

/** A DetailedTask of 2026-07-28 (tasks/get): the Task plus the result, error or input requests its status carries. */
export function detailedTaskV2(task: TaskSnapshot): Record<string, unknown> {
  return {
    ...taskV2(task),
    ...(task.status === "completed" && task.result && { result: task.result }),
    ...(task.status === "failed" && task.error && { error: task.error }),
    ...(task.status === "input_required" && { inputRequests: task.inputRequests }),
  };
}

function firstText(content: unknown[]): string | undefined {
  for (const block of content) {
    if (typeof block === "object" && block !== null && (block as { type?: unknown }).type === "text")
      return String((block as { text?: unknown }).text);
  }
  return undefined;
}
