#!/usr/bin/env node
/**
 * Drives the MCP Inspector in CLI mode against the built server, the way a person checks a
 * server by hand, and prints the Inspector's JSON answer on stdout:
 *
 *   npm run build
 *   node scripts/inspector.mjs --method tools/list
 *   node scripts/inspector.mjs --method tools/call --tool-name query_runs --tool-arg project=checkout-bot --tool-arg start_time=7d
 *   node scripts/inspector.mjs --method resources/list
 *   node scripts/inspector.mjs --live --method tools/list     (your LangSmith, from LANGSMITH_* in the environment)
 *
 * By default the server runs with --simulator (no account needed). Uses the Inspector's CLI
 * package (@modelcontextprotocol/inspector-cli, a devDependency), which runs on Node 20; the
 * full Inspector 0.17+ with its web UI needs Node 22.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const server = join(root, "dist", "bundle", "main.js");
if (!existsSync(server)) {
  process.stderr.write(`inspector: ${server} is missing; run npm run build first.\n`);
  process.exit(1);
}

const require = createRequire(import.meta.url);
const inspectorCli = join(dirname(require.resolve("@modelcontextprotocol/inspector-cli/package.json")), "build", "cli.js");

const args = process.argv.slice(2);
const live = args.includes("--live");
const inspectorArgs = args.filter((arg) => arg !== "--live");
const serverArgs = live ? [server] : [server, "--simulator"];
// The server inherits only a minimal environment from the Inspector; pass the LangSmith settings on.
const envArgs = live
  ? Object.entries(process.env)
      .filter(([name, value]) => /^LANGSMITH_/.test(name) && value)
      .flatMap(([name, value]) => ["-e", `${name}=${value}`])
  : [];

// inspector-cli 1.0 finds its own package.json through `../package.json` relative to the
// working directory: run it from scripts/, whose parent holds a package.json.
const child = spawn(process.execPath, [inspectorCli, "--cli", ...envArgs, process.execPath, ...serverArgs, ...inspectorArgs], {
  cwd: join(root, "scripts"),
  stdio: ["ignore", "inherit", "inherit"],
});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
