/**
 * Cold start: from spawning a stdio MCP server to its first `tools/list` answer (initialize
 * included, as every client must), for
 *   - the floor: Node + the MCP SDK serving an empty server (bench/empty-server.ts), as tsc
 *     builds it (module by module) and as esbuild bundles it (one file, like the product);
 *   - this server as `bin` runs it (the bundle, dist/bundle/main.js) against a simulator in
 *     another process (what a user's start costs), and the same code as tsc's output
 *     (dist/src/main.js, what `bin` ran before the bundle);
 *   - this server with `--simulator` (adds generating the ~36k seeded runs in-process);
 *   - @sentry/mcp-server, a published SDK-based peer, offline: a dummy token and a loopback
 *     self-hosted host it never contacts before a tool is called, no telemetry DSN.
 * Subjects alternate round by round, so drift in the machine's load or page cache falls on
 * all of them alike; each gets the same warm-up, the same minimal environment and client.
 */
import * as esbuild from "esbuild";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUILT_SERVER, UNBUNDLED_SERVER, baseEnv, builtBench, connectStdio, startSimulatorProcess, tempLedgerPath } from "./stack.js";
import { processMemory, round, spreadOf, summarize, type BenchmarkResult, type ResultRow } from "./measure.js";

const ROUNDS = 20;
const WARMUP_ROUNDS = 2;
/** Stop adding rounds after this long; every subject still gets the rounds already begun. */
const BUDGET_MS = 150_000;
const BENCHMARK = "cold start: spawn → first tools/list (stdio)";

interface Subject {
  id: string;
  label: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * bench/empty-server.ts bundled into one file with the options the server's bundle is made
 * with (scripts/build-bundle.mjs COMMON_OPTIONS: ESM, minified whitespace and syntax, zod's
 * English messages only), so the product is also compared with a floor that got the same
 * treatment. Written to a temporary folder: it has no imports left.
 */
async function bundledFloor(dir: string): Promise<string> {
  const script = new URL("../../scripts/build-bundle.mjs", import.meta.url).href;
  const { COMMON_OPTIONS } = (await import(script)) as { COMMON_OPTIONS: esbuild.BuildOptions };
  const outfile = join(dir, "empty-server.mjs");
  await esbuild.build({
    ...COMMON_OPTIONS,
    entryPoints: [fileURLToPath(new URL("../../bench/empty-server.ts", import.meta.url))],
    outfile,
  });
  return outfile;
}

/**
 * CPU time the process's main thread has used so far, in ms (Linux /proc/<pid>/schedstat, ns);
 * undefined elsewhere. Unlike wall time it hardly moves with the machine's load, so it shows
 * the ratio the wall-clock median would have on an idle machine.
 */
function mainThreadCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
  } catch {
    return undefined;
  }
}

export async function runColdStart(): Promise<BenchmarkResult> {
  const started = performance.now();
  const sim = await startSimulatorProcess({ scale: 1 });
  const floorDir = mkdtempSync(join(tmpdir(), "bench-floor-"));
  try {
    const ledger = tempLedgerPath();
    const serverEnv = {
      ...baseEnv(),
      LANGSMITH_ENDPOINT: sim.info.url,
      LANGSMITH_API_KEY: sim.info.apiKey,
      LANGSMITH_MCP_LOG_LEVEL: "warn",
    };
    const subjects: Subject[] = [
      { id: "floor", label: "empty SDK server (floor)", command: process.execPath, args: [builtBench("empty-server.js")], env: baseEnv() },
      {
        id: "floor_bundled",
        label: "empty SDK server bundled (bundled floor)",
        command: process.execPath,
        args: [await bundledFloor(floorDir)],
        env: baseEnv(),
      },
      {
        id: "server",
        label: "langsmith-mcp (external simulator)",
        command: process.execPath,
        args: [BUILT_SERVER, "--ledger", ledger],
        env: serverEnv,
      },
      {
        id: "server_unbundled",
        label: "langsmith-mcp as tsc output, unbundled (external simulator)",
        command: process.execPath,
        args: [UNBUNDLED_SERVER, "--ledger", ledger],
        env: serverEnv,
      },
      {
        id: "server_simulator",
        label: "langsmith-mcp --simulator (seeds ~36k runs)",
        command: process.execPath,
        args: [BUILT_SERVER, "--simulator"],
        env: { ...baseEnv(), LANGSMITH_MCP_LOG_LEVEL: "warn" },
      },
      {
        id: "sentry",
        label: "@sentry/mcp-server (peer)",
        command: process.execPath,
        args: [
          fileURLToPath(import.meta.resolve("@sentry/mcp-server")),
          "--access-token=bench-offline-token",
          "--host=127.0.0.1:9",
          "--insecure-http",
        ],
        env: baseEnv(),
      },
    ];

    const samples = new Map<string, number[]>(subjects.map((s) => [s.id, []]));
    const cpu = new Map<string, number[]>(subjects.map((s) => [s.id, []]));
    const rss = new Map<string, number[]>(subjects.map((s) => [s.id, []]));
    const toolCounts = new Map<string, number>();
    const measureOnce = async (
      subject: Subject,
    ): Promise<{ ms: number; cpuMs: number | undefined; rssMb: number | undefined; tools: number }> => {
      const t0 = performance.now();
      const server = await connectStdio(subject.command, subject.args, subject.env);
      try {
        const { tools } = await server.client.listTools();
        const ms = performance.now() - t0;
        const pid = server.pid ?? undefined;
        return { ms, cpuMs: mainThreadCpuMs(pid), rssMb: processMemory(pid)?.rssMb, tools: tools.length };
      } catch (error) {
        throw new Error(
          `${subject.label} did not list its tools: ${error instanceof Error ? error.message : String(error)}\n${server.stderrTail()}`,
        );
      } finally {
        await server.close();
      }
    };

    for (let r = 0; r < WARMUP_ROUNDS; r++) for (const subject of subjects) await measureOnce(subject);
    const deadline = performance.now() + BUDGET_MS;
    for (let r = 0; r < ROUNDS && (r < 5 || performance.now() < deadline); r++) {
      for (const subject of subjects) {
        const once = await measureOnce(subject);
        samples.get(subject.id)!.push(once.ms);
        if (once.cpuMs !== undefined) cpu.get(subject.id)!.push(once.cpuMs);
        if (once.rssMb !== undefined) rss.get(subject.id)!.push(once.rssMb);
        toolCounts.set(subject.id, once.tools);
      }
    }

    const summary = (id: string) => summarize(samples.get(id)!);
    const row = (subject: Subject, baselineId: string): ResultRow => {
      const s = summary(subject.id);
      const baseline = subjects.find((b) => b.id === baselineId)!;
      const memory = summarize(rss.get(subject.id)!);
      const cpuMs = summarize(cpu.get(subject.id)!);
      const cpuNote =
        cpuMs.n > 0
          ? `; main-thread CPU ${round(cpuMs.median)} ms (${round(cpuMs.median / summarize(cpu.get(baselineId)!).median, 2)}×)`
          : "";
      return {
        benchmark: BENCHMARK,
        subject: `${subject.label}, ${toolCounts.get(subject.id)} tools`,
        subject_value: round(s.median),
        baseline: baseline.label,
        baseline_value: round(summary(baselineId).median),
        unit: "ms",
        ratio: round(s.median / summary(baselineId).median, 2),
        ratio_meaning: "of the baseline's time; lower is better",
        spread: `${spreadOf(s)}; RSS at first answer ${round(memory.median)} MB${cpuNote}`,
      };
    };
    const server = subjects.find((s) => s.id === "server")!;
    const rows: ResultRow[] = [...subjects.map((subject) => row(subject, "floor")), row(server, "floor_bundled")];
    return {
      name: "cold-start",
      seconds: round((performance.now() - started) / 1000),
      rows,
      details: {
        rounds: samples.get("floor")!.length,
        warmup_rounds: WARMUP_ROUNDS,
        samples_ms: Object.fromEntries([...samples].map(([k, v]) => [k, v.map((x) => round(x))])),
        rss_mb: Object.fromEntries(rss),
        main_thread_cpu_ms: Object.fromEntries([...cpu].map(([k, v]) => [k, v.map((x) => round(x))])),
        tools: Object.fromEntries(toolCounts),
      },
    };
  } finally {
    rmSync(floorDir, { recursive: true, force: true });
    await sim.close();
  }
}
