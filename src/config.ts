import { parseArgs } from "node:util";
import { z } from "zod";
import { ConfigurationError } from "./errors.js";

/**
 * Everything the server is configured with, parsed once from flags and environment.
 * Nothing else in the program reads `process.env` or `process.argv`.
 */
export const DEFAULT_ENDPOINT = "https://api.smith.langchain.com";

const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;

const ConfigSchema = z.object({
  /** Serve against the embedded simulator instead of a real LangSmith. */
  simulator: z.boolean(),
  simulatorSeed: z.number().int(),
  transport: z.enum(["stdio"]),
  endpoint: z.string().url(),
  apiKey: z.string(),
  workspaceId: z.string().uuid().optional(),
  organizationId: z.string().uuid().optional(),
  logLevel: z.enum(LOG_LEVELS),
  /** Upper bound for one tool result (text plus structured content), in bytes of JSON. */
  maxOutputBytes: z.number().int().min(4_000).max(2_000_000),
  requestTimeoutMs: z.number().int().min(1_000).max(600_000),
});

export type Config = Readonly<z.infer<typeof ConfigSchema>>;

const USAGE = `Usage: langsmith-mcp [options]

Options:
  --simulator              serve against an embedded LangSmith simulator with demo data (no account needed)
  --simulator-seed <n>     seed of the simulator's generated data (default 42)
  --transport stdio        MCP transport (default stdio)
  --log-level <level>      debug | info | warn | error | silent (default info; logs go to stderr)
  --max-output-bytes <n>   size budget of one tool result (default 80000)
  -h, --help               show this help

Environment:
  LANGSMITH_API_KEY        your LangSmith API key (required unless --simulator)
  LANGSMITH_ENDPOINT       API URL (default ${DEFAULT_ENDPOINT}; EU: https://eu.api.smith.langchain.com;
                           self-hosted: your install's API URL)
  LANGSMITH_WORKSPACE_ID   workspace id, sent as X-Tenant-Id (needed for keys spanning several workspaces)
  LANGSMITH_ORGANIZATION_ID organization id, sent as X-Organization-Id on org-scoped APIs
  LANGSMITH_MCP_LOG_LEVEL, LANGSMITH_MCP_MAX_OUTPUT_BYTES, LANGSMITH_MCP_TIMEOUT_MS
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
  if (!simulator && !apiKey) {
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
    transport: flags.transport ?? "stdio",
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
  };

  const result = ConfigSchema.safeParse(candidate);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = String(issue.path[0] ?? "configuration");
    throw new ConfigurationError(`Invalid ${SETTING_NAMES[field] ?? field}: ${issue.message}.`, "Run `langsmith-mcp --help` for the options.");
  }
  return Object.freeze(result.data);
}

/** How each setting is spelled where the user sets it, for error messages. */
const SETTING_NAMES: Record<string, string> = {
  endpoint: "LANGSMITH_ENDPOINT",
  workspaceId: "LANGSMITH_WORKSPACE_ID (expected a workspace UUID)",
  organizationId: "LANGSMITH_ORGANIZATION_ID (expected an organization UUID)",
  logLevel: "--log-level / LANGSMITH_MCP_LOG_LEVEL",
  maxOutputBytes: "--max-output-bytes / LANGSMITH_MCP_MAX_OUTPUT_BYTES",
  requestTimeoutMs: "LANGSMITH_MCP_TIMEOUT_MS",
  transport: "--transport",
  simulatorSeed: "--simulator-seed",
};

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
      help: { type: "boolean", short: "h" },
    },
  });
}
