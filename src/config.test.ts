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
      maxOutputBytes: 80_000,
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
    expect(() => loadConfig(["--transport", "http", "--host", "0.0.0.0"], { LANGSMITH_API_KEY: KEY })).toThrow(/Refusing to listen on 0.0.0.0 without a bearer token/);
    expect(loadConfig(["--transport", "http", "--host", "0.0.0.0"], { LANGSMITH_API_KEY: KEY, MCP_AUTH_TOKEN: "a".repeat(32) }).authToken).toBe("a".repeat(32));
  });

  it("reads read-only mode and toolsets from flags or environment, and names an unknown toolset", () => {
    expect(loadConfig(["--read-only", "--toolsets", "runs, Exports"], { LANGSMITH_API_KEY: KEY })).toMatchObject({ readOnly: true, toolsets: ["runs", "exports"] });
    expect(loadConfig([], { LANGSMITH_API_KEY: KEY, LANGSMITH_MCP_READ_ONLY: "1", LANGSMITH_MCP_TOOLSETS: "diagnosis" })).toMatchObject({ readOnly: true, toolsets: ["diagnosis"] });
    expect(loadConfig([], { LANGSMITH_API_KEY: KEY, LANGSMITH_MCP_READ_ONLY: "0" }).readOnly).toBe(false);
    expect(() => loadConfig(["--toolsets", "runs,deletions"], { LANGSMITH_API_KEY: KEY })).toThrow(/Unknown toolset.*"deletions"/);
  });

  it("rejects a malformed allowed origin", () => {
    expect(() => loadConfig(["--allowed-origins", "example.com"], { LANGSMITH_API_KEY: KEY })).toThrow(/--allowed-origins/);
  });
});
