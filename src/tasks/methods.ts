/**
 * The task methods a client calls: tasks/get, tasks/cancel (both revisions), tasks/result and
 * tasks/list (2025-11-25), tasks/update (2026-07-28). The SDK v2 has no task runtime, so they
 * are registered here with their own params schemas; the SDK still gates them by revision
 * (tasks/result and tasks/list toward a 2026-07-28 request answer -32601 before reaching us).
 * Every method sees only the caller's own tasks.
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  PROTOCOL_VERSION_META_KEY,
  ProtocolError,
  ProtocolErrorCode,
  type ClientCapabilities,
  type McpServer,
  type ServerContext,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import type { TaskStore } from "./task-store.js";
import { detailedTaskV2, MISSING_REQUIRED_CLIENT_CAPABILITY, RELATED_TASK_META_KEY, TASKS_EXTENSION, taskV1 } from "./wire.js";

const TaskIdParams = z.object({ taskId: z.string().min(1) });
const ListParams = z.object({ cursor: z.string().optional() });
/** inputResponses: the SDK lifts them out of a 2026-07-28 request's params into ctx.mcpReq.inputResponses. */
const UpdateParams = z.object({ taskId: z.string().min(1), inputResponses: z.record(z.string(), z.unknown()).optional() });

/** Whether this request speaks 2026-07-28 (its `_meta` names the protocol version). */
export function isModernRequest(ctx: ServerContext): boolean {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  return typeof envelope?.[PROTOCOL_VERSION_META_KEY] === "string";
}

/** Whether a 2026-07-28 request's client declared the Tasks extension in its per-request capabilities. */
export function declaresTasksExtension(ctx: ServerContext): boolean {
  const envelope = ctx.mcpReq.envelope as Record<string, ClientCapabilities | undefined> | undefined;
  return Boolean(envelope?.[CLIENT_CAPABILITIES_META_KEY]?.extensions?.[TASKS_EXTENSION]);
}

const notFound = (taskId: string): ProtocolError =>
  new ProtocolError(
    ProtocolErrorCode.InvalidParams,
    `Failed to retrieve task: no task "${taskId}" of this caller; it may have expired (tasks are kept for their ttl) or belong to ` +
      `another caller.`,
  );

/**
 * Registers the task methods on `mcp`, over `store`, for tasks owned by `owner`.
 * Errors: an unknown, expired or foreign task id is -32602; on 2026-07-28 a client that did not
 * declare the extension gets -32021 naming it; on 2025-11-25 cancelling a finished task is -32602.
 */
export function registerTaskMethods(mcp: McpServer, store: TaskStore, owner: string): void {
  /** 2026-07-28: the task methods exist only for clients that negotiated the extension. */
  const gate = (ctx: ServerContext, method: string): void => {
    if (!isModernRequest(ctx) || declaresTasksExtension(ctx)) return;
    throw new ProtocolError(
      MISSING_REQUIRED_CLIENT_CAPABILITY,
      `Missing required client capability: ${method} needs the ${TASKS_EXTENSION} extension in this request's client capabilities.`,
      {
        requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } },
      },
    );
  };

  mcp.server.setRequestHandler("tasks/get", { params: TaskIdParams }, (params, ctx) => {
    gate(ctx, "tasks/get");
    const task = store.get(owner, params.taskId);
    if (!task) throw notFound(params.taskId);
    return isModernRequest(ctx) ? detailedTaskV2(task) : taskV1(task);
  });

  mcp.server.setRequestHandler("tasks/cancel", { params: TaskIdParams }, (params, ctx) => {
    gate(ctx, "tasks/cancel");
    const cancelled = store.cancel(owner, params.taskId);
    if (!cancelled) throw notFound(params.taskId);
    // 2026-07-28: an empty acknowledgement, the same for a task already finished.
    if (isModernRequest(ctx)) return {};
    if (cancelled.wasTerminal) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Cannot cancel task: already in terminal status '${taskV1(cancelled.task).status as string}'.`,
      );
    }
    return taskV1(cancelled.task);
  });

  mcp.server.setRequestHandler("tasks/update", { params: UpdateParams }, (params, ctx) => {
    gate(ctx, "tasks/update");
    const responses = params.inputResponses ?? ctx.mcpReq.inputResponses ?? {};
    if (!store.respond(owner, params.taskId, responses)) throw notFound(params.taskId);
    return {};
  });

  // 2025-11-25 only (the SDK answers -32601 to a 2026-07-28 request before this runs).
  mcp.server.setRequestHandler("tasks/result", { params: TaskIdParams }, async (params, ctx) => {
    if (!store.get(owner, params.taskId)) throw notFound(params.taskId);
    // Blocks until the task ends, as the spec asks; a client that gives up cancels the request.
    const task = await store.settled(owner, params.taskId, ctx.mcpReq.signal);
    if (!task) {
      if (ctx.mcpReq.signal.aborted)
        throw new ProtocolError(ProtocolErrorCode.InternalError, "tasks/result was cancelled before the task finished.");
      throw notFound(params.taskId);
    }
    const related = { [RELATED_TASK_META_KEY]: { taskId: task.taskId } };
    if (task.error) throw new ProtocolError(task.error.code, task.error.message, task.error.data);
    // A task cancelled before its work answered has no result of its own: what the call answers when cancelled.
    const result = task.result ?? { content: [{ type: "text", text: `${task.toolName} was cancelled.` }], isError: true };
    return { ...result, _meta: { ...(result._meta as Record<string, unknown> | undefined), ...related } };
  });

  mcp.server.setRequestHandler("tasks/list", { params: ListParams }, (params) => {
    const page = store.list(owner, params.cursor);
    if (!page)
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        "Invalid cursor: it names no task of this caller (any more); list again without a cursor.",
      );
    return { tasks: page.tasks.map(taskV1), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
  });
}
