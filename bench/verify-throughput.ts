/**
 * Verification throughput: how fast a compliance purge of 10,000 traces is proven, and with
 * how many HTTP requests.
 *
 * Subject: `verify_deletion` by purge_id (over stdio, as an agent calls it), after
 * `queue_deletion` recorded a purge of 10,000 explicit root trace ids of checkout-bot.
 * Measured before the simulator's weekend batch (all 10,000 still visible, so every row comes
 * back: the heavier answer) and after it (all gone: the check an operator runs on Monday).
 * Baseline: the official `langsmith` client doing the same check at its best: `runs.query`
 * (v2, `POST /api/v2/runs/query`, auto-paging on next_cursor) with `ids` in chunks of 1000,
 * `is_root`, the same project and window, page_size 1000 (so one request answers a chunk:
 * 10 requests in all, within the documented 15 per 10 s of runs/query), `selects` ID only,
 * and the same number of chunks in flight as verify_deletion (PURGE_LIMITS.queryConcurrency).
 * Its other way, `Client.listRuns({ id })` of the classic client, pages v1's runs/query at
 * 100 runs a page (100 requests for 10,000 ids, over the rate limit), so it is not the best.
 * Subject and baseline alternate check by check against the same simulator process and data
 * in the same state, both warmed. The subject's checks are repeats, as an agent polling a purge
 * makes them: after the first check the purge's ids come from memory (they never change once
 * recorded), and a check whose verdict and count repeat the last one is recorded without waiting
 * for the disk (the first of each, e.g. the first "verified", waits); the warm-up checks pay the
 * ledger read and the durable commit. Requests are counted from the simulator's own log
 * (`GET /_sim/requests`), not self-reported. BENCH_CPU_PROF=<dir> profiles the server (node --cpu-prof).
 */
import { Langsmith } from "langsmith";
import { PURGE_LIMITS } from "../src/purge/limits.js";
import { apiCall, control } from "../src/simulator/testing.js";
import { round, summarize, type BenchmarkResult, type ResultRow, type Summary } from "./measure.js";
import { clearRequestLog, connectServer, describeRequests, requestLog, type SimulatorProcess, type StdioServer } from "./stack.js";

const PROJECT = "checkout-bot";
const TRACE_IDS = 10_000;
/** Checks of each kind per state, alternating subject and baseline. */
const REPEATS = 15;
const WARMUP = 2;
/** The SDK's chunk: one v2 page (page_size ≤ 1000) answers it. */
const SDK_CHUNK = 1000;

/** The newest `count` root trace ids of a project, read page by page from the v2 API. */
async function rootTraceIds(sim: SimulatorProcess, projectName: string, count: number): Promise<{ projectId: string; ids: string[] }> {
  const projects = await apiCall<{ id: string; name: string }[]>(
    sim.target,
    "GET",
    `/api/v1/sessions?name=${encodeURIComponent(projectName)}`,
  );
  const projectId = projects.body[0]?.id;
  if (!projectId) throw new Error(`the simulator has no project ${projectName}`);
  const now = Date.parse(sim.info.now);
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50 && ids.length < count; page++) {
    const result = await apiCall<{ items: { id: string }[]; next_cursor?: string | null }>(sim.target, "POST", "/api/v2/runs/query", {
      project_ids: [projectId],
      is_root: true,
      min_start_time: new Date(now - 30 * 86_400_000).toISOString(),
      max_start_time: new Date(now).toISOString(),
      selects: ["ID"],
      page_size: 1000,
      ...(cursor && { cursor }),
    });
    ids.push(...result.body.items.map((r) => r.id));
    cursor = result.body.next_cursor ?? undefined;
    if (!cursor) break;
  }
  if (ids.length < count) throw new Error(`${projectName} has only ${ids.length} root traces; raise the simulator scale`);
  return { projectId, ids: ids.slice(0, count) };
}

interface Check {
  /** Ids still visible. */
  visible: number;
}

/** One verify_deletion call on the purge. */
function verifyCheck(server: StdioServer, purgeId: string): () => Promise<Check & { verdict: string }> {
  return async () => {
    const result = await server.call("verify_deletion", { purge_id: purgeId });
    const out = result.structuredContent as { checked: number; remaining_count: number; verdict: string };
    if (out.checked !== TRACE_IDS) throw new Error(`verify_deletion checked ${out.checked} ids, not ${TRACE_IDS}`);
    return { visible: out.remaining_count, verdict: `${out.verdict}, ${out.remaining_count} of ${out.checked} still visible` };
  };
}

/** The same check with the official client: which of `ids` are still visible, chunk by chunk. */
function sdkCheck(sim: SimulatorProcess, projectId: string, ids: readonly string[], window: { min: string; max: string }) {
  const sdk = new Langsmith({ baseURL: sim.info.url, apiKey: sim.info.apiKey });
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += SDK_CHUNK) chunks.push(ids.slice(i, i + SDK_CHUNK));
  return async (): Promise<Check> => {
    const visible = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        // page_size is in the API (1..1000) but not in the SDK's typed params; the SDK sends the body as given.
        const params = {
          project_ids: [projectId],
          ids: chunk,
          is_root: true,
          min_start_time: window.min,
          max_start_time: window.max,
          selects: ["ID" as const],
          page_size: SDK_CHUNK,
        };
        for await (const run of sdk.runs.query(params)) if (run.id) visible.add(run.id);
      }
    };
    await Promise.all(Array.from({ length: PURGE_LIMITS.queryConcurrency }, worker));
    return { visible: visible.size };
  };
}

interface Measured {
  ms: Summary;
  idsPerSecond: Summary;
  requests: number;
  requestsByPath: string;
  visible: number;
  verdict?: string;
}

/** Subject and baseline alternately, REPEATS each, then one more of each with the request log cleared. */
async function measurePair(
  sim: SimulatorProcess,
  subject: () => Promise<Check & { verdict: string }>,
  baseline: () => Promise<Check>,
): Promise<{ subject: Measured; baseline: Measured }> {
  for (let i = 0; i < WARMUP; i++) {
    await subject();
    await baseline();
  }
  const times = { subject: [] as number[], baseline: [] as number[] };
  const last: { subject: Check & { verdict: string }; baseline: Check } = {
    subject: { visible: 0, verdict: "" },
    baseline: { visible: 0 },
  };
  for (let i = 0; i < REPEATS; i++) {
    // Alternate which goes first, so neither always follows the other's garbage.
    const order = i % 2 === 0 ? (["subject", "baseline"] as const) : (["baseline", "subject"] as const);
    for (const which of order) {
      const t0 = performance.now();
      if (which === "subject") last.subject = await subject();
      else last.baseline = await baseline();
      times[which].push(performance.now() - t0);
    }
  }
  const logged = async (fn: () => Promise<unknown>) => {
    await clearRequestLog(sim.target);
    await fn();
    return requestLog(sim.target);
  };
  const subjectLog = await logged(subject);
  const baselineLog = await logged(baseline);
  const measured = (ms: number[], log: Awaited<ReturnType<typeof requestLog>>, visible: number, verdict?: string): Measured => ({
    ms: summarize(ms),
    idsPerSecond: summarize(ms.map((t) => TRACE_IDS / (t / 1000))),
    requests: log.length,
    requestsByPath: describeRequests(log),
    visible,
    ...(verdict !== undefined && { verdict }),
  });
  return {
    subject: measured(times.subject, subjectLog, last.subject.visible, last.subject.verdict),
    baseline: measured(times.baseline, baselineLog, last.baseline.visible),
  };
}

function row(state: string, pair: { subject: Measured; baseline: Measured }): ResultRow {
  const { subject, baseline } = pair;
  const spread = (m: Measured) => `p25–p75 ${Math.round(m.idsPerSecond.p25)}–${Math.round(m.idsPerSecond.p75)} ids/s (n=${m.ms.n})`;
  return {
    benchmark: `verification throughput: ${TRACE_IDS.toLocaleString("en-US")} trace ids, ${state}`,
    subject:
      `verify_deletion by purge_id (stdio), repeated checks: ${subject.requests} HTTP requests, ` +
      `${round(subject.ms.median / 1000, 3)} s per check (${subject.verdict})`,
    subject_value: Math.round(subject.idsPerSecond.median),
    baseline:
      `official langsmith client, runs.query by ids in ${SDK_CHUNK}-id chunks, ${PURGE_LIMITS.queryConcurrency} in flight: ` +
      `${baseline.requests} HTTP requests, ${round(baseline.ms.median / 1000, 3)} s per check (${baseline.visible} visible)`,
    baseline_value: Math.round(baseline.idsPerSecond.median),
    unit: "ids/s",
    ratio: round(subject.idsPerSecond.median / baseline.idsPerSecond.median, 2),
    ratio_meaning: "of the SDK's throughput; goal ≥ 1",
    spread: `${spread(subject)} vs ${spread(baseline)}; alternated check by check`,
  };
}

export async function runVerifyThroughput(sim: SimulatorProcess): Promise<BenchmarkResult> {
  const started = performance.now();
  const { projectId, ids } = await rootTraceIds(sim, PROJECT, TRACE_IDS);

  // A purge recorded by the product itself, verified by the product.
  const profile = process.env.BENCH_CPU_PROF;
  const server = await connectServer(sim.target, {
    nodeArgs: profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`, "--cpu-prof-name=verify.cpuprofile"] : [],
  });
  try {
    const plan = await server.call("queue_deletion", { project: PROJECT, trace_ids: ids });
    const token = (plan.structuredContent as { confirmation_token?: string }).confirmation_token;
    if (!token) throw new Error("queue_deletion returned no confirmation token");
    const queued = await server.call("queue_deletion", { project: PROJECT, trace_ids: ids, confirmation_token: token });
    const purge = (queued.structuredContent as { purge?: { purge_id: string; expected_completion_window: { end: string } | null } }).purge;
    if (!purge?.expected_completion_window) throw new Error("queue_deletion recorded no queued purge");

    // The SDK's window: the ids' own start times, as the ledger recorded them (verify_deletion pads them by a second).
    const now = Date.parse(sim.info.now);
    const window = { min: new Date(now - 31 * 86_400_000).toISOString(), max: new Date(now + 86_400_000).toISOString() };
    const subject = verifyCheck(server, purge.purge_id);
    const baseline = sdkCheck(sim, projectId, ids, window);

    const pending = await measurePair(sim, subject, baseline);
    if (pending.baseline.visible !== TRACE_IDS)
      throw new Error(`the SDK sees ${pending.baseline.visible} of ${TRACE_IDS} before the batch`);
    // Past the end of the expected window: the simulator's weekend batch has deleted them.
    await control(sim.target, "POST", "clock", {
      set: new Date(Date.parse(purge.expected_completion_window.end) + 3_600_000).toISOString(),
    });
    const deleted = await measurePair(sim, subject, baseline);
    if (deleted.baseline.visible !== 0)
      throw new Error(`${deleted.baseline.visible} traces are still visible to the SDK after the weekend batch`);

    return {
      name: "verify-throughput",
      seconds: round((performance.now() - started) / 1000),
      rows: [row("all still visible (before the weekend batch)", pending), row("all deleted (after the weekend batch)", deleted)],
      details: { purge_id: purge.purge_id, pending, deleted },
    };
  } finally {
    await server.close();
  }
}
