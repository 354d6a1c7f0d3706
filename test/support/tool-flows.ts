/**
 * One realistic pass through every tool against the simulator, in three flows, for tests that
 * check something about every call (output schemas, requests against the spec). `call` runs a
 * tool, expects success and returns its structuredContent.
 */
import type { RunningSimulator } from "../../src/simulator/index.js";
import { runsOf } from "./runs.js";

export type CallTool = <T = Record<string, unknown>>(name: string, args: Record<string, unknown>) => Promise<T>;

const DAY = 86_400_000;
/** UTC midnight `daysAgo` days before the simulator's now. */
const utcMidnight = (sim: RunningSimulator, daysAgo: number): string =>
  new Date(Math.floor(sim.clock.now() / DAY) * DAY - daysAgo * DAY).toISOString();

/**
 * create_destination arguments for the simulator's seeded traces bucket with its full-access
 * key pair (the key LangSmith's test write succeeds with); `name` is the display name and prefix.
 */
export function destinationArgs(sim: RunningSimulator, name: string): Record<string, unknown> {
  const { fullAccess } = sim.storage.credentials;
  return {
    display_name: name,
    bucket_name: sim.storage.buckets.traces,
    prefix: name,
    region: "eu-west-1",
    access_key_id: fullAccess.access_key_id,
    secret_access_key: fullAccess.secret_access_key,
  };
}

/** list_projects, query_runs (with a filter), get_run, get_trace. */
export async function runFlow(call: CallTool): Promise<void> {
  await call("list_projects", {});
  await call("list_projects", { name_contains: "bot" });
  const runs = runsOf(await call("query_runs", { project: "checkout-bot", start_time: "7d", page_size: 5 }));
  if (runs.length === 0) throw new Error("query_runs found no runs in checkout-bot over 7 days");
  await call("query_runs", {
    project: "checkout-bot",
    start_time: "7d",
    page_size: 3,
    filter: 'and(eq(run_type, "llm"), gt(latency, 0.1))',
    fields: "detailed",
  });
  await call("get_run", { run_id: runs[0]!.id });
  await call("get_trace", { run_id: runs[0]!.id });
}

/** Destinations, rotation and cancellation with their confirmation tokens, exports, status, diagnosis. */
export async function exportFlow(call: CallTool, sim: RunningSimulator): Promise<void> {
  const { rotation } = sim.storage.credentials;
  const created = await call<{ destination: { id: string } }>("create_destination", destinationArgs(sim, "flow-check"));
  const destination = created.destination.id;
  await call("list_destinations", {});
  const rotate = { destination, access_key_id: rotation.access_key_id, secret_access_key: rotation.secret_access_key };
  const plan = await call<{ confirmation_token: string }>("rotate_destination_credentials", rotate);
  await call("rotate_destination_credentials", { ...rotate, confirmation_token: plan.confirmation_token });
  const { export: started } = await call<{ export: { id: string } }>("create_export", {
    project: "checkout-bot",
    destination,
    start_time: utcMidnight(sim, 3),
    end_time: utcMidnight(sim, 1),
    filter: 'eq(run_type, "llm")',
  });
  await call("list_exports", {});
  await call("export_status", { export_id: started.id });
  await call("diagnose_export", { export_id: started.id });
  await call("diagnose_export", {
    error_text: "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied",
  });
  const cancel = await call<{ confirmation_token: string }>("cancel_export", { export_id: started.id });
  await call("cancel_export", { export_id: started.id, confirmation_token: cancel.confirmation_token });
}

/** A purge planned, confirmed with its token, verified and listed. */
export async function deletionFlow(call: CallTool): Promise<void> {
  const runs = runsOf(await call("query_runs", { project: "support-bot", start_time: "30d", is_root: true, page_size: 3 }));
  const purge = { project: "support-bot", trace_ids: runs.map((run) => run.id) };
  const plan = await call<{ confirmation_token: string }>("queue_deletion", purge);
  const queued = await call<{ status: string; purge: { purge_id: string } }>("queue_deletion", {
    ...purge,
    confirmation_token: plan.confirmation_token,
  });
  if (queued.status !== "queued") throw new Error(`queue_deletion answered ${queued.status}, not queued`);
  await call("verify_deletion", { purge_id: queued.purge.purge_id });
  await call("list_deletions", {});
  await call("deletion_report", { purge_id: queued.purge.purge_id });
}

/** run_stats (totals, a metadata group, top runs) and list_threads (the list, then one thread). */
export async function analyticsFlow(call: CallTool): Promise<void> {
  await call("run_stats", {
    project: "checkout-bot",
    start_time: "7d",
    end_time: "1h",
    filter: 'eq(run_type, "llm")',
    group_by: "metadata",
    group_key: "env",
    top_by: "total_cost",
    top_n: 3,
  });
  const { threads } = await call<{ threads?: Array<{ thread_id: string }> }>("list_threads", { project: "support-bot", limit: 2 });
  const first = threads?.[0];
  if (!first) throw new Error("list_threads found no thread in support-bot over 7 days");
  await call("list_threads", { project: "support-bot", thread_id: first.thread_id });
}
