import { AsyncLocalStorage } from "node:async_hooks";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  ListToolsRequestSchema,
  SetLevelRequestSchema,
  type CallToolResult,
  type LoggingLevel,
  type LoggingMessageNotification,
} from "@modelcontextprotocol/sdk/types.js";
import { CallBudget, DEFAULT_CALL_BUDGET_MS } from "./call-budget.js";
import type { Config } from "./config.js";
import { isUserInputError } from "./errors.js";
import { isLangSmithError, type LangSmithClient } from "./langsmith/index.js";
import type { InFlight } from "./http/in-flight.js";
import type { Ledger } from "./ledger/index.js";
import type { EventLevel, LogEvent, Logger } from "./log.js";
import { registerPrompts } from "./prompts/index.js";
import { redactObject, redactSecrets, redactStrings } from "./redact.js";
import { registerResources } from "./resources/index.js";
import { CallToolRequestLooseSchema, invalidParams, parseArguments } from "./tools/arguments.js";
import type { AnyToolDefinition, ToolContext } from "./tools/define-tool.js";
import { answerFromDialog, answerFromDialogFailure, ConfirmationTokens } from "./tools/confirmation.js";
import { TOOLS } from "./tools/index.js";
import { toolListing } from "./tools/listing.js";
import { fitsBudget } from "./tools/output-budget.js";
import { increasingProgress } from "./tools/progress.js";
import { ProjectResolver } from "./tools/project-resolver.js";
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
  /** Counts tool calls being served, so a shutdown can let them finish (bounded). */
  inFlight?: InFlight;
  /**
   * Whether destructive tools may ask the user through the client (elicitation). The client's
   * answer must reach this same server instance: true for stdio and HTTP sessions, false for
   * stateless HTTP, where it would land on another instance. Default true.
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

/** How long a confirmation dialog may stay open; no answer by then is a no. */
const CONFIRMATION_WAIT_MS = 10 * 60_000;

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
    { capabilities: { logging: {} }, instructions: INSTRUCTIONS },
  );
  // Declared here, not in the options: there McpServer adds tools.listChanged, which this server never sends.
  mcp.server.registerCapabilities({ tools: {} });
  forwardLogs(mcp, deps, secrets);
  // Resources and prompts (with their argument completions) sit beside the tools they lead to.
  registerResources(mcp, { client, secrets, ledger: deps.ledger, maxOutputTokens: config.maxOutputTokens });
  registerPrompts(mcp, { client }, byName.keys());

  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.map(toolListing) }));

  mcp.server.setRequestHandler(CallToolRequestLooseSchema, async (request, extra): Promise<CallToolResult> => {
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
      const progressToken = request.params._meta?.progressToken;
      const budget = new CallBudget(deps.callBudgetMs ?? DEFAULT_CALL_BUDGET_MS);
      const context: ToolContext = {
        client,
        projects,
        config,
        logger: log,
        signal: extra.signal,
        budget,
        now,
        confirmations,
        confirmWithUser: async (message) => {
          if (deps.elicitation === false || !mcp.server.getClientCapabilities()?.elicitation) return "unavailable";
          try {
            const answer = await mcp.server.elicitInput(
              {
                message: redactSecrets(message, secrets),
                requestedSchema: {
                  type: "object",
                  properties: { confirm: { type: "boolean", title: "Proceed", description: "Carry out exactly what is described above." } },
                  required: ["confirm"],
                },
              },
              { relatedRequestId: extra.requestId, signal: extra.signal, timeout: CONFIRMATION_WAIT_MS },
            );
            return answerFromDialog(answer);
          } catch (error) {
            const answer = answerFromDialogFailure(error);
            log.warn(answer === "unavailable" ? "could not ask the user to confirm; returning a confirmation token instead" : "the confirmation dialog gave no yes; declining", { error: String(error) });
            return answer;
          }
        },
        ledger: deps.ledger,
        progress: increasingProgress(async (progress, total, message) => {
          if (progressToken === undefined) return;
          await extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken, progress, ...(total !== undefined && { total }), message },
          });
        }),
      };
      const scope: CallScope = { owner: mcp, notify: (params) => extra.sendNotification({ method: "notifications/message", params }) };
      const result = await currentCall.run(scope, () => budget.run(() => tool.handler(input, context)));
      const structured = tool.outputSchema.safeParse(result.structured);
      if (!structured.success) {
        log.error("result does not match the output schema", { issues: structured.error.issues.slice(0, 5) });
        return errorResult(`${tool.name} produced a result that does not match its output schema; this is a bug in the server, please report it.`);
      }
      if (!(await fitsBudget({ text: result.text, structured: structured.data }, config.maxOutputTokens))) {
        log.warn("result exceeds the output budget", { budget_tokens: config.maxOutputTokens });
      }
      log.debug("call done", { ms: Math.round(performance.now() - started), chars: result.text.length });
      const disclosure = { reveal: result.reveal ?? [] };
      return {
        content: [{ type: "text", text: redactSecrets(result.text, secrets, disclosure) }],
        structuredContent: redactStrings(structured.data, secrets, disclosure) as Record<string, unknown>,
      };
    } catch (error) {
      return errorResult(redactSecrets(describeFailure(tool.name, error, log), secrets));
    } finally {
      finished?.();
    }
  });

  return mcp;
}

/**
 * MCP logging: the client picks a level with logging/setLevel (per server instance, so per
 * session over HTTP); log events at or above it are sent as notifications/message, already
 * redacted by the logger and once more with this server's secrets (a per-request key).
 */
function forwardLogs(mcp: McpServer, deps: ServerDeps, secrets: readonly string[]): void {
  let threshold = DEFAULT_CLIENT_LOG_LEVEL;
  mcp.server.setRequestHandler(SetLevelRequestSchema, (request) => {
    threshold = request.params.level;
    return {};
  });
  const scope = deps.logNotifications ?? "calls";
  const unsubscribe = deps.logger.onLog((event: LogEvent) => {
    const level = MCP_LEVEL[event.level];
    if (MCP_LEVEL_RANK[level] < MCP_LEVEL_RANK[threshold]) return;
    const call = currentCall.getStore();
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

const errorResult = (text: string): CallToolResult => ({ isError: true, content: [{ type: "text", text }] });

/** The one place failures become words: the user's mistake, LangSmith's answer, or our bug. */
function describeFailure(toolName: string, error: unknown, log: Logger): string {
  if (isUserInputError(error)) return error.agentMessage;
  if (isLangSmithError(error)) {
    log.warn("LangSmith request failed", { error: error.message, ...("rawBody" in error && { body: error.rawBody }) });
    return error.message;
  }
  if (error instanceof Error && error.name === "AbortError") return `${toolName} was cancelled.`;
  log.error("tool failed unexpectedly", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return `${toolName} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}. This is a bug in the server; the details are in its log.`;
}
