/**
 * Standalone simulator for development:
 *   node dist/src/simulator/cli.js --port 8787 --seed 42 [--now ISO] [--rate-limits] [--ai-query] [--self-hosted] [--scale N]
 *     [--langsmith-version X] (behave as that LangSmith release; below 0.16.0 there is no v2 API)
 * Prints the URL, API keys and workspace id (stdout is fine here: this is not the MCP
 * server), then serves until SIGINT/SIGTERM. Bucket secrets are never printed; in-process
 * users read them from `RunningSimulator.storage`.
 */
import { parseArgs } from "node:util";
import { isVersion } from "./routes/info.js";
import { startSimulator } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8787" },
    host: { type: "string", default: "127.0.0.1" },
    seed: { type: "string", default: "42" },
    now: { type: "string" },
    scale: { type: "string", default: "1" },
    "rate-limits": { type: "boolean", default: false },
    "ai-query": { type: "boolean", default: false },
    "self-hosted": { type: "boolean", default: false },
    "langsmith-version": { type: "string" },
  },
  strict: true,
});

const number = (name: string, raw: string | undefined): number => {
  const n = Number(raw);
  if (raw === undefined || !Number.isFinite(n)) {
    process.stderr.write(`--${name} must be a number\n`);
    process.exit(2);
  }
  return n;
};

const version = values["langsmith-version"];
if (version !== undefined && !isVersion(version)) {
  process.stderr.write("--langsmith-version must be a version such as 0.16.2\n");
  process.exit(2);
}

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
    `  runs: ${sim.store.runCount}; control API: ${sim.url}/_sim/summary`,
    "",
  ].join("\n"),
);

const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
