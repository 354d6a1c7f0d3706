/**
 * Tool-call overhead: `query_runs` of 100 runs, measured three ways against one simulator
 * process (so neither the simulator's work nor its garbage lands in a measured process):
 *
 * - subject: the built server over stdio, called by an SDK Client;
 * - floor: bench/passthrough-server.ts over stdio, called by the same kind of Client, making
 *   the same single request (`POST /api/v2/runs/query`, the body query_runs sends for these
 *   arguments) and returning the body unshaped. The protocol hop lives in both;
 * - direct: the same request from this process with undici, its JSON parsed.
 *
 * The three are interleaved call by call (the order rotates each round), all warmed alike.
 * Wall time per call (median, p25–p75, n) and each server process's CPU time per call (from
 * /proc/<pid>/stat over the whole measured loop) are reported; the ratio that counts is the
 * subject's median over the floor's. The simulator's request log confirms each tool call made
 * exactly one API request.
 *
 * Then a shorter profiled pass says where the time goes: both servers under `node --cpu-prof`
 * (the product as tsc compiled it, so frames name its modules), the main thread's busy time per
 * call split by part of the code (cpu-profile.ts), counted between the pass's first and last call.
 *
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server process of the measured loop there
 * (`node --cpu-prof`).
 */
import { resolveSelects } from "../src/tools/run-fields.js";
import { apiCall } from "../src/simulator/testing.js";
import { decodePageCursor, encodePageCursor } from "../src/tools/page-cursor.js";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { busyByPart, monotonicMicros, type CodePart } from "./cpu-profile.js";
import { processCpuMs, round, summarize, type BenchmarkResult, type ResultRow, type Summary } from "./measure.js";
import {
  baseEnv,
  builtBench,
  clearRequestLog,
  connectServer,
  connectStdio,
  describeRequests,
  rawRunsQuery,
  requestLog,
  startSimulatorProcess,
  UNBUNDLED_SERVER,
  type StdioServer,
} from "./stack.js";

const ROUNDS = 300;
/** Calls of each server in the profiled pass (sampled every 100 µs: ~10,000 samples of the product). */
const PROFILED_ROUNDS = 150;
const WARMUP_ROUNDS = 30;
const PAGE = 100;
/** The target: the product's call at most this many times the floor's. */
const FLOOR_GOAL = 1.3;

const profileArgs = (name: string): string[] => {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
};

export async function runToolOverhead(): Promise<BenchmarkResult> {
  const started = performance.now();
  const sim = await startSimulatorProcess({ scale: 1 });
  let product: StdioServer | undefined;
  let floor: StdioServer | undefined;
  try {
    const projects = await apiCall<{ id: string }[]>(sim.target, "GET", "/api/v1/sessions?name=support-bot");
    const projectId = projects.body[0]!.id;
    const now = Date.parse(sim.info.now);
    const window = { min_start_time: new Date(now - 2 * 86_400_000).toISOString(), max_start_time: new Date(now).toISOString() };
    const toolArgs = { project: "support-bot", start_time: window.min_start_time, end_time: window.max_start_time, page_size: PAGE };
    // The body query_runs sends for these arguments (same project, window, selects and size; DESC is the default, so unsent).
    const apiBody = JSON.stringify({ project_ids: [projectId], ...window, selects: resolveSelects("compact"), page_size: PAGE });

    product = await connectServer(sim.target, { nodeArgs: profileArgs("product") });
    floor = await connectFloor(sim.target, apiBody, profileArgs("floor"));
    const productServer = product;
    const floorServer = floor;

    // A scan's pages after the first carry the estimate their predecessor measured (page-estimate.ts), so they ask
    // LangSmith for what fits in one request; the first page, estimating from the selects, asks short and tops up. The
    // measured call is such a page, from the start of the window: the first page's position with the estimate it measured.
    const first = await productServer.call("query_runs", toolArgs);
    const measuredCursor = (first.structuredContent as { next_cursor?: string }).next_cursor;
    if (!measuredCursor) throw new Error("query_runs gave no next_cursor for a window of more than one page");
    const cursor = encodePageCursor({ ...decodePageCursor(measuredCursor), c: null, s: 0 });
    const productArgs = { ...toolArgs, cursor };
    const viaProduct = async () => {
      const result = await productServer.call("query_runs", productArgs);
      if ((result.structuredContent as { count: number }).count !== PAGE) throw new Error("query_runs returned fewer runs than asked");
    };
    const viaFloor = async () => {
      const result = await floorServer.call("runs_query");
      const text = result.content[0]?.type === "text" ? result.content[0].text : "";
      if ((JSON.parse(text) as { items: unknown[] }).items.length !== PAGE) throw new Error("the floor returned fewer runs than asked");
    };
    const direct = async () => {
      const response = await rawRunsQuery(sim.target, apiBody);
      const page = (await response.body.json()) as { items?: unknown[] };
      if ((page.items ?? []).length !== PAGE) throw new Error("direct query returned fewer runs than asked");
    };

    const subjects = [
      { name: "product", call: viaProduct, pid: product.pid, samples: [] as number[] },
      { name: "floor", call: viaFloor, pid: floor.pid, samples: [] as number[] },
      { name: "direct", call: direct, pid: null, samples: [] as number[] },
    ];
    for (let round = 0; round < WARMUP_ROUNDS; round++) for (const s of subjects) await s.call();
    const cpuBefore = subjects.map((s) => processCpuMs(s.pid ?? undefined));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order so no subject always runs right after another's garbage.
      for (let k = 0; k < subjects.length; k++) {
        const s = subjects[(round + k) % subjects.length]!;
        const t0 = performance.now();
        await s.call();
        s.samples.push(performance.now() - t0);
      }
    }
    const cpuPerCall = subjects.map((s, i) => {
      const after = processCpuMs(s.pid ?? undefined);
      const before = cpuBefore[i];
      return after === undefined || before === undefined ? null : round((after - before) / ROUNDS, 2);
    });

    await clearRequestLog(sim.target);
    await viaProduct();
    const productRequests = await requestLog(sim.target);
    await clearRequestLog(sim.target);
    await viaFloor();
    const floorRequests = await requestLog(sim.target);
    if (productRequests.length !== 1 || floorRequests.length !== 1)
      throw new Error(
        `one API request per call expected: query_runs ${describeRequests(productRequests)}; floor ${describeRequests(floorRequests)}`,
      );

    const profiled = await profiledPass(sim.target, productArgs, apiBody);
    const [p, f, d] = subjects.map((s) => summarize(s.samples)) as [Summary, Summary, Summary];
    const cpu = (i: number) => (cpuPerCall[i] === null ? "" : `; server CPU ${cpuPerCall[i]} ms per call`);
    const spread = (s: Summary) => `p25–p75 ${s.p25.toFixed(2)}–${s.p75.toFixed(2)} (n=${s.n})`;
    return {
      name: "tool-overhead",
      seconds: round((performance.now() - started) / 1000),
      rows: [
        {
          benchmark: `tool-call overhead: query_runs, ${PAGE} runs`,
          subject: "query_runs: MCP client → server (stdio) → simulator",
          subject_value: round(p.median, 2),
          baseline: "pass-through MCP server (same SDK, stdio, one tool making the same request, body returned as text)",
          baseline_value: round(f.median, 2),
          unit: "ms",
          ratio: round(p.median / f.median, 2),
          ratio_meaning: `of the floor's time; goal ≤ ${FLOOR_GOAL}`,
          spread: `${spread(p)}${cpu(0)} vs ${spread(f)}${cpu(1)}; interleaved call by call`,
        },
        {
          benchmark: `tool-call overhead: query_runs, ${PAGE} runs`,
          subject: "pass-through MCP server (the floor)",
          subject_value: round(f.median, 2),
          baseline: "direct undici POST /api/v2/runs/query + JSON.parse, same body",
          baseline_value: round(d.median, 2),
          unit: "ms",
          ratio: round(f.median / d.median, 2),
          ratio_meaning: "of the direct request's time: the protocol hop's share",
          spread: `${spread(f)} vs ${spread(d)}; query_runs is ${round(p.median / d.median, 2)}× direct`,
        },
        profiled.row,
      ],
      details: {
        product_ms: p,
        floor_ms: f,
        direct_ms: d,
        server_cpu_ms_per_call: { product: cpuPerCall[0], floor: cpuPerCall[1] },
        api_requests_per_tool_call: { product: describeRequests(productRequests), floor: describeRequests(floorRequests) },
        main_thread_ms_per_call: profiled.parts,
      },
    };
  } finally {
    await product?.close();
    await floor?.close();
    await sim.close();
  }
}

/** The pass-through floor (bench/passthrough-server.ts) over stdio, sending `apiBody` to `target`. */
function connectFloor(target: { url: string; apiKey: string }, apiBody: string, nodeArgs: string[]): Promise<StdioServer> {
  return connectStdio(process.execPath, [...nodeArgs, builtBench("passthrough-server.js")], {
    ...baseEnv(),
    LANGSMITH_ENDPOINT: target.url,
    LANGSMITH_API_KEY: target.apiKey,
    PASSTHROUGH_BODY: apiBody,
  });
}

/** Parts of the code the profiled pass tells apart, most specific first (cpu-profile.ts). */
const PARTS: readonly CodePart[] = [
  { name: "GC", match: (_url, fn) => fn === "(garbage collector)" },
  {
    name: "run table and text",
    match: (url) => /\/dist\/src\/(tools\/(run-table|run-fields|render|query-runs|page-estimate)|api-time)\.js$/.test(url),
  },
  { name: "LangSmith client (request, JSON.parse, type checks)", match: (url) => url.includes("/dist/src/langsmith/") },
  { name: "output budget (result JSON, bytes)", match: (url) => /\/dist\/src\/(tools\/output-budget|tokens)\.js$/.test(url) },
  { name: "secret scan", match: (url) => url.endsWith("/dist/src/redact.js") },
  { name: "other server code", match: (url) => url.includes("/dist/src/") },
  { name: "zod", match: (url) => url.includes("/node_modules/zod/") },
  { name: "MCP SDK", match: (url) => url.includes("/node_modules/@modelcontextprotocol/") },
  { name: "undici", match: (url) => url.includes("/node_modules/undici/") || url.includes("deps/undici") },
  // Native frames (the stdout write; JSON.stringify's own time is its caller's) and Node's own modules. The stdout write
  // of a large answer wakes the client, which on two cores often switches this process out mid-write: sampled as busy.
  { name: "Node I/O (stdio, sockets; incl. time switched out at the stdout write)", match: (url) => url === "" || url.startsWith("node:") },
];

/**
 * Both servers again under `node --cpu-prof`, interleaved call by call: each one's main-thread
 * busy milliseconds per call, by part of the code, within the pass (start-up and warm-up left out).
 */
async function profiledPass(
  target: { url: string; apiKey: string },
  productArgs: Record<string, unknown>,
  apiBody: string,
): Promise<{ row: ResultRow; parts: Record<string, Record<string, number>> }> {
  const dir = mkdtempSync(join(tmpdir(), "bench-cpu-prof-"));
  const profile = (name: string) => [
    "--cpu-prof",
    `--cpu-prof-dir=${dir}`,
    `--cpu-prof-name=${name}.cpuprofile`,
    "--cpu-prof-interval=100",
  ];
  let product: StdioServer | undefined;
  let floor: StdioServer | undefined;
  try {
    const productServer = (product = await connectServer(target, { nodeArgs: profile("product"), script: UNBUNDLED_SERVER }));
    const floorServer = (floor = await connectFloor(target, apiBody, profile("floor")));
    const calls = [() => productServer.call("query_runs", productArgs), () => floorServer.call("runs_query")];
    for (let round = 0; round < WARMUP_ROUNDS; round++) for (const call of calls) await call();
    const from = monotonicMicros();
    for (let round = 0; round < PROFILED_ROUNDS; round++) for (let k = 0; k < calls.length; k++) await calls[(round + k) % calls.length]!();
    const to = monotonicMicros();
    // Node writes a profile when its process exits.
    await productServer.close();
    await floorServer.close();
    [product, floor] = [undefined, undefined];
    const perCall = (name: string): Record<string, number> => {
      const file = readdirSync(dir).find((f) => f.startsWith(name));
      if (!file) throw new Error(`no CPU profile of the ${name} server in ${dir}`);
      const busy = busyByPart(join(dir, file), PARTS, from, to);
      return Object.fromEntries([...busy].sort((a, b) => b[1] - a[1]).map(([part, ms]) => [part, round(ms / PROFILED_ROUNDS, 3)]));
    };
    const parts = { product: perCall("product"), floor: perCall("floor") };
    const total = (byPart: Record<string, number>) => Object.values(byPart).reduce((sum, ms) => sum + ms, 0);
    const list = (byPart: Record<string, number>) =>
      Object.entries(byPart)
        .filter(([, ms]) => ms >= 0.01)
        .map(([part, ms]) => `${part} ${ms.toFixed(2)}`)
        .join(", ");
    return {
      parts,
      row: {
        benchmark: `tool-call overhead: query_runs, ${PAGE} runs`,
        subject:
          "where the time goes: server main thread busy per call (CPU profile; query_runs from the tsc output, so frames name modules)",
        subject_value: round(total(parts.product), 2),
        baseline: "pass-through MCP server (the floor), same profile",
        baseline_value: round(total(parts.floor), 2),
        unit: "ms",
        ratio: round(total(parts.product) / total(parts.floor), 2),
        ratio_meaning: "of the floor's busy time",
        spread: `ms per call, n=${PROFILED_ROUNDS} each, sampled every 0.1 ms: query_runs: ${list(parts.product)}; floor: ${list(parts.floor)}`,
      },
    };
  } finally {
    await product?.close();
    await floor?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
