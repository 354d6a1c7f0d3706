/**
 * The HTTP load benchmark: the test harness's load driver (test/support/http-load.ts) at full
 * size. `runHttpLoadBenchmark()` is what bench/run.ts calls;
 * `node dist/bench/http-load.js [sessions] [calls] [stateless|sessions]` runs it alone
 * (default 50 × 100, stateless).
 */
import { fileURLToPath } from "node:url";
import { formatHttpLoad, runHttpLoad } from "../test/support/http-load.js";
import type { BenchmarkResult } from "./measure.js";

/**
 * The benchmark suite's view: 50 clients × 100 calls, two equal rounds (the second shows
 * whether memory stays flat). There is no baseline server to divide by; the figures stand alone.
 */
export async function runHttpLoadBenchmark(): Promise<BenchmarkResult> {
  const started = performance.now();
  const result = await runHttpLoad({ sessions: 50, callsPerSession: 100, mode: "stateless", rounds: 2 });
  if (result.failed > 0) throw new Error(`HTTP load: ${result.failed} of ${result.calls} calls failed; first: ${result.firstFailure}`);
  const { latencyMs: l } = result;
  return {
    name: "http-load",
    seconds: Math.round((performance.now() - started) / 100) / 10,
    rows: [
      {
        benchmark: `HTTP load: ${result.sessions} concurrent clients × 100 calls × 2 rounds (${result.mode})`,
        subject: `${result.calls} tool calls (list_projects, query_runs, get_run), ${result.failed} failed`,
        subject_value: result.callsPerSecond,
        baseline: "none (absolute figures)",
        baseline_value: null,
        unit: "calls/s",
        ratio: null,
        ratio_meaning: "",
        spread: `latency p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms, max ${l.max} ms; server RSS ${result.rssMb.join(" → ")} MB (warm-up, round 1, round 2)`,
      },
    ],
    details: { ...result },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [sessions = "50", calls = "100", mode = "stateless"] = process.argv.slice(2);
  const result = await runHttpLoad({
    sessions: Number(sessions),
    callsPerSession: Number(calls),
    mode: mode as "stateless" | "sessions",
    rounds: 2,
  });
  process.stdout.write(`${formatHttpLoad(result)}\n`);
  if (result.failed > 0) {
    process.stdout.write(`first failure: ${result.firstFailure}\n`);
    process.exitCode = 1;
  }
}
