import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig, usage } from "./config.js";
import { bundleEnv, bundleUserConfig, renderReadme } from "./settings-docs.js";
import { SETTINGS, type Setting } from "./settings.js";

const ROWS: readonly Setting[] = SETTINGS;

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Every Config key, written out by hand: a setting added without a row (or twice) fails here. */
const CONFIG_KEYS = [
  "allowedHosts",
  "allowedOrigins",
  "apiKey",
  "authToken",
  "confirmationSecret",
  "endpoint",
  "host",
  "ledgerPath",
  "ledgerUrl",
  "logLevel",
  "maxBodyBytes",
  "maxOutputTokens",
  "maxSessions",
  "maxUpstreamBytes",
  "noApps",
  "oauthIssuer",
  "oauthJwksUrl",
  "oauthReadScope",
  "oauthResource",
  "oauthWriteScope",
  "organizationId",
  "port",
  "readOnly",
  "requestTimeoutMs",
  "sessionIdleMs",
  "sessions",
  "shutdownGraceMs",
  "simulator",
  "simulatorSeed",
  "toolsets",
  "transport",
  "workspaceId",
];

describe("the settings table", () => {
  it("covers every Config key exactly once", () => {
    const keys = SETTINGS.map((row) => row.key);
    expect([...keys].sort()).toEqual(CONFIG_KEYS);
    expect(Object.keys(loadConfig(["--simulator"], {})).sort()).toEqual(CONFIG_KEYS);
  });

  it("gives every setting a flag and a variable, each name used once", () => {
    for (const row of SETTINGS) {
      expect(row.flag, row.key).toMatch(/^--[a-z]+(-[a-z]+)*$/);
      expect(row.env, row.key).toMatch(/^(LANGSMITH|MCP)_[A-Z]+(_[A-Z]+)*$/);
      expect(row.help.length, row.key).toBeGreaterThan(0);
    }
    const flags = SETTINGS.map((row) => row.flag);
    const envs = SETTINGS.map((row) => row.env);
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(envs).size).toBe(envs.length);
    expect(flags).not.toContain("--help");
  });

  it("keeps the names users already set", () => {
    const names = Object.fromEntries(SETTINGS.map((row) => [row.key, [row.flag, row.env]]));
    expect(names).toMatchObject({
      apiKey: ["--api-key", "LANGSMITH_API_KEY"],
      endpoint: ["--endpoint", "LANGSMITH_ENDPOINT"],
      workspaceId: ["--workspace-id", "LANGSMITH_WORKSPACE_ID"],
      organizationId: ["--organization-id", "LANGSMITH_ORGANIZATION_ID"],
      requestTimeoutMs: ["--timeout-ms", "LANGSMITH_MCP_TIMEOUT_MS"],
      shutdownGraceMs: ["--shutdown-grace-ms", "LANGSMITH_MCP_SHUTDOWN_GRACE_MS"],
      authToken: ["--auth-token", "MCP_AUTH_TOKEN"],
      sessionIdleMs: ["--session-idle-timeout", "LANGSMITH_MCP_SESSION_IDLE_TIMEOUT"],
      maxSessions: ["--max-sessions", "LANGSMITH_MCP_MAX_SESSIONS"],
      maxBodyBytes: ["--max-body-bytes", "LANGSMITH_MCP_MAX_BODY_BYTES"],
      simulator: ["--simulator", "LANGSMITH_MCP_SIMULATOR"],
      simulatorSeed: ["--simulator-seed", "LANGSMITH_MCP_SIMULATOR_SEED"],
      ledgerPath: ["--ledger", "LANGSMITH_MCP_LEDGER"],
    });
  });

  it("marks the API key and the bearer token secret, and tells users to prefer their variables", () => {
    expect(ROWS.filter((row) => row.secret).map((row) => row.key)).toEqual(["apiKey", "ledgerUrl", "authToken", "confirmationSecret"]);
    for (const row of ROWS.filter((r) => r.secret)) expect(row.help).toMatch(/prefer the variable/);
  });
});

describe("--help", () => {
  it("mentions every flag and every variable", () => {
    const text = usage();
    for (const row of ROWS) {
      expect(text).toContain(`${row.flag}${row.placeholder ? ` ${row.placeholder}` : ""}, ${row.env}`);
    }
    for (const name of ["--max-sessions <n>, LANGSMITH_MCP_MAX_SESSIONS", "--api-key <key>, LANGSMITH_API_KEY", "-h, --help"])
      expect(text).toContain(name);
  });

  it("states defaults in the user's units", () => {
    expect(usage()).toMatch(/--session-idle-timeout <s>, LANGSMITH_MCP_SESSION_IDLE_TIMEOUT\n.*\(default 600 s\)/);
    expect(usage()).toMatch(/--port <n>, LANGSMITH_MCP_PORT\n.*\(default 3333\)/);
  });
});

describe("manifest.json and README.md, generated from the table", () => {
  const manifest = JSON.parse(readFileSync(`${ROOT}manifest.json`, "utf8")) as {
    user_config: Record<string, { type: string; sensitive?: boolean; default?: unknown; required?: boolean }>;
    server: { mcp_config: { env: Record<string, string> } };
  };

  it("asks Claude Desktop for the settings a desktop user sets, each mapped to its variable", () => {
    expect(manifest.server.mcp_config.env).toEqual({
      LANGSMITH_API_KEY: "${user_config.api_key}",
      LANGSMITH_ENDPOINT: "${user_config.endpoint}",
      LANGSMITH_WORKSPACE_ID: "${user_config.workspace_id}",
      LANGSMITH_ORGANIZATION_ID: "${user_config.organization_id}",
      LANGSMITH_MCP_TIMEOUT_MS: "${user_config.request_timeout_ms}",
      LANGSMITH_MCP_READ_ONLY: "${user_config.read_only}",
      LANGSMITH_MCP_TOOLSETS: "${user_config.toolsets}",
      LANGSMITH_MCP_NO_APPS: "${user_config.no_apps}",
      LANGSMITH_MCP_LOG_LEVEL: "${user_config.log_level}",
      LANGSMITH_MCP_MAX_OUTPUT_TOKENS: "${user_config.max_output_tokens}",
      LANGSMITH_MCP_LEDGER: "${user_config.ledger_path}",
    });
    expect(manifest.user_config).toMatchObject({
      api_key: { type: "string", sensitive: true, required: true },
      read_only: { type: "boolean", default: false },
      no_apps: { type: "boolean", default: false },
      request_timeout_ms: { type: "number", default: 30_000 },
      max_output_tokens: { type: "number", default: 20_000 },
      log_level: { type: "string", default: "info" },
    });
  });

  it("matches the table: each user_config entry is a setting's, and mcp_config.env maps it to that setting's variable", () => {
    const stale = "manifest.json is stale: run npm run manifest";
    expect(manifest.user_config, stale).toEqual(bundleUserConfig());
    expect(manifest.server.mcp_config.env, stale).toEqual(bundleEnv());
    for (const [id, option] of Object.entries(manifest.user_config)) {
      const row = ROWS.find((r) => r.bundle?.id === id);
      expect(row, `user_config.${id} has no row in src/settings.ts`).toBeDefined();
      expect(manifest.server.mcp_config.env[row!.env]).toBe(`\${user_config.${id}}`);
      expect(option.sensitive ?? false).toBe(row!.secret ?? false);
    }
  });

  it("README's settings tables are current", () => {
    const readme = readFileSync(`${ROOT}README.md`, "utf8");
    expect(renderReadme(readme) === readme, "README.md's settings tables are stale: run npm run readme").toBe(true);
    for (const row of SETTINGS) expect(readme).toContain(`| \`${row.flag}\` | \`${row.env}\` |`);
  });
});
