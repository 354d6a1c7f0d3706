import { parseArgs } from "node:util";
import { ConfigurationError } from "./errors.js";
import { isLoopbackHost } from "./bind.js";
import {
  SECTION_TITLES,
  SETTINGS,
  isUnknownNames,
  settingName,
  type Config,
  type DefaultContext,
  type Setting,
  type SettingSection,
  type UnknownNames,
} from "./settings.js";

/**
 * Everything the server is configured with, parsed once from flags and environment by the
 * table in settings.ts. Nothing else in the program reads `process.env` or `process.argv`.
 */
export { DEFAULT_ENDPOINT, TOOLSETS, defaultLedgerPath, ledgerLocation, type Config } from "./settings.js";

const HELP_HINT = "Run `langsmith-mcp --help` for the options.";

/** The --help text, from the settings table. */
export function usage(): string {
  const lines = [
    "Usage: langsmith-mcp [options]",
    "",
    "Every option can also be set by its environment variable; a flag wins over the variable.",
    "Switches take 1, true, yes or on in a variable.",
  ];
  for (const section of Object.keys(SECTION_TITLES) as SettingSection[]) {
    lines.push("", `${SECTION_TITLES[section]}:`);
    for (const row of SETTINGS.filter((s) => s.section === section)) {
      lines.push(`  ${row.flag}${row.placeholder ? ` ${row.placeholder}` : ""}, ${row.env}`);
      // A switch is off unless given; saying so would be noise.
      const fallback = row.kind === "boolean" ? undefined : defaultText(row);
      lines.push(`      ${row.help}${fallback ? ` (default ${fallback})` : ""}`);
    }
  }
  lines.push(
    "",
    "  -h, --help",
    "      show this help",
    "",
    "Over HTTP, a request may carry its own key in X-LangSmith-Api-Key; without LANGSMITH_API_KEY every",
    "request must.",
    "",
  );
  return lines.join("\n");
}

/** The default as a person reads it, or undefined when the setting is unset by default. */
export function defaultText(row: Setting): string | undefined {
  if (row.defaultText !== undefined) return row.defaultText;
  const value = row.default;
  if (value === undefined || value === "") return undefined;
  if (typeof value === "boolean") return value ? "on" : "off";
  if (Array.isArray(value)) return value.join(",");
  return String(value);
}

export class HelpRequested extends Error {
  constructor(readonly usage: string) {
    super("help requested");
  }
}

/**
 * Parses flags and environment into a frozen Config: for each setting, its flag wins over its
 * variable, which wins over its default. Throws ConfigurationError with a message meant for a
 * person reading stderr (which setting, as they spell it, and how to set it); a secret's
 * value is never part of it.
 */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseFlags(argv);
  } catch (error) {
    throw new ConfigurationError(`${(error as Error).message}.`, HELP_HINT);
  }
  if (flags.help) throw new HelpRequested(usage());

  const given = new Map<string, unknown>();
  for (const row of SETTINGS) {
    const value = fromFlag(row, flags[row.flag.slice(2)]) ?? fromEnv(row, env[row.env]);
    if (value !== undefined) given.set(row.key, value);
  }
  const context: DefaultContext = { env, simulator: given.get("simulator") === true };
  const candidate: Record<string, unknown> = {};
  for (const row of SETTINGS) {
    const fallback = typeof row.default === "function" ? (row.default as (ctx: DefaultContext) => unknown)(context) : row.default;
    candidate[row.key] = given.has(row.key) ? given.get(row.key) : fallback;
  }

  // Over HTTP each request may bring its own key (X-LangSmith-Api-Key), so a shared server needs none.
  if (!candidate.simulator && !candidate.apiKey && candidate.transport !== "http") {
    throw new ConfigurationError(
      "LANGSMITH_API_KEY is not set.",
      "Create a key under Settings → API Keys in LangSmith and set it in the server's environment, " +
        'e.g. in Claude Desktop: "env": { "LANGSMITH_API_KEY": "lsv2_pt_…" }. ' +
        "To try the server without an account, start it with --simulator.",
    );
  }

  const config: Record<string, unknown> = {};
  for (const row of SETTINGS) {
    const result = row.schema.safeParse(candidate[row.key]);
    if (!result.success) {
      const issue = result.error.issues[0];
      if (issue?.code === "custom" && isUnknownNames(issue.params)) throw unknownNames(row, issue.params);
      throw invalid(row, issue?.message ?? "invalid value");
    }
    config[row.key] = result.data;
  }
  const frozen = Object.freeze(config) as Config;
  checkHttpAuth(frozen);
  return frozen;
}

/**
 * The HTTP authentication settings agree: one way in (a static token or OAuth, not both), some
 * way in off loopback, and an OAuth resource URL that clients can reach.
 */
function checkHttpAuth(config: Config): void {
  if (config.authToken && config.oauthIssuer) {
    throw new ConfigurationError(
      "MCP_AUTH_TOKEN (--auth-token) and LANGSMITH_MCP_OAUTH_ISSUER (--oauth-issuer) are both set; the server takes one or the other.",
      "Keep --oauth-issuer to accept your authorization server's access tokens, or --auth-token for one shared static token.",
    );
  }
  if (config.transport !== "http" || isLoopbackHost(config.host)) return;
  if (!config.authToken && !config.oauthIssuer) {
    throw new ConfigurationError(
      `Refusing to listen on ${config.host} without a bearer token: anyone who can reach that address could use your LangSmith access.`,
      "Set MCP_AUTH_TOKEN (or --auth-token) to a long random value and send it as `Authorization: Bearer <token>`, " +
        "set --oauth-issuer to your authorization server, or listen on 127.0.0.1.",
    );
  }
  if (config.oauthIssuer && !config.oauthResource) {
    throw new ConfigurationError(
      `--oauth-issuer on ${config.host} needs LANGSMITH_MCP_OAUTH_RESOURCE (--oauth-resource): the public URL clients reach /mcp at, ` +
        "which access tokens must name as their audience.",
      "e.g. --oauth-resource https://mcp.example.com/mcp (the URL behind your load balancer or proxy).",
    );
  }
  for (const [url, row] of [
    [config.oauthIssuer, "--oauth-issuer"],
    [config.oauthResource, "--oauth-resource"],
    [config.oauthJwksUrl, "--oauth-jwks-url"],
  ] as const) {
    if (url && new URL(url).protocol !== "https:" && !isLoopbackHost(new URL(url).hostname)) {
      throw new ConfigurationError(
        `${row} must be an https:// URL (${url} is plain http off loopback): OAuth tokens and keys must not travel unencrypted.`,
        "Use the https:// address; plain http is accepted only on loopback, for local testing.",
      );
    }
  }
}

function invalid(row: Setting, message: string): ConfigurationError {
  return new ConfigurationError(`Invalid ${settingName(row)}: ${message.replace(/\.$/, "")}.`, HELP_HINT);
}

function unknownNames(row: Setting, { noun, unknown, valid }: UnknownNames): ConfigurationError {
  return new ConfigurationError(
    `Unknown ${noun}${unknown.length > 1 ? "s" : ""} in ${settingName(row)}: ${unknown.map((name) => `"${name}"`).join(", ")}.`,
    `Valid ${noun}s: ${valid.join(", ")}.`,
  );
}

function fromFlag(row: Setting, raw: string | boolean | undefined): unknown {
  if (raw === undefined) return undefined;
  if (typeof raw === "boolean") return raw;
  return convert(row, raw);
}

function fromEnv(row: Setting, raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  if (row.kind === "boolean") return raw.trim() === "" ? undefined : /^(1|true|yes|on)$/i.test(raw.trim());
  return convert(row, raw);
}

/** The text of a flag or variable as the schema's input; blank means unset. */
function convert(row: Setting, raw: string): unknown {
  const text = raw.trim();
  if (text === "") return undefined;
  switch (row.kind) {
    case "number": {
      const value = Number(text);
      if (!Number.isFinite(value)) throw invalid(row, row.secret ? "expected a number" : `expected a number, got "${text}"`);
      return value;
    }
    case "list":
      return text
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean);
    default:
      return text;
  }
}

function parseFlags(argv: readonly string[]): Record<string, string | boolean | undefined> {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = { help: { type: "boolean", short: "h" } };
  for (const row of SETTINGS) options[row.flag.slice(2)] = { type: row.kind === "boolean" ? "boolean" : "string" };
  return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values as Record<
    string,
    string | boolean | undefined
  >;
}
