/**
 * The simulator in a process of its own, for benchmarks that read the server's memory (the
 * simulator's hundreds of MB of seeded runs must not count as the server's) or that need a
 * large data set without slowing the bench process's event loop.
 *
 *   node dist/bench/simulator-process.js --scale 8.1 --now 2026-03-04T10:00:00.000Z
 *
 * Writes one JSON line ({@link SimulatorProcessInfo}) to stdout once listening; exits on
 * SIGTERM or when its stdin closes, so it never outlives the bench that started it.
 */
import { parseArgs } from "node:util";
import { startSimulator } from "../src/simulator/index.js";

export interface SimulatorProcessInfo {
  url: string;
  apiKey: string;
  workspaceId: string;
  /** Bucket and full-access key for an export destination. */
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The simulator clock at start. */
  now: string;
  runCount: number;
  seedSeconds: number;
}

const { values } = parseArgs({
  options: { scale: { type: "string", default: "1" }, seed: { type: "string", default: "42" }, now: { type: "string" } },
  strict: true,
});

const started = performance.now();
const sim = await startSimulator({
  port: 0,
  seed: Number(values.seed),
  scale: Number(values.scale),
  rateLimits: false,
  ...(values.now !== undefined && { now: values.now }),
});
const info: SimulatorProcessInfo = {
  url: sim.url,
  apiKey: sim.apiKey,
  workspaceId: sim.workspaceId,
  bucket: sim.storage.buckets.traces,
  accessKeyId: sim.storage.credentials.fullAccess.access_key_id,
  secretAccessKey: sim.storage.credentials.fullAccess.secret_access_key,
  now: new Date(sim.clock.now()).toISOString(),
  runCount: sim.store.runCount,
  seedSeconds: Math.round((performance.now() - started) / 100) / 10,
};
process.stdout.write(`${JSON.stringify(info)}\n`);

const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.once("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
