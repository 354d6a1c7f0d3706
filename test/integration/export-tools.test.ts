import type { CallToolResult } from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { checkFilter, compileFilter } from "../../src/filter/index.js";
import { createLogger } from "../../src/log.js";
import { control } from "../../src/simulator/testing.js";
import { PROTOCOLS, startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";

const textOf = (result: CallToolResult): string => result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");

const DAY = 86_400_000;

interface ExportStatus {
  export: { id: string; status: string };
  progress: {
    runs_total: number;
    runs_by_status: Record<string, number>;
    rows_written: number;
    files_written: number;
    queued_runs: number;
    queued_reason: string | null;
  };
  runs: { id: string; partition_start: string; status: string; retry_number: number; rows_written: number; last_error: string | null }[];
}

interface Diagnosis {
  failure_mode: string;
  verdict: string;
  retried_automatically: boolean;
  evidence: string[];
  remediation: string[];
  documented_values: string[];
  retry_plan: null | {
    kind: string;
    create_export_calls: { project: string; destination: string; start_time: string; end_time: string; export_fields?: string[] }[];
    destination_fixes?: { field: string }[];
    pre_retry_check?: string;
  };
}

// The same assertions at both protocol versions: 2025-11-25 (initialize) and 2026-07-28 (per-request _meta).
describe.each(PROTOCOLS)("bulk export tools at %s (MCP client in memory, simulator export engine over HTTP)", (protocol) => {
  let stack: InMemoryStack;
  /** Every line the server and its LangSmith client logged, at debug level. */
  let logged = "";
  const previousTz = process.env.TZ;
  let destinationId: string;
  const outputs: string[] = [];
  const utcMidnight = (daysAgo: number) => new Date(Math.floor(Date.now() / DAY) * DAY - daysAgo * DAY).toISOString();

  const call = async (name: string, args: Record<string, unknown>): Promise<CallToolResult> => {
    const result = await stack.call(name, args);
    outputs.push(JSON.stringify(result));
    return result;
  };
  const ok = async <T>(name: string, args: Record<string, unknown>): Promise<T> => {
    const result = await call(name, args);
    expect(result.isError, textOf(result)).toBeFalsy();
    return result.structuredContent as T;
  };
  const advance = (seconds: number) => control(stack.sim, "POST", "clock", { advance_seconds: seconds });
  const simConfig = (exports: Record<string, number>) => control(stack.sim, "POST", "config", { exports });
  const arm = (exportId: string, scenario: string, extra: Record<string, unknown> = {}) =>
    control(stack.sim, "POST", "export-faults", { export_id: exportId, scenario, ...extra });
  const create = async (args: Record<string, unknown>) =>
    await ok<{ export: { id: string }; partitions: number; queueing: string[] }>("create_export", {
      project: "checkout-bot",
      destination: destinationId,
      ...args,
    });
  const status = (id: string, extra: Record<string, unknown> = {}) =>
    ok<ExportStatus>("export_status", { export_id: id, runs_limit: 100, ...extra });
  const diagnose = (id: string) => ok<Diagnosis>("diagnose_export", { export_id: id });
  const rawRuns = async (id: string) =>
    (await fetch(`${stack.sim.url}/api/v1/bulk-exports/${id}/runs`, { headers: { "x-api-key": stack.sim.apiKey } }).then((r) =>
      r.json(),
    )) as {
      status: string;
      retry_number: number;
      errors: Record<string, string> | null;
      metadata: { start_time: string; result: { rows_written: number; exported_files: string[] } | null };
    }[];
  /** Runs of checkout-bot the export must carry: start in [start, end), matching the filter. */
  const expectedRows = (start: string, end: string, filter?: string) => {
    const project = stack.sim.store.projectByName(stack.sim.workspaceId, "checkout-bot")!;
    const predicate = filter ? compileFilter(checkFilter(filter).expr) : () => true;
    const [from, to] = [Date.parse(start), Date.parse(end)];
    return stack.sim.store
      .runsOfProject(project.id)
      .filter((r) => r.start_time >= from && r.start_time < to && predicate(stack.sim.store.filterable(r))).length;
  };

  beforeAll(async () => {
    // Partitions are UTC days whatever the server's local zone.
    process.env.TZ = "America/Los_Angeles";
    const logger = createLogger({ level: "debug", sink: (line) => (logged += `${line}\n`) });
    // The simulator's data is anchored at its clock's start: start it a minute past today's UTC
    // midnight, not at the real now, so a week of day partitions before today holds data at any
    // hour (started at 23:50, the oldest day fell before the seeded runs and lost a partition).
    const todayUtc = Math.floor(Date.now() / DAY) * DAY;
    stack = await startInMemoryStack({
      protocol,
      sim: { now: Math.min(Date.now(), todayUtc + 60_000) },
      server: { logger },
      client: { logger },
    });
    const { fullAccess } = stack.sim.storage.credentials;
    const created = await ok<{ destination: { id: string; credentials_keys: string[] } }>("create_destination", {
      display_name: "acme traces eu",
      bucket_name: stack.sim.storage.buckets.traces,
      prefix: "langsmith/exports",
      region: "eu-west-1",
      access_key_id: fullAccess.access_key_id,
      secret_access_key: fullAccess.secret_access_key,
    });
    destinationId = created.destination.id;
    expect(created.destination.credentials_keys).toEqual(expect.arrayContaining(["access_key_id", "secret_access_key"]));
  });
  afterAll(async () => {
    process.env.TZ = previousTz;
    if (previousTz === undefined) delete process.env.TZ;
    await stack?.close();
  });

  it("refuses bad destinations with the documented meaning and a CLI check, creating nothing", async () => {
    const { readOnly } = stack.sim.storage.credentials;
    const before = (await ok<{ count: number }>("list_destinations", {})).count;
    const denied = await call("create_destination", {
      display_name: "read only",
      bucket_name: stack.sim.storage.buckets.traces,
      region: "eu-west-1",
      access_key_id: readOnly.access_key_id,
      secret_access_key: readOnly.secret_access_key,
    });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toMatch(/Access denied/);
    // The CLI check writes where LangSmith's test write did: include_bucket_in_prefix (default true) repeats the bucket.
    expect(textOf(denied)).toMatch(/aws s3 cp .*s3:\/\/acme-traces\/acme-traces\/tmp\//);
    expect(textOf(denied)).toMatch(/config\.include_bucket_in_prefix/);
    const missing = await call("create_destination", {
      display_name: "typo",
      bucket_name: "acme-tracez",
      region: "eu-west-1",
      access_key_id: readOnly.access_key_id,
      secret_access_key: readOnly.secret_access_key,
    });
    expect(textOf(missing)).toMatch(/Bucket is not valid/);
    const local = await call("create_destination", { display_name: "x", bucket_name: "Acme_Traces", region: "eu-west-1" });
    expect(textOf(local)).toMatch(/`bucket_name`.*not a valid bucket name/);
    const noRegion = await call("create_destination", { display_name: "x", bucket_name: "acme-traces" });
    expect(textOf(noRegion)).toMatch(/`region`.*required for AWS/);
    expect((await ok<{ count: number }>("list_destinations", {})).count).toBe(before);
  });

  it("leads a refused test write in the wrong region with the bucket's region, and so does diagnose_export", async () => {
    const { fullAccess } = stack.sim.storage.credentials;
    const refused = await call("create_destination", {
      display_name: "wrong region",
      bucket_name: stack.sim.storage.buckets.traces,
      region: "us-east-2",
      access_key_id: fullAccess.access_key_id,
      secret_access_key: fullAccess.secret_access_key,
    });
    expect(refused.isError).toBe(true);
    const hint = textOf(refused);
    expect(hint).toMatch(/The bucket is in eu-west-1, not us-east-2: use region "eu-west-1"/);
    expect(hint.indexOf("eu-west-1")).toBeLessThan(hint.indexOf('"Access denied" means'));
    const detail = /expecting '[a-z0-9-]+'/.exec(hint)?.[0];
    expect(detail).toBe("expecting 'eu-west-1'");
    const pasted = await ok<Diagnosis>("diagnose_export", {
      error_text: `An error occurred (AuthorizationHeaderMalformed) when calling the PutObject operation: the region 'us-east-2' is wrong; ${detail}`,
    });
    expect(pasted.remediation[0]).toMatch(/^The bucket is in eu-west-1/);
  });

  it("words advice as LangSmith behaves: no 'No action required' after 'retry: No', unknown text never retried, tools before REST paths, no internal document names", async () => {
    const storage = await call("diagnose_export", {
      error_text: "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied",
    });
    const d = storage.structuredContent as Diagnosis;
    expect(d.verdict).toMatch(/Automatic retry: No: LangSmith does not retry this\. Action required: Fix destination/);
    expect(d.verdict).not.toMatch(/No\s+Action required/i);
    const steps = d.remediation.join("\n");
    expect(steps).toMatch(/rotate_destination_credentials/);
    expect(steps).toMatch(/create_export/);
    expect(steps).not.toMatch(/PATCH \/api|POST \/api/);
    const unknown = await call("diagnose_export", { error_text: "the flux capacitor stalled" });
    expect((unknown.structuredContent as Diagnosis).retried_automatically).toBe(false);
    expect(textOf(unknown)).toMatch(/LangSmith does not retry this by itself|nothing here says whether LangSmith will retry/);
    for (const result of [storage, unknown]) expect(JSON.stringify(result)).not.toMatch(/seed 0\d\d|contract §/);
    const kms = await ok<Diagnosis>("diagnose_export", {
      error_text:
        "An error occurred (AccessDenied) when calling the PutObject operation: not authorized to perform: kms:GenerateDataKey on resource: arn:aws:kms:eu-west-1:123456789012:key/abcd",
    });
    expect(kms.remediation.join(" ")).toMatch(/KMS key.*kms:GenerateDataKey.*kms:Decrypt/);
    const irsa = await ok<Diagnosis>("diagnose_export", {
      error_text: "botocore.exceptions.NoCredentialsError: Unable to locate credentials",
    });
    expect(irsa.failure_mode).toBe("destination_error");
  });

  it("refuses bad exports before anything is created", async () => {
    const count = async () => (await ok<{ total_matching: number }>("list_exports", { limit: 200 })).total_matching;
    const before = await count();
    for (const [args, message] of [
      [{ start_time: utcMidnight(2), end_time: utcMidnight(3) }, /`start_time`.*inverted/],
      [{ start_time: utcMidnight(2), end_time: utcMidnight(2) }, /`start_time`.*empty/],
      [{ start_time: utcMidnight(2) }, /`end_time`.*required/],
      [{ start_time: utcMidnight(3), end_time: utcMidnight(2), filter: "eq(run_type" }, /`filter`.*column/],
      [
        { start_time: utcMidnight(3), end_time: utcMidnight(2), destination: "no such destination" },
        /`destination`.*no export destination named/,
      ],
      [{ start_time: utcMidnight(3), end_time: utcMidnight(2), project: "nope" }, /`project`.*no project named/],
      [{ start_time: utcMidnight(3), end_time: utcMidnight(2), export_fields: [] }, /`export_fields`/],
      [{ start_time: "the day after the launch", end_time: utcMidnight(2) }, /`start_time`.*not a time/],
      [{ start_time: utcMidnight(3), end_time: "2024-02-31" }, /`end_time`.*not a date: 2024-02 has 29 days/],
    ] as const) {
      const result = await call("create_export", { project: "checkout-bot", destination: destinationId, ...args });
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(textOf(result)).toMatch(message);
    }
    expect(await count()).toBe(before);
    const rotateUnknown = await call("rotate_destination_credentials", {
      destination: "no such destination",
      access_key_id: "AKIAEXAMPLE",
      secret_access_key: "x".repeat(40),
    });
    expect(textOf(rotateUnknown)).toMatch(/`destination`.*no export destination named/);
    const badStatus = await call("list_exports", { limit: 0 });
    expect(textOf(badStatus)).toMatch(/`limit`/);
    for (const tool of ["export_status", "cancel_export", "diagnose_export"]) {
      const unknown = await call(tool, { export_id: "00000000-0000-4000-8000-000000000000" });
      expect(unknown.isError, tool).toBe(true);
      expect(textOf(unknown)).toMatch(/`export_id`.*no bulk export/);
    }
  });

  it("runs a clean export across six days: one run per UTC day, every matching run exported exactly once", async () => {
    const [start, end] = [utcMidnight(7), utcMidnight(1)];
    const created = await create({ start_time: start, end_time: end });
    expect(created.partitions).toBe(6);
    await advance(3 * 3600);
    const done = await status(created.export.id);
    expect(done.export.status).toBe("Completed");
    expect(done.progress.runs_total).toBe(6);
    expect(done.progress.runs_by_status).toEqual({ Completed: 6 });
    expect(done.progress.rows_written).toBe(expectedRows(start, end));
    const objects = stack.sim.objectStore.buckets.get("acme-traces")!.objects;
    const files = [...objects.keys()].filter((k) => k.includes(`export_id=${created.export.id}`));
    expect(files.length).toBe(done.progress.files_written);
    expect(new Set(files).size).toBe(files.length);
    expect((await diagnose(created.export.id)).failure_mode).toBe("none");
  });

  it("proves a clean export complete: one run stats request per partition, rows equal to matching runs", async () => {
    const [start, end] = [utcMidnight(7), utcMidnight(1)];
    const filter = 'eq(run_type, "llm")';
    const created = await create({ start_time: start, end_time: end, filter });
    await advance(3 * 3600);
    const statsRequests = async () =>
      ((await control(stack.sim, "GET", "requests")).body as { requests: { path: string }[] }).requests.filter(
        (r) => r.path === "/api/v1/runs/stats",
      ).length;
    const statsBefore = await statsRequests();
    const done = await ok<
      ExportStatus & {
        completeness: { verdict: string; summary: string; stats_requests: number; partitions_checked: number; runs_matching: number };
      }
    >("export_status", { export_id: created.export.id, runs_limit: 0, check_completeness: true });
    expect(done.completeness.verdict).toBe("complete");
    expect(done.completeness.partitions_checked).toBe(6);
    expect(done.completeness.runs_matching).toBe(expectedRows(start, end, filter));
    expect(done.completeness.stats_requests).toBe(6);
    expect((await statsRequests()) - statsBefore).toBe(6);
  });

  it("finds a partition short after the simulator silently drops rows, in export_status and in diagnose_export's verdict", async () => {
    const [start, end] = [utcMidnight(4), utcMidnight(1)];
    const lossy = utcMidnight(3).slice(0, 10);
    // Runs start when the export is created: arm the scenario for the next export.
    await control(stack.sim, "POST", "export-faults", { scenario: "dropped_rows", partition: lossy });
    const created = await create({ start_time: start, end_time: end });
    await advance(3 * 3600);
    const checked = await ok<
      ExportStatus & {
        completeness: {
          verdict: string;
          summary: string;
          short: { start: string; runs_matching: number; rows_written: number; missing: number }[];
        };
      }
    >("export_status", { export_id: created.export.id, runs_limit: 0, check_completeness: true });
    expect(checked.export.status).toBe("Completed");
    const matching = expectedRows(`${lossy}T00:00:00.000Z`, utcMidnight(2));
    // The scenario loses one row in ten of that day; the check must find exactly those.
    expect(checked.completeness.verdict).toBe("short");
    expect(checked.completeness.short).toEqual([
      expect.objectContaining({
        start: `${lossy}T00:00:00.000Z`,
        runs_matching: matching,
        rows_written: matching - Math.floor(matching / 10),
        missing: Math.floor(matching / 10),
      }),
    ]);
    expect(checked.completeness.summary).toBe(`short by ${Math.floor(matching / 10).toLocaleString("en-US")} runs in partition ${lossy}`);
    const d = await ok<Diagnosis & { completeness: { verdict: string } }>("diagnose_export", { export_id: created.export.id });
    expect(d.failure_mode).toBe("none");
    expect(d.completeness.verdict).toBe("short");
    expect(d.verdict).toMatch(new RegExp(`But the data is incomplete: short by .* in partition ${lossy}`));
    expect(d.remediation.join(" ")).toMatch(new RegExp(`Re-export the short partitions \\(${lossy}\\) with create_export`));
  });

  it("export_status reads a finished export's runs once, the workspace's exports only when queueing needs them, and keeps 500 runs within the token budget with a continuation", async () => {
    const created = await create({ start_time: utcMidnight(520), end_time: utcMidnight(1) });
    await advance(3 * 3600);
    const reads = async () =>
      ((await control(stack.sim, "GET", "requests")).body as { requests: { method: string; path: string }[] }).requests.map(
        (r) => `${r.method} ${r.path.replace(created.export.id, "{id}")}`,
      );
    await control(stack.sim, "DELETE", "requests");
    const first = await call("export_status", { export_id: created.export.id, runs_limit: 500 });
    expect(await reads()).toEqual(["GET /api/v1/bulk-exports/{id}", "GET /api/v1/bulk-exports/{id}/runs"]);
    await control(stack.sim, "DELETE", "requests");
    await call("export_status", { export_id: created.export.id, runs_limit: 500 });
    // Completed: its runs cannot change, so they are not downloaded again (~0.5 MB for 519 runs).
    expect(await reads()).toEqual(["GET /api/v1/bulk-exports/{id}"]);

    const page = first.structuredContent as { runs: unknown[]; next_runs_offset: number; notes: string[] };
    const tokens = (text: string) => countTokens(text, { disallowedSpecial: new Set() });
    expect(tokens(textOf(first))).toBeLessThanOrEqual(20_000);
    expect(tokens(JSON.stringify(first.structuredContent))).toBeLessThanOrEqual(20_000);
    expect(page.runs.length).toBeLessThan(500);
    expect(page.next_runs_offset).toBe(page.runs.length);
    expect(page.notes.join(" ")).toMatch(new RegExp(`20,000-token result budget\\. Call again with runs_offset ${page.runs.length}`));
  });

  it("exports only what the filter selects", async () => {
    const filter = 'and(eq(run_type, "llm"), neq(error, null))';
    const [start, end] = [utcMidnight(5), utcMidnight(3)];
    const created = await create({ start_time: start, end_time: end, filter });
    await advance(3600);
    const done = await status(created.export.id);
    expect(done.export.status).toBe("Completed");
    expect(done.progress.rows_written).toBe(expectedRows(start, end, filter));
  });

  it("shows runs queued behind the per-export limit, then completing", async () => {
    await simConfig({ max_runs_per_export: 2, rows_per_second: 5 });
    try {
      const created = await create({ start_time: utcMidnight(7), end_time: utcMidnight(1) });
      await advance(5);
      const midway = await status(created.export.id);
      expect(midway.export.status).toBe("Running");
      expect(midway.progress.runs_by_status.Running).toBe(2);
      expect(midway.progress.queued_runs).toBe(4);
      expect(midway.progress.queued_reason).toMatch(
        /4 runs wait as Created with 2 running, fewer than any documented per-export limit \(45 or 5\)/,
      );
      // One model: diagnose_export gives the same reason for the same export at the same moment.
      const d = await ok<{ progress: { queued_reason: string } }>("diagnose_export", { export_id: created.export.id });
      expect(d.progress.queued_reason).toBe(midway.progress.queued_reason);
      await advance(48 * 3600);
      expect((await status(created.export.id)).export.status).toBe("Completed");
    } finally {
      await simConfig({ max_runs_per_export: 45, rows_per_second: 50 });
    }
  });

  it("cancels only with a confirmation token bound to that export, and cannot restart", async () => {
    await simConfig({ rows_per_second: 1 });
    try {
      const created = await create({ start_time: utcMidnight(7), end_time: utcMidnight(1) });
      const other = await create({ start_time: utcMidnight(3), end_time: utcMidnight(2) });
      await advance(60);
      const plan = await ok<{ cancelled: boolean; confirmation_token: string; unfinished_partitions: unknown[] }>("cancel_export", {
        export_id: created.export.id,
      });
      expect(plan.cancelled).toBe(false);
      expect(plan.unfinished_partitions.length).toBe(6);
      expect((await status(created.export.id)).export.status).toBe("Running");
      const misuse = await call("cancel_export", { export_id: other.export.id, confirmation_token: plan.confirmation_token });
      expect(misuse.isError).toBe(true);
      expect(textOf(misuse)).toMatch(/`confirmation_token`.*different target/);
      expect((await status(other.export.id)).export.status).not.toBe("Cancelled");
      const done = await ok<{ cancelled: boolean; export: { status: string } }>("cancel_export", {
        export_id: created.export.id,
        confirmation_token: plan.confirmation_token,
      });
      expect(done).toMatchObject({ cancelled: true, export: { status: "Cancelled" } });
      const again = await call("cancel_export", { export_id: created.export.id });
      expect(textOf(again)).toMatch(/already Cancelled.*cannot be restarted/);
      const patch = await fetch(`${stack.sim.url}/api/v1/bulk-exports/${created.export.id}`, {
        method: "PATCH",
        headers: { "x-api-key": stack.sim.apiKey, "content-type": "application/json" },
        body: JSON.stringify({ status: "Running" }),
      });
      expect([400, 409]).toContain(patch.status);
      await ok("cancel_export", {
        export_id: other.export.id,
        confirmation_token: (await ok<{ confirmation_token: string }>("cancel_export", { export_id: other.export.id })).confirmation_token,
      });
    } finally {
      await simConfig({ rows_per_second: 50 });
    }
  });

  it("times out at the workflow limit and the diagnosis proposes smaller exports, stating both documented limits", async () => {
    // The scenario shapes the export when it starts, which is at once: arm it for the next export.
    await control(stack.sim, "POST", "export-faults", { scenario: "workflow_timeout" });
    const created = await create({ start_time: utcMidnight(4), end_time: utcMidnight(1) });
    await advance(80 * 3600);
    const timedOut = await status(created.export.id);
    expect(timedOut.export.status).toBe("TimedOut");
    const d = await diagnose(created.export.id);
    expect(d.failure_mode).toBe("workflow_timeout");
    expect(d.retried_automatically).toBe(false);
    expect(d.documented_values.join(" ")).toMatch(/72 h.*48 h/);
    expect(d.retry_plan?.kind).toBe("split_exports");
    expect(d.retry_plan!.create_export_calls.length).toBeGreaterThan(1);
  });

  it.each([
    ["infrastructure_interruption", "Completed", "none"],
    ["transient_run_timeout", "Completed", "none"],
    ["out_of_memory", "Completed", "none"],
  ])("%s: retried automatically, finished, and no row written twice", async (scenario, finalStatus, mode) => {
    const [start, end] = [utcMidnight(3), utcMidnight(2)];
    const created = await create({ start_time: start, end_time: end });
    await arm(created.export.id, scenario);
    await advance(12 * 3600);
    const done = await status(created.export.id);
    expect(done.export.status).toBe(finalStatus);
    const [run] = await rawRuns(created.export.id);
    expect(run!.retry_number).toBeGreaterThan(0);
    expect(Object.keys(run!.errors ?? {})).toHaveLength(run!.retry_number);
    expect(done.progress.rows_written).toBe(expectedRows(start, end));
    const files = run!.metadata.result!.exported_files;
    expect(new Set(files).size).toBe(files.length);
    expect((await diagnose(created.export.id)).failure_mode).toBe(mode);
  });

  it.each([
    ["revoked_permission", "destination_error", 1],
    ["bad_credentials_after_rotation", "destination_error", 1],
    ["destination_deleted", "destination_deleted", 1],
    ["serialization_error", "terminal_processing_error", 21],
  ])("%s fails the export and is diagnosed as %s", async (scenario, mode, attempts) => {
    const bucket = stack.sim.storage.buckets.archive;
    const { fullAccess } = stack.sim.storage.credentials;
    const dest = await ok<{ destination: { id: string } }>("create_destination", {
      display_name: `archive ${scenario.replace(/_/g, " ")}`,
      bucket_name: bucket,
      region: "us-east-1",
      access_key_id: fullAccess.access_key_id,
      secret_access_key: fullAccess.secret_access_key,
    });
    // Runs in flight keep the credentials they started with (seed 001): a rotation only hurts
    // runs that start after it, so that scenario needs partitions that run one after another.
    const sequential = scenario === "bad_credentials_after_rotation";
    if (sequential) await simConfig({ max_runs_per_export: 1 });
    const created = await create({
      destination: dest.destination.id,
      start_time: utcMidnight(sequential ? 4 : 3),
      end_time: utcMidnight(2),
    });
    await arm(created.export.id, scenario);
    await advance(20 * 3600);
    if (sequential) await simConfig({ max_runs_per_export: 45 });
    const failed = await status(created.export.id);
    expect(failed.export.status).toBe("Failed");
    const runs = await rawRuns(created.export.id);
    const failedRun = runs.find((r) => r.status === "Failed")!;
    expect(Object.keys(failedRun.errors ?? {})).toHaveLength(attempts);
    const d = await diagnose(created.export.id);
    expect(d.failure_mode).toBe(mode);
    expect(d.evidence.join("\n").length).toBeGreaterThan(0);
    expect(d.remediation.length).toBeGreaterThan(0);
    if (mode === "destination_error") expect(d.retry_plan?.destination_fixes?.length).toBeGreaterThan(0);
    // The scenarios really changed the object store: restore it for the tests that follow.
    if (scenario === "destination_deleted")
      await control(stack.sim, "POST", "storage/buckets", { name: bucket, provider: "aws", region: "us-east-1" });
    if (scenario === "revoked_permission") {
      await control(stack.sim, "POST", `storage/keys/${fullAccess.access_key_id}`, {
        grant: { bucket, permissions: ["PutObject", "DeleteObject", "GetObject"] },
      });
    }
  });

  it("reads an export that is being interrupted as infrastructure_interruption: LangSmith resumes it, nothing to do", async () => {
    const created = await create({ start_time: utcMidnight(3), end_time: utcMidnight(2) });
    await arm(created.export.id, "infrastructure_interruption");
    await advance(15);
    const midway = await rawRuns(created.export.id);
    expect(midway[0]!.retry_number).toBe(1);
    expect(midway[0]!.status).not.toBe("Completed");
    const d = await diagnose(created.export.id);
    expect(d.failure_mode).toBe("infrastructure_interruption");
    expect(d.retried_automatically).toBe(true);
    await advance(3600);
    expect((await status(created.export.id)).export.status).toBe("Completed");
  });

  it("a persistent run timeout fails the run after its retries; the plan's exports, created as given, cover exactly the failed partition", async () => {
    await simConfig({ run_timeout_hours: 1, max_retries: 3 });
    try {
      const [start, end] = [utcMidnight(4), utcMidnight(2)];
      const created = await create({ start_time: start, end_time: end });
      await arm(created.export.id, "persistent_run_timeout", { partition: start.slice(0, 10) });
      await advance(24 * 3600);
      expect((await status(created.export.id)).export.status).toBe("Failed");
      const d = await diagnose(created.export.id);
      expect(d.failure_mode).toBe("run_timeout");
      const calls = d.retry_plan!.create_export_calls;
      expect(calls.length).toBeGreaterThan(1);
      const runs = await rawRuns(created.export.id);
      const unfinished = runs.filter((r) => r.status !== "Completed").map((r) => r.metadata.start_time);
      expect(unfinished.length).toBeGreaterThan(0);
      const ranges = calls.map((c) => [Date.parse(c.start_time), Date.parse(c.end_time)] as const).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBeGreaterThanOrEqual(ranges[i - 1]![1]);
      const covered = ranges.reduce((sum, [a, b]) => sum + (b - a), 0);
      expect(covered).toBe(unfinished.length * DAY);

      const replacements: string[] = [];
      for (const args of calls) replacements.push((await ok<{ export: { id: string } }>("create_export", args)).export.id);
      await simConfig({ run_timeout_hours: 4, max_retries: 20 });
      await advance(24 * 3600);
      let rows = 0;
      for (const id of replacements) {
        const s = await status(id);
        expect(s.export.status).toBe("Completed");
        rows += s.progress.rows_written;
      }
      const failedStarts = unfinished.map((s) => Date.parse(`${s}Z`.replace(/ZZ$/, "Z")));
      const expected = failedStarts.reduce((sum, s) => sum + expectedRows(new Date(s).toISOString(), new Date(s + DAY).toISOString()), 0);
      expect(rows).toBe(expected);
    } finally {
      await simConfig({ run_timeout_hours: 4, max_retries: 20 });
    }
  });

  it("export_status waits for a change and sends progress notifications", async () => {
    await simConfig({ rows_per_second: 5 });
    try {
      const created = await create({ start_time: utcMidnight(3), end_time: utcMidnight(2) });
      await control(stack.sim, "POST", "clock", { rate: 600 });
      const progress: number[] = [];
      const result = (await stack.client.callTool(
        { name: "export_status", arguments: { export_id: created.export.id, wait_seconds: 30 } },
        { onprogress: (p) => progress.push(p.progress), timeout: 60_000 },
      )) as CallToolResult;
      const s = result.structuredContent as { status_changed: boolean; export: { status: string } };
      expect(s.status_changed).toBe(true);
      expect(progress.length).toBeGreaterThan(0);
    } finally {
      await control(stack.sim, "POST", "clock", { rate: 1 });
      await simConfig({ rows_per_second: 50 });
    }
  });

  it("rotates credentials only with confirmation, explaining the overlap window", async () => {
    const { rotation } = stack.sim.storage.credentials;
    const args = { destination: "acme traces eu", access_key_id: rotation.access_key_id, secret_access_key: rotation.secret_access_key };
    const plan = await ok<{ rotated: boolean; confirmation_token: string; plan: { steps: string[]; overlap_window_hours: number } }>(
      "rotate_destination_credentials",
      args,
    );
    expect(plan.rotated).toBe(false);
    expect(plan.plan.overlap_window_hours).toBe(4);
    expect(plan.plan.steps.join(" ")).toMatch(/both sets are in use/);
    const other = await call("rotate_destination_credentials", {
      ...args,
      secret_access_key: "x".repeat(40),
      confirmation_token: plan.confirmation_token,
    });
    expect(textOf(other)).toMatch(/`confirmation_token`/);
    const done = await ok<{ rotated: boolean }>("rotate_destination_credentials", { ...args, confirmation_token: plan.confirmation_token });
    expect(done.rotated).toBe(true);
  });

  it("never lets a secret key or session token reach tool output or the server log", () => {
    const everything = outputs.join("\n") + logged;
    const creds = stack.sim.storage.credentials;
    for (const c of Object.values(creds)) {
      expect(everything).not.toContain(c.secret_access_key);
      if (c.session_token) expect(everything).not.toContain(c.session_token);
    }
    expect(everything).not.toContain(stack.sim.apiKey);
  });
});
