/**
 * Standalone simulator for development:
 *   node dist/src/simulator/cli.js --port 8787 --seed 42 [--now ISO] [--rate-limits] [--ai-query] [--self-hosted] [--scale N]
 *     [--langsmith-version X] [--v2-has-more always|never] [--export-run-errors-as-objects]   (--help lists them)
 * Prints the URL, API keys and workspace id (stdout is fine here: this is not the MCP
 * server), and the published demo bucket credentials (not secrets: demo-credentials.ts), then
 * serves until SIGINT/SIGTERM. The other seeded bucket secrets are never printed; in-process
 * users read them from `RunningSimulator.storage`.
 */
import { parseArgs } from "node:util";
import { isVersion } from "./routes/info.js";
import { DEMO_CREDENTIALS_NOTE } from "./demo-credentials.js";
import { startSimulator } from "./server.js";
import type { V2HasMore } from "./state.js";

/** The flags, as data: parseArgs options and the --help text come from this one table. */
const FLAGS = {
  port: { type: "string", default: "8787", help: "port to listen on (0 = any free port)" },
  host: { type: "string", default: "127.0.0.1", help: "address to bind" },
  seed: { type: "string", default: "42", help: "seed of the generated data" },
  now: { type: "string", help: "ISO time the simulated clock starts at (default: the real now)" },
  scale: { type: "string", default: "1", help: "data size; 1 = ~36k runs" },
  "rate-limits": { type: "boolean", default: false, help: "enforce LangSmith's documented rate limits" },
  "ai-query": { type: "boolean", default: false, help: "accept ai_query on v2 run queries" },
  "self-hosted": { type: "boolean", default: false, help: "behave as a self-hosted install (destinations without credentials)" },
  "langsmith-version": { type: "string", help: "LangSmith release to behave as, e.g. 0.15.3 (below 0.16.0 there is no v2 API)" },
  "v2-has-more": { type: "string", default: "always", help: "has_more on v2 run queries: always | never (next_cursor alone)" },
  "export-run-errors-as-objects": {
    type: "boolean",
    default: false,
    help: "write export run errors as objects {message, type, retry_number}",
  },
  help: { type: "boolean", short: "h", default: false, help: "show this help" },
} as const;

const usage = (): string =>
  [
    "Usage: node dist/src/simulator/cli.js [flags]",
    "Runs the LangSmith simulator until SIGINT/SIGTERM and prints its URL and API keys.",
    "",
    ...Object.entries(FLAGS).map(([name, f]) => {
      const value = f.type === "string" ? ` <${name === "now" ? "iso" : "value"}>` : "";
      const fallback = "default" in f && f.type === "string" ? ` (default ${f.default})` : "";
      return `  --${name}${value}`.padEnd(38) + f.help + fallback;
    }),
  ].join("\n");

const fail = (message: string): never => {
  process.stderr.write(`${message}\nRun with --help for the flags.\n`);
  process.exit(2);
};

let parsed: ReturnType<typeof parseArgs<{ options: typeof FLAGS; strict: true }>>;
try {
  parsed = parseArgs({ options: FLAGS, strict: true });
} catch (error) {
  // An unknown flag or a missing value: one line, not a stack.
  fail(error instanceof Error ? error.message : String(error));
}
const { values } = parsed!;
if (values.help) {
  process.stdout.write(`${usage()}\n`);
  process.exit(0);
}

const number = (name: string, raw: string | undefined): number => {
  const n = Number(raw);
  if (raw === undefined || !Number.isFinite(n)) fail(`--${name} must be a number`);
  return n;
};

const version = values["langsmith-version"];
if (version !== undefined && !isVersion(version)) fail("--langsmith-version must be a version such as 0.16.2");
const hasMore = values["v2-has-more"];
if (hasMore !== "always" && hasMore !== "never") fail("--v2-has-more must be always or never");

const sim = await startSimulator({
  port: number("port", values.port),
  host: values.host,
  seed: number("seed", values.seed),
  scale: number("scale", values.scale),
  rateLimits: values["rate-limits"],
  aiQuery: values["ai-query"],
  selfHosted: values["self-hosted"],
  ...(values.now ? { now: values.now } : {}),
  ...(version ? { langsmithVersion: version } : {}),
  v2HasMore: hasMore as V2HasMore,
  exportRunErrorsAsObjects: values["export-run-errors-as-objects"],
});

process.stdout.write(
  [
    `LangSmith simulator listening on ${sim.url}`,
    `  LANGSMITH_ENDPOINT=${sim.url}`,
    `  LANGSMITH_API_KEY=${sim.apiKey}`,
    `  LANGSMITH_WORKSPACE_ID=${sim.workspaceId}`,
    `  org-scoped key (needs X-Tenant-Id): ${sim.orgApiKey}`,
    `  organization id: ${sim.organizationId}`,
    `  read-only key (no WORKSPACES_MANAGE): ${sim.readOnlyApiKey}`,
    `  object store and grants: ${sim.url}/_sim/storage`,
    `  ${DEMO_CREDENTIALS_NOTE}`,
    `  runs: ${sim.store.runCount}; control API: ${sim.url}/_sim/summary`,
    "",
  ].join("\n"),
);

const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
