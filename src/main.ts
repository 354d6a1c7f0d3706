#!/usr/bin/env node
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { HelpRequested, loadConfig, type Config } from "./config.js";
import { isConfigurationError } from "./errors.js";
import { LangSmithClient } from "./langsmith/index.js";
import { createLogger, type Logger } from "./log.js";
import { buildServer } from "./server.js";
import { VERSION } from "./version.js";

/** Where the server's LangSmith lives: the configured one, or an embedded simulator. */
async function connectLangSmith(
  config: Config,
  logger: Logger,
): Promise<{ client: LangSmithClient; secrets: string[]; stop: () => Promise<void> }> {
  if (!config.simulator) {
    const client = new LangSmithClient({
      endpoint: config.endpoint,
      apiKey: config.apiKey,
      ...(config.workspaceId && { workspaceId: config.workspaceId }),
      ...(config.organizationId && { organizationId: config.organizationId }),
      timeoutMs: config.requestTimeoutMs,
      logger: logger.child("langsmith"),
    });
    return { client, secrets: [config.apiKey], stop: () => client.close() };
  }
  // Loaded only when asked for: the simulator and its data generator are not needed otherwise.
  const { startSimulator } = await import("./simulator/index.js");
  const sim = await startSimulator({ seed: config.simulatorSeed });
  logger.addSecret(sim.apiKey);
  logger.info("embedded LangSmith simulator started", { url: sim.url, seed: config.simulatorSeed });
  const client = new LangSmithClient({
    endpoint: sim.url,
    apiKey: sim.apiKey,
    timeoutMs: config.requestTimeoutMs,
    logger: logger.child("langsmith"),
  });
  return {
    client,
    secrets: [sim.apiKey],
    stop: async () => {
      await client.close();
      await sim.close();
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2), process.env);
  const logger = createLogger({ level: config.logLevel, secrets: config.apiKey ? [config.apiKey] : [], name: "langsmith-mcp" });
  const langsmith = await connectLangSmith(config, logger);
  const server = buildServer({ client: langsmith.client, config, logger, secrets: langsmith.secrets });

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { reason });
    await server.close().catch(() => undefined);
    await langsmith.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.stdin.on("end", () => void stop("stdin closed"));

  await server.connect(new StdioServerTransport());
  logger.info(`langsmith-mcp ${VERSION} serving over stdio`, { endpoint: langsmith.client.endpoint, simulator: config.simulator });
}

main().catch((error: unknown) => {
  if (error instanceof HelpRequested) {
    process.stderr.write(error.usage);
    process.exit(0);
  }
  if (isConfigurationError(error)) {
    process.stderr.write(`langsmith-mcp: ${error.message}\n${error.hint ? `${error.hint}\n` : ""}`);
  } else {
    process.stderr.write(`langsmith-mcp: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
