import { homedir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { ConfigurationError } from "./errors.js";
import { DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT, isLoopbackHost } from "./http/bind.js";
import type { Toolset } from "./tools/define-tool.js";

/**
 * Everything the server is configured with, parsed once from flags and environment.
 * Nothing else in the program reads `process.env` or `process.argv`.
 */
export const DEFAULT_ENDPOINT = "https://api.smith.langchain.com";

const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;

/** Tool groups selectable with --toolsets; every tool names one (tools/define-tool.ts). */
export const TOOLSETS = ["runs", "exports", "diagnosis", "deletion"] as const satisfies readonly Toolset[];

/** Request bodies above this are refused with 413: tool arguments are small, a flood is not. */
const DEFAULT_MAX_BODY_BYTES = 1_048_576;

const ConfigSchema = z.object({
  /** Serve against the embedded simulator instead of a real LangSmith. */
  simulator: z.boolean(),
  simulatorSeed: z.number().int(),
  transport: z.enum(["stdio", "http"]),
  /** HTTP transport: where to listen; loopback unless a bearer token is configured. */
  host: z.string().min(1),
  port: z.number().int().min(0).max(65_535),
  /** HTTP transport: keep a server per client session (Mcp-Session-Id) instead of one per request. */
  sessions: z.boolean(),
  sessionIdleMs: z.number().int().min(1_000).max(86_400_000),
  maxSessions: z.number().int().min(1).max(100_000),
  /** Origins (scheme://host[:port]) allowed besides the server's own; empty: every foreign Origin gets 403. */
  allowedOrigins: z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, "expected scheme://host[:port]")).readonly(),
  /** Extra names the Host header may carry (a reverse proxy's name); the bound names are always allowed. */
  allowedHosts: z.array(z.string().min(1)).readonly(),
  /** Bearer token HTTP clients must send; required for a non-loopback bind. */
  authToken: z.string().min(16, "use at least 16 characters").optional(),
  maxBodyBytes: z.number().int().min(1_024).max(64 * 1_048_576),
  /** How long a shutdown waits for in-flight requests before closing their connections. */
  shutdownGraceMs: z.number().int().min(0).max(600_000),
  /** Registry filters: without tools that change data, and only the chosen toolsets. */
  readOnly: z.boolean(),
  toolsets: z.array(z.enum(TOOLSETS)).min(1).readonly(),
  endpoint: z.string().url(),
  apiKey: z.string(),
  workspaceId: z.string().uuid().optional(),
  organizationId: z.string().uuid().optional(),
  logLevel: z.enum(LOG_LEVELS),
  /** Upper bound for one tool result (text plus structured content), in bytes of JSON. */
  maxOutputBytes: z.number().int().min(4_000).max(2_000_000),
  requestTimeoutMs: z.number().int().min(1_000).max(600_000),
  /** The deletion ledger (SQLite file), or ":memory:". */
  ledgerPath: z.string().min(1),
});

export type Config = Readonly<z.infer<typeof ConfigSchema>>;

const USAGE = `Usage: langsmith-mcp [options]

Options:
  --simulator              serve against an embedded LangSmith simulator with demo data (no account needed)
  --simulator-seed <n>     seed of the simulator's generated data (default 42)
  --transport <t>          stdio | http (default stdio)
  --read-only              leave out every tool that changes data (exports, destinations, deletion)
  --toolsets <list>        tool groups to offer, comma-separated: runs,exports,diagnosis,deletion (default all)

HTTP transport (--transport http; MCP Streamable HTTP at /mcp, health at /healthz):
  --host <host>            interface to listen on (default ${DEFAULT_HTTP_HOST}); a non-loopback host needs a token
  --port <n>               port (default ${DEFAULT_HTTP_PORT}; 0 picks a free one)
  --auth-token <token>     bearer token clients must send (prefer MCP_AUTH_TOKEN: flags show in ps)
  --allowed-origins <list> browser origins allowed besides the server's own (default none: 403)
  --allowed-hosts <list>   extra Host header names, e.g. a reverse proxy's (bound names always allowed)
  --sessions               keep MCP sessions (Mcp-Session-Id) instead of a fresh server per request
  --session-idle-timeout <s> close a session idle this long (default 600)
  --max-sessions <n>       open sessions at most (default 100; more get 503)
  --max-body-bytes <n>     request body limit (default ${DEFAULT_MAX_BODY_BYTES}; more get 413)
  --log-level <level>      debug | info | warn | error | silent (default info; logs go to stderr)
  --max-output-bytes <n>   size budget of one tool result (default 80000)
  --ledger <path>          deletion ledger, a SQLite file (default: ledger.sqlite in the user data dir,
                           e.g. ~/.local/share/langsmith-mcp/; in memory with --simulator)
  -h, --help               show this help

Environment:
  LANGSMITH_API_KEY        your LangSmith API key (required unless --simulator)
  LANGSMITH_ENDPOINT       API URL (default ${DEFAULT_ENDPOINT}; EU: https://eu.api.smith.langchain.com;
                           self-hosted: your install's API URL)
  LANGSMITH_WORKSPACE_ID   workspace id, sent as X-Tenant-Id (needed for keys spanning several workspaces)
  LANGSMITH_ORGANIZATION_ID organization id, sent as X-Organization-Id on org-scoped APIs
  LANGSMITH_MCP_LOG_LEVEL, LANGSMITH_MCP_MAX_OUTPUT_BYTES, LANGSMITH_MCP_TIMEOUT_MS, LANGSMITH_MCP_LEDGER
  LANGSMITH_MCP_READ_ONLY=1, LANGSMITH_MCP_TOOLSETS=runs,exports
  LANGSMITH_MCP_TRANSPORT, LANGSMITH_MCP_HOST, LANGSMITH_MCP_PORT, LANGSMITH_MCP_ALLOWED_ORIGINS,
  LANGSMITH_MCP_ALLOWED_HOSTS, LANGSMITH_MCP_SESSIONS=1, LANGSMITH_MCP_SHUTDOWN_GRACE_MS (default 10000)
  MCP_AUTH_TOKEN           bearer token for the HTTP transport
  Over HTTP, a request may carry its own key in X-LangSmith-Api-Key; without LANGSMITH_API_KEY every
  request must.
`;

export class HelpRequested extends Error {
  readonly usage = USAGE;
}

function envNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    throw new ConfigurationError(`${name} must be a number, got "${raw}".`);
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * Parses flags and environment into a frozen Config. Throws ConfigurationError with a message
 * meant for a person reading stderr (which variable, and how to set it).
 */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    throw new ConfigurationError(`${(error as Error).message}.`, "Run `langsmith-mcp --help` for the options.");
  }
  const flags = parsed.values;
  if (flags.help) throw new HelpRequested(USAGE);

  const simulator = flags.simulator ?? false;
  const apiKey = nonEmpty(env.LANGSMITH_API_KEY);
  const transport = flags.transport ?? nonEmpty(env.LANGSMITH_MCP_TRANSPORT) ?? "stdio";
  // Over HTTP each request may bring its own key (X-LangSmith-Api-Key), so a shared server needs none.
  if (!simulator && !apiKey && transport !== "http") {
    throw new ConfigurationError(
      "LANGSMITH_API_KEY is not set.",
      "Create a key under Settings → API Keys in LangSmith and set it in the server's environment, " +
        'e.g. in Claude Desktop: "env": { "LANGSMITH_API_KEY": "lsv2_pt_…" }. ' +
        "To try the server without an account, start it with --simulator.",
    );
  }

  const candidate = {
    simulator,
    simulatorSeed: flags["simulator-seed"] !== undefined ? Number(flags["simulator-seed"]) : 42,
    transport,
    host: flags.host ?? nonEmpty(env.LANGSMITH_MCP_HOST) ?? DEFAULT_HTTP_HOST,
    port: (flags.port !== undefined ? Number(flags.port) : undefined) ?? envNumber(env, "LANGSMITH_MCP_PORT") ?? DEFAULT_HTTP_PORT,
    sessions: flags.sessions ?? envFlag(env, "LANGSMITH_MCP_SESSIONS"),
    sessionIdleMs: (flags["session-idle-timeout"] !== undefined ? Number(flags["session-idle-timeout"]) : 600) * 1_000,
    maxSessions: flags["max-sessions"] !== undefined ? Number(flags["max-sessions"]) : 100,
    allowedOrigins: list(flags["allowed-origins"] ?? env.LANGSMITH_MCP_ALLOWED_ORIGINS),
    allowedHosts: list(flags["allowed-hosts"] ?? env.LANGSMITH_MCP_ALLOWED_HOSTS),
    authToken: nonEmpty(flags["auth-token"]) ?? nonEmpty(env.MCP_AUTH_TOKEN),
    maxBodyBytes: flags["max-body-bytes"] !== undefined ? Number(flags["max-body-bytes"]) : DEFAULT_MAX_BODY_BYTES,
    shutdownGraceMs: envNumber(env, "LANGSMITH_MCP_SHUTDOWN_GRACE_MS") ?? 10_000,
    readOnly: flags["read-only"] ?? envFlag(env, "LANGSMITH_MCP_READ_ONLY"),
    toolsets: parseToolsets(flags.toolsets ?? nonEmpty(env.LANGSMITH_MCP_TOOLSETS)),
    endpoint: nonEmpty(env.LANGSMITH_ENDPOINT) ?? DEFAULT_ENDPOINT,
    apiKey: apiKey ?? "",
    workspaceId: nonEmpty(env.LANGSMITH_WORKSPACE_ID),
    organizationId: nonEmpty(env.LANGSMITH_ORGANIZATION_ID),
    logLevel: flags["log-level"] ?? nonEmpty(env.LANGSMITH_MCP_LOG_LEVEL) ?? "info",
    maxOutputBytes:
      (flags["max-output-bytes"] !== undefined ? Number(flags["max-output-bytes"]) : undefined) ??
      envNumber(env, "LANGSMITH_MCP_MAX_OUTPUT_BYTES") ??
      80_000,
    requestTimeoutMs: envNumber(env, "LANGSMITH_MCP_TIMEOUT_MS") ?? 30_000,
    // The simulator's data is gone when it stops; a durable record of its purges would mislead.
    ledgerPath: flags.ledger ?? nonEmpty(env.LANGSMITH_MCP_LEDGER) ?? (simulator ? ":memory:" : defaultLedgerPath(env)),
  };

  const result = ConfigSchema.safeParse(candidate);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = String(issue.path[0] ?? "configuration");
    throw new ConfigurationError(`Invalid ${SETTING_NAMES[field] ?? field}: ${issue.message}.`, "Run `langsmith-mcp --help` for the options.");
  }
  const config = result.data;
  if (config.transport === "http" && !isLoopbackHost(config.host) && !config.authToken) {
    throw new ConfigurationError(
      `Refusing to listen on ${config.host} without a bearer token: anyone who can reach that address could use your LangSmith access.`,
      "Set MCP_AUTH_TOKEN (or --auth-token) to a long random value and send it as `Authorization: Bearer <token>`, or listen on 127.0.0.1.",
    );
  }
  return Object.freeze(config);
}

/** `1`, `true`, `yes` (any case) switch an environment flag on; anything else leaves it off. */
function envFlag(env: NodeJS.ProcessEnv, name: string): boolean {
  return /^(1|true|yes|on)$/i.test(env[name]?.trim() ?? "");
}

/** A comma-separated list, blanks dropped. */
function list(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Toolset names, each checked here so the error names the unknown one and lists the valid ones. */
function parseToolsets(raw: string | undefined): string[] {
  if (raw === undefined) return [...TOOLSETS];
  const names = list(raw).map((name) => name.toLowerCase());
  const unknown = names.filter((name) => !(TOOLSETS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `Unknown toolset${unknown.length > 1 ? "s" : ""} in --toolsets / LANGSMITH_MCP_TOOLSETS: ${unknown.map((n) => `"${n}"`).join(", ")}.`,
      `Valid toolsets: ${TOOLSETS.join(", ")}.`,
    );
  }
  return [...new Set(names)];
}

/** How each setting is spelled where the user sets it, for error messages. */
const SETTING_NAMES: Record<string, string> = {
  endpoint: "LANGSMITH_ENDPOINT",
  workspaceId: "LANGSMITH_WORKSPACE_ID (expected a workspace UUID)",
  organizationId: "LANGSMITH_ORGANIZATION_ID (expected an organization UUID)",
  logLevel: "--log-level / LANGSMITH_MCP_LOG_LEVEL",
  maxOutputBytes: "--max-output-bytes / LANGSMITH_MCP_MAX_OUTPUT_BYTES",
  requestTimeoutMs: "LANGSMITH_MCP_TIMEOUT_MS",
  transport: "--transport / LANGSMITH_MCP_TRANSPORT",
  host: "--host / LANGSMITH_MCP_HOST",
  port: "--port / LANGSMITH_MCP_PORT",
  sessionIdleMs: "--session-idle-timeout",
  maxSessions: "--max-sessions",
  allowedOrigins: "--allowed-origins / LANGSMITH_MCP_ALLOWED_ORIGINS",
  allowedHosts: "--allowed-hosts / LANGSMITH_MCP_ALLOWED_HOSTS",
  authToken: "--auth-token / MCP_AUTH_TOKEN",
  maxBodyBytes: "--max-body-bytes",
  shutdownGraceMs: "LANGSMITH_MCP_SHUTDOWN_GRACE_MS",
  toolsets: "--toolsets / LANGSMITH_MCP_TOOLSETS",
  simulatorSeed: "--simulator-seed",
  ledgerPath: "--ledger / LANGSMITH_MCP_LEDGER",
};

/** ledger.sqlite under the user's data directory, per platform convention. */
export function defaultLedgerPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const file = "ledger.sqlite";
  if (platform === "win32") return join(nonEmpty(env.APPDATA) ?? join(home, "AppData", "Roaming"), "langsmith-mcp", file);
  if (platform === "darwin") return join(home, "Library", "Application Support", "langsmith-mcp", file);
  return join(nonEmpty(env.XDG_DATA_HOME) ?? join(home, ".local", "share"), "langsmith-mcp", file);
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      simulator: { type: "boolean" },
      "simulator-seed": { type: "string" },
      transport: { type: "string" },
      "log-level": { type: "string" },
      "max-output-bytes": { type: "string" },
      ledger: { type: "string" },
      "read-only": { type: "boolean" },
      toolsets: { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      "auth-token": { type: "string" },
      "allowed-origins": { type: "string" },
      "allowed-hosts": { type: "string" },
      sessions: { type: "boolean" },
      "session-idle-timeout": { type: "string" },
      "max-sessions": { type: "string" },
      "max-body-bytes": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
