import { getMcpConfigForManifest, type McpbManifestAny } from "@anthropic-ai/mcpb";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { Client } from "@modelcontextprotocol/client";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { TOOLS } from "../../src/tools/index.js";
import { BUILT_SERVER } from "../support/stack.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MANIFEST_PATH = join(ROOT, "manifest.json");
const MCPB_CLI = join(ROOT, "node_modules", "@anthropic-ai", "mcpb", "dist", "cli", "cli.js");
const manifest = JSON.parse(readFileSync(MANIFEST_PATH, "utf8")) as McpbManifestAny & {
  user_config: Record<string, { type: string; required?: boolean; sensitive?: boolean; default?: unknown }>;
};
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

/** The environment Claude Desktop gives the server for these settings, by mcpb's own substitution. */
async function desktopEnv(userConfig: Record<string, string | boolean>): Promise<Record<string, string>> {
  const config = await getMcpConfigForManifest({
    manifest,
    extensionPath: "/bundle",
    systemDirs: { HOME: "/home/u" },
    userConfig,
    pathSeparator: "/",
  });
  expect(config, "mcpb refused the configuration").toBeDefined();
  return config!.env ?? {};
}

describe("MCP bundle: manifest.json and mcpb pack", () => {
  const temp = mkdtempSync(join(tmpdir(), "langsmith-mcp-bundle-test-"));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it("passes mcpb validate", async () => {
    const { stdout } = await run(process.execPath, [MCPB_CLI, "validate", MANIFEST_PATH]);
    expect(stdout).toContain("Manifest schema validation passes");
  });

  it("lists exactly the registry's tools, names and descriptions, in order, at the package's version", () => {
    const regenerate = "manifest.json is stale: run npm run build && node scripts/update-manifest.mjs";
    expect(manifest.tools, regenerate).toEqual(TOOLS.map((tool) => ({ name: tool.name, description: tool.description })));
    expect(manifest.version, regenerate).toBe(pkg.version);
    expect(manifest.manifest_version).toBe("0.3");
  });

  it("starts the built entry point with node and maps every setting to the environment the server reads", () => {
    expect(manifest.server).toMatchObject({
      type: "node",
      entry_point: "dist/bundle/main.js",
      mcp_config: { command: "node", args: ["${__dirname}/dist/bundle/main.js"] },
    });
    const env = manifest.server.mcp_config.env ?? {};
    const used = Object.values(env).map((value) => /^\$\{user_config\.(\w+)\}$/.exec(value)?.[1]);
    expect(used.sort()).toEqual(Object.keys(manifest.user_config).sort());
    expect(manifest.user_config.api_key).toMatchObject({ type: "string", sensitive: true, required: true });
    // An unset optional value without a default reaches the server as the literal "${user_config.x}".
    for (const [key, option] of Object.entries(manifest.user_config)) {
      if (!option.required) expect(option.default, `${key} needs a default`).toBeDefined();
    }
  });

  it("gives the server a valid configuration with only the API key set (US cloud, read-write, default ledger)", async () => {
    const env = await desktopEnv({ api_key: "lsv2_pt_0123456789abcdef0123456789abcdef_0123456789" });
    const config = loadConfig([], env);
    expect(config).toMatchObject({
      endpoint: "https://api.smith.langchain.com",
      readOnly: false,
      workspaceId: undefined,
      organizationId: undefined,
    });
    expect(config.ledgerPath).toMatch(/ledger\.sqlite$/);
  });

  it("carries EU or self-hosted endpoints, workspace, organization, read-only and ledger path through", async () => {
    const workspace = "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b";
    const organization = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    const env = await desktopEnv({
      api_key: "lsv2_pt_0123456789abcdef0123456789abcdef_0123456789",
      endpoint: "https://eu.api.smith.langchain.com",
      workspace_id: workspace,
      organization_id: organization,
      read_only: true,
      ledger_path: "/data/ledger.sqlite",
    });
    expect(loadConfig([], env)).toMatchObject({
      endpoint: "https://eu.api.smith.langchain.com",
      workspaceId: workspace,
      organizationId: organization,
      readOnly: true,
      ledgerPath: "/data/ledger.sqlite",
    });
  });

  it("packs with mcpb into a bundle whose entry point starts, lists every tool and opens the ledger", async () => {
    expect(existsSync(BUILT_SERVER), "run npm run build first").toBe(true);
    const bundle = join(temp, "langsmith-mcp.mcpb");
    await run(process.execPath, [join(ROOT, "scripts", "pack-bundle.mjs"), bundle], { cwd: ROOT });
    const unpacked = join(temp, "unpacked");
    await run(process.execPath, [MCPB_CLI, "unpack", bundle, unpacked]);

    const bundled = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8")) as McpbManifestAny;
    expect(bundled.compatibility?.platforms).toEqual([process.platform]);
    expect(existsSync(join(unpacked, "node_modules", "typescript")), "dev dependencies stay out").toBe(false);
    // What esbuild bundled stays out too; the native module and the other externals are there.
    expect(existsSync(join(unpacked, "node_modules", "zod")), "bundled packages stay out").toBe(false);
    expect(existsSync(join(unpacked, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node"))).toBe(true);

    // As Claude Desktop starts it: node <bundle>/dist/bundle/main.js, outside the repository.
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(unpacked, bundled.server.entry_point), "--simulator", "--ledger", join(temp, "ledger.sqlite")],
      cwd: unpacked,
      stderr: "pipe",
    });
    const client = new Client({ name: "bundle-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(TOOLS.map((tool) => tool.name));
      const result = await client.callTool({ name: "list_projects", arguments: {} });
      expect(result.isError).toBeFalsy();
      // The ledger opens on first use, with the native SQLite module the bundle ships beside it.
      const deletions = await client.callTool({ name: "list_deletions", arguments: {} });
      expect(deletions.isError, JSON.stringify(deletions.content)).toBeFalsy();
      expect(existsSync(join(temp, "ledger.sqlite"))).toBe(true);
    } finally {
      await client.close();
    }
  });
});
