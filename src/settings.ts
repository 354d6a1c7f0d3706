import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT } from "./bind.js";
import { TOOLSETS } from "./toolsets.js";

/**
 * Every setting of the server, once: its Config key, the flag and the environment variable
 * that set it, the zod schema that checks it, its default, its help text and, where Claude
 * Desktop should ask for it, its bundle-manifest entry. config.ts parses flags and
 * environment from this table and prints --help from it; scripts/update-manifest.mjs and
 * scripts/update-readme.mjs write manifest.json's user_config and README's settings tables
 * from it (see settings-docs.ts). A new setting is one more row here.
 */
export const DEFAULT_ENDPOINT = "https://api.smith.langchain.com";

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;

/** Tool groups selectable with --toolsets; every tool names one (tools/define-tool.ts). */
export { TOOLSETS };

/** Where a setting is listed in --help and README. */
export type SettingSection = "langsmith" | "server" | "http";

export const SECTION_TITLES: Readonly<Record<SettingSection, string>> = {
  langsmith: "LangSmith",
  server: "Server",
  http: "HTTP transport (--transport http; MCP Streamable HTTP at /mcp, health at /healthz)",
};

/**
 * How the text of a flag or variable becomes the value the schema checks: a string as given
 * (trimmed), a number, a switch (a bare flag; 1/true/yes/on in a variable), or a
 * comma-separated list with blanks dropped.
 */
export type SettingKind = "string" | "number" | "boolean" | "list";

/** What a derived default may depend on. */
export interface DefaultContext {
  readonly env: NodeJS.ProcessEnv;
  /** Whether --simulator / LANGSMITH_MCP_SIMULATOR is on. */
  readonly simulator: boolean;
}

/** The entry Claude Desktop shows for a setting (manifest.json user_config), keyed by `id`. */
export interface BundleOption {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly required?: boolean;
  /** Kept in the OS keychain and masked in the dialog. */
  readonly sensitive?: boolean;
  readonly min?: number;
  readonly max?: number;
}

export interface Setting<K extends string = string, S extends z.ZodType = z.ZodType> {
  readonly key: K;
  readonly flag: `--${string}`;
  /** The flag's value placeholder in --help, e.g. `<n>`; none for a switch. */
  readonly placeholder?: string;
  readonly env: string;
  readonly kind: SettingKind;
  /** Checks the value as the user gives it and yields the Config value (e.g. seconds → ms). */
  readonly schema: S;
  /** In the user's units; a function when it depends on other settings or the platform; none: unset. */
  readonly default?: unknown;
  /** How the default reads in --help and README, where the value alone would not say it. */
  readonly defaultText?: string;
  /** One line for --help. */
  readonly help: string;
  /** README's wording (Markdown) where it says more than --help; otherwise `help`. */
  readonly details?: string;
  readonly section: SettingSection;
  /** Never echoed: not in error messages, not in logs. */
  readonly secret?: boolean;
  readonly bundle?: BundleOption;
}

/** Keeps each row's key and schema types, so Config can be inferred from the table. */
function setting<const K extends string, S extends z.ZodType>(row: Setting<K, S>): Setting<K, S> {
  return row;
}

/**
 * A list setting's names that are not among the valid ones, as a zod issue's params; config.ts
 * words it as "Unknown toolset in --toolsets / …: "x"." with the valid names as the hint.
 */
export interface UnknownNames {
  readonly noun: string;
  readonly unknown: readonly string[];
  readonly valid: readonly string[];
}

export function isUnknownNames(params: unknown): params is UnknownNames {
  return typeof params === "object" && params !== null && "noun" in params && "unknown" in params && "valid" in params;
}

const toolsets = z
  .array(z.string())
  .transform((names, ctx) => {
    const lower = names.map((name) => name.toLowerCase());
    const unknown = lower.filter((name) => !(TOOLSETS as readonly string[]).includes(name));
    if (unknown.length > 0) {
      const params: UnknownNames = { noun: "toolset", unknown, valid: TOOLSETS };
      ctx.issues.push({ code: "custom", input: names, message: `unknown toolset ${unknown.join(", ")}`, params: { ...params } });
      return z.NEVER;
    }
    return [...new Set(lower)];
  })
  .pipe(z.array(z.enum(TOOLSETS)).min(1, "name at least one toolset"))
  .readonly();

/** An absolute http(s) URL without query or fragment (an OAuth issuer or resource identifier). */
const httpUrl = (what: string) =>
  z
    .string()
    .url(`expected ${what}`)
    .refine((text) => !URL.canParse(text) || /^https?:$/.test(new URL(text).protocol), `expected ${what} starting with https://`)
    .refine((text) => !URL.canParse(text) || (!new URL(text).search && !new URL(text).hash), `expected ${what} without ? or #`);

/** An OAuth scope token (RFC 6749 §3.3): printable ASCII without space, `"` or `\`. */
const scopeToken = z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, "expected one scope: no spaces, quotes or backslashes");

export const SETTINGS = [
  // LangSmith
  setting({
    key: "apiKey",
    flag: "--api-key",
    placeholder: "<key>",
    env: "LANGSMITH_API_KEY",
    kind: "string",
    schema: z.string(),
    default: "",
    help: "your LangSmith API key (required unless --simulator; prefer the variable: flags show in ps)",
    details:
      "your LangSmith API key (Settings → API Keys); required unless `--simulator`, or over HTTP when every request brings its own in " +
      "`X-LangSmith-Api-Key`. Prefer the variable: flags show in `ps`.",
    section: "langsmith",
    secret: true,
    bundle: {
      id: "api_key",
      title: "LangSmith API key",
      description:
        "Your LangSmith API key (Settings → API Keys; starts with lsv2_). Stored in the OS keychain and sent only to the endpoint below.",
      sensitive: true,
      required: true,
    },
  }),
  setting({
    key: "endpoint",
    flag: "--endpoint",
    placeholder: "<url>",
    env: "LANGSMITH_ENDPOINT",
    kind: "string",
    schema: z.string().url(),
    default: DEFAULT_ENDPOINT,
    help: "LangSmith API URL; EU: https://eu.api.smith.langchain.com; self-hosted: your install's API URL",
    details:
      "LangSmith API URL. EU `https://eu.api.smith.langchain.com`; self-hosted: your install's API URL (e.g. " +
      "`https://langsmith.example.com/api/v1`)",
    section: "langsmith",
    bundle: {
      id: "endpoint",
      title: "LangSmith API endpoint",
      description:
        "Where your LangSmith lives. US cloud (default): https://api.smith.langchain.com. EU cloud: https://eu.api.smith.langchain.com. " +
        "Self-hosted: your install's API URL, e.g. https://langsmith.example.com/api (the address you use for the LangSmith UI, " +
        "followed by /api).",
    },
  }),
  setting({
    key: "workspaceId",
    flag: "--workspace-id",
    placeholder: "<uuid>",
    env: "LANGSMITH_WORKSPACE_ID",
    kind: "string",
    schema: z.string().uuid("expected a workspace UUID").optional(),
    help: "workspace id, sent as X-Tenant-Id (needed for keys spanning several workspaces)",
    details: "workspace id, sent as `X-Tenant-Id`; needed when the key spans several workspaces",
    section: "langsmith",
    bundle: {
      id: "workspace_id",
      title: "Workspace id",
      description:
        "Optional. The workspace to work in (sent as X-Tenant-Id). Needed for organization-scoped keys and keys that span several " +
        "workspaces; find it in the LangSmith URL or Settings → Workspaces.",
    },
  }),
  setting({
    key: "organizationId",
    flag: "--organization-id",
    placeholder: "<uuid>",
    env: "LANGSMITH_ORGANIZATION_ID",
    kind: "string",
    schema: z.string().uuid("expected an organization UUID").optional(),
    help: "organization id, sent as X-Organization-Id on organization-scoped APIs (audit logs)",
    details: "organization id, sent as `X-Organization-Id` on organization-scoped APIs (audit logs)",
    section: "langsmith",
    bundle: {
      id: "organization_id",
      title: "Organization id",
      description:
        "Optional. Your organization id (sent as X-Organization-Id), needed only to correlate purges with audit logs on Enterprise plans.",
    },
  }),
  setting({
    key: "requestTimeoutMs",
    flag: "--timeout-ms",
    placeholder: "<ms>",
    env: "LANGSMITH_MCP_TIMEOUT_MS",
    kind: "number",
    schema: z.number().int().min(1_000).max(600_000),
    default: 30_000,
    help: "timeout of one request to LangSmith, in milliseconds",
    section: "langsmith",
    bundle: {
      id: "request_timeout_ms",
      title: "Request timeout (ms)",
      description: "How long one request to LangSmith may take, in milliseconds.",
      min: 1_000,
      max: 600_000,
    },
  }),
  setting({
    key: "maxUpstreamBytes",
    flag: "--max-upstream-bytes",
    placeholder: "<n>",
    env: "LANGSMITH_MCP_MAX_UPSTREAM_BYTES",
    kind: "number",
    // A page of runs is kilobytes to a few megabytes; the cap stops a runaway body, not a page.
    schema: z
      .number()
      .int()
      .min(65_536)
      .max(1_024 * 1_048_576),
    default: 64 * 1_048_576,
    defaultText: "64 MiB",
    help: 'largest LangSmith response body read, in bytes; a larger one fails with "response too large"',
    details:
      'largest LangSmith response body read, in bytes; a larger one is cut off as it arrives and the call fails with "response too large"',
    section: "langsmith",
  }),

  // Server
  setting({
    key: "simulator",
    flag: "--simulator",
    env: "LANGSMITH_MCP_SIMULATOR",
    kind: "boolean",
    schema: z.boolean(),
    default: false,
    help: "serve against an embedded LangSmith simulator with demo data (no account needed)",
    section: "server",
  }),
  setting({
    key: "simulatorSeed",
    flag: "--simulator-seed",
    placeholder: "<n>",
    env: "LANGSMITH_MCP_SIMULATOR_SEED",
    kind: "number",
    schema: z.number().int(),
    default: 42,
    help: "seed of the simulator's generated data",
    section: "server",
  }),
  setting({
    key: "transport",
    flag: "--transport",
    placeholder: "<t>",
    env: "LANGSMITH_MCP_TRANSPORT",
    kind: "string",
    schema: z.enum(["stdio", "http"]),
    default: "stdio",
    help: "stdio | http",
    details: "`stdio` or `http` (see [HTTP transport](#http-transport))",
    section: "server",
  }),
  setting({
    key: "readOnly",
    flag: "--read-only",
    env: "LANGSMITH_MCP_READ_ONLY",
    kind: "boolean",
    schema: z.boolean(),
    default: false,
    help: "leave out every tool that changes data (exports, destinations, deletion)",
    details: "tools whose `readOnlyHint` is false are not registered; calling one is a JSON-RPC error naming the tool and read-only mode",
    section: "server",
    bundle: {
      id: "read_only",
      title: "Read-only mode",
      description: "Offer only tools that read: no exports, destination changes or deletions.",
    },
  }),
  setting({
    key: "toolsets",
    flag: "--toolsets",
    placeholder: "<list>",
    env: "LANGSMITH_MCP_TOOLSETS",
    kind: "list",
    schema: toolsets,
    default: [...TOOLSETS],
    defaultText: "all",
    help: `tool groups to offer, comma-separated: ${TOOLSETS.join(",")}`,
    details: `tool groups to offer, comma-separated: \`${TOOLSETS.join(",")}\`; an unknown name is a startup error`,
    section: "server",
    bundle: {
      id: "toolsets",
      title: "Tool groups",
      description:
        "Comma-separated tool groups to offer: runs (projects, runs, traces), exports (destinations and bulk exports), diagnosis " +
        "(export diagnosis), deletion (compliance purges). Default: all four.",
    },
  }),
  setting({
    key: "noApps",
    flag: "--no-apps",
    env: "LANGSMITH_MCP_NO_APPS",
    kind: "boolean",
    schema: z.boolean(),
    default: false,
    help: "offer no interactive views (MCP Apps): tools carry no _meta.ui, no ui:// resources",
    details:
      "offer no interactive views ([MCP Apps](#interactive-views-mcp-apps)): tools carry no `_meta.ui` and no `ui://` resource is " +
      "listed; tool results are the same either way",
    section: "server",
    bundle: {
      id: "no_apps",
      title: "Turn off interactive views",
      description:
        "Clients that render MCP Apps show a trace waterfall, export progress, purge evidence and run charts beside the results. Tick " +
        "to offer the plain results only.",
    },
  }),
  setting({
    key: "logLevel",
    flag: "--log-level",
    placeholder: "<level>",
    env: "LANGSMITH_MCP_LOG_LEVEL",
    kind: "string",
    schema: z.enum(LOG_LEVELS),
    default: "info",
    help: `${LOG_LEVELS.join(" | ")}; logs go to stderr`,
    details: `${LOG_LEVELS.map((level) => `\`${level}\``).join(", ")}; logs go to stderr, \`debug\` shows every request (never the key)`,
    section: "server",
    bundle: {
      id: "log_level",
      title: "Log level",
      description:
        "How much the server writes to its log (stderr): debug, info, warn, error or silent. debug shows every request to LangSmith, " +
        "never the key.",
    },
  }),
  setting({
    key: "maxOutputTokens",
    flag: "--max-output-tokens",
    placeholder: "<n>",
    env: "LANGSMITH_MCP_MAX_OUTPUT_TOKENS",
    kind: "number",
    schema: z.number().int().min(2_000).max(500_000),
    default: 20_000,
    help: "token budget of one tool result, for its text and its structured JSON each",
    details:
      "token budget of one tool result or resource read, for its text and its structured JSON each (counted with the o200k tokenizer); " +
      "larger results are cut with a note saying how to see more",
    section: "server",
    bundle: {
      id: "max_output_tokens",
      title: "Tool result budget (tokens)",
      description:
        "The most tokens one tool result may show the model, for its text and its structured JSON each; larger results are cut, with a " +
        "note saying how to see more. Keep it under your client's limit (one popular client refuses results over 25,000 tokens).",
      min: 2_000,
      max: 500_000,
    },
  }),
  setting({
    key: "ledgerPath",
    flag: "--ledger",
    placeholder: "<path>",
    env: "LANGSMITH_MCP_LEDGER",
    kind: "string",
    schema: z.string().min(1),
    // The simulator's data is gone when it stops; a durable record of its purges would mislead.
    default: ({ env, simulator }: DefaultContext) => (simulator ? ":memory:" : defaultLedgerPath(env)),
    defaultText: "ledger.sqlite in the user data dir, e.g. ~/.local/share/langsmith-mcp/; :memory: with --simulator",
    help: "deletion ledger: a SQLite file, :memory:, or a postgres:// URL shared by replicas",
    details:
      "deletion ledger: a SQLite file, `:memory:`, or a `postgres://user:password@host:5432/db` URL that several replicas share (see " +
      "[Run it for a team](#run-it-for-a-team)); the password is never logged or shown. Prefer `--ledger-url` for a URL with a password",
    section: "server",
    bundle: {
      id: "ledger_path",
      title: "Deletion ledger file",
      description: "Optional. The SQLite file where compliance purges are recorded. Default: ledger.sqlite in your user data directory.",
    },
  }),
  setting({
    key: "ledgerUrl",
    flag: "--ledger-url",
    placeholder: "<url>",
    env: "LANGSMITH_MCP_LEDGER_URL",
    kind: "string",
    schema: z
      .string()
      .regex(/^postgres(?:ql)?:\/\/\S+$/i, "expected postgres://user:password@host:5432/database")
      .optional(),
    help: "shared deletion ledger on PostgreSQL (postgres://user:pw@host/db); wins over --ledger (prefer the variable: flags show in ps)",
    details:
      "a shared deletion ledger on PostgreSQL (`postgres://user:password@host:5432/database`), for replicas; set, it wins over " +
      "`--ledger`. The password is never logged or shown. Prefer the variable: flags show in `ps`.",
    section: "server",
    secret: true,
  }),
  setting({
    key: "shutdownGraceMs",
    flag: "--shutdown-grace-ms",
    placeholder: "<ms>",
    env: "LANGSMITH_MCP_SHUTDOWN_GRACE_MS",
    kind: "number",
    schema: z.number().int().min(0).max(600_000),
    default: 10_000,
    help: "on SIGTERM/SIGINT, how long in-flight calls may finish before the server closes",
    details:
      "on SIGTERM/SIGINT: stop accepting, let in-flight calls finish this long (milliseconds), then close sessions, clients and the " +
      "deletion ledger",
    section: "server",
  }),

  // HTTP transport
  setting({
    key: "host",
    flag: "--host",
    placeholder: "<host>",
    env: "LANGSMITH_MCP_HOST",
    kind: "string",
    schema: z.string().min(1),
    default: DEFAULT_HTTP_HOST,
    help: "interface to listen on; a non-loopback host needs a bearer token or --oauth-issuer",
    details: "interface; anything but loopback needs `--auth-token` or `--oauth-issuer` (startup error otherwise)",
    section: "http",
  }),
  setting({
    key: "port",
    flag: "--port",
    placeholder: "<n>",
    env: "LANGSMITH_MCP_PORT",
    kind: "number",
    schema: z.number().int().min(0).max(65_535),
    default: DEFAULT_HTTP_PORT,
    help: "port; 0 picks a free one",
    details: "`0` picks a free port (logged)",
    section: "http",
  }),
  setting({
    key: "authToken",
    flag: "--auth-token",
    placeholder: "<token>",
    env: "MCP_AUTH_TOKEN",
    kind: "string",
    schema: z.string().min(16, "use at least 16 characters").optional(),
    help: "bearer token clients must send (prefer the variable: flags show in ps)",
    details:
      "clients send `Authorization: Bearer <token>` (≥ 16 chars, compared in constant time; 401 with `WWW-Authenticate: Bearer` " +
      "otherwise). Prefer the variable: flags show in `ps`.",
    section: "http",
    secret: true,
  }),
  setting({
    key: "oauthIssuer",
    flag: "--oauth-issuer",
    placeholder: "<url>",
    env: "LANGSMITH_MCP_OAUTH_ISSUER",
    kind: "string",
    schema: httpUrl("an issuer URL").optional(),
    help: "accept OAuth access tokens (JWT) from this authorization server instead of a static token",
    details:
      "accept OAuth 2.1 access tokens (JWT) from this authorization server; the server publishes Protected Resource Metadata " +
      "(see [OAuth sign-in](#oauth-sign-in)). Not together with `--auth-token`",
    section: "http",
  }),
  setting({
    key: "oauthResource",
    flag: "--oauth-resource",
    placeholder: "<url>",
    env: "LANGSMITH_MCP_OAUTH_RESOURCE",
    kind: "string",
    schema: httpUrl("the public URL of /mcp").optional(),
    defaultText: "the URL it listens on",
    help: "this server's public MCP URL: the audience tokens must carry (needed off loopback)",
    details:
      "this server's public MCP URL, e.g. `https://mcp.example.com/mcp`: the token audience required (RFC 8707); needed off loopback",
    section: "http",
  }),
  setting({
    key: "oauthJwksUrl",
    flag: "--oauth-jwks-url",
    placeholder: "<url>",
    env: "LANGSMITH_MCP_OAUTH_JWKS_URL",
    kind: "string",
    schema: httpUrl("a JWKS URL").optional(),
    defaultText: "from the issuer's metadata",
    help: "where the issuer's signing keys are; otherwise found in its metadata",
    section: "http",
  }),
  setting({
    key: "oauthReadScope",
    flag: "--oauth-read-scope",
    placeholder: "<scope>",
    env: "LANGSMITH_MCP_OAUTH_READ_SCOPE",
    kind: "string",
    schema: scopeToken,
    default: "langsmith:read",
    help: "scope that offers the read tools",
    section: "http",
  }),
  setting({
    key: "oauthWriteScope",
    flag: "--oauth-write-scope",
    placeholder: "<scope>",
    env: "LANGSMITH_MCP_OAUTH_WRITE_SCOPE",
    kind: "string",
    schema: scopeToken,
    default: "langsmith:write",
    help: "scope that offers every tool, those that change data too",
    section: "http",
  }),
  setting({
    key: "confirmationSecret",
    flag: "--confirmation-secret",
    placeholder: "<secret>",
    env: "LANGSMITH_MCP_CONFIRMATION_SECRET",
    kind: "string",
    schema: z.string().min(32, "use at least 32 characters, e.g. the output of openssl rand -hex 32").optional(),
    defaultText: "a random key per process",
    help: "key that signs confirmation tokens; give replicas the same one (prefer the variable: flags show in ps)",
    details:
      "the key that signs confirmation tokens (HMAC-SHA256, ≥ 32 chars, e.g. `openssl rand -hex 32`). Unset, each process makes its " +
      "own, so a token is honoured only by the process that issued it: give every replica the same secret. Prefer the variable: flags " +
      "show in `ps`.",
    section: "http",
    secret: true,
  }),
  setting({
    key: "allowedOrigins",
    flag: "--allowed-origins",
    placeholder: "<list>",
    env: "LANGSMITH_MCP_ALLOWED_ORIGINS",
    kind: "list",
    schema: z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, "expected scheme://host[:port]")).readonly(),
    default: [],
    defaultText: "none",
    help: "browser origins (scheme://host[:port]) allowed besides the server's own; others get 403",
    details:
      "browser origins allowed besides the server's own, with CORS ([Browser clients](#browser-clients-cors)); any other `Origin` gets 403",
    section: "http",
  }),
  setting({
    key: "allowedHosts",
    flag: "--allowed-hosts",
    placeholder: "<list>",
    env: "LANGSMITH_MCP_ALLOWED_HOSTS",
    kind: "list",
    schema: z.array(z.string().min(1)).readonly(),
    default: [],
    defaultText: "none",
    help: "extra Host header names, e.g. a reverse proxy's (bound names always allowed)",
    details:
      "extra `Host` names (a reverse proxy's); the bound name (and `localhost`, `127.0.0.1`, `[::1]` on loopback) are always allowed; " +
      "other Hosts get 403",
    section: "http",
  }),
  setting({
    key: "sessions",
    flag: "--sessions",
    env: "LANGSMITH_MCP_SESSIONS",
    kind: "boolean",
    schema: z.boolean(),
    default: false,
    help: "keep MCP sessions (Mcp-Session-Id) instead of a fresh server per request",
    details: "keep a server per `Mcp-Session-Id` instead of one per request",
    section: "http",
  }),
  setting({
    key: "sessionIdleMs",
    flag: "--session-idle-timeout",
    placeholder: "<s>",
    env: "LANGSMITH_MCP_SESSION_IDLE_TIMEOUT",
    kind: "number",
    // Given in seconds, kept in milliseconds.
    schema: z
      .number()
      .min(1)
      .max(86_400)
      .transform((seconds) => Math.round(seconds * 1_000)),
    default: 600,
    defaultText: "600 s",
    help: "close a session idle this many seconds",
    section: "http",
  }),
  setting({
    key: "maxSessions",
    flag: "--max-sessions",
    placeholder: "<n>",
    env: "LANGSMITH_MCP_MAX_SESSIONS",
    kind: "number",
    schema: z.number().int().min(1).max(100_000),
    default: 100,
    help: "open sessions at most; more get 503",
    details: "open sessions at most; more get 503 with `Retry-After`",
    section: "http",
  }),
  setting({
    key: "maxBodyBytes",
    flag: "--max-body-bytes",
    placeholder: "<n>",
    env: "LANGSMITH_MCP_MAX_BODY_BYTES",
    kind: "number",
    // Tool arguments are small; a flood is not.
    schema: z
      .number()
      .int()
      .min(1_024)
      .max(64 * 1_048_576),
    default: 1_048_576,
    help: "request body limit in bytes; larger bodies get 413",
    section: "http",
  }),
] as const;

type Settings = (typeof SETTINGS)[number];
export type SettingKey = Settings["key"];

type ConfigShape = { [S in Settings as S["key"]]: S["schema"] };

/** The schema of the whole Config, one property per row of the table. */
export const ConfigSchema = z.object(Object.fromEntries(SETTINGS.map((row) => [row.key, row.schema])) as ConfigShape);

export type Config = Readonly<z.output<typeof ConfigSchema>>;

/** How the user spells a setting: `--max-sessions / LANGSMITH_MCP_MAX_SESSIONS`. */
export function settingName(row: Pick<Setting, "flag" | "env">): string {
  return `${row.flag} / ${row.env}`;
}

/** Where the deletion ledger lives: `--ledger-url` when set, else `--ledger` (a path, `:memory:` or a URL). */
export function ledgerLocation(config: Pick<Config, "ledgerPath" | "ledgerUrl">): string {
  return config.ledgerUrl ?? config.ledgerPath;
}

/** ledger.sqlite under the user's data directory, per platform convention. */
export function defaultLedgerPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const file = "ledger.sqlite";
  const set = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  if (platform === "win32") return join(set(env.APPDATA) ?? join(home, "AppData", "Roaming"), "langsmith-mcp", file);
  if (platform === "darwin") return join(home, "Library", "Application Support", "langsmith-mcp", file);
  return join(set(env.XDG_DATA_HOME) ?? join(home, ".local", "share"), "langsmith-mcp", file);
}
