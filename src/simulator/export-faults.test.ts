import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BulkExportRunListSchema, BulkExportSchema, type BulkExportRun } from "../langsmith/export-schemas.js";
import { startSimulator, type RunningSimulator } from "./index.js";
import { apiCall, control } from "./testing.js";

/**
 * One scenario per row of seed 000's failure table, on checkout-bot (scale 0.1): about a
 * hundred runs on 2025-05-29 and -30 and several hundred on -31. At 50 rows/s in files of
 * 100 rows, a file is committed every 2 s.
 */
const EXPORTS = "/api/v1/bulk-exports";
let DAY_31_ROWS: number;
let sim: RunningSimulator;
let destinationId: string;
let sessionId: string;

beforeAll(async () => {
  sim = await startSimulator({ now: "2025-06-01T00:00:00Z", scale: 0.1 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await control(sim, "POST", "reset");
  await control(sim, "POST", "clock", { set: "2025-06-01T00:00:00Z", rate: 0 });
  await control(sim, "POST", "config", { exports: { rows_per_file: 100 } });
  destinationId = (await createDestination(sim.storage.buckets.traces, "eu-west-1", null, sim.storage.credentials.fullAccess)).id;
  sessionId = sim.store.projectByName(sim.workspaceId, "checkout-bot")?.id ?? "";
  DAY_31_ROWS = rowsOn("2025-05-31");
});

/** Every run of the project starting that UTC day: what a partition without filter exports. */
const rowsOn = (day: string): number =>
  sim.store.runsOfProject(sessionId).filter((r) => new Date(r.start_time).toISOString().startsWith(day)).length;

async function createDestination(
  bucket: string,
  region: string | null,
  endpoint: string | null,
  credentials: object,
): Promise<{ id: string }> {
  const res = await apiCall(sim, "POST", `${EXPORTS}/destinations`, {
    display_name: bucket,
    config: { bucket_name: bucket, region, endpoint_url: endpoint },
    credentials,
  });
  expect(res.status).toBe(200);
  return res.body;
}
const createExport = async (start: string, destination = destinationId): Promise<string> =>
  (
    await apiCall(sim, "POST", EXPORTS, {
      bulk_export_destination_id: destination,
      session_id: sessionId,
      start_time: start,
      end_time: "2025-06-01T00:00:00Z",
    })
  ).body.id;
const arm = async (body: Record<string, unknown>): Promise<void> => {
  expect((await control(sim, "POST", "export-faults", body)).status).toBe(201);
};
const runsOf = async (id: string) => BulkExportRunListSchema.parse((await apiCall(sim, "GET", `${EXPORTS}/${id}/runs`)).body);
const statusOf = async (id: string) => BulkExportSchema.parse((await apiCall(sim, "GET", `${EXPORTS}/${id}`)).body).status;
const advance = (seconds: number) => control(sim, "POST", "clock", { advance_seconds: seconds });
const errorTexts = (run: BulkExportRun | undefined): string[] =>
  Object.values(run?.errors ?? {}).map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
const rowsWritten = (run: BulkExportRun | undefined): number => run?.metadata.result?.rows_written ?? 0;

function expectWrittenOnce(run: BulkExportRun | undefined, rows: number): void {
  const files = run?.metadata.result?.exported_files ?? [];
  expect(rowsWritten(run)).toBe(rows);
  expect(files).toHaveLength(Math.ceil(rows / 100));
  expect(new Set(files).size).toBe(files.length);
  expect(files.map((f) => f.match(/part-(\d+)/)?.[1])).toEqual(files.map((_, i) => String(i).padStart(5, "0")));
}

describe("infrastructure interruption (retried; nothing to do)", () => {
  it("resumes from its checkpoint after a worker restart and writes every row exactly once", async () => {
    await arm({ scenario: "infrastructure_interruption", partition: "2025-05-31" });
    const id = await createExport("2025-05-31T00:00:00Z");
    await advance(7);
    const [interrupted] = await runsOf(id);
    expect(interrupted?.status).toBe("Running");
    expect(interrupted?.retry_number).toBe(1);
    expect(interrupted?.errors?.["retry_0"]).toMatch(
      /^Activity task failed: worker langsmith-queue-[0-9a-z]+-[0-9a-z]+ shutting down \(received SIGTERM during deployment\)$/,
    );
    expect(rowsWritten(interrupted)).toBe(300);
    const cursor = interrupted?.metadata.result?.latest_cursor;
    expect(cursor).toEqual(expect.any(String));

    await advance(30);
    const [resumed] = await runsOf(id);
    expect(resumed?.status).toBe("Running");
    expect(rowsWritten(resumed)).toBe(300);
    await advance(60);
    const [done] = await runsOf(id);
    expect(done?.status).toBe("Completed");
    expect(Object.keys(done?.errors ?? {})).toEqual(["retry_0"]);
    expectWrittenOnce(done, DAY_31_ROWS);
    expect(done?.metadata.result?.latest_cursor).not.toBe(cursor);
    expect(await statusOf(id)).toBe("Completed");
  });
});

describe("run timeout (retried; if persistent narrow the range)", () => {
  it("a transient timeout keeps the rows written before it and completes on the next attempt", async () => {
    const id = await createExport("2025-05-31T00:00:00Z");
    await arm({ scenario: "transient_run_timeout", export_id: id });
    await advance(4 * 3600);
    const [timedOut] = await runsOf(id);
    expect(timedOut?.errors).toEqual({ retry_0: "Activity StartToClose timeout: run exceeded maximum duration of 4h0m0s" });
    expect(rowsWritten(timedOut)).toBe(300);
    await advance(60);
    const [done] = await runsOf(id);
    expect(done?.status).toBe("Completed");
    expectWrittenOnce(done, DAY_31_ROWS);
  });

  it("a persistent timeout is overtaken by the 72 h workflow timeout with the default limits", async () => {
    await arm({ scenario: "persistent_run_timeout", partition: "2025-05-31" });
    const id = await createExport("2025-05-31T00:00:00Z");
    await advance(72 * 3600);
    expect(await statusOf(id)).toBe("TimedOut");
    const [run] = await runsOf(id);
    expect(run?.status).toBe("TimedOut");
    // Attempt k times out at k × 4 h + (k − 1) × 30 s: 17 fit in 72 h.
    expect(run?.retry_number).toBe(17);
    expect(Object.keys(run?.errors ?? {})).toEqual(Array.from({ length: 17 }, (_, i) => `retry_${i}`));
    expect(new Set(errorTexts(run))).toEqual(new Set(["Activity StartToClose timeout: run exceeded maximum duration of 4h0m0s"]));
    expect(rowsWritten(run)).toBe(0);
  });

  it("with fewer retries than fit in the workflow, the run fails and the export fails; waiting runs are cancelled", async () => {
    await control(sim, "POST", "config", { exports: { max_retries: 2, max_runs_per_export: 1 } });
    await arm({ scenario: "persistent_run_timeout", partition: "2025-05-30" });
    const id = await createExport("2025-05-30T00:00:00Z");
    await advance(12 * 3600 + 60);
    expect(await statusOf(id)).toBe("Failed");
    const [failed, waiting] = await runsOf(id);
    expect(failed).toMatchObject({ status: "Failed", retry_number: 3 });
    expect(Object.keys(failed?.errors ?? {})).toEqual(["retry_0", "retry_1", "retry_2"]);
    expect(waiting).toMatchObject({ status: "Cancelled", errors: null });
    expect(waiting?.finished_at).not.toBeNull();
  });
});

describe("workflow timeout (not retried; reduce scope)", () => {
  it("an export too large for its workflow times out at 72 h with partial progress", async () => {
    await control(sim, "POST", "config", { exports: { rows_per_file: 10 } });
    await arm({ scenario: "workflow_timeout" });
    const id = await createExport("2025-05-30T00:00:00Z");
    await advance(72 * 3600 - 1);
    expect(await statusOf(id)).toBe("Running");
    await advance(1);
    expect(await statusOf(id)).toBe("TimedOut");
    const runs = await runsOf(id);
    const big = runs[1];
    expect(big?.status).toBe("TimedOut");
    expect(rowsWritten(big)).toBeGreaterThan(0);
    expect(rowsWritten(big)).toBeLessThan(DAY_31_ROWS);
    expect(big?.finished_at).toBe("2025-06-04T00:00:00.000000");
  });
});

describe("storage/destination errors (not retried; fix the destination, create a new export)", () => {
  it("credentials rotated to a key that is then deactivated fail the runs started after the rotation", async () => {
    await control(sim, "POST", "config", { exports: { max_runs_per_export: 1 } });
    await arm({ scenario: "bad_credentials_after_rotation" });
    const before = (await apiCall(sim, "GET", `${EXPORTS}/destinations/${destinationId}`)).body;
    const id = await createExport("2025-05-29T00:00:00Z");
    await advance(60);
    expect(await statusOf(id)).toBe("Failed");
    const [inFlight, after, waiting] = await runsOf(id);
    // The run in flight at the rotation kept the old credentials to its end.
    expect(inFlight?.status).toBe("Completed");
    expectWrittenOnce(inFlight, rowsOn("2025-05-29"));
    expect(after).toMatchObject({ status: "Failed", retry_number: 1 });
    expect(after?.errors).toEqual({
      retry_0:
        "An error occurred (InvalidAccessKeyId) when calling the PutObject operation: The AWS Access Key Id you provided does not exist " +
        "in our records.",
    });
    expect(waiting?.status).toBe("Cancelled");
    const destination = (await apiCall(sim, "GET", `${EXPORTS}/destinations/${destinationId}`)).body;
    expect(destination.updated_at > before.updated_at).toBe(true);
    const keys = (await control(sim, "GET", "storage")).body.access_keys;
    expect(keys.filter((k: { active: boolean }) => !k.active)).toHaveLength(1);
  });

  it("PutObject revoked mid-export fails the next write with AccessDenied, without retries", async () => {
    const id = await createExport("2025-05-30T00:00:00Z");
    await arm({ scenario: "revoked_permission", export_id: id });
    await advance(60);
    expect(await statusOf(id)).toBe("Failed");
    const [first, second] = await runsOf(id);
    expect(first?.status).toBe("Cancelled");
    expect(second).toMatchObject({ status: "Failed", retry_number: 1 });
    expect(second?.errors).toEqual({ retry_0: "An error occurred (AccessDenied) when calling the PutObject operation: Access Denied" });
    const key = (await control(sim, "GET", "storage")).body.access_keys.find(
      (k: { access_key_id: string }) => k.access_key_id === sim.storage.credentials.fullAccess.access_key_id,
    );
    expect(key.grants["acme-traces"]).toEqual(["DeleteObject", "GetObject"]);
  });

  it("a grant revoked through the control API on GCS fails with GCS's own text", async () => {
    const gcs = await createDestination(sim.storage.buckets.gcs, null, sim.storage.endpoints.gcs, sim.storage.credentials.gcsHmac);
    const id = await createExport("2025-05-31T00:00:00Z", gcs.id);
    await advance(3);
    await control(sim, "POST", `storage/keys/${sim.storage.credentials.gcsHmac.access_key_id}`, {
      revoke: { bucket: "acme-gcs-traces", permissions: ["PutObject"] },
    });
    await advance(3);
    const [run] = await runsOf(id);
    expect(run?.status).toBe("Failed");
    expect(rowsWritten(run)).toBe(100);
    expect(run?.errors?.["retry_0"]).toBe(
      "An error occurred (AccessDenied) when calling the PutObject operation: Access denied. " +
        "langsmith-export@acme-prod.iam.gserviceaccount.com does not have storage.objects.create access to the Google Cloud Storage " +
        "object. Permission 'storage.objects.create' denied on resource (or it may not exist).",
    );
  });
});

describe("destination deleted (not retried; recreate the destination)", () => {
  it("a bucket deleted mid-export fails the next write with NoSuchBucket", async () => {
    const id = await createExport("2025-05-31T00:00:00Z");
    await arm({ scenario: "destination_deleted", export_id: id, partition: "2025-05-31" });
    await advance(60);
    const [run] = await runsOf(id);
    expect(run).toMatchObject({ status: "Failed", retry_number: 1 });
    expect(run?.errors).toEqual({
      retry_0: "An error occurred (NoSuchBucket) when calling the PutObject operation: The specified bucket does not exist",
    });
    expect(rowsWritten(run)).toBe(100);
    expect((await control(sim, "GET", "storage")).body.buckets.map((b: { name: string }) => b.name)).not.toContain("acme-traces");
  });
});

describe("terminal processing errors (retried; inspect run errors)", () => {
  it("a serialization error fails every one of the 21 attempts, then the export", async () => {
    await arm({ scenario: "serialization_error", partition: "2025-05-31" });
    const id = await createExport("2025-05-31T00:00:00Z");
    await advance(3600);
    expect(await statusOf(id)).toBe("Failed");
    const [run] = await runsOf(id);
    expect(run).toMatchObject({ status: "Failed", retry_number: 21 });
    expect(Object.keys(run?.errors ?? {})).toEqual(Array.from({ length: 21 }, (_, i) => `retry_${i}`));
    expect(
      errorTexts(run).every((t) => t.startsWith("pyarrow.lib.ArrowInvalid: Could not convert") || t.startsWith("orjson.JSONEncodeError")),
    ).toBe(true);
    expect(rowsWritten(run)).toBe(0);
  });

  it("running out of memory twice is retried and the run then completes", async () => {
    await arm({ scenario: "out_of_memory" });
    const id = await createExport("2025-05-31T00:00:00Z");
    await advance(3600);
    const [run] = await runsOf(id);
    expect(run?.status).toBe("Completed");
    expect(run?.retry_number).toBe(2);
    expect(errorTexts(run)).toEqual([
      "Worker process exited with code 137 (OOMKilled) while writing row group 14 of part-00000.parquet",
      "Worker process exited with code 137 (OOMKilled) while writing row group 15 of part-00000.parquet",
    ]);
    expectWrittenOnce(run, DAY_31_ROWS);
  });
});

describe("/_sim/export-faults", () => {
  it("lists every failure-table row (and the silent row loss no row describes); refuses unknown scenarios and ids", async () => {
    const listed = (await control(sim, "GET", "export-faults")).body;
    expect(new Set(listed.scenarios.map((s: { failure_type: string }) => s.failure_type))).toEqual(
      new Set([
        "Infrastructure interruption",
        "Run timeout",
        "Workflow timeout",
        "Storage/destination errors",
        "Destination deleted",
        "Terminal processing errors",
        "Silent row loss (no error recorded)",
      ]),
    );
    expect((await control(sim, "POST", "export-faults", { scenario: "gremlins" })).status).toBe(400);
    expect(
      (await control(sim, "POST", "export-faults", { scenario: "out_of_memory", export_id: "00000000-0000-4000-8000-000000000000" }))
        .status,
    ).toBe(400);
    expect((await control(sim, "POST", "export-faults", { scenario: "out_of_memory", partition: "yesterday" })).status).toBe(400);
    await arm({ scenario: "out_of_memory", times: 3 });
    expect((await control(sim, "GET", "export-faults")).body.faults).toMatchObject([
      { scenario: "out_of_memory", export_id: null, remaining: 3 },
    ]);
    expect((await control(sim, "DELETE", "export-faults")).body).toEqual({ cleared: 1 });
  });
});

describe("time", () => {
  it("runs 72 simulated hours of retries in one clock request", async () => {
    await arm({ scenario: "persistent_run_timeout" });
    const id = await createExport("2025-05-22T00:00:00Z");
    const res = await advance(259_200);
    expect(res.status).toBe(200);
    expect(await statusOf(id)).toBe("TimedOut");
  });
});
