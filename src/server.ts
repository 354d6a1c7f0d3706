import { AsyncLocalStorage } from "node:async_hooks";
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  LOG_LEVEL_META_KEY,
  PROTOCOL_VERSION_META_KEY,
  inputResponse,
  McpServer,
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
import { isConfigurationError, isUserInputError } from "./errors.js";
import { isLangSmithError, type LangSmithClient } from "./langsmith/index.js";
import type { InFlight } from "./http/in-flight.js";
import type { Ledger } from "./ledger/index.js";
import type { EventLevel, LogEvent, Logger } from "./log.js";
import { registerPrompts } from "./prompts/index.js";
import { redactObject, redactSecrets, redactStrings } from "./redact.js";
import { registerResources } from "./resources/index.js";
import { invalidParams, parseArguments } from "./tools/arguments.js";
import type { AnyToolDefinition, ToolContext } from "./tools/define-tool.js";
import type { UserAnswer } from "./tools/confirmation.js";
import { answerFromDialog, ConfirmationTokens, digestOf, type AskState } from "./tools/confirmation.js";
import { TOOLS } from "./tools/index.js";
import { toolListing } from "./tools/listing.js";
import { increasingProgress } from "./tools/progress.js";
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
}

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
const LIST_CACHE_HINTS = { "tools/list": LIST_CACHE, "prompts/list": LIST_CACHE, "resources/templates/list": LIST_CACHE, "resources/list": { ttlMs: 0, cacheScope: "private" } } as const;

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

const INSTRUCTIONS = `Tools for LangSmith data.
- Resolve a project name with list_projects when unsure; tools accept a project name or id.
- query_runs finds runs (compact, newest first, filter language e.g. and(eq(run_type, "llm"), neq(error, null))); page with next_cursor.
- get_run reads one run in full; get_trace shows the whole run tree of a trace.
- Bulk exports: list_destinations / create_destination, create_export, export_status (wait_seconds to follow), list_exports; diagnose_export explains a failed or struggling export and gives a retry plan as create_export calls.
- Compliance purges: queue_deletion, then verify_deletion after LangSmith's weekend batch; list_deletions shows the ledger.
- Destructive tools (queue_deletion, cancel_export, rotate_destination_credentials) change nothing on the first call: show the user the plan they return, and call again with the confirmation_token only after the user agrees.`;

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
  forwardLogs(mcp, deps, secrets);
  // Resources and prompts (with their argument completions) sit beside the tools they lead to.
  registerResources(mcp, { client, secrets, ledger: deps.ledger, maxOutputTokens: config.maxOutputTokens });
  registerPrompts(mcp, { client }, byName.keys());

  // Hand-made on SDK v2 too: registerTool would validate arguments itself and answer a
  // mistake with a JSON-RPC error quoting zod's issue dump ("Input validation error: …"),
  // before our boundary could say what to do instead; and tools/list is ours so the listing
  // is the committed JSON Schema 2020-12 snapshot (toolListing), not the SDK's conversion.
  mcp.server.setRequestHandler("tools/list", () => ({ tools: tools.map(toolListing) }));

  mcp.server.setRequestHandler("tools/call", async (request, ctx): Promise<CallToolResult | InputRequiredResult> => {
    const tool = byName.get(request.params.name);
    const withheld = tool ? undefined : (deps.tools ?? TOOLS).find((t) => t.name === request.params.name);
    if (withheld) {
      throw invalidParams(`Tool "${withheld.name}" is not available: ${unavailableBecause(withheld, config) ?? "this server does not offer it"}.`);
    }
    if (!tool) {
      throw invalidParams(`Unknown tool "${request.params.name}". Available: ${[...byName.keys()].join(", ")}.`);
    }
    const started = performance.now();
    const log = logger.child(tool.name);
    const finished = deps.inFlight?.begin();
    try {
      const input = parseArguments(tool, request.params.arguments);
      const progressToken = ctx.mcpReq._meta?.progressToken;
      const budget = new CallBudget(deps.callBudgetMs ?? DEFAULT_CALL_BUDGET_MS);
      const context: ToolContext = {
        client,
        projects,
        config,
        logger: log,
        signal: deps.callSignal ? AbortSignal.any([ctx.mcpReq.signal, deps.callSignal]) : ctx.mcpReq.signal,
        budget,
        now,
        confirmations,
        confirmWithUser: (message, binding) => askUser(tool.name, redactSecrets(message, secrets), ctx, binding),
        ledger: deps.ledger,
        progress: increasingProgress(async (progress, total, message) => {
          if (progressToken === undefined) return;
          await ctx.mcpReq.notify({
            method: "notifications/progress",
            params: { progressToken, progress, ...(total !== undefined && { total }), message },
          });
        }),
      };
      const scope: CallScope = { owner: mcp, notify: (params) => ctx.mcpReq.notify({ method: "notifications/message", params }), level: requestedLogLevel(ctx) };
      const result = await currentCall.run(scope, () => budget.run(() => tool.handler(input, context)));
      const structured = tool.outputSchema.safeParse(result.structured);
      if (!structured.success) {
        log.error("result does not match the output schema", { issues: structured.error.issues.slice(0, 5) });
        return errorResult(`${tool.name} produced a result that does not match its output schema; this is a bug in the server, please report it.`);
      }
      // Each tool fits its own result to the token budget (fitItems/fitFieldChars, tested per
      // tool with the real tokenizer); counting again here doubled a large result's CPU cost.
      log.debug("call done", { ms: Math.round(performance.now() - started), chars: result.text.length });
      const disclosure = { reveal: result.reveal ?? [] };
      return {
        content: [{ type: "text", text: redactSecrets(result.text, secrets, disclosure) }],
        structuredContent: redactStrings(structured.data, secrets, disclosure) as Record<string, unknown>,
      };
    } catch (error) {
      // Not a failure: the call pauses until the user has answered the dialog, then runs again.
      if (error instanceof AskUser) return error.result;
      return errorResult(redactSecrets(describeFailure(tool.name, error, log), secrets));
    } finally {
      finished?.();
    }
  });

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
    const sent = call ? call.notify(params) : mcp.isConnected() ? mcp.server.notification({ method: "notifications/message", params }) : undefined;
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

/** The one place failures become words: the user's mistake, LangSmith's answer, or our bug. */
function describeFailure(toolName: string, error: unknown, log: Logger): string {
  if (isUserInputError(error)) return error.agentMessage;
  // What this deployment cannot do (an install without the v2 API): the message says so and what would.
  if (isConfigurationError(error)) return error.hint ? `${error.message} ${error.hint}` : error.message;
  if (isLangSmithError(error)) {
    log.warn("LangSmith request failed", { error: error.message, ...("rawBody" in error && { body: error.rawBody }) });
    return error.message;
  }
  if (error instanceof Error && error.name === "AbortError") return `${toolName} was cancelled.`;
  log.error("tool failed unexpectedly", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return `${toolName} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}. This is a bug in the server; the details are in its log.`;
}
