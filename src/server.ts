import { AsyncLocalStorage } from "node:async_hooks";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  SetLevelRequestSchema,
  type CallToolResult,
  type LoggingLevel,
  type LoggingMessageNotification,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Config } from "./config.js";
import { isUserInputError, UserInputError } from "./errors.js";
import { isLangSmithError, type LangSmithClient } from "./langsmith/index.js";
import type { InFlight } from "./http/in-flight.js";
import type { Ledger } from "./ledger/index.js";
import type { EventLevel, LogEvent, Logger } from "./log.js";
import { registerPrompts } from "./prompts/index.js";
import { redactObject, redactSecrets, redactStrings } from "./redact.js";
import { registerResources } from "./resources/index.js";
import type { AnyToolDefinition, ToolContext } from "./tools/define-tool.js";
import { ConfirmationTokens } from "./tools/confirmation.js";
import { TOOLS } from "./tools/index.js";
import { fitsBudget } from "./tools/output-budget.js";
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

/** How long a confirmation dialog may stay open before the tool falls back to a token. */
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

/** MCP 2025-11-25 makes JSON Schema 2020-12 the default dialect; zod emits it when asked. */
function toJsonSchema(schema: z.ZodObject, io: "input" | "output"): Tool["inputSchema"] {
  return z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Tool["inputSchema"];
}

/** The tools/list entry of a tool. Computed once per tool: schemas never change at run time. */
const listings = new WeakMap<AnyToolDefinition, Tool>();
export function toolListing(tool: AnyToolDefinition): Tool {
  let listing = listings.get(tool);
  if (!listing) {
    listing = {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: toJsonSchema(tool.inputSchema, "input"),
      outputSchema: toJsonSchema(tool.outputSchema, "output"),
      annotations: { title: tool.title, ...tool.annotations },
    };
    listings.set(tool, listing);
  }
  return listing;
}

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
    { capabilities: { tools: { listChanged: false }, logging: {} }, instructions: INSTRUCTIONS },
  );
  forwardLogs(mcp, deps, secrets);
  // Resources and prompts (with their argument completions) sit beside the tools they lead to.
  registerResources(mcp, { client, secrets, ledger: deps.ledger, maxOutputTokens: config.maxOutputTokens });
  registerPrompts(mcp, { client }, byName.keys());

  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.map(toolListing) }));

  mcp.server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = byName.get(request.params.name);
    const withheld = tool ? undefined : (deps.tools ?? TOOLS).find((t) => t.name === request.params.name);
    if (withheld) {
      throw new McpError(ErrorCode.InvalidParams, `Tool "${withheld.name}" is not available: ${unavailableBecause(withheld, config) ?? "this server does not offer it"}.`);
    }
    if (!tool) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${request.params.name}". Available: ${[...byName.keys()].join(", ")}.`);
    }
    const started = performance.now();
    const log = logger.child(tool.name);
    const finished = deps.inFlight?.begin();
    try {
      const input = parseInput(tool, request.params.arguments ?? {});
      const progressToken = request.params._meta?.progressToken;
      const context: ToolContext = {
        client,
        projects,
        config,
        logger: log,
        signal: extra.signal,
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
            return answer.action === "accept" && answer.content?.confirm === true ? "accepted" : "declined";
          } catch (error) {
            // The dialog could not be shown or was not answered: the token path still protects.
            log.warn("could not ask the user to confirm; returning a confirmation token instead", { error: String(error) });
            return "unavailable";
          }
        },
        ledger: deps.ledger,
        progress: async (progress, total, message) => {
          if (progressToken === undefined) return;
          await extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken, progress, ...(total !== undefined && { total }), message },
          });
        },
      };
      const scope: CallScope = { owner: mcp, notify: (params) => extra.sendNotification({ method: "notifications/message", params }) };
      const result = await currentCall.run(scope, () => tool.handler(input, context));
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

function parseInput(tool: AnyToolDefinition, args: Record<string, unknown>): unknown {
  const parsed = tool.inputSchema.safeParse(args);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length ? issue.path.join(".") : undefined;
  const known = Object.keys(tool.inputSchema.shape);
  const hint =
    issue.code === "unrecognized_keys"
      ? `Known arguments: ${known.join(", ")}.`
      : field && tool.inputSchema.shape[field]?.description
        ? `Expected: ${tool.inputSchema.shape[field].description}`
        : undefined;
  throw new UserInputError(field, `${issue.message}.`, hint);
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
