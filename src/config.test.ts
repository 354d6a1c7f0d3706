import { describe, expect, it } from "vitest";
import { ConfigurationError } from "./errors.js";
import { HelpRequested, loadConfig } from "./config.js";

const KEY = "lsv2_pt_0123456789abcdef0123456789abcdef_0123456789";

describe("loadConfig", () => {
  it("needs LANGSMITH_API_KEY unless --simulator, and says how to set it", () => {
    for (const env of [{}, { LANGSMITH_API_KEY: "" }, { LANGSMITH_API_KEY: "   " }]) {
      const error = (() => {
        try {
          loadConfig([], env);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).message).toContain("LANGSMITH_API_KEY");
      expect((error as ConfigurationError).hint).toMatch(/--simulator/);
    }
    expect(loadConfig(["--simulator"], {}).simulator).toBe(true);
  });

  it("reads endpoint, workspace and organization from the environment", () => {
    const config = loadConfig([], {
      LANGSMITH_API_KEY: KEY,
      LANGSMITH_ENDPOINT: "https://eu.api.smith.langchain.com",
      LANGSMITH_WORKSPACE_ID: "0190a1b2-c3d4-7ef0-a5b6-6ea3a82e9328",
      LANGSMITH_ORGANIZATION_ID: "0190a1b2-c3d4-7ef0-a5b6-6ea3a82e9329",
    });
    expect(config).toMatchObject({
      endpoint: "https://eu.api.smith.langchain.com",
      apiKey: KEY,
      workspaceId: "0190a1b2-c3d4-7ef0-a5b6-6ea3a82e9328",
      organizationId: "0190a1b2-c3d4-7ef0-a5b6-6ea3a82e9329",
      maxOutputTokens: 20_000,
      transport: "stdio",
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("defaults to the US cloud endpoint", () => {
    expect(loadConfig([], { LANGSMITH_API_KEY: KEY }).endpoint).toBe("https://api.smith.langchain.com");
  });

  it("names the setting at fault without echoing the key", () => {
    const attempt = (argv: string[], env: Record<string, string>) => {
      try {
        loadConfig(argv, { LANGSMITH_API_KEY: KEY, ...env });
        return "";
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(attempt([], { LANGSMITH_WORKSPACE_ID: "my-workspace" })).toContain("LANGSMITH_WORKSPACE_ID");
    expect(attempt([], { LANGSMITH_ENDPOINT: "not a url" })).toContain("LANGSMITH_ENDPOINT");
    expect(attempt(["--max-output-bytes", "10"], {})).toContain("--max-output-bytes");
    expect(attempt(["--log-level", "loud"], {})).toContain("--log-level");
    expect(attempt(["--bogus"], {})).toMatch(/bogus/);
    for (const message of [attempt([], { LANGSMITH_WORKSPACE_ID: "x" }), attempt(["--bogus"], {})]) {
      expect(message).not.toContain(KEY);
    }
  });

  it("answers --help with the usage text", () => {
    expect(() => loadConfig(["--help"], {})).toThrow(HelpRequested);
  });
});

describe("loadConfig: HTTP transport, read-only mode and toolsets", () => {
  it("defaults to loopback, port 3333, stateless, every toolset, not read-only", () => {
    expect(loadConfig(["--transport", "http"], { LANGSMITH_API_KEY: KEY })).toMatchObject({
      transport: "http",
      host: "127.0.0.1",
      port: 3333,
      sessions: false,
      readOnly: false,
      toolsets: ["runs", "exports", "diagnosis", "deletion"],
      allowedOrigins: [],
    });
  });

  it("starts over HTTP without LANGSMITH_API_KEY (each request then brings one), but not over stdio", () => {
    expect(loadConfig(["--transport", "http"], {}).apiKey).toBe("");
    expect(() => loadConfig([], {})).toThrow(/LANGSMITH_API_KEY/);
  });

  it("refuses a non-loopback bind without a bearer token, and accepts it with one", () => {
    expect(() => loadConfig(["--transport", "http", "--host", "0.0.0.0"], { LANGSMITH_API_KEY: KEY })).toThrow(
      /Refusing to listen on 0.0.0.0 without a bearer token/,
    );
    expect(
      loadConfig(["--transport", "http", "--host", "0.0.0.0"], { LANGSMITH_API_KEY: KEY, MCP_AUTH_TOKEN: "a".repeat(32) }).authToken,
    ).toBe("a".repeat(32));
  });

  it("takes OAuth sign-in instead of a static token: not both, a public resource URL off loopback, https off loopback", () => {
    const http = ["--transport", "http"];
    const issuer = "https://login.example.com/tenant";
    expect(loadConfig([...http, "--oauth-issuer", issuer], {})).toMatchObject({
      oauthIssuer: issuer,
      oauthReadScope: "langsmith:read",
      oauthWriteScope: "langsmith:write",
    });
    expect(() => loadConfig([...http, "--oauth-issuer", issuer], { MCP_AUTH_TOKEN: "a".repeat(32) })).toThrow(
      /MCP_AUTH_TOKEN \(--auth-token\) and LANGSMITH_MCP_OAUTH_ISSUER \(--oauth-issuer\) are both set/,
    );
    const offLoopback = [...http, "--host", "0.0.0.0", "--oauth-issuer", issuer];
    expect(() => loadConfig(offLoopback, {})).toThrow(/needs LANGSMITH_MCP_OAUTH_RESOURCE \(--oauth-resource\)/);
    expect(loadConfig([...offLoopback, "--oauth-resource", "https://mcp.example.com/mcp"], {}).oauthResource).toBe(
      "https://mcp.example.com/mcp",
    );
    expect(() => loadConfig([...offLoopback, "--oauth-resource", "http://mcp.example.com/mcp"], {})).toThrow(
      /--oauth-resource must be an https:\/\/ URL/,
    );
    expect(loadConfig([...http, "--oauth-issuer", "http://127.0.0.1:9000"], {}).oauthIssuer).toBe("http://127.0.0.1:9000");
    expect(() => loadConfig([...http, "--oauth-issuer", "https://login.example.com/?tenant=1"], {})).toThrow(/without \? or #/);
    expect(() => loadConfig([...http, "--oauth-issuer", issuer, "--oauth-read-scope", "read all"], {})).toThrow(
      /--oauth-read-scope .*one scope/,
    );
  });

  it("reads read-only mode and toolsets from flags or environment, and names an unknown toolset", () => {
    expect(loadConfig(["--read-only", "--toolsets", "runs, Exports"], { LANGSMITH_API_KEY: KEY })).toMatchObject({
      readOnly: true,
      toolsets: ["runs", "exports"],
    });
    expect(loadConfig([], { LANGSMITH_API_KEY: KEY, LANGSMITH_MCP_READ_ONLY: "1", LANGSMITH_MCP_TOOLSETS: "diagnosis" })).toMatchObject({
      readOnly: true,
      toolsets: ["diagnosis"],
    });
    expect(loadConfig([], { LANGSMITH_API_KEY: KEY, LANGSMITH_MCP_READ_ONLY: "0" }).readOnly).toBe(false);
    expect(() => loadConfig(["--toolsets", "runs,deletions"], { LANGSMITH_API_KEY: KEY })).toThrow(/Unknown toolset.*"deletions"/);
  });

  it("rejects a malformed allowed origin", () => {
    expect(() => loadConfig(["--allowed-origins", "example.com"], { LANGSMITH_API_KEY: KEY })).toThrow(/--allowed-origins/);
  });
});

describe("loadConfig: every setting by flag or by variable", () => {
  const message = (argv: string[], env: Record<string, string>) => {
    try {
      loadConfig(argv, env);
      return "";
    } catch (e) {
      return (e as Error).message;
    }
  };

  it("takes the flag over the variable, and the variable over the default", () => {
    const env = { LANGSMITH_API_KEY: KEY, LANGSMITH_MCP_MAX_SESSIONS: "9", LANGSMITH_MCP_PORT: "4000", LANGSMITH_MCP_LOG_LEVEL: "warn" };
    expect(loadConfig(["--max-sessions", "7", "--port", "5000", "--log-level", "debug"], env)).toMatchObject({
      maxSessions: 7,
      port: 5000,
      logLevel: "debug",
    });
    expect(loadConfig([], env)).toMatchObject({ maxSessions: 9, port: 4000, logLevel: "warn" });
    expect(loadConfig([], { LANGSMITH_API_KEY: KEY })).toMatchObject({ maxSessions: 100, port: 3333, logLevel: "info" });
    expect(loadConfig(["--api-key", "lsv2_from_flag"], { LANGSMITH_API_KEY: KEY }).apiKey).toBe("lsv2_from_flag");
  });

  it("reads the settings that once had only a flag from their variables", () => {
    expect(loadConfig([], { LANGSMITH_MCP_MAX_SESSIONS: "7", LANGSMITH_API_KEY: KEY }).maxSessions).toBe(7);
    expect(loadConfig([], { LANGSMITH_MCP_MAX_BODY_BYTES: "2048", LANGSMITH_API_KEY: KEY }).maxBodyBytes).toBe(2048);
    expect(loadConfig([], { LANGSMITH_MCP_SESSION_IDLE_TIMEOUT: "30", LANGSMITH_API_KEY: KEY }).sessionIdleMs).toBe(30_000);
    expect(loadConfig([], { LANGSMITH_MCP_SIMULATOR: "yes" })).toMatchObject({
      simulator: true,
      ledgerPath: ":memory:",
      simulatorSeed: 42,
    });
    expect(loadConfig([], { LANGSMITH_MCP_SIMULATOR: "1", LANGSMITH_MCP_SIMULATOR_SEED: "7" }).simulatorSeed).toBe(7);
  });

  it("reads the settings that once had only a variable from their flags", () => {
    const workspace = "0190a1b2-c3d4-7ef0-a5b6-6ea3a82e9328";
    const organization = "0190a1b2-c3d4-7ef0-a5b6-6ea3a82e9329";
    expect(
      loadConfig(
        [
          "--api-key",
          KEY,
          "--endpoint",
          "https://eu.api.smith.langchain.com",
          "--workspace-id",
          workspace,
          "--organization-id",
          organization,
          "--timeout-ms",
          "5000",
          "--shutdown-grace-ms",
          "0",
        ],
        {},
      ),
    ).toMatchObject({
      apiKey: KEY,
      endpoint: "https://eu.api.smith.langchain.com",
      workspaceId: workspace,
      organizationId: organization,
      requestTimeoutMs: 5_000,
      shutdownGraceMs: 0,
    });
  });

  it("keeps the defaults of the settings it does not get", () => {
    expect(loadConfig([], { LANGSMITH_API_KEY: KEY })).toMatchObject({
      simulator: false,
      simulatorSeed: 42,
      sessionIdleMs: 600_000,
      maxSessions: 100,
      maxBodyBytes: 1_048_576,
      shutdownGraceMs: 10_000,
      requestTimeoutMs: 30_000,
      maxOutputTokens: 20_000,
      allowedHosts: [],
      authToken: undefined,
    });
  });

  it("turns a switch on from 1, true, yes or on in its variable (any case), and leaves it off otherwise", () => {
    for (const on of ["1", "true", "TRUE", "yes", "On", " yes "]) {
      expect(loadConfig([], { LANGSMITH_API_KEY: KEY, LANGSMITH_MCP_SESSIONS: on }).sessions, on).toBe(true);
    }
    for (const off of ["0", "false", "no", "off", "", "enabled"]) {
      expect(loadConfig([], { LANGSMITH_API_KEY: KEY, LANGSMITH_MCP_SESSIONS: off }).sessions, off).toBe(false);
    }
    expect(loadConfig(["--sessions"], { LANGSMITH_API_KEY: KEY, LANGSMITH_MCP_SESSIONS: "0" }).sessions).toBe(true);
  });

  it("treats a blank value as unset, as Claude Desktop sends an optional field left empty", () => {
    const config = loadConfig([], {
      LANGSMITH_API_KEY: KEY,
      LANGSMITH_WORKSPACE_ID: "",
      LANGSMITH_MCP_LEDGER: " ",
      LANGSMITH_MCP_TIMEOUT_MS: "",
    });
    expect(config.workspaceId).toBeUndefined();
    expect(config.ledgerPath).toMatch(/ledger\.sqlite$/);
    expect(config.requestTimeoutMs).toBe(30_000);
  });

  it("names the setting as the user spells it, flag and variable, whichever was used", () => {
    expect(message([], { LANGSMITH_API_KEY: KEY, LANGSMITH_MCP_MAX_SESSIONS: "0" })).toMatch(
      /^Invalid --max-sessions \/ LANGSMITH_MCP_MAX_SESSIONS: /,
    );
    expect(message(["--session-idle-timeout", "0"], { LANGSMITH_API_KEY: KEY })).toMatch(
      /^Invalid --session-idle-timeout \/ LANGSMITH_MCP_SESSION_IDLE_TIMEOUT: /,
    );
    expect(message([], { LANGSMITH_API_KEY: KEY, LANGSMITH_MCP_PORT: "eighty" })).toBe(
      'Invalid --port / LANGSMITH_MCP_PORT: expected a number, got "eighty".',
    );
    expect(message(["--timeout-ms", "10"], { LANGSMITH_API_KEY: KEY })).toMatch(/^Invalid --timeout-ms \/ LANGSMITH_MCP_TIMEOUT_MS: /);
  });

  it("names unknown toolsets and lists the valid ones", () => {
    const error = (() => {
      try {
        loadConfig([], { LANGSMITH_API_KEY: KEY, LANGSMITH_MCP_TOOLSETS: "runs,exprots,Deletions" });
      } catch (e) {
        return e as ConfigurationError;
      }
    })();
    expect(error?.message).toBe('Unknown toolsets in --toolsets / LANGSMITH_MCP_TOOLSETS: "exprots", "deletions".');
    expect(error?.hint).toBe("Valid toolsets: runs, exports, diagnosis, deletion.");
    expect(message(["--toolsets", ","], { LANGSMITH_API_KEY: KEY })).toMatch(/^Invalid --toolsets \/ LANGSMITH_MCP_TOOLSETS: /);
  });

  it("never echoes a secret in an error", () => {
    const token = "short-secret";
    const error = message(["--transport", "http", "--auth-token", token], {});
    expect(error).toMatch(/^Invalid --auth-token \/ MCP_AUTH_TOKEN: /);
    expect(error).not.toContain(token);
    expect(message(["--api-key", KEY, "--endpoint", "nope"], {})).not.toContain(KEY);
    const url = "mysql://ledger:hunter2-password@db/ledger";
    const urlError = message(["--api-key", KEY], { LANGSMITH_MCP_LEDGER_URL: url });
    expect(urlError).toMatch(/^Invalid --ledger-url \/ LANGSMITH_MCP_LEDGER_URL: /);
    expect(urlError).not.toContain("hunter2-password");
    const secretError = message(["--api-key", KEY, "--confirmation-secret", "too-short-to-sign"], {});
    expect(secretError).toMatch(/^Invalid --confirmation-secret \/ LANGSMITH_MCP_CONFIRMATION_SECRET: use at least 32 characters/);
    expect(secretError).not.toContain("too-short-to-sign");
  });

  it("takes the ledger from --ledger-url over --ledger, and a postgres:// URL in --ledger as is", async () => {
    const { ledgerLocation } = await import("./config.js");
    const url = "postgres://ledger:pw@db.internal:5432/langsmith_mcp";
    const both = loadConfig(["--api-key", KEY, "--ledger", "/tmp/l.sqlite"], { LANGSMITH_MCP_LEDGER_URL: url });
    expect(ledgerLocation(both)).toBe(url);
    expect(ledgerLocation(loadConfig(["--api-key", KEY, "--ledger", url], {}))).toBe(url);
    expect(ledgerLocation(loadConfig(["--api-key", KEY, "--ledger", "/tmp/l.sqlite"], {}))).toBe("/tmp/l.sqlite");
  });
});
