/**
 * Verification throughput: how fast a compliance purge of 10,000 traces is proven, and with
 * how many HTTP requests.
 *
 * Subject: `verify_deletion` by purge_id, after `queue_deletion` recorded a purge of 10,000
 * explicit root trace ids of checkout-bot. Measured twice: before the simulator's weekend
 * batch (all 10,000 still visible, so every row comes back: the heavier answer) and after it
 * (all gone: the check an operator runs on Monday).
 * Baseline: the naive check with the official `langsmith` client, `readRun(id)` for each id,
 * one after another (a 404 means gone), against the same simulator process and data in the
 * same state, its connection warmed too. Requests are counted from the simulator's own log
 * (`GET /_sim/requests`), not self-reported.
 */
import { Client as LangSmithSdkClient } from "langsmith";
import { apiCall, control } from "../src/simulator/testing.js";
import { round, spreadOf, summarize, type BenchmarkResult, type ResultRow } from "./measure.js";
import { clearRequestLog, connectServer, describeRequests, requestLog, type SimulatorProcess, type StdioServer } from "./stack.js";

const PROJECT = "checkout-bot";
const TRACE_IDS = 10_000;
const VERIFY_REPEATS = 20;
const VERIFY_BUDGET_MS = 120_000;
/** The sequential baseline stops here and is extrapolated if it has not checked all ids. */
const BASELINE_BUDGET_MS = 90_000;
const BASELINE_WARMUP = 50;
/** Ids per timed chunk of the baseline: the chunks' rates give its median and spread. */
const BASELINE_CHUNK = 500;

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

/** verify_deletion repeated on one purge: its time per check and the requests one check makes. */
async function measureVerify(sim: SimulatorProcess, server: StdioServer, purgeId: string) {
  let verdict = "";
  const verify = async () => {
    const result = await server.call("verify_deletion", { purge_id: purgeId });
    const out = result.structuredContent as { checked: number; remaining_count: number; verdict: string };
    if (out.checked !== TRACE_IDS) throw new Error(`verify_deletion checked ${out.checked} ids, not ${TRACE_IDS}`);
    verdict = `${out.verdict}, ${out.remaining_count} of ${out.checked} still visible`;
  };
  await verify();
  const samples: number[] = [];
  const deadline = performance.now() + VERIFY_BUDGET_MS;
  for (let i = 0; i < VERIFY_REPEATS && (i < 3 || performance.now() < deadline); i++) {
    const t0 = performance.now();
    await verify();
    samples.push(performance.now() - t0);
  }
  await clearRequestLog(sim.target);
  await verify();
  const log = await requestLog(sim.target);
  return {
    verdict,
    ms: summarize(samples),
    idsPerSecond: summarize(samples.map((ms) => TRACE_IDS / (ms / 1000))),
    requests: log.length,
    requestsByPath: describeRequests(log),
  };
}

/** The naive baseline: one readRun per id, sequentially, timed in chunks for a spread. */
async function measureSdkBaseline(sim: SimulatorProcess, ids: readonly string[]) {
  const sdk = new LangSmithSdkClient({ apiUrl: sim.info.url, apiKey: sim.info.apiKey, autoBatchTracing: false });
  const isVisible = async (id: string): Promise<boolean> => {
    try {
      return (await sdk.readRun(id)).id === id;
    } catch (error) {
      if (error instanceof Error && /404|not found/i.test(`${(error as { status?: number }).status ?? ""} ${error.message}`)) return false;
      throw error;
    }
  };
  for (let i = 0; i < BASELINE_WARMUP; i++) await isVisible(ids[i]!);
  await clearRequestLog(sim.target);
  const chunkRates: number[] = [];
  let checked = 0;
  let visible = 0;
  const started = performance.now();
  const deadline = started + BASELINE_BUDGET_MS;
  while (checked < ids.length && performance.now() < deadline) {
    const t0 = performance.now();
    const chunk = ids.slice(checked, checked + BASELINE_CHUNK);
    for (const id of chunk) if (await isVisible(id)) visible++;
    checked += chunk.length;
    chunkRates.push(chunk.length / ((performance.now() - t0) / 1000));
  }
  const seconds = (performance.now() - started) / 1000;
  const log = await requestLog(sim.target);
  const idsPerSecond = checked / seconds;
  return {
    checked,
    visible,
    seconds: round(seconds, 2),
    extrapolated: checked < ids.length,
    secondsForAll: round(ids.length / idsPerSecond, 1),
    idsPerSecond,
    chunkIdsPerSecond: summarize(chunkRates),
    requests: log.length,
    requestsByPath: describeRequests(log),
  };
}

type VerifyFigures = Awaited<ReturnType<typeof measureVerify>>;
type BaselineFigures = Awaited<ReturnType<typeof measureSdkBaseline>>;

function row(state: string, subject: VerifyFigures, baseline: BaselineFigures): ResultRow {
  const subjectRate = TRACE_IDS / (subject.ms.median / 1000);
  const baselineRequests = baseline.extrapolated
    ? `≈${TRACE_IDS} (1 per id; ${baseline.requests} for the ${baseline.checked} measured)`
    : String(baseline.requests);
  return {
    benchmark: `verification throughput: ${TRACE_IDS.toLocaleString("en-US")} trace ids, ${state}`,
    subject: `verify_deletion by purge_id: ${subject.requests} HTTP requests, ${round(subject.ms.median / 1000, 3)} s per check (${subject.verdict})`,
    subject_value: Math.round(subjectRate),
    baseline: `langsmith SDK readRun per id, sequential: ${baselineRequests} HTTP requests, ${baseline.secondsForAll} s${baseline.extrapolated ? ` (${baseline.checked} ids measured, extrapolated)` : ""}`,
    baseline_value: Math.round(baseline.idsPerSecond),
    unit: "ids/s",
    ratio: round(subjectRate / baseline.idsPerSecond, 1),
    ratio_meaning: "of the baseline's throughput; higher is better",
    spread: `${spreadOf(subject.idsPerSecond, 0)} vs per-${BASELINE_CHUNK}-id chunks ${spreadOf(baseline.chunkIdsPerSecond, 0)}`,
  };
}

export async function runVerifyThroughput(sim: SimulatorProcess): Promise<BenchmarkResult> {
  const started = performance.now();
  const { ids } = await rootTraceIds(sim, PROJECT, TRACE_IDS);

  // A purge recorded by the product itself, verified by the product.
  const server = await connectServer(sim.target);
  try {
    const plan = await server.call("queue_deletion", { project: PROJECT, trace_ids: ids });
    const token = (plan.structuredContent as { confirmation_token?: string }).confirmation_token;
    if (!token) throw new Error("queue_deletion returned no confirmation token");
    const queued = await server.call("queue_deletion", { project: PROJECT, trace_ids: ids, confirmation_token: token });
    const purge = (queued.structuredContent as { purge?: { purge_id: string; expected_completion_window: { end: string } | null } }).purge;
    if (!purge?.expected_completion_window) throw new Error("queue_deletion recorded no queued purge");

    const pending = { subject: await measureVerify(sim, server, purge.purge_id), baseline: await measureSdkBaseline(sim, ids) };
    // Past the end of the expected window: the simulator's weekend batch has deleted them.
    await control(sim.target, "POST", "clock", {
      set: new Date(Date.parse(purge.expected_completion_window.end) + 3_600_000).toISOString(),
    });
    const deleted = { subject: await measureVerify(sim, server, purge.purge_id), baseline: await measureSdkBaseline(sim, ids) };
    if (deleted.baseline.visible !== 0) throw new Error(`${deleted.baseline.visible} traces are still readable after the weekend batch`);

    return {
      name: "verify-throughput",
      seconds: round((performance.now() - started) / 1000),
      rows: [
        row("all still visible (before the weekend batch)", pending.subject, pending.baseline),
        row("all deleted (after the weekend batch)", deleted.subject, deleted.baseline),
      ],
      details: { purge_id: purge.purge_id, pending, deleted },
    };
  } finally {
    await server.close();
  }
}
