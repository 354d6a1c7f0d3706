import { AsyncLocalStorage } from "node:async_hooks";
import { isDeepStrictEqual } from "node:util";
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  LOG_LEVEL_META_KEY,
  PROTOCOL_VERSION_META_KEY,
  inputResponse,
  McpServer,
  ProtocolError,
  ProtocolErrorCode,
  type CacheHint,
  type CallToolResult,
  type ClientCapabilities,
  type InputRequiredResult,
  type LoggingLevel,
  type LoggingMessageNotification,
  type ServerContext,
} from "@modelcontextprotocol/server";
import { CallBudget, DEFAULT_CALL_BUDGET_MS } from "./call-budget.js";
import type { Config } from "./config.js";
import { failureText } from "./error-boundary.js";
import type { LangSmithClient } from "./langsmith/index.js";
import type { InFlight } from "./http/in-flight.js";
import type { Ledger } from "./ledger/index.js";
import type { EventLevel, LogEvent, Logger } from "./log.js";
import { offeredViews, registerApps, toolUiMeta } from "./apps/index.js";
import { registerPrompts } from "./prompts/index.js";
import { redactObject, redactSecrets, redactStrings } from "./redact.js";
import { registerResources } from "./resources/index.js";
import { invalidParams, parseArguments } from "./tools/arguments.js";
import type { AnyToolDefinition, ToolContext } from "./tools/define-tool.js";
import type { UserAnswer } from "./tools/confirmation.js";
import { answerFromDialog, ConfirmationTokens, digestOf, type AskState } from "./tools/confirmation.js";
import { TOOLS } from "./tools/index.js";
import { loadDefinition } from "./tools/deferred.js";
import { toolListing } from "./tools/listing.js";
import { increasingProgress, type SendProgress } from "./tools/progress.js";
import { structuredJson } from "./tools/output-budget.js";
import {
  declaresTasksExtension,
  isModernRequest,
  MODEL_IMMEDIATE_RESPONSE_META_KEY,
  registerTaskMethods,
  RELATED_TASK_META_KEY,
  TASKS_CAPABILITY_2025,
  TASKS_EXTENSION,
  TaskLimitError,
  TaskStore,
  taskV1,
  taskV2,
  type TaskHandle,
  type TaskResult,
} from "./tasks/index.js";
import { ProjectResolver } from "./langsmith/project-resolver.js";
import { SERVER_NAME, VERSION } from "./version.js";

export interface ServerDeps {
  client: LangSmithClient;
  config: Config;
  logger: Logger;
  /** Values never to echo in tool output (the API key in use). */
  secrets: readonly string[];
  now?: () => Date;
  /** The tools to offer; the full registry by default. */
  tools?: readonly AnyToolDefinition[];
  /** Shared across server instances so a token survives a stateless HTTP request boundary. */
  confirmations?: ConfirmationTokens;
  /** The deletion ledger (opened and closed by the caller). */
  ledger?: Ledger;
  /** Aborted when the caller cancels (stateless HTTP, where the SDK cannot route the cancellation). */
  callSignal?: AbortSignal;
  /** Counts tool calls being served, so a shutdown can let them finish (bounded). */
  inFlight?: InFlight;
  /**
   * Whether destructive tools may ask a 2025-11-25 client's user (elicitation). The answer must
   * reach this same server instance: true for stdio and HTTP sessions, false for stateless
   * HTTP, where it would land on another instance. Default true. 2026-07-28 clients are asked
   * with an input-required result whatever this says: their answer comes back with the retry.
   */
  elicitation?: boolean;
  /** Shared across server instances of one LangSmith key, so its name cache outlives a request. */
  projects?: ProjectResolver;
  /**
   * Which log events become MCP `notifications/message`: "calls" sends only the events raised
   * while this server's own tool calls run (HTTP: many clients share one logger, and one
   * client must not read another's activity); "all" also sends the rest (stdio: one client).
   */
  logNotifications?: "calls" | "all";
  /** How long one tool call may wait in total (call-budget.ts); tests pass a short one. */
  callBudgetMs?: number;
  /**
   * The tasks of this process (src/tasks/). Shared by every server instance of the process, so
   * a task created by one stateless request is found by the next. A store of its own by default.
   */
  tasks?: TaskStore;
  /**
   * Whose tasks this server's caller may see: the LangSmith key's fingerprint over HTTP, the
   * connection over stdio. One caller never sees another's task.
   */
  taskOwner?: string;
  /** How long a task may wait in total, in place of callBudgetMs (default DEFAULT_TASK_BUDGET_MS). */
  taskBudgetMs?: number;
  /** 2026-07-28: how long a task-capable call runs before it becomes a task (default DEFAULT_TASK_PROMOTE_AFTER_MS). */
  taskPromoteAfterMs?: number;
  /**
   * Check every structured result against its tool's output schema (a mismatch answers as a
   * server bug). On in tests (test/support/in-memory.ts, tool-output-schemas.test.ts), off in
   * the product: the results are built by our own code, and parsing a page of runs again cost
   * more per call than redacting it.
   */
  checkOutputs?: boolean;
}

/**
 * A task waits at most this long in total: above the longest wait a task-capable tool accepts
 * (export_status wait_seconds ≤ 600), with room for the requests around it.
 */
export const DEFAULT_TASK_BUDGET_MS = 15 * 60_000;
/** 2026-07-28: a task-capable call still running after this long answers with a task instead. */
export const DEFAULT_TASK_PROMOTE_AFTER_MS = 1_000;

/** What one run of a tool gets from the request or task it runs for. */
interface RunEnv {
  signal: AbortSignal;
  budget: CallBudget;
  progress: SendProgress;
  confirmWithUser: (message: string, binding?: unknown) => Promise<UserAnswer>;
  scope: CallScope;
}

/** A tools/call answered with a task: 2025-11-25 `{ task }`, 2026-07-28 the flat task with resultType "task". */
type CreateTaskResults =
  | { task: Record<string, unknown>; content: []; _meta?: Record<string, unknown> }
  | ({ resultType: "task" } & Record<string, unknown>);

/** The SDK types tools/call answers without tasks (it has no task runtime); the wire allows them. */
const asAnswer = (result: CallToolResult | CreateTaskResults): CallToolResult => result as CallToolResult;

/** A task's status message for a progress report: the share done, then what the tool said. */
const progressMessage = (progress: number, total: number | undefined, message: string): string =>
  total ? `${Math.round((1000 * progress) / total) / 10}% — ${message}` : message;

/** Read-only mode and toolsets are filters over the registry; readOnlyHint is the single source of truth. */
export function selectTools(tools: readonly AnyToolDefinition[], config: Pick<Config, "readOnly" | "toolsets">): AnyToolDefinition[] {
  return tools.filter((tool) => !unavailableBecause(tool, config));
}

/** Why a tool of the registry is not offered under this configuration; undefined when it is. */
function unavailableBecause(tool: AnyToolDefinition, config: Pick<Config, "readOnly" | "toolsets">): string | undefined {
  if (config.readOnly && !tool.annotations.readOnlyHint) {
    return "this server runs in read-only mode (--read-only / LANGSMITH_MCP_READ_ONLY), which leaves out every tool that changes data";
  }
  if (!config.toolsets.includes(tool.toolset)) {
    return `its toolset "${tool.toolset}" is not enabled (this server offers --toolsets ${config.toolsets.join(",")})`;
  }
  return undefined;
}

/** The confirmation dialog: one box to tick, under the plan. */
const CONFIRM_KEY = "confirm";
const CONFIRM_SCHEMA = {
  type: "object" as const,
  properties: { confirm: { type: "boolean" as const, title: "Proceed", description: "Carry out exactly what is described above." } },
  required: ["confirm"],
};

/** Thrown by askUser and caught by the boundary: the call answers "input required" instead. */
class AskUser extends Error {
  constructor(readonly result: InputRequiredResult) {
    super("input required");
  }
}

/**
 * 2026-07-28 list results carry a cache lifetime. Tools, prompts and resource templates change
 * only with a release or a restart with other flags: a client may keep them an hour.
 * resources/list names the ledger's purges, which a queue_deletion call adds: never cached.
 */
const LIST_CACHE: CacheHint = { ttlMs: 3_600_000, cacheScope: "private" };
const LIST_CACHE_HINTS = {
  "tools/list": LIST_CACHE,
  "prompts/list": LIST_CACHE,
  "resources/templates/list": LIST_CACHE,
  "resources/list": { ttlMs: 0, cacheScope: "private" },
} as const;

/** Before a client sets a level, only events worth interrupting for are sent. */
const DEFAULT_CLIENT_LOG_LEVEL: LoggingLevel = "warning";
const MCP_LEVEL: Readonly<Record<EventLevel, LoggingLevel>> = { debug: "debug", info: "info", warn: "warning", error: "error" };
const MCP_LEVEL_RANK: Readonly<Record<LoggingLevel, number>> = {
  debug: 0,
  info: 1,
  notice: 2,
  warning: 3,
  error: 4,
  critical: 5,
  alert: 6,
  emergency: 7,
};

/** The tool call the running code belongs to, so a log event reaches the client that caused it. */
interface CallScope {
  owner: McpServer;
  notify: (params: LoggingMessageNotification["params"]) => Promise<void>;
  /**
   * 2026-07-28: the level this request asked for in its _meta (no logging/setLevel there);
   * "off" when it asked for none, since then nothing may be sent. Absent at 2025-11-25.
   */
  level?: LoggingLevel | "off";
}
const currentCall = new AsyncLocalStorage<CallScope>();

/** What initialize (and 2026-07-28 server/discover) tells a client: every tool, one line per area. */
export const INSTRUCTIONS = `Tools for LangSmith data.
- Resolve a project name with list_projects when unsure; tools accept a project name or id.
- query_runs finds runs (compact, newest first, filter language e.g. and(eq(run_type, "llm"), neq(error, null))); page with next_cursor.
- get_run reads one run in full; get_trace shows the whole run tree of a trace; list_threads lists a project's conversations
  (thread_id: one thread's turns).
- App health (volume, error rate, latency, tokens, cost; per group or top runs): run_stats.
- Bulk exports: list_destinations / create_destination, create_export, export_status (wait_seconds to follow;
  check_completeness proves no rows are missing), list_exports, cancel_export; diagnose_export explains a failed or struggling
  export (with the completeness check) and gives a retry plan as create_export calls; rotate_destination_credentials fixes a
  credentials failure.
- Compliance purges: queue_deletion (one, several or all projects; metadata such as user_id=123), then verify_deletion after
  LangSmith's weekend batch, then deletion_report for the evidence; list_deletions shows the ledger.
- Destructive tools (queue_deletion, cancel_export, rotate_destination_credentials) change nothing on the first call: show
  the user the plan they return, and call again with the confirmation_token only after the user agrees.`;

/**
 * Builds the MCP server: registers the tools and holds the single error boundary that turns
 * every failure into agent-facing copy. Knows nothing of transports.
 */
export function buildServer(deps: ServerDeps): McpServer {
  const { client, config, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const tools = selectTools(deps.tools ?? TOOLS, config);
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const projects = deps.projects ?? new ProjectResolver(client, () => now().getTime());
  const secrets = deps.secrets.filter(Boolean);
  const confirmations = deps.confirmations ?? new ConfirmationTokens(undefined, () => now().getTime());
  const tasks = deps.tasks ?? new TaskStore();
  const taskOwner = deps.taskOwner ?? "local";

  const mcp = new McpServer(
    { name: SERVER_NAME, version: VERSION, title: "LangSmith" },
    {
      capabilities: { logging: {} },
      instructions: INSTRUCTIONS,
      // 2026-07-28 lists are cacheable: the registry never changes while a process runs.
      cacheHints: LIST_CACHE_HINTS,
      // The confirmation dialog's requestState comes back from the client: only our signature counts.
      requestState: { verify: confirmations.stateCodec.verify },
    },
  );
  // Declared here, not in the options: there McpServer adds tools.listChanged, which this server never sends.
  mcp.server.registerCapabilities({ tools: {} });
  if (tools.some((tool) => tool.task)) {
    // Both revisions' declarations; the SDK drops `tasks` (2025-11-25 vocabulary) from a 2026-07-28 server/discover.
    mcp.server.registerCapabilities({ tasks: TASKS_CAPABILITY_2025, extensions: { [TASKS_EXTENSION]: {} } });
    registerTaskMethods(mcp, tasks, taskOwner);
  }
  forwardLogs(mcp, deps, secrets);
  // Resources and prompts (with their argument completions) sit beside the tools they lead to.
  const resourceDeps = { client, secrets, logger: logger.child("resources"), ledger: deps.ledger, maxOutputTokens: config.maxOutputTokens };
  registerResources(mcp, resourceDeps);
  registerPrompts(mcp, { client, logger: logger.child("prompts") }, byName.keys());
  // Interactive views (MCP Apps) of the tools offered; --no-apps leaves them out entirely.
  const views = config.noApps ? [] : offeredViews(byName.keys());
  registerApps(mcp, views);
  const viewMeta = new Map(views.map((view) => [view.tool, toolUiMeta(view)]));

  // Hand-made on SDK v2 too: registerTool would validate arguments itself and answer a
  // mistake with a JSON-RPC error quoting zod's issue dump ("Input validation error: …"),
  // before our boundary could say what to do instead; and tools/list is ours so the listing
  // is the committed JSON Schema 2020-12 snapshot (toolListing), not the SDK's conversion.
  // execution.taskSupport is 2025-11-25 vocabulary (the SDK drops it at 2026-07-28).
  // A tool with a view names it in _meta.ui (hosts without the extension ignore _meta).
  mcp.server.setRequestHandler("tools/list", () => ({
    tools: tools.map((tool) => {
      const meta = viewMeta.get(tool.name);
      return {
        ...toolListing(tool),
        ...(tool.task && { execution: { taskSupport: "optional" as const } }),
        ...(meta && { _meta: meta }),
      };
    }),
  }));

  /**
   * Runs one tool call: arguments parsed, the handler run under `env` (its signal, budget,
   * progress, way to ask the user, log scope), the result checked against the output schema (in tests, checkOutputs)
   * and redacted. Every failure becomes an `isError` result here, the one error boundary;
   * only AskUser passes (the call answers "input required" instead).
   */
  const runTool = async (tool: AnyToolDefinition, args: unknown, env: RunEnv): Promise<CallToolResult> => {
    const started = performance.now();
    const log = logger.child(tool.name);
    try {
      // The bundle's registry holds stand-ins whose definitions load on the first call (deferred.ts).
      const definition = await loadDefinition(tool);
      const input = parseArguments(definition, args);
      const context: ToolContext = {
        client,
        projects,
        config,
        logger: log,
        signal: env.signal,
        budget: env.budget,
        now,
        confirmations,
        confirmWithUser: (message, binding) => env.confirmWithUser(redactSecrets(message, secrets), binding),
        ledger: deps.ledger,
        progress: increasingProgress(env.progress),
      };
      const result = await currentCall.run(env.scope, () => env.budget.run(() => definition.handler(input, context)));
      if (deps.checkOutputs) {
        const parsed = definition.outputSchema.safeParse(result.structured);
        // Equal after parsing too: a key the schema does not know would be stripped by the parse, yet sent without it.
        if (!parsed.success || !isDeepStrictEqual(parsed.data, result.structured)) {
          log.error("result does not match the output schema", { issues: parsed.error?.issues.slice(0, 5) ?? "keys outside the schema" });
          return errorResult(
            `${tool.name} produced a result that does not match its output schema; this is a bug in the server, please report it.`,
          );
        }
        // The secret scan reads the JSON the budget measured: a result changed after measuring would be scanned stale.
        if (structuredJson(result.structured) !== JSON.stringify(result.structured)) {
          log.error("result changed after the budget measured it");
          return errorResult(`${tool.name} changed its result after measuring it; this is a bug in the server, please report it.`);
        }
      }
      // Each tool fits its own result to the token budget (fitItems/fitFieldChars, tested per
      // tool with the real tokenizer); counting again here doubled a large result's CPU cost.
      log.debug("call done", { ms: Math.round(performance.now() - started), chars: result.text.length });
      const disclosure = { reveal: result.reveal ?? [] };
      return {
        content: [{ type: "text", text: redactSecrets(result.text, secrets, disclosure) }],
        structuredContent: redactStrings(result.structured, secrets, disclosure, () => structuredJson(result.structured)) as Record<
          string,
          unknown
        >,
      };
    } catch (error) {
      if (error instanceof AskUser) throw error;
      return errorResult(failureText(tool.name, error, log, secrets));
    }
  };

  /** What a call sends as it goes: progress notifications when asked for, log events in its scope. */
  const requestProgress = (ctx: ServerContext): SendProgress => {
    const progressToken = ctx.mcpReq._meta?.progressToken;
    return async (progress, total, message) => {
      if (progressToken === undefined) return;
      await ctx.mcpReq.notify({
        method: "notifications/progress",
        params: { progressToken, progress, ...(total !== undefined && { total }), message },
      });
    };
  };
  const requestScope = (ctx: ServerContext): CallScope => ({
    owner: mcp,
    notify: (params) => ctx.mcpReq.notify({ method: "notifications/message", params }),
    level: requestedLogLevel(ctx),
  });
  const requestSignal = (ctx: ServerContext): AbortSignal =>
    deps.callSignal ? AbortSignal.any([ctx.mcpReq.signal, deps.callSignal]) : ctx.mcpReq.signal;

  mcp.server.setRequestHandler("tools/call", async (request, ctx): Promise<CallToolResult | InputRequiredResult> => {
    const tool = byName.get(request.params.name);
    const withheld = tool ? undefined : (deps.tools ?? TOOLS).find((t) => t.name === request.params.name);
    if (withheld) {
      throw invalidParams(
        `Tool "${withheld.name}" is not available: ${unavailableBecause(withheld, config) ?? "this server does not offer it"}.`,
      );
    }
    if (!tool) {
      throw invalidParams(`Unknown tool "${request.params.name}". Available: ${[...byName.keys()].join(", ")}.`);
    }
    const modern = isModernRequest(ctx);
    // 2025-11-25: the client asks for a task with params.task; 2026-07-28: the server decides,
    // for a client that declared the Tasks extension on this request.
    const taskParam = modern ? undefined : (request.params as { task?: { ttl?: unknown } }).task;
    if (taskParam !== undefined && !tool.task) {
      throw new ProtocolError(
        ProtocolErrorCode.MethodNotFound,
        `${tool.name} does not run as a task (its execution.taskSupport is forbidden); call it without "task". Tools that do: ${
          tools
            .filter((t) => t.task)
            .map((t) => t.name)
            .join(", ") || "none"
        }.`,
      );
    }
    const finished = deps.inFlight?.begin();
    try {
      if (taskParam !== undefined)
        return asAnswer(startTask(tool, request.params.arguments, ctx, typeof taskParam.ttl === "number" ? taskParam.ttl : undefined));
      // A caller at its limit of running tasks gets the bounded wait of a plain call instead.
      if (tool.task && modern && declaresTasksExtension(ctx) && tasks.refusal(taskOwner) === undefined)
        return asAnswer(await runOrPromote(tool, request.params.arguments, ctx));
      return await runTool(tool, request.params.arguments, {
        signal: requestSignal(ctx),
        budget: new CallBudget(deps.callBudgetMs ?? DEFAULT_CALL_BUDGET_MS),
        progress: requestProgress(ctx),
        confirmWithUser: (message, binding) => askUser(tool.name, message, ctx, binding),
        scope: requestScope(ctx),
      });
    } catch (error) {
      // Not a failure: the call pauses until the user has answered the dialog, then runs again.
      if (error instanceof AskUser) return error.result;
      if (error instanceof TaskLimitError) throw new ProtocolError(ProtocolErrorCode.InvalidRequest, error.message);
      throw error;
    } finally {
      finished?.();
    }
  });

  /**
   * 2025-11-25, a task asked for: the call answers at once with the task and runs on in the
   * background, free of the request (its server may close right after answering, over
   * stateless HTTP). Progress goes to the task's status message, and to the request's progress
   * token on a connection that outlives the request (stdio, sessions).
   */
  const startTask = (tool: AnyToolDefinition, args: unknown, ctx: ServerContext, ttlMs: number | undefined): CreateTaskResults => {
    const handle = tasks.create(taskOwner, tool.name, { ttlMs, statusMessage: `${tool.name} is running.` });
    const progressToken = ctx.mcpReq._meta?.progressToken;
    const related = { [RELATED_TASK_META_KEY]: { taskId: handle.taskId } };
    const canElicit = deps.elicitation !== false && Boolean(mcp.server.getClientCapabilities()?.elicitation);
    // Optional in the spec (notifications/tasks/status): sent only where the connection lives on.
    handle.onStatus((task) => void notifyConnection("notifications/tasks/status", taskV1(task)));
    runInBackground(handle, tool, args, {
      signal: handle.signal,
      budget: new CallBudget(deps.taskBudgetMs ?? DEFAULT_TASK_BUDGET_MS),
      progress: async (progress, total, message) => {
        handle.report(progressMessage(progress, total, message));
        if (progressToken !== undefined) {
          await notifyConnection("notifications/progress", {
            progressToken,
            progress,
            ...(total !== undefined && { total }),
            message,
            _meta: related,
          });
        }
      },
      confirmWithUser: async (message) => {
        if (!canElicit) return "unavailable";
        try {
          const answer = await handle.awaitInput(
            "Waiting for the user to confirm in the client's dialog.",
            mcp.server.elicitInput({ mode: "form", message, requestedSchema: CONFIRM_SCHEMA, _meta: related }),
          );
          return answerFromDialog({ action: answer.action, ...(answer.content && { content: answer.content as Record<string, unknown> }) });
        } catch (error) {
          if (handle.signal.aborted) throw error;
          // No answer is no consent.
          return "declined";
        }
      },
      scope: { owner: mcp, notify: async () => undefined, level: "off" },
    });
    const created = tasks.get(taskOwner, handle.taskId)!;
    return {
      task: taskV1(created),
      // The SDK checks every tools/call answer against CallToolResult, which needs `content`;
      // empty, as it fills in itself for a 2026-07-28 CreateTaskResult (Result allows extra keys).
      content: [],
      _meta: { [MODEL_IMMEDIATE_RESPONSE_META_KEY]: `${tool.name} runs as task ${handle.taskId}; its result will follow.` },
    };
  };

  /**
   * 2026-07-28, a client with the Tasks extension: the call runs as usual for a moment, so a
   * quick one answers directly and a confirmation is asked before any task exists (the
   * extension asks servers to settle input-required rounds first). Still running after
   * `taskPromoteAfterMs`, it becomes a task: the answer is the CreateTaskResult, the work goes
   * on in the background, and from then on progress goes to the task's status message and a
   * confirmation is asked through the task (input_required, answered with tasks/update).
   */
  const runOrPromote = async (tool: AnyToolDefinition, args: unknown, ctx: ServerContext): Promise<CallToolResult | CreateTaskResults> => {
    const work = new AbortController();
    const request = requestSignal(ctx);
    const followRequest = () => work.abort(request.reason);
    if (request.aborted) followRequest();
    request.addEventListener("abort", followRequest, { once: true });
    let handle: TaskHandle | undefined;
    /** What the call reported before it became a task, so the task starts with it. */
    let lastProgress: string | undefined;
    let asks = 0;
    const canAsk = clientCanAsk(ctx);
    const inRequest = requestProgress(ctx);
    const scope = requestScope(ctx);
    const running = runTool(tool, args, {
      signal: work.signal,
      budget: new CallBudget(deps.taskBudgetMs ?? DEFAULT_TASK_BUDGET_MS),
      progress: async (progress, total, message) => {
        lastProgress = progressMessage(progress, total, message);
        return handle ? handle.report(lastProgress) : inRequest(progress, total, message);
      },
      confirmWithUser: async (message, binding) => {
        if (!handle) {
          try {
            return await askUser(tool.name, message, ctx, binding);
          } catch (error) {
            // Became a task while the question was being prepared: ask through the task instead.
            if (!(error instanceof AskUser) || !handle) throw error;
          }
        }
        if (!canAsk) return "unavailable";
        const answer = (await handle.ask(`confirm-${++asks}`, {
          method: "elicitation/create",
          params: { mode: "form", message, requestedSchema: CONFIRM_SCHEMA },
        })) as { action?: unknown; content?: Record<string, unknown> } | undefined;
        return answer && typeof answer.action === "string"
          ? answerFromDialog({
              action: answer.action as "accept" | "decline" | "cancel",
              ...(answer.content && { content: answer.content }),
            })
          : "declined";
      },
      // Log notifications belong to the request; a task sends none (the extension has no place for them).
      scope: { ...scope, notify: (params) => (handle ? Promise.resolve() : scope.notify(params)) },
    });
    const promoteAfter = deps.taskPromoteAfterMs ?? DEFAULT_TASK_PROMOTE_AFTER_MS;
    let timer: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      running,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), promoteAfter))),
    ]).finally(() => clearTimeout(timer));
    if (answered) {
      request.removeEventListener("abort", followRequest);
      return answered;
    }
    try {
      handle = tasks.create(taskOwner, tool.name, { statusMessage: lastProgress ?? `${tool.name} is running.` });
    } catch {
      // Full after all (another call took the last place meanwhile): answer in this request.
      return running;
    }
    request.removeEventListener("abort", followRequest);
    handle.signal.addEventListener("abort", () => work.abort(handle!.signal.reason), { once: true });
    settleInBackground(handle, tool, running);
    return { resultType: "task", ...taskV2(tasks.get(taskOwner, handle.taskId)!) };
  };

  const runInBackground = (handle: TaskHandle, tool: AnyToolDefinition, args: unknown, env: RunEnv): void => {
    settleInBackground(handle, tool, runTool(tool, args, env));
  };

  /** Ends the task with what the call answers; counted in flight, so a shutdown lets it finish (bounded). */
  const settleInBackground = (handle: TaskHandle, tool: AnyToolDefinition, running: Promise<CallToolResult>): void => {
    const finished = deps.inFlight?.begin();
    running
      .then(
        (result) => handle.complete(result as TaskResult),
        (error: unknown) => {
          logger.child(tool.name).error("task failed at the protocol level", {
            task: handle.taskId,
            error: error instanceof Error ? error.message : String(error),
          });
          handle.fail({
            code: ProtocolErrorCode.InternalError,
            message: `${tool.name} failed: ${redactSecrets(error instanceof Error ? error.message : String(error), secrets)}`,
          });
        },
      )
      .finally(() => finished?.());
  };

  /** A notification on the connection itself, for a client that is still there; never fails the caller. */
  const notifyConnection = async (method: string, params: Record<string, unknown>): Promise<void> => {
    if (!mcp.isConnected()) return;
    await (mcp.server.notification as (n: { method: string; params: Record<string, unknown> }) => Promise<void>)({ method, params }).catch(
      () => undefined,
    );
  };

  /**
   * Asks the human to confirm `message` in the client's own dialog, so the agent cannot answer
   * for them. 2026-07-28: an input-required result (the call is retried with the answer and
   * a signed requestState naming exactly this plan). 2025-11-25 with elicitation: the same
   * result, which the SDK's legacy shim turns into an elicitation/create on the live
   * connection. Otherwise "unavailable", and the tool falls back to its confirmation token.
   */
  const askUser = async (toolName: string, message: string, ctx: ServerContext, binding?: unknown): Promise<UserAnswer> => {
    const state = ctx.mcpReq.requestState<AskState>();
    const digest = digestOf(toolName, binding === undefined ? message : JSON.stringify(binding));
    const answer = inputResponse(ctx.mcpReq.inputResponses, CONFIRM_KEY);
    // An answer counts only for the plan it was given to: a changed plan is asked again.
    if (answer.kind === "elicit" && state?.digest === digest) {
      return answerFromDialog({ action: answer.action, ...(answer.content && { content: answer.content as Record<string, unknown> }) });
    }
    if (!clientCanAsk(ctx)) return "unavailable";
    throw new AskUser(
      inputRequired({
        inputRequests: { [CONFIRM_KEY]: inputRequired.elicit({ message, requestedSchema: CONFIRM_SCHEMA }) },
        requestState: await confirmations.stateCodec.mint({ digest }),
      }),
    );
  };

  const clientCanAsk = (ctx: ServerContext): boolean => {
    // 2026-07-28: the capabilities come with every request, in its _meta envelope.
    const envelope = ctx.mcpReq.envelope as Record<string, ClientCapabilities | undefined> | undefined;
    const modern = envelope?.[CLIENT_CAPABILITIES_META_KEY];
    if (modern) return Boolean(modern.elicitation);
    return deps.elicitation !== false && Boolean(mcp.server.getClientCapabilities()?.elicitation);
  };

  return mcp;
}

/**
 * MCP logging: the client picks a level with logging/setLevel (per server instance, so per
 * session over HTTP); log events at or above it are sent as notifications/message, already
 * redacted by the logger and once more with this server's secrets (a per-request key).
 */
function forwardLogs(mcp: McpServer, deps: ServerDeps, secrets: readonly string[]): void {
  let threshold = DEFAULT_CLIENT_LOG_LEVEL;
  mcp.server.setRequestHandler("logging/setLevel", (request) => {
    threshold = request.params.level;
    return {};
  });
  const scope = deps.logNotifications ?? "calls";
  const unsubscribe = deps.logger.onLog((event: LogEvent) => {
    const level = MCP_LEVEL[event.level];
    const call = currentCall.getStore();
    const floor = call?.level ?? threshold;
    if (floor === "off" || MCP_LEVEL_RANK[level] < MCP_LEVEL_RANK[floor]) return;
    if (call ? call.owner !== mcp : scope !== "all") return;
    const params: LoggingMessageNotification["params"] = {
      level,
      logger: event.logger || SERVER_NAME,
      data: redactObject({ message: redactSecrets(event.message, secrets), ...event.fields }, secrets),
    };
    // A notification must never fail the work that logged it (the client may be gone).
    const sent = call
      ? call.notify(params)
      : mcp.isConnected()
        ? mcp.server.notification({ method: "notifications/message", params })
        : undefined;
    sent?.catch(() => undefined);
  });
  const previous = mcp.server.onclose;
  mcp.server.onclose = () => {
    unsubscribe();
    previous?.();
  };
}

/** A 2026-07-28 request's log level from its _meta envelope; undefined for 2025-11-25. */
function requestedLogLevel(ctx: ServerContext): LoggingLevel | "off" | undefined {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  if (!envelope?.[PROTOCOL_VERSION_META_KEY]) return undefined;
  const level = envelope[LOG_LEVEL_META_KEY];
  return typeof level === "string" && level in MCP_LEVEL_RANK ? (level as LoggingLevel) : "off";
}

const errorResult = (text: string): CallToolResult => ({ isError: true, content: [{ type: "text", text }] });
