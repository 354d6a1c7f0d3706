/**
 * Cold start: from spawning a stdio MCP server to its first `tools/list` answer (initialize
 * included, as every client must), for
 *   - the floor: Node + the MCP SDK serving an empty server (bench/empty-server.ts);
 *   - this server against a simulator in another process (what a user's start costs);
 *   - this server with `--simulator` (adds generating the ~36k seeded runs in-process);
 *   - @sentry/mcp-server, a published SDK-based peer, offline: a dummy token and a loopback
 *     self-hosted host it never contacts before a tool is called, no telemetry DSN.
 * Subjects alternate round by round, so drift in the machine's load or page cache falls on
 * all of them alike; each gets the same warm-up, the same minimal environment and client.
 */
import { fileURLToPath } from "node:url";
import { BUILT_SERVER, baseEnv, builtBench, connectStdio, startSimulatorProcess, tempLedgerPath } from "./stack.js";
import { processMemory, round, spreadOf, summarize, type BenchmarkResult, type ResultRow } from "./measure.js";

const ROUNDS = 15;
const WARMUP_ROUNDS = 2;
/** Stop adding rounds after this long; every subject still gets the rounds already begun. */
const BUDGET_MS = 90_000;

interface Subject {
  id: string;
  label: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

export async function runColdStart(): Promise<BenchmarkResult> {
  const started = performance.now();
  const sim = await startSimulatorProcess({ scale: 1 });
  try {
    const ledger = tempLedgerPath();
    const subjects: Subject[] = [
      { id: "floor", label: "empty SDK server (floor)", command: process.execPath, args: [builtBench("empty-server.js")], env: baseEnv() },
      {
        id: "server",
        label: "langsmith-mcp (external simulator)",
        command: process.execPath,
        args: [BUILT_SERVER, "--ledger", ledger],
        env: { ...baseEnv(), LANGSMITH_ENDPOINT: sim.info.url, LANGSMITH_API_KEY: sim.info.apiKey, LANGSMITH_MCP_LOG_LEVEL: "warn" },
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
    const rss = new Map<string, number[]>(subjects.map((s) => [s.id, []]));
    const toolCounts = new Map<string, number>();
    const measureOnce = async (subject: Subject): Promise<{ ms: number; rssMb: number | undefined; tools: number }> => {
      const t0 = performance.now();
      const server = await connectStdio(subject.command, subject.args, subject.env);
      try {
        const { tools } = await server.client.listTools();
        const ms = performance.now() - t0;
        return { ms, rssMb: processMemory(server.pid ?? undefined)?.rssMb, tools: tools.length };
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
    for (let r = 0; r < ROUNDS && (r < 3 || performance.now() < deadline); r++) {
      for (const subject of subjects) {
        const once = await measureOnce(subject);
        samples.get(subject.id)!.push(once.ms);
        if (once.rssMb !== undefined) rss.get(subject.id)!.push(once.rssMb);
        toolCounts.set(subject.id, once.tools);
      }
    }

    const floor = summarize(samples.get("floor")!);
    const rows: ResultRow[] = subjects.map((subject) => {
      const s = summarize(samples.get(subject.id)!);
      const memory = summarize(rss.get(subject.id)!);
      return {
        benchmark: "cold start: spawn → first tools/list (stdio)",
        subject: `${subject.label}, ${toolCounts.get(subject.id)} tools`,
        subject_value: round(s.median),
        baseline: "empty SDK server (floor)",
        baseline_value: round(floor.median),
        unit: "ms",
        ratio: round(s.median / floor.median, 2),
        ratio_meaning: "of the floor's time; lower is better",
        spread: `${spreadOf(s)}; RSS at first answer ${round(memory.median)} MB`,
      };
    });
    return {
      name: "cold-start",
      seconds: round((performance.now() - started) / 1000),
      rows,
      details: {
        rounds: samples.get("floor")!.length,
        warmup_rounds: WARMUP_ROUNDS,
        samples_ms: Object.fromEntries([...samples].map(([k, v]) => [k, v.map((x) => round(x))])),
        rss_mb: Object.fromEntries(rss),
        tools: Object.fromEntries(toolCounts),
      },
    };
  } finally {
    await sim.close();
  }
}
