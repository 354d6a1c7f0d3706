/**
 * Support for the deletion suites: ledger files, reading a ledger as an auditor would, the
 * simulator's root traces, and built servers that can be started, SIGKILLed and restarted
 * against one simulator with the same ledger file.
 */
import { getDefaultEnvironment } from "@modelcontextprotocol/client/stdio";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteLedger, type PurgeRecord } from "../../src/ledger/index.js";
import type { RunningSimulator } from "../../src/simulator/index.js";
import { builtServer } from "./built-server.js";
import { spawnStdio } from "./stdio.js";

export interface ServerProcess {
  call: (name: string, args?: Record<string, unknown>) => Promise<CallToolResult>;
  /** SIGKILL: no shutdown handler runs, as in a crash. */
  kill: () => void;
  close: () => Promise<void>;
}

export const tempLedgerPath = (): string => join(mkdtempSync(join(tmpdir(), "ledger-")), "ledger.sqlite");

export async function startServer(sim: RunningSimulator, ledgerPath: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await spawnStdio({
    command: process.execPath,
    args: [builtServer(), "--ledger", ledgerPath],
    env: {
      ...getDefaultEnvironment(),
      LANGSMITH_API_KEY: sim.apiKey,
      LANGSMITH_ENDPOINT: sim.url,
      LANGSMITH_MCP_LOG_LEVEL: "warn",
      ...env,
    },
    clientName: "deletion-e2e",
  });
  return {
    call: (name, args = {}) => server.call(name, args, { timeoutMs: 60_000 }),
    kill: () => {
      const pid = server.pid();
      if (pid) process.kill(pid, "SIGKILL");
    },
    close: server.close,
  };
}

/** Reads the ledger file the way an auditor would, next to the running server (WAL readers never block it). */
export async function readLedger<T>(path: string, read: (ledger: ReturnType<typeof openSqliteLedger>) => T | Promise<T>): Promise<T> {
  const ledger = openSqliteLedger(path);
  try {
    return await read(ledger);
  } finally {
    await ledger.close();
  }
}

export const purgeIn = async (path: string, id: string): Promise<PurgeRecord> => (await readLedger(path, (l) => l.getPurge(id)))!;

/** Root trace ids of a project started in [min, max], from the simulator's own data. */
export function rootsOf(sim: RunningSimulator, projectName: string, minMs = -Infinity, maxMs = Infinity): string[] {
  const project = sim.store.projectByName(sim.workspaceId, projectName)!;
  return sim.store
    .runsOfProject(project.id)
    .filter((r) => r.parent_run_id === null && r.start_time >= minMs && r.start_time <= maxMs)
    .map((r) => r.id);
}
