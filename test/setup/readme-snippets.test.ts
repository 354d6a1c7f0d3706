import { getDefaultEnvironment } from "@modelcontextprotocol/client/stdio";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { defaultLedgerPath } from "../../src/settings.js";
import { BUILT_SERVER } from "../support/stack.js";
import { spawnStdio } from "../support/stdio.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; bin: Record<string, string> };
/** How the README spells this checkout. */
const PLACEHOLDER_PATH = "/path/to/langsmith-mcp/dist/bundle/main.js";

function blocks(language: string): string[] {
  return [...README.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1]!);
}

interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** The README's command, run from this checkout: the global command and the path form both become node + dist/bundle/main.js. */
function resolve(launch: Launch, globalBin?: string): { command: string; args: string[] } {
  const args = launch.args.map((a) => (a === PLACEHOLDER_PATH ? BUILT_SERVER : a));
  if (launch.command === "langsmith-mcp")
    return globalBin ? { command: globalBin, args } : { command: process.execPath, args: [BUILT_SERVER, ...args] };
  if (launch.command === "node") return { command: process.execPath, args };
  throw new Error(`the README starts the server with "${launch.command}", which a clone does not provide`);
}

/** Snippets that resolve to the same process share one start: each --simulator start seeds ~36k runs. */
const started = new Map<string, Promise<string[]>>();

/** Starts what a client would start, in simulator mode, and lists the tools over stdio. */
function listTools(launch: Launch, globalBin?: string): Promise<string[]> {
  const { command, args } = resolve(launch, globalBin);
  const env = { ...launch.env };
  delete env.LANGSMITH_API_KEY;
  delete env.LANGSMITH_ENDPOINT;
  const key = JSON.stringify([command, args, env]);
  if (!started.has(key)) started.set(key, start(command, args, env));
  return started.get(key)!;
}

async function start(command: string, args: string[], env: Record<string, string>): Promise<string[]> {
  const server = await spawnStdio({
    command,
    args: args.includes("--simulator") ? args : [...args, "--simulator"],
    env: { ...getDefaultEnvironment(), ...env, LANGSMITH_MCP_LOG_LEVEL: "warn" },
    clientName: "readme-snippet",
  });
  try {
    return (await server.client.listTools()).tools.map((t) => t.name);
  } finally {
    await server.close();
  }
}

/** `claude mcp add … -- COMMAND ARGS`, with the `-e NAME=value` pairs. */
function claudeCommands(): Launch[] {
  return blocks("sh")
    .flatMap((block) => block.split("\n"))
    .filter((line) => line.startsWith("claude mcp add "))
    .map((line) => {
      const [options, command] = line.split(" -- ") as [string, string];
      const env = Object.fromEntries([...options.matchAll(/-e (\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
      const [head, ...args] = command.trim().split(/\s+/);
      return { command: head!, args, env };
    });
}

describe("README set-up snippets work from a clone", () => {
  it("needs the built server (npm test builds first)", () => {
    expect(existsSync(BUILT_SERVER), `${BUILT_SERVER}: run npm run build`).toBe(true);
  });

  it("never sends a reader to the registry, where the package is not published", () => {
    const code = ["sh", "json", "bash"].flatMap(blocks).join("\n");
    expect(code).not.toMatch(/npx\s+(-y\s+)?langsmith-mcp|"command":\s*"npx"/);
    expect(README).toContain("not on the npm registry yet");
    expect(PACKAGE.bin).toEqual({ "langsmith-mcp": "dist/bundle/main.js" });
    expect(readFileSync(BUILT_SERVER, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  const configs = blocks("json").map((text) => JSON.parse(text) as { mcpServers?: Record<string, Launch> });
  const launches = configs.flatMap((c) =>
    Object.entries(c.mcpServers ?? {}).map(([name, l]) => ({ name, command: l.command, args: l.args ?? [], env: l.env ?? {} })),
  );

  it("has client configs, and each JSON block parses", () => {
    expect(configs.length).toBeGreaterThanOrEqual(3);
    expect(launches.map((l) => l.command).sort()).toEqual(["langsmith-mcp", "langsmith-mcp", "node"]);
  });

  it.each(launches.map((l, i) => [i, l] as const))("JSON snippet %i starts and lists tools over stdio", async (_, launch) => {
    expect(await listTools(launch)).toContain("query_runs");
  });

  it.each(claudeCommands().map((l) => [`${l.command} ${l.args.join(" ")}`, l] as const))(
    "claude mcp add … -- %s starts and lists tools",
    async (_, launch) => {
      expect(await listTools(launch)).toContain("query_runs");
    },
  );

  describe("npm install -g . gives the langsmith-mcp command", () => {
    const prefix = mkdtempSync(join(tmpdir(), "langsmith-mcp-global-"));
    afterAll(() => rmSync(prefix, { recursive: true, force: true }));

    it("installs into a scratch prefix and the command lists tools", async () => {
      // --prefix keeps the user's global packages untouched; a folder install is a link, no download.
      execFileSync("npm", ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", "--ignore-scripts", "."], {
        cwd: ROOT,
        stdio: "pipe",
      });
      const bin = process.platform === "win32" ? join(prefix, "langsmith-mcp.cmd") : join(prefix, "bin", "langsmith-mcp");
      expect(existsSync(bin)).toBe(true);
      // --help prints to stderr (stdout is the MCP channel).
      const help = spawnSync(bin, ["--help"], { encoding: "utf8" });
      expect(help.status).toBe(0);
      expect(help.stderr).toContain("Usage: langsmith-mcp");
      expect(await listTools({ command: "langsmith-mcp", args: [], env: {} }, bin)).toContain("query_runs");
    }, 120_000);
  });

  it("says where the deletion ledger lives, as the code decides it", () => {
    const home = "~";
    expect(README).toContain("`--ledger` or `LANGSMITH_MCP_LEDGER`");
    expect(defaultLedgerPath({}, "linux", home)).toBe("~/.local/share/langsmith-mcp/ledger.sqlite");
    expect(README).toContain("`~/.local/share/langsmith-mcp/ledger.sqlite`");
    expect(README).toContain("`$XDG_DATA_HOME/langsmith-mcp/ledger.sqlite`");
    expect(defaultLedgerPath({}, "darwin", home)).toBe("~/Library/Application Support/langsmith-mcp/ledger.sqlite");
    expect(README).toContain("`~/Library/Application Support/langsmith-mcp/ledger.sqlite`");
    expect(defaultLedgerPath({ APPDATA: "%APPDATA%" }, "win32", home).replaceAll("/", "\\")).toBe(
      "%APPDATA%\\langsmith-mcp\\ledger.sqlite",
    );
    expect(README).toContain("`%APPDATA%\\langsmith-mcp\\ledger.sqlite`");
    expect(README).toMatch(/With `--simulator` the ledger is in memory \(`:memory:`\)/);
  });
});
