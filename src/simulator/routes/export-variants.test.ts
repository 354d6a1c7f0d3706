import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { exceptionClassOf } from "../export-engine.js";
import { startSimulator, type RunningSimulator } from "../index.js";
import { apiCall, control } from "../testing.js";

/**
 * Bulk export shapes real LangSmith servers write that the client must survive (bulk-exports.yml,
 * the docs' defaults), reachable through the control API. Expectations are written by hand.
 */
const EXPORTS = "/api/v1/bulk-exports";
const NOW = "2025-06-01T00:00:00Z";
let sim: RunningSimulator;
let destinationId: string;
let checkout: string;

beforeAll(async () => {
  sim = await startSimulator({ now: NOW, scale: 0.1 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await control(sim, "POST", "reset");
  await control(sim, "POST", "clock", { set: NOW, rate: 0 });
  await control(sim, "POST", "config", { exports: { rows_per_file: 100, max_retries: 2, retry_delay_seconds: 30 } });
  const destination = await apiCall(sim, "POST", `${EXPORTS}/destinations`, {
    display_name: "traces",
    config: { bucket_name: sim.storage.buckets.traces, region: "eu-west-1", prefix: "exports" },
    credentials: sim.storage.credentials.fullAccess,
  });
  destinationId = destination.body.id;
  checkout = sim.store.projectByName(sim.workspaceId, "checkout-bot")?.id ?? "";
});

const create = (overrides: Record<string, unknown> = {}) =>
  apiCall(sim, "POST", EXPORTS, {
    bulk_export_destination_id: destinationId,
    session_id: checkout,
    start_time: "2025-05-30T00:00:00Z",
    end_time: NOW,
    ...overrides,
  });
const advance = (seconds: number) => control(sim, "POST", "clock", { advance_seconds: seconds });

describe("all-experiments exports", () => {
  it("creates an export without a project that runs over the whole workspace and lists like any other", async () => {
    const created = await control(sim, "POST", "exports/all-experiments", { start_time: "2025-05-31T00:00:00Z", end_time: NOW });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      session_id: null,
      bulk_export_destination_id: destinationId,
      format: "Parquet",
      compression: "zstandard",
    });
    await advance(3600);
    const got = await apiCall(sim, "GET", `${EXPORTS}/${created.body.id}`);
    expect(got.body).toMatchObject({ id: created.body.id, session_id: null, status: "Completed" });
    expect((await apiCall(sim, "GET", EXPORTS)).body.map((e: { id: string }) => e.id)).toContain(created.body.id);
    const runs = await apiCall(sim, "GET", `${EXPORTS}/${created.body.id}/runs`);
    expect(runs.body).toHaveLength(1);
    const [run] = runs.body;
    // Every project of the default workspace starting on 2025-05-31, not one project's.
    const workspaceRows = sim.store
      .projectsOfTenant(sim.workspaceId)
      .flatMap((p) => sim.store.runsOfProject(p.id))
      .filter((r) => r.start_time >= Date.parse("2025-05-31T00:00:00Z") && r.start_time < Date.parse(NOW)).length;
    const checkoutRows = sim.store
      .runsOfProject(checkout)
      .filter((r) => r.start_time >= Date.parse("2025-05-31T00:00:00Z") && r.start_time < Date.parse(NOW)).length;
    expect(run.metadata.result.rows_written).toBe(workspaceRows);
    expect(workspaceRows).toBeGreaterThan(checkoutRows);
    expect(run.metadata.prefix).not.toContain("session_id=");
    expect((await apiCall(sim, "GET", `${EXPORTS}/${created.body.id}/runs/${run.id}`)).body.id).toBe(run.id);
  });

  it("needs a destination and a valid window", async () => {
    await control(sim, "POST", "reset");
    expect((await control(sim, "POST", "exports/all-experiments", { start_time: "2025-05-31T00:00:00Z" })).status).toBe(400);
    expect((await control(sim, "POST", "exports/all-experiments", { start_time: "yesterday", destination_id: destinationId })).status).toBe(
      400,
    );
  });
});

describe("error values as objects", () => {
  it("writes {message, type, retry_number} for each failed attempt when exportRunErrorsAsObjects is on", async () => {
    await control(sim, "POST", "config", { exportRunErrorsAsObjects: true });
    await control(sim, "POST", "export-faults", { scenario: "serialization_error", times: -1 });
    const created = await create({ start_time: "2025-05-31T00:00:00Z" });
    await advance(3600);
    const [run] = (await apiCall(sim, "GET", `${EXPORTS}/${created.body.id}/runs`)).body;
    expect(run.status).toBe("Failed");
    expect(Object.keys(run.errors)).toEqual(["retry_0", "retry_1", "retry_2"]);
    expect(run.errors.retry_1).toEqual({
      message: expect.stringMatching(/^(pyarrow\.lib\.ArrowInvalid|orjson\.JSONEncodeError): /),
      type: expect.stringMatching(/^(pyarrow\.lib\.ArrowInvalid|orjson\.JSONEncodeError)$/),
      retry_number: 1,
    });
  });

  it("writes plain strings by default", async () => {
    await control(sim, "POST", "export-faults", { scenario: "serialization_error", times: -1 });
    const created = await create({ start_time: "2025-05-31T00:00:00Z" });
    await advance(3600);
    const [run] = (await apiCall(sim, "GET", `${EXPORTS}/${created.body.id}/runs`)).body;
    expect(typeof run.errors.retry_0).toBe("string");
    expect((await control(sim, "GET", "config")).body.exportRunErrorsAsObjects).toBe(false);
  });

  it("names the exception class of each kind of text", () => {
    expect(exceptionClassOf("orjson.JSONEncodeError: Integer exceeds 64-bit range")).toBe("orjson.JSONEncodeError");
    expect(exceptionClassOf("An error occurred (AccessDenied) when calling the PutObject operation: Access Denied")).toBe(
      "botocore.exceptions.ClientError",
    );
    expect(exceptionClassOf("Activity StartToClose timeout: run exceeded maximum duration of 4h0m0s")).toBe(
      "temporalio.exceptions.TimeoutError",
    );
    expect(exceptionClassOf("something else")).toBe("Exception");
  });
});

describe("pending_upload", () => {
  it("is a PendingUpload object while a file is in flight and after an interruption, null once done", async () => {
    await control(sim, "POST", "export-faults", { scenario: "infrastructure_interruption", times: 1 });
    const created = await create({ start_time: "2025-05-31T00:00:00Z" });
    await advance(1);
    const [inFlight] = (await apiCall(sim, "GET", `${EXPORTS}/${created.body.id}/runs`)).body;
    expect(inFlight.metadata.result.pending_upload).toEqual({
      target_cursor: expect.any(String),
      file_path: expect.stringMatching(/\/part-\d{5}\.zstd\.parquet$/),
      rows_count: expect.any(Number),
    });
    expect(inFlight.metadata.result.pending_upload.rows_count).toBeLessThanOrEqual(100);
    // Interrupted: the attempt died, the retry waits 30 s, the upload stays pending.
    let interrupted = inFlight;
    for (let i = 0; i < 60 && interrupted.retry_number === 0; i++) {
      await advance(1);
      [interrupted] = (await apiCall(sim, "GET", `${EXPORTS}/${created.body.id}/runs`)).body;
    }
    expect(interrupted.retry_number).toBe(1);
    expect(interrupted.metadata.result.pending_upload).not.toBeNull();
    await advance(3600);
    const [done] = (await apiCall(sim, "GET", `${EXPORTS}/${created.body.id}/runs`)).body;
    expect(done.status).toBe("Completed");
    expect(done.metadata.result.pending_upload).toBeNull();
  });
});

describe("forced statuses", () => {
  it("shows any status on the export and its runs, and the engine leaves the export alone", async () => {
    const created = await create();
    const forced = await control(sim, "POST", `exports/${created.body.id}/force-status`, { status: "Paused", run_status: "Paused" });
    expect(forced.status).toBe(200);
    expect(forced.body.status).toBe("Paused");
    await advance(24 * 3600);
    expect((await apiCall(sim, "GET", `${EXPORTS}/${created.body.id}`)).body).toMatchObject({ status: "Paused", finished_at: null });
    const runs = (await apiCall(sim, "GET", `${EXPORTS}/${created.body.id}/runs`)).body;
    expect(runs.map((r: { status: string }) => r.status)).toEqual(["Paused", "Paused"]);
  });

  it("forces only the runs when only run_status is given", async () => {
    const created = await create();
    await control(sim, "POST", `exports/${created.body.id}/force-status`, { run_status: "Queued" });
    expect((await apiCall(sim, "GET", `${EXPORTS}/${created.body.id}`)).body.status).toBe("Running");
    expect(
      (await apiCall(sim, "GET", `${EXPORTS}/${created.body.id}/runs`)).body.every((r: { status: string }) => r.status === "Queued"),
    ).toBe(true);
  });

  it("refuses an empty request and an unknown export", async () => {
    const created = await create();
    expect((await control(sim, "POST", `exports/${created.body.id}/force-status`, {})).status).toBe(400);
    expect((await control(sim, "POST", "exports/00000000-0000-4000-8000-000000000000/force-status", { status: "Paused" })).status).toBe(
      404,
    );
  });
});

describe("documented defaults", () => {
  it("stores zstandard when compression is omitted", async () => {
    expect((await create()).body.compression).toBe("zstandard");
  });

  it("accepts every documented export field, parent_run_ids and trace_tier included", async () => {
    const fields = [
      "id",
      "name",
      "run_type",
      "status",
      "start_time",
      "end_time",
      "inputs",
      "outputs",
      "error",
      "extra",
      "events",
      "tags",
      "trace_id",
      "dotted_order",
      "parent_run_id",
      "parent_run_ids",
      "child_run_ids",
      "direct_child_run_ids",
      "feedback_stats",
      "reference_example_id",
      "total_tokens",
      "prompt_tokens",
      "completion_tokens",
      "total_cost",
      "prompt_cost",
      "completion_cost",
      "first_token_time",
      "session_id",
      "tenant_id",
      "thread_id",
      "is_root",
      "metadata",
      "trace_tier",
      "in_dataset",
      "app_path",
      "price_model_id",
    ];
    const res = await create({ export_fields: fields });
    expect(res.status).toBe(200);
    expect(res.body.export_fields).toEqual(fields);
  });

  it("rejects an unknown field name with FastAPI's 422", async () => {
    const res = await create({ export_fields: ["id", "bogus_field"] });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      detail: [{ loc: ["body", "export_fields", 1], msg: expect.stringContaining("'parent_run_ids'"), type: "enum" }],
    });
  });
});
