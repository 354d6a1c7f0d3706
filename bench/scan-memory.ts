/**
 * Scan memory and reads: the server's resident memory while an agent pages through ~100,000 runs
 * with `query_runs` and its cursor, and while it reads the status of a bulk export with 1,000
 * runs (one per UTC day of a 1,000-day range); and what each reads from LangSmith, counted by
 * the simulator (its request log: requests, response bytes, runs answered). The simulator runs
 * in its own process, so its hundreds of MB of seeded runs are not counted; each scan gets a
 * fresh server process, so its peak (VmHWM) belongs to that scan alone. Memory must stay flat:
 * nothing per page may outlive the page. It is judged against the warm level (RSS after the
 * first WARM_CALLS calls, once code is loaded and caches filled), not against the idle process:
 * every later call must stay within ±20% of it. Reads are judged as runs read over runs shown
 * (goal ≤ 1.2).
 *
 * V8 collects its old generation lazily, so with a default heap RSS climbs in a sawtooth long
 * before anything is retained (the server narrows V8's heap growing factor for that: see
 * src/heap-growth.ts). Each scan therefore runs twice: as a user starts the server (no Node
 * flags) and with the server's old generation capped at HEAP_CAP_MB. A server that
 * retained something per page would grow to the cap and fail; a flat RSS under the cap shows
 * the default run's growth is garbage not yet collected.
 */
import { control } from "../src/simulator/testing.js";
import { processMemory, round, summarize, type BenchmarkResult, type ResultRow } from "./measure.js";
import { clearRequestLog, connectServer, requestLog, type LoggedRequest, type SimulatorProcess, type StdioServer } from "./stack.js";

const PROJECT = "checkout-bot";
const PAGE_SIZE = 1000;
const MAX_QUERY_CALLS = 1_000;
const QUERY_BUDGET_MS = 180_000;
const EXPORT_DAYS = 1_000;
const EXPORT_STATUS_CALLS = 120;
const EXPORT_BUDGET_MS = 60_000;
const DAY = 86_400_000;
// 40 MB until the token budget: the o200k rank table of gpt-tokenizer holds ~35 MB of heap once a
// result is large enough to be counted, so the cap that proves "nothing retained per page" is 80.
const HEAP_CAP_MB = 80;
const CAPPED_NODE_OPTIONS = `--max-old-space-size=${HEAP_CAP_MB}`;
/** The warm level is the RSS after this many calls. */
const WARM_CALLS = 10;
/** Flat: every call after the warm level within this share of it. */
const FLAT_BAND = 0.2;
/** Reads: runs read from LangSmith over runs shown, at most. */
const READS_GOAL = 1.2;

/** What LangSmith answered during a scan, from the simulator's request log. */
interface Reads {
  requests: number;
  bytes: number;
  /** Runs answered by run queries (v2 and v1). */
  runs: number;
}

function readsOf(log: readonly LoggedRequest[]): Reads {
  const runQueries = log.filter((r) => r.method === "POST" && /\/runs\/query$/.test(r.path));
  return {
    requests: log.length,
    bytes: log.reduce((sum, r) => sum + (r.bytes ?? 0), 0),
    runs: runQueries.reduce((sum, r) => sum + (r.items ?? 0), 0),
  };
}

interface MemoryTrace {
  idleMb: number;
  /** RSS after each call. */
  afterCallMb: number[];
  peakMb: number;
}

function memoryOf(server: StdioServer): { rssMb: number; peakMb: number } {
  const memory = processMemory(server.pid ?? undefined);
  if (!memory) throw new Error("cannot read the server's memory from /proc (Linux only)");
  return memory;
}

/**
 * Growth, robust to the garbage collector's sawtooth: the highest RSS in the second half of
 * the calls against the highest in the first half. The warm level is the RSS after WARM_CALLS
 * calls; `bandPct` is how far any later call strayed from it, in percent (flat: ≤ 20).
 */
function growth(trace: MemoryTrace): {
  warmMb: number;
  endMb: number;
  minAfterWarmMb: number;
  maxAfterWarmMb: number;
  bandPct: number;
  firstHalfMaxMb: number;
  secondHalfMaxMb: number;
  growthMb: number;
} {
  const samples = trace.afterCallMb;
  const half = Math.floor(samples.length / 2);
  const firstHalfMaxMb = Math.max(...samples.slice(0, half));
  const secondHalfMaxMb = Math.max(...samples.slice(half));
  const warmMb = samples[Math.min(samples.length, WARM_CALLS) - 1]!;
  const later = samples.slice(WARM_CALLS);
  const minAfterWarmMb = later.length ? Math.min(...later) : warmMb;
  const maxAfterWarmMb = later.length ? Math.max(...later) : warmMb;
  return {
    warmMb,
    endMb: samples.at(-1)!,
    minAfterWarmMb,
    maxAfterWarmMb,
    bandPct: round((100 * Math.max(maxAfterWarmMb - warmMb, warmMb - minAfterWarmMb)) / warmMb),
    firstHalfMaxMb,
    secondHalfMaxMb,
    growthMb: round(secondHalfMaxMb - firstHalfMaxMb),
  };
}

async function scanRuns(
  sim: SimulatorProcess,
  nodeOptions?: string,
): Promise<{ trace: MemoryTrace; runs: number; calls: number; complete: boolean; seconds: number; callMs: number[]; reads: Reads }> {
  const server = await connectServer(sim.target, nodeOptions ? { nodeOptions } : {});
  try {
    await server.client.listTools();
    await clearRequestLog(sim.target);
    const idleMb = memoryOf(server).rssMb;
    const now = Date.parse(sim.info.now);
    const args = {
      project: PROJECT,
      start_time: new Date(now - 8 * DAY).toISOString(),
      end_time: new Date(now).toISOString(),
      page_size: PAGE_SIZE,
    };
    const afterCallMb: number[] = [];
    const callMs: number[] = [];
    let runs = 0;
    let cursor: string | undefined;
    let complete = false;
    const started = performance.now();
    for (let call = 0; call < MAX_QUERY_CALLS && performance.now() - started < QUERY_BUDGET_MS; call++) {
      const t0 = performance.now();
      const result = await server.call("query_runs", { ...args, ...(cursor && { cursor }) });
      callMs.push(performance.now() - t0);
      const page = result.structuredContent as { count: number; next_cursor?: string };
      runs += page.count;
      afterCallMb.push(memoryOf(server).rssMb);
      cursor = page.next_cursor;
      if (!cursor) {
        complete = true;
        break;
      }
    }
    return {
      trace: { idleMb, afterCallMb, peakMb: memoryOf(server).peakMb },
      runs,
      calls: afterCallMb.length,
      complete,
      seconds: (performance.now() - started) / 1000,
      callMs,
      reads: readsOf(await requestLog(sim.target)),
    };
  } finally {
    await server.close();
  }
}

async function scanExportStatus(
  sim: SimulatorProcess,
  nodeOptions?: string,
): Promise<{
  trace: MemoryTrace;
  exportRuns: number;
  calls: number;
  statuses: Record<string, number>;
  seconds: number;
  callMs: number[];
  reads: Reads;
}> {
  const server = await connectServer(sim.target, nodeOptions ? { nodeOptions } : {});
  try {
    await server.client.listTools();
    const idleMb = memoryOf(server).rssMb;
    const destination = await server.call("create_destination", {
      display_name: "bench exports",
      bucket_name: sim.info.bucket,
      prefix: "bench/exports",
      region: "eu-west-1",
      access_key_id: sim.info.accessKeyId,
      secret_access_key: sim.info.secretAccessKey,
    });
    const destinationId = (destination.structuredContent as { destination: { id: string } }).destination.id;
    const today = Math.floor(Date.parse(sim.info.now) / DAY) * DAY;
    const created = await server.call("create_export", {
      project: PROJECT,
      destination: destinationId,
      start_time: new Date(today - EXPORT_DAYS * DAY).toISOString(),
      end_time: new Date(today).toISOString(),
    });
    const exportId = (created.structuredContent as { export: { id: string } }).export.id;

    const afterCallMb: number[] = [];
    const callMs: number[] = [];
    await clearRequestLog(sim.target);
    let exportRuns = 0;
    let statuses: Record<string, number> = {};
    const started = performance.now();
    for (let call = 0; call < EXPORT_STATUS_CALLS && performance.now() - started < EXPORT_BUDGET_MS; call++) {
      // Let the export engine move on between reads so the statuses change as in a real export.
      if (call % 10 === 9) await control(sim.target, "POST", "clock", { advance_seconds: 1_800 });
      const t0 = performance.now();
      const result = await server.call("export_status", { export_id: exportId, runs_limit: 500, runs_offset: (call % 2) * 500 });
      callMs.push(performance.now() - t0);
      const out = result.structuredContent as { progress: { runs_total: number; runs_by_status: Record<string, number> } };
      exportRuns = out.progress.runs_total;
      statuses = out.progress.runs_by_status;
      afterCallMb.push(memoryOf(server).rssMb);
    }
    return {
      trace: { idleMb, afterCallMb, peakMb: memoryOf(server).peakMb },
      exportRuns,
      calls: afterCallMb.length,
      statuses,
      seconds: (performance.now() - started) / 1000,
      callMs,
      reads: readsOf(await requestLog(sim.target)),
    };
  } finally {
    await server.close();
  }
}

export async function runScanMemory(sim: SimulatorProcess): Promise<BenchmarkResult> {
  const started = performance.now();
  const runs = await scanRuns(sim);
  const runsCapped = await scanRuns(sim, CAPPED_NODE_OPTIONS);
  const exports = await scanExportStatus(sim);
  const exportsCapped = await scanExportStatus(sim, CAPPED_NODE_OPTIONS);

  const row = (benchmark: string, subject: string, trace: MemoryTrace, extra: string): ResultRow => {
    const g = growth(trace);
    return {
      benchmark,
      subject,
      subject_value: g.maxAfterWarmMb,
      baseline: `same server after its first ${WARM_CALLS} calls (warm level)`,
      baseline_value: g.warmMb,
      unit: "MB RSS",
      ratio: round(g.maxAfterWarmMb / g.warmMb, 2),
      ratio_meaning: `highest RSS after warm-up over the warm level; every call within ±${g.bandPct}% (goal ±${FLAT_BAND * 100}%)`,
      spread:
        `RSS after warm-up ${g.minAfterWarmMb}–${g.maxAfterWarmMb} MB, end ${g.endMb} MB; idle ${trace.idleMb} MB, peak ${trace.peakMb} MB; ` +
        `growth ${g.growthMb >= 0 ? "+" : ""}${g.growthMb} MB (max first half ${g.firstHalfMaxMb} → second half ${g.secondHalfMaxMb}); ${extra}`,
    };
  };
  const readsRow = (scan: typeof runs, subject: string): ResultRow => ({
    benchmark: `scan reads: query_runs paging ${scan.runs.toLocaleString("en-US")} runs`,
    subject,
    subject_value: scan.reads.runs,
    baseline: "runs shown",
    baseline_value: scan.runs,
    unit: "runs",
    ratio: round(scan.reads.runs / scan.runs, 3),
    ratio_meaning: `runs read from LangSmith over runs shown; goal ≤ ${READS_GOAL}`,
    spread:
      `${scan.calls} calls, ${scan.reads.requests} requests (${round(scan.reads.requests / scan.calls, 2)} per call), ` +
      `${round(scan.reads.bytes / 2 ** 20)} MiB answered (${Math.round(scan.reads.bytes / scan.runs)} bytes per run shown)`,
  });
  const runCallMs = summarize(runs.callMs);
  const exportCallMs = summarize(exports.callMs);
  const capped = `same, server heap capped (${CAPPED_NODE_OPTIONS})`;
  const perPoll = (scan: typeof exports): string =>
    `${round(scan.reads.requests / scan.calls, 2)} requests and ${Math.round(scan.reads.bytes / scan.calls / 1024)} KiB per call`;
  return {
    name: "scan-memory",
    seconds: round((performance.now() - started) / 1000),
    rows: [
      row(
        `scan memory: query_runs paging ${runs.runs.toLocaleString("en-US")} runs`,
        `${runs.calls} calls, page_size ${PAGE_SIZE} (sized to the output budget)${runs.complete ? "" : ", stopped at its time cap"}`,
        runs.trace,
        `${round(runs.seconds)} s, ${Math.round(runs.runs / runs.seconds)} runs/s, call median ${round(runCallMs.median)} ms ` +
          `(p10–p90 ${round(runCallMs.p10)}–${round(runCallMs.p90)})`,
      ),
      row(
        `scan memory: query_runs paging ${runsCapped.runs.toLocaleString("en-US")} runs`,
        `${capped}${runsCapped.complete ? "" : ", stopped at its time cap"}`,
        runsCapped.trace,
        `${round(runsCapped.seconds)} s; completes under the cap, so nothing per page is retained`,
      ),
      readsRow(runs, `${runs.calls} calls, page_size ${PAGE_SIZE}`),
      row(
        `scan memory: export_status of an export with ${exports.exportRuns.toLocaleString("en-US")} runs`,
        `${exports.calls} calls, runs_limit 500, sim clock advanced meanwhile`,
        exports.trace,
        `${perPoll(exports)}; call median ${round(exportCallMs.median)} ms (p10–p90 ${round(exportCallMs.p10)}–` +
          `${round(exportCallMs.p90)}); final run states ${JSON.stringify(exports.statuses)}`,
      ),
      row(
        `scan memory: export_status of an export with ${exportsCapped.exportRuns.toLocaleString("en-US")} runs`,
        capped,
        exportsCapped.trace,
        `${exportsCapped.calls} calls, ${perPoll(exportsCapped)}`,
      ),
    ],
    details: {
      heap_cap: CAPPED_NODE_OPTIONS,
      query_runs: { ...runs, callMs: runCallMs, growth: growth(runs.trace) },
      query_runs_capped: { ...runsCapped, callMs: summarize(runsCapped.callMs), growth: growth(runsCapped.trace) },
      export_status: { ...exports, callMs: exportCallMs, growth: growth(exports.trace) },
      export_status_capped: { ...exportsCapped, callMs: summarize(exportsCapped.callMs), growth: growth(exportsCapped.trace) },
    },
  };
}
