#!/usr/bin/env node
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { tuneHeapGrowth } from "./heap-growth.js";
import { HelpRequested, ledgerLocation, loadConfig, type Config } from "./config.js";
import { isConfigurationError } from "./errors.js";
import { InFlight } from "./http/in-flight.js";
import { LangSmithClient, type LangSmithClientOptions } from "./langsmith/index.js";
import { isPostgresUrl, lazyLedger, ledgerUrlSecrets, openLedger, redactLedgerUrl } from "./ledger/index.js";
import { createLogger, type Logger } from "./log.js";
import { buildServer } from "./server.js";
import { guardedStdioTransport } from "./stdio-guard.js";
import { TaskStore } from "./tasks/index.js";
import { ConfirmationTokens } from "./tools/confirmation.js";
import { ProjectResolver } from "./langsmith/project-resolver.js";
import { SIMULATOR_DEMO_URI } from "./resources/index.js";
import { DEMO_CREDENTIALS_NOTE } from "./simulator/demo-credentials.js";
import { VERSION } from "./version.js";

/** Where the server's LangSmith lives: the configured one, or an embedded simulator. */
async function connectLangSmith(
  config: Config,
  logger: Logger,
): Promise<{ client: LangSmithClient; options: LangSmithClientOptions; secrets: string[]; stop: () => Promise<void> }> {
  if (!config.simulator) {
    const options = {
      endpoint: config.endpoint,
      apiKey: config.apiKey,
      ...(config.workspaceId && { workspaceId: config.workspaceId }),
      ...(config.organizationId && { organizationId: config.organizationId }),
      timeoutMs: config.requestTimeoutMs,
      maxResponseBytes: config.maxUpstreamBytes,
    };
    const client = new LangSmithClient({ ...options, logger: logger.child("langsmith") });
    return { client, options, secrets: [config.apiKey], stop: () => client.close() };
  }
  // Loaded only when asked for: the simulator and its data generator are not needed otherwise
  // (its server module, not the index, which also exports the test helpers).
  const { startSimulator } = await import("./simulator/server.js");
  const sim = await startSimulator({ seed: config.simulatorSeed });
  logger.addSecret(sim.apiKey);
  logger.info("embedded LangSmith simulator started", { url: sim.url, seed: config.simulatorSeed });
  logger.info(`simulator ${DEMO_CREDENTIALS_NOTE}; the resource ${SIMULATOR_DEMO_URI} lists them`);
  const options = { endpoint: sim.url, apiKey: sim.apiKey, timeoutMs: config.requestTimeoutMs, maxResponseBytes: config.maxUpstreamBytes };
  const client = new LangSmithClient({ ...options, logger: logger.child("langsmith") });
  return {
    client,
    options,
    secrets: [sim.apiKey],
    stop: async () => {
      await client.close();
      await sim.close();
    },
  };
}

async function main(): Promise<void> {
  tuneHeapGrowth();
  const config = loadConfig(process.argv.slice(2), process.env);
  const logger = createLogger({ level: config.logLevel, secrets: config.apiKey ? [config.apiKey] : [], name: "langsmith-mcp" });
  const langsmith = await connectLangSmith(config, logger);
  // A Postgres URL's password is a secret of the process: never in a log line.
  const location = ledgerLocation(config);
  if (isPostgresUrl(location)) for (const secret of ledgerUrlSecrets(location)) logger.addSecret(secret);
  if (config.confirmationSecret) logger.addSecret(config.confirmationSecret);
  // Opened when a deletion tool first needs it, not at startup (lazy-ledger.ts). A ledger that
  // cannot be opened must not stop the read tools: the deletion tools say why.
  // What the ledger is named as before it opens (a report may ask): never with the password.
  const shownLocation = isPostgresUrl(location) ? redactLedgerUrl(location) : location;
  const ledger = lazyLedger(shownLocation, async () => {
    const opened = await openLedger(location, { readOnly: config.readOnly });
    if (opened.fault) logger.warn("deletion ledger unavailable; the deletion tools will say why", { error: opened.fault.agentMessage });
    else logger.info("deletion ledger open", { location: opened.ledger.location, readOnly: config.readOnly });
    return opened.ledger;
  });
  if (config.transport === "http") {
    await serveHttp(
      config,
      logger,
      langsmith,
      (deps) => buildServer({ ...deps, logger, ledger }),
      async () => ledger.close(),
    );
    return;
  }
  const inFlight = new InFlight();
  // One key for the connection's servers (a discovery probe may build one before the real one).
  const confirmations = ConfirmationTokens.fromSecret(config.confirmationSecret);
  const projects = new ProjectResolver(langsmith.client);
  // One store for the connection's servers: stdio has one caller, so every task is its own.
  const tasks = new TaskStore();

  let stopping = false;
  const stop = async (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    // A purge batch half-sent must still be recorded in the ledger: let calls finish (bounded).
    const drained = await inFlight.drained(config.shutdownGraceMs);
    logger.info("shutting down", { reason, drained });
    // The last answers are sent after their handlers return, and pipe writes are asynchronous:
    // give the SDK a turn to send them, then wait until stdout has flushed them.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
    await stdio.close().catch(() => undefined);
    await langsmith.stop().catch(() => undefined);
    await ledger.close();
    process.exit(exitCode);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.stdin.on("end", () => void stop("stdin closed"));
  // The SDK would drop an oversized message and let the process exit 0 unexplained.
  const transport = guardedStdioTransport({
    onOverflow: (lineBytes, maxBytes) => {
      logger.error("a message on stdin is larger than the stdio transport accepts; the client must send smaller ones", {
        bytes: lineBytes,
        maxBytes,
      });
      void stop("message too large", 1);
    },
  });

  // serveStdio serves both eras: a 2025-11-25 client opens with initialize, a 2026-07-28 one
  // sends requests with their own _meta (server/discover first, if it likes).
  const stdio = serveStdio(
    () =>
      buildServer({
        client: langsmith.client,
        config,
        logger,
        secrets: langsmith.secrets,
        ledger,
        logNotifications: "all",
        inFlight,
        confirmations,
        projects,
        tasks,
        taskOwner: "stdio",
      }),
    { transport },
  );
  logger.info(`langsmith-mcp ${VERSION} serving over stdio`, { endpoint: langsmith.client.endpoint, simulator: config.simulator });
}

/**
 * HTTP mode: a server per request (or session) on the caller's LangSmith access. Shutdown
 * stops accepting, lets in-flight calls finish within the grace period, then closes the
 * LangSmith clients and `closeResources` (the ledger) before exiting.
 */
async function serveHttp(
  config: Config,
  logger: Logger,
  langsmith: Awaited<ReturnType<typeof connectLangSmith>>,
  build: (
    deps: Pick<
      Parameters<typeof buildServer>[0],
      | "client"
      | "projects"
      | "secrets"
      | "confirmations"
      | "logNotifications"
      | "elicitation"
      | "tasks"
      | "taskOwner"
      | "inFlight"
      | "config"
    >,
  ) => ReturnType<typeof buildServer>,
  closeResources: () => Promise<void>,
): Promise<void> {
  // Loaded only for HTTP, so stdio starts without it.
  const { fingerprintOf, LangSmithClients, startHttpHost } = await import("./http/index.js");
  const { apiKey: ownKey, ...sharedOptions } = langsmith.options;
  // Without a key of its own (HTTP only), the server serves only requests that bring one.
  const fallback = ownKey
    ? {
        client: langsmith.client,
        projects: new ProjectResolver(langsmith.client),
        secrets: langsmith.secrets,
        fingerprint: fingerprintOf(ownKey),
      }
    : undefined;
  const clients = new LangSmithClients(sharedOptions, logger.child("langsmith"), fallback);
  // One key for every per-request server, so a confirmation token outlives its request; the
  // configured secret's, so every replica honours the tokens of the others.
  const confirmations = ConfirmationTokens.fromSecret(config.confirmationSecret);
  if (config.confirmationSecret === undefined) {
    logger.info(
      "confirmation tokens are signed with a key of this process only: behind a load balancer, give every replica the same " +
        "--confirmation-secret (LANGSMITH_MCP_CONFIRMATION_SECRET)",
    );
  }
  // One task store for every per-request server: a task one request starts, the next one polls.
  const tasks = new TaskStore();
  // Tasks run on after their request has answered; a shutdown lets them finish too (bounded).
  const taskWork = new InFlight();
  const host = await startHttpHost({
    config,
    logger,
    clients,
    makeServer: (access, callSignal, caller) =>
      build({
        ...(callSignal && { callSignal }),
        // An OAuth token with only the read scope: the read tools, as --read-only offers.
        config: caller?.readOnly ? { ...config, readOnly: true } : config,
        client: access.client,
        projects: access.projects,
        secrets: [...langsmith.secrets, ...access.secrets],
        confirmations,
        tasks,
        inFlight: taskWork,
        // A caller is its LangSmith key (and, with OAuth, the signed-in subject): nobody sees another's tasks.
        taskOwner: caller?.owner ?? access.fingerprint,
        logNotifications: "calls",
        // A stateless 2025-11-25 request's server is gone before the client could answer a
        // dialog (2026-07-28 asks with an input-required result instead, on any server).
        elicitation: config.sessions,
      }),
  });

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down: no new requests; waiting for those in flight", { reason, graceMs: config.shutdownGraceMs });
    const { drained: requestsDrained } = await host.close();
    const tasksDrained = await taskWork.drained(config.shutdownGraceMs);
    tasks.cancelAll("The server shut down before the task finished.");
    const drained = requestsDrained && tasksDrained;
    await clients.close().catch(() => undefined);
    await langsmith.stop().catch(() => undefined);
    await closeResources().catch((error: unknown) => logger.error("closing resources failed", { error: String(error) }));
    logger.info("stopped", { drained });
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  logger.info(`langsmith-mcp ${VERSION} serving MCP over HTTP at ${host.url}`, {
    endpoint: langsmith.client.endpoint,
    mode: config.sessions ? "sessions" : "stateless",
    auth: config.oauthIssuer ? "oauth" : config.authToken ? "static-token" : "none",
    ownKey: Boolean(ownKey),
    readOnly: config.readOnly,
    toolsets: config.toolsets.join(","),
  });
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
