/**
 * `npm run bench`: every benchmark against the simulator on loopback, each reported as a
 * ratio to a baseline measured in the same run with the absolute figures beside it. Writes
 * bench/results/latest.json (all figures, the machine) and latest.md (the table, headed by the
 * machine), then prints the table; a full run (no --only) also puts the table into README.md.
 *
 *   node dist/bench/run.js [--only cold-start,tool-overhead,output-size,stats-vs-paging,scan-memory,verify-throughput,purge-scale,http-load,replicas-load]
 *
 * The large data set (scale 8.1: checkout-bot holds ~100k runs in ~10.9k traces) lives in a
 * simulator process of its own, shared by scan-memory and verify-throughput. scan-memory runs
 * first because verify-throughput queues a purge (which changes nothing visible before the
 * simulator's weekend batch, but keeps the order safe should that change).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runColdStart } from "./cold-start.js";
import { runHttpLoadBenchmark } from "./http-load.js";
import type { BenchmarkResult, ResultRow } from "./measure.js";
import { runOutputSize } from "./output-size.js";
import { runPurgeScale } from "./purge-scale.js";
import { runReplicasLoadBenchmark } from "./replicas-load.js";
import { runScanMemory } from "./scan-memory.js";
import { runStatsVsPaging } from "./stats-vs-paging.js";
import { removeTempLedgers, startSimulatorProcess, type SimulatorProcess } from "./stack.js";
import { runToolOverhead } from "./tool-overhead.js";
import { runVerifyThroughput } from "./verify-throughput.js";

const RESULTS = fileURLToPath(new URL("../../bench/results/", import.meta.url));
/** checkout-bot reaches ≥100,000 runs and ≥10,000 root traces at this scale (seed 42). */
const LARGE_SCALE = 8.1;
/** A Wednesday: the simulator's weekend deletion batch is days away, so a queued purge stays visible. */
const LARGE_NOW = "2026-03-04T10:00:00.000Z";

const BENCHMARKS = [
  "cold-start",
  "tool-overhead",
  "output-size",
  "stats-vs-paging",
  "scan-memory",
  "verify-throughput",
  "purge-scale",
  "http-load",
  "replicas-load",
] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];

const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

/** The machine the figures were measured on: they mean little without it. */
function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? "unknown cpu",
    cores: cpu.length,
    ram_gib: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
  };
}

const describeMachine = (m: ReturnType<typeof machine>): string => `${m.cores} × ${m.cpu}, ${m.ram_gib} GiB RAM, ${m.os}, Node ${m.node}`;

const README = fileURLToPath(new URL("../../README.md", import.meta.url));
/** The README's table sits after this line, up to the first line that is not part of it. */
const README_MARKER = "Latest run:";

/**
 * Puts a full run's table into README.md after "Latest run:" (its header line, a blank line,
 * the table), replacing the previous one. Only a full run does: a partial one would leave the
 * README with rows from different runs.
 */
function updateReadme(markdown: string): void {
  const text = readFileSync(README, "utf8");
  const lines = text.split("\n");
  const at = lines.indexOf(README_MARKER);
  if (at === -1) throw new Error(`README.md has no "${README_MARKER}" line to put the table after`);
  let end = at + 1;
  while (end < lines.length && (lines[end] === "" || lines[end]!.startsWith("Benchmarks run ") || lines[end]!.startsWith("|"))) end++;
  lines.splice(at + 1, end - at - 1, "", ...markdown.split("\n"), "");
  writeFileSync(README, lines.join("\n"));
}

const figure = (value: number | null, unit: string): string => (value === null ? "—" : `${value.toLocaleString("en-US")} ${unit}`);

function table(rows: readonly ResultRow[]): string {
  return [
    "| benchmark | subject | subject figure | baseline | baseline figure | ratio | spread and notes |",
    "|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.benchmark} | ${r.subject} | ${figure(r.subject_value, r.unit)} | ${r.baseline} | ${figure(r.baseline_value, r.unit)} | ${r.ratio === null ? "—" : `${r.ratio}× (${r.ratio_meaning})`} | ${r.spread} |`,
    ),
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: "string" } }, strict: true });
  const selected = values.only ? (values.only.split(",").map((s) => s.trim()) as BenchmarkName[]) : [...BENCHMARKS];
  for (const name of selected)
    if (!BENCHMARKS.includes(name)) throw new Error(`unknown benchmark ${name}; known: ${BENCHMARKS.join(", ")}`);

  const started = performance.now();
  const results: BenchmarkResult[] = [];
  let large: SimulatorProcess | undefined;
  const largeSimulator = async (): Promise<SimulatorProcess> => {
    if (!large) {
      log(`starting the large simulator (scale ${LARGE_SCALE}) in its own process`);
      large = await startSimulatorProcess({ scale: LARGE_SCALE, now: LARGE_NOW });
      log(`  ${large.info.runCount.toLocaleString("en-US")} runs seeded in ${large.info.seedSeconds} s`);
    }
    return large;
  };
  const runners: Record<BenchmarkName, () => Promise<BenchmarkResult>> = {
    "cold-start": runColdStart,
    "tool-overhead": runToolOverhead,
    "output-size": runOutputSize,
    "stats-vs-paging": runStatsVsPaging,
    "scan-memory": async () => runScanMemory(await largeSimulator()),
    "verify-throughput": async () => runVerifyThroughput(await largeSimulator()),
    "purge-scale": runPurgeScale,
    "http-load": runHttpLoadBenchmark,
    "replicas-load": runReplicasLoadBenchmark,
  };
  try {
    for (const name of BENCHMARKS) {
      if (!selected.includes(name)) continue;
      log(`${name} …`);
      const result = await runners[name]();
      log(`${name} done in ${result.seconds} s`);
      results.push(result);
    }
  } finally {
    await large?.close();
  }

  const at = new Date().toISOString();
  const rows = results.flatMap((r) => r.rows);
  const totalSeconds = Math.round((performance.now() - started) / 1000);
  const host = machine();
  const markdown = [
    `Benchmarks run ${at} on ${describeMachine(host)} (load average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(", ")}); ${values.only ? `only ${selected.join(", ")}` : "whole suite"} ${totalSeconds} s. ` +
      "Simulator on loopback; times are medians, each row states its spread and sample count.",
    "",
    table(rows),
  ].join("\n");
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    `${RESULTS}latest.json`,
    `${JSON.stringify({ at, machine: host, load_average: loadavg(), total_seconds: totalSeconds, rows, benchmarks: results }, null, 2)}\n`,
  );
  writeFileSync(`${RESULTS}latest.md`, `${markdown}\n`);
  if (!values.only) updateReadme(markdown);
  removeTempLedgers();
  process.stdout.write(`${markdown}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
