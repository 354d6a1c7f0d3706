/**
 * Every export and destination tool against LangSmith answers the published spec allows but the
 * simulator does not send: hand-written JSON, shaped after test/fixtures/langsmith-openapi/
 * bulk-exports.yml with its overlay (an export of all experiments has `session_id: null`, a
 * destination may have `bucket_name: null`, optional fields absent, export-run `errors` values
 * that are objects and numbers, `pending_upload` objects, `metadata.result: null`), plus what a
 * newer LangSmith may send: a status no document lists ("Paused") and fields nobody knows yet.
 * The fixtures are checked against the spec first, so the expectations do not come from our code.
 * undici's MockAgent serves them to a real LangSmithClient; the SDK Client calls the tools.
 */
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { MockAgent } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { LangSmithClient } from "../../src/langsmith/index.js";
import { openSqliteLedger, type Ledger } from "../../src/ledger/index.js";
import { silentLogger } from "../../src/log.js";
import { buildServer } from "../../src/server.js";
import { loadLangSmithSpec, SPEC_ID, specAjv } from "../support/langsmith-openapi.js";

/** structuredContent leaves out what LangSmith did not say (no nulls): these keys must be absent. */
function absent(value: unknown, ...keys: string[]): void {
  expect(value).toBeDefined();
  for (const key of keys) expect(value, key).not.toHaveProperty(key);
}

const ORIGIN = "https://langsmith.mock";
const API_KEY = "lsv2_pt_00000000000000000000000000000000_0000000000";
const NOW = new Date("2025-06-03T12:00:00Z");

const TENANT = "6b1e2f4a-0c3d-4e5f-8a9b-0c1d2e3f4a5b";
const PROJECT = "0190f3a2-5b6c-7d8e-9f01-23456789abcd";
const DEST_AWS = "11111111-2222-4333-8444-555555555555";
const DEST_GCS = "22222222-3333-4444-8555-666666666666";
const EXP_ALL_FAILED = "33333333-4444-4555-8666-777777777777";
const EXP_PAUSED = "44444444-5555-4666-8777-888888888888";
const EXP_ALL_RUNNING = "55555555-6666-4777-8888-999999999999";
const EXP_NEW = "66666666-7777-4888-8999-aaaaaaaaaaaa";
const RUN_DONE = "77777777-8888-4999-8aaa-bbbbbbbbbbbb";
const RUN_DENIED = "88888888-9999-4aaa-8bbb-cccccccccccc";
const RUN_PAUSED = "99999999-aaaa-4bbb-8ccc-dddddddddddd";
const RUN_INTERRUPTED = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

/* ------------------------------------------------------------------ hand-written answers */

/** AWS destination as the spec's BulkExportDestination, every documented field present. */
const destinationAws = {
  id: DEST_AWS,
  tenant_id: TENANT,
  destination_type: "s3",
  display_name: "acme traces",
  config: {
    bucket_name: "acme-traces",
    prefix: "langsmith",
    region: "eu-west-1",
    endpoint_url: null,
    include_bucket_in_prefix: true,
    config_kwargs_s3: null,
    s3_additional_kwargs: null,
  },
  credentials_keys: ["access_key_id", "secret_access_key"],
  created_at: "2025-05-01T09:00:00Z",
  updated_at: "2025-05-01T09:00:00Z",
};

/** GCS destination: bucket_name null (nullable per the overlay), destination_type and most config absent. */
const destinationGcsNoBucket = {
  id: DEST_GCS,
  tenant_id: TENANT,
  display_name: "gcs archive",
  config: { bucket_name: null, endpoint_url: "https://storage.googleapis.com", prefix: "" },
  credentials_keys: [],
  created_at: "2025-05-02T09:00:00.123456Z",
  updated_at: "2025-05-02T09:00:00.123456Z",
};

/** All experiments, Failed: session_id null; end_time, filter, format, compression, export_fields absent. */
const exportAllFailed = {
  id: EXP_ALL_FAILED,
  tenant_id: TENANT,
  bulk_export_destination_id: DEST_GCS,
  session_id: null,
  start_time: "2025-06-01T00:00:00Z",
  status: "Failed",
  created_at: "2025-06-01T00:05:00Z",
  updated_at: "2025-06-02T20:00:00Z",
  finished_at: "2025-06-02T20:00:00Z",
};

/** A status no document lists, and fields nobody here knows. */
const exportPaused = {
  id: EXP_PAUSED,
  tenant_id: TENANT,
  bulk_export_destination_id: DEST_AWS,
  session_id: PROJECT,
  start_time: "2025-06-01T00:00:00Z",
  end_time: "2025-06-03T00:00:00Z",
  filter: null,
  format: "Parquet",
  format_version: "v2_beta",
  compression: "zstandard",
  interval_hours: null,
  export_fields: null,
  status: "Paused",
  created_at: "2025-06-01T00:00:00Z",
  updated_at: "2025-06-02T00:00:00Z",
  finished_at: null,
  source_bulk_export_id: null,
  paused_reason: { by: "workspace admin", at: "2025-06-02T00:00:00Z" },
};

/** All experiments, Running: what cancel_export and rotate_destination_credentials meet. */
const exportAllRunning = {
  id: EXP_ALL_RUNNING,
  tenant_id: TENANT,
  bulk_export_destination_id: DEST_GCS,
  session_id: null,
  start_time: "2025-06-02T00:00:00Z",
  end_time: "2025-06-03T00:00:00Z",
  status: "Running",
  created_at: "2025-06-02T00:01:00Z",
  updated_at: "2025-06-02T00:01:00Z",
  finished_at: null,
};

const runDone = {
  id: RUN_DONE,
  bulk_export_id: EXP_ALL_FAILED,
  status: "Completed",
  retry_number: 0,
  errors: null,
  metadata: {
    prefix: "export_id=33333333-4444-4555-8666-777777777777",
    start_time: "2025-06-01T00:00:00Z",
    end_time: "2025-06-02T00:00:00Z",
    execution_backend: "clickhouse",
    result: {
      rows_written: 1200,
      exported_files: ["a/part-00000.parquet", "a/part-00001.parquet"],
      export_path: "a",
      latest_cursor: null,
      pending_upload: null,
    },
  },
  start_time: "2025-06-01T00:06:00Z",
  end_time: "2025-06-01T01:06:00Z",
  created_at: "2025-06-01T00:05:00Z",
  updated_at: "2025-06-01T01:06:00Z",
  finished_at: "2025-06-01T01:06:00Z",
};

/** errors values as objects and a number; a pending upload in flight. */
const runDenied = {
  id: RUN_DENIED,
  bulk_export_id: EXP_ALL_FAILED,
  status: "Failed",
  retry_number: 2,
  errors: {
    retry_0: {
      message: "An error occurred (AccessDenied) when calling the PutObject operation: Access Denied",
      type: "ClientError",
      retry_number: 0,
    },
    retry_1: 503,
    retry_2: { message: "Access Denied", type: "ClientError", retry_number: 2 },
  },
  metadata: {
    prefix: "export_id=33333333-4444-4555-8666-777777777777",
    start_time: "2025-06-02T00:00:00Z",
    end_time: "2025-06-03T00:00:00Z",
    result: {
      rows_written: 0,
      exported_files: [],
      export_path: "b",
      latest_cursor: null,
      pending_upload: { target_cursor: "cursor-1", file_path: "b/part-00000.parquet", rows_count: 500 },
    },
  },
  start_time: "2025-06-02T00:06:00Z",
  end_time: null,
  created_at: "2025-06-02T00:05:00Z",
  updated_at: "2025-06-02T20:00:00Z",
  finished_at: "2025-06-02T20:00:00Z",
};

/** Unknown run status; only the spec's required fields; result absent. */
const runPaused = {
  id: RUN_PAUSED,
  bulk_export_id: EXP_PAUSED,
  status: "Paused",
  metadata: { prefix: "p", start_time: "2025-06-01T00:00:00Z", end_time: "2025-06-02T00:00:00Z" },
  created_at: "2025-06-01T00:00:00Z",
  updated_at: "2025-06-02T00:00:00Z",
  finished_at: null,
};

/** An error object with a type and no message; result null. */
const runInterrupted = {
  id: RUN_INTERRUPTED,
  bulk_export_id: EXP_PAUSED,
  status: "Running",
  retry_number: 1,
  errors: { retry_0: { type: "WorkerShutdown", detail: { pod: "queue-7" } } },
  metadata: { prefix: "p", start_time: "2025-06-02T00:00:00Z", end_time: "2025-06-03T00:00:00Z", result: null },
  start_time: "2025-06-02T00:00:00Z",
  end_time: null,
  created_at: "2025-06-02T00:00:00Z",
  updated_at: "2025-06-02T00:10:00Z",
  finished_at: null,
};

const project = { id: PROJECT, tenant_id: TENANT, name: "checkout-bot", start_time: "2025-01-01T00:00:00Z", reference_dataset_id: null };

/* ------------------------------------------------------------------ the spec as judge */

const spec = loadLangSmithSpec();
const judge = specAjv(spec);
const specSchema = (name: string): ValidateFunction => judge.getSchema(`${SPEC_ID}#/components/schemas/${name}`)!;

describe("the hand-written answers are what LangSmith's published spec allows", () => {
  it.each([
    ["BulkExportDestination", "with every field", destinationAws],
    ["BulkExportDestination", "with bucket_name null", destinationGcsNoBucket],
    ["BulkExport", "of all experiments (session_id null), optional fields absent", exportAllFailed],
    ["BulkExport", "of all experiments, running", exportAllRunning],
    ["BulkExportRun", "completed, pending_upload null", runDone],
    ["BulkExportRun", "with object and number errors and a pending_upload", runDenied],
    ["BulkExportRun", "with result null", runInterrupted],
  ] as const)("%s %s", (name, _what, value) => {
    const validate = specSchema(name);
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  });

  it("differs from the spec only by the status a newer LangSmith may send", () => {
    expect(specSchema("BulkExport")(exportPaused)).toBe(false);
    expect(specSchema("BulkExport")({ ...exportPaused, status: "Running" })).toBe(true);
    expect(specSchema("BulkExportRun")(runPaused)).toBe(false);
    expect(specSchema("BulkExportRun")({ ...runPaused, status: "Running" })).toBe(true);
  });
});

/* ------------------------------------------------------------------ server on a MockAgent */

describe("export tools read every answer the spec allows (MockAgent ↔ LangSmithClient ↔ server ↔ SDK client)", () => {
  let agent: MockAgent;
  let api: LangSmithClient;
  let client: Client;
  let ledger: Ledger;
  const validators = new Map<string, ValidateFunction>();

  const pool = () => agent.get(ORIGIN);
  const json = { headers: { "content-type": "application/json" } };
  const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  const sentBodies = (method: string, path: string) =>
    (agent.getCallHistory()?.calls() ?? [])
      .filter((c) => c.method === method && c.path === path)
      .map((c) => JSON.parse(String(c.body)) as Record<string, unknown>);

  /** Calls a tool, expects success and structuredContent valid under the listed outputSchema. */
  async function ok<T = Record<string, unknown>>(name: string, args: Record<string, unknown>): Promise<{ structured: T; text: string }> {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    const text = textOf(result);
    expect(result.isError, `${name}: ${text}`).toBeFalsy();
    const validate = validators.get(name)!;
    expect(validate(result.structuredContent), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    return { structured: result.structuredContent as T, text };
  }

  beforeAll(async () => {
    agent = new MockAgent({ enableCallHistory: true });
    agent.disableNetConnect();
    // The reads every test may make, served for the whole file; writes are set up per test.
    const get = (path: string, body: object) => pool().intercept({ path, method: "GET" }).reply(200, body, json).persist();
    get("/api/v1/bulk-exports", [exportAllFailed, exportPaused, exportAllRunning]);
    get(`/api/v1/bulk-exports/${EXP_ALL_FAILED}`, exportAllFailed);
    get(`/api/v1/bulk-exports/${EXP_PAUSED}`, exportPaused);
    get(`/api/v1/bulk-exports/${EXP_ALL_RUNNING}`, exportAllRunning);
    get(`/api/v1/bulk-exports/${EXP_ALL_FAILED}/runs`, [runDone, runDenied]);
    get(`/api/v1/bulk-exports/${EXP_PAUSED}/runs`, [runPaused, runInterrupted]);
    get(`/api/v1/bulk-exports/${EXP_ALL_RUNNING}/runs`, []);
    // A later read of a kept export re-reads its open runs one by one.
    for (const [exportId, runs] of [
      [EXP_ALL_FAILED, [runDone, runDenied]],
      [EXP_PAUSED, [runPaused, runInterrupted]],
    ] as const)
      for (const run of runs) get(`/api/v1/bulk-exports/${exportId}/runs/${run.id}`, run);
    get("/api/v1/bulk-exports/destinations", [destinationAws, destinationGcsNoBucket]);
    get(`/api/v1/bulk-exports/destinations/${DEST_AWS}`, destinationAws);
    get(`/api/v1/bulk-exports/destinations/${DEST_GCS}`, destinationGcsNoBucket);
    get(`/api/v1/sessions/${PROJECT}`, project);
    api = new LangSmithClient({ endpoint: ORIGIN, apiKey: API_KEY, dispatcher: agent, sleep: async () => {} });
    const config = loadConfig([], { LANGSMITH_API_KEY: API_KEY, LANGSMITH_ENDPOINT: ORIGIN, LANGSMITH_MCP_LEDGER: ":memory:" });
    ledger = openSqliteLedger(":memory:");
    const server = buildServer({ client: api, config, logger: silentLogger(), secrets: [API_KEY], ledger, now: () => NOW });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: "exports-tolerant-reader", version: "1.0.0" });
    await client.connect(clientSide);
    const ajv = new Ajv2020({ strict: true, allErrors: true, strictRequired: false });
    addFormats.default(ajv);
    for (const tool of (await client.listTools()).tools) validators.set(tool.name, ajv.compile(tool.outputSchema!));
  });

  beforeEach(() => {
    agent.getCallHistory()?.clear();
  });

  afterAll(async () => {
    await client.close();
    await api.close();
    ledger.close();
    await agent.close();
  });

  it("list_exports shows an all-experiments export without a project and an unknown status as sent", async () => {
    type Out = {
      exports: Array<{
        id: string;
        status: string;
        status_known: boolean;
        project_id: string | null;
        scope: string;
        end_time: string | null;
        compression: string | null;
      }>;
      counts_by_status: Record<string, number>;
    };
    const { structured, text } = await ok<Out>("list_exports", {});
    const byId = new Map(structured.exports.map((e) => [e.id, e]));
    expect(byId.get(EXP_ALL_FAILED)).toMatchObject({ scope: "all experiments (no project)", status: "Failed", status_known: true });
    absent(byId.get(EXP_ALL_FAILED), "project_id", "end_time", "compression");
    expect(byId.get(EXP_PAUSED)).toMatchObject({ project_id: PROJECT, status: "Paused", status_known: false });
    expect(structured.counts_by_status).toEqual({ Failed: 1, Paused: 1, Running: 1 });
    expect(text).toContain("Paused");
    expect(text).toContain("all experiments (no project)");

    const paused = await ok<Out>("list_exports", { status: "PAUSED" });
    expect(paused.structured.exports.map((e) => e.id)).toEqual([EXP_PAUSED]);
    const ofProject = await ok<Out>("list_exports", { project: PROJECT });
    expect(ofProject.structured.exports.map((e) => e.id)).toEqual([EXP_PAUSED]);
  });

  it("export_status reads object- and number-valued errors, a pending upload, a null result and an unknown status", async () => {
    type Out = {
      export: { status: string; status_known: boolean; project_id: string | null };
      runs: Array<{ id: string; status: string; last_error: string | null; rows_written: number; retry_number: number }>;
      progress: { runs_by_status: Record<string, number> };
      next_step: string;
    };
    const failed = await ok<Out>("export_status", { export_id: EXP_ALL_FAILED });
    absent(failed.structured.export, "project_id");
    const denied = failed.structured.runs.find((r) => r.id === RUN_DENIED)!;
    expect(denied.last_error).toBe('ClientError: Access Denied {"retry_number":2}');
    expect(denied.rows_written).toBe(0);
    expect(failed.text).toContain("all experiments (no project)");

    const paused = await ok<Out>("export_status", { export_id: EXP_PAUSED });
    expect(paused.structured.export).toMatchObject({ status: "Paused", status_known: false });
    expect(paused.structured.runs.find((r) => r.id === RUN_PAUSED)).toMatchObject({ status: "Paused", retry_number: 0, rows_written: 0 });
    absent(
      paused.structured.runs.find((r) => r.id === RUN_PAUSED),
      "last_error",
    );
    expect(paused.structured.runs.find((r) => r.id === RUN_INTERRUPTED)?.last_error).toBe('WorkerShutdown {"detail":{"pod":"queue-7"}}');
    expect(paused.structured.progress.runs_by_status).toEqual({ Paused: 1, Running: 1 });
    expect(paused.structured.next_step).toMatch(/"Paused", which this server does not know/);
    expect(paused.text).toMatch(/Export \S+: Paused/);
  });

  it("diagnose_export classifies error objects, plans all_experiments replacements and works without a bucket name", async () => {
    type Out = {
      failure_mode: string;
      status: string;
      evidence: string[];
      runs: Array<{ run_id: string; decisive_error: string | null; failure_mode: string }>;
      retry_plan: {
        create_export_calls: Array<{ project: string | null; all_experiments?: boolean; destination: string }>;
        pre_retry_check?: string;
        notes: string[];
      } | null;
    };
    const { structured } = await ok<Out>("diagnose_export", { export_id: EXP_ALL_FAILED });
    expect(structured.failure_mode).toBe("destination_error");
    const denied = structured.runs.find((r) => r.run_id === RUN_DENIED)!;
    expect(denied).toMatchObject({ failure_mode: "destination_error" });
    expect(denied.decisive_error).toContain("ClientError: Access Denied");
    expect(structured.evidence).toContain("Scope: all experiments of the workspace (no project).");
    expect(structured.retry_plan?.create_export_calls.length).toBeGreaterThan(0);
    for (const call of structured.retry_plan!.create_export_calls) {
      expect(call).toMatchObject({ all_experiments: true });
      absent(call, "project");
    }
    expect(structured.retry_plan?.notes.join(" ")).toMatch(/all_experiments: true/);
    expect(structured.retry_plan?.pre_retry_check).toContain("<bucket name: LangSmith returned none>");
    expect(structured.retry_plan?.pre_retry_check).not.toContain("s3://null");
  });

  it("diagnose_export says it does not know a status, and does not read it as a known one", async () => {
    type Out = { status: string; verdict: string; confidence: string; failure_mode: string; evidence: string[]; remediation: string[] };
    const { structured, text } = await ok<Out>("diagnose_export", { export_id: EXP_PAUSED });
    expect(structured.status).toBe("Paused");
    expect(structured.verdict).toMatch(/^LangSmith reports status "Paused", which this server does not know/);
    expect(structured.confidence).not.toBe("high");
    expect(structured.failure_mode).not.toBe("workflow_timeout");
    expect(structured.evidence.join("\n")).toMatch(/Run statuses this server does not know: "Paused" \(1 run\)/);
    expect(structured.remediation[0]).toMatch(/"Paused"/);
    expect(text).toContain("Paused");
  });

  it("create_export sends the documented export_fields and reports the compression LangSmith stored", async () => {
    pool()
      .intercept({ path: "/api/v1/bulk-exports", method: "POST" })
      .reply(
        200,
        {
          ...exportPaused,
          id: EXP_NEW,
          status: "Created",
          compression: "zstandard",
          export_fields: ["id", "parent_run_ids", "trace_tier"],
          paused_reason: undefined,
        },
        json,
      );
    type Out = {
      export: { id: string; compression: string | null };
      compression: { requested: string | null; stored: string | null; explanation: string };
      notes: string[];
    };
    const { structured, text } = await ok<Out>("create_export", {
      project: PROJECT,
      destination: DEST_AWS,
      start_time: "2025-06-01T00:00:00Z",
      end_time: "2025-06-03T00:00:00Z",
      export_fields: ["id", "parent_run_ids", "trace_tier"],
    });
    const [sent] = sentBodies("POST", "/api/v1/bulk-exports");
    expect(sent).toMatchObject({
      session_id: PROJECT,
      bulk_export_destination_id: DEST_AWS,
      export_fields: ["id", "parent_run_ids", "trace_tier"],
    });
    expect(sent).not.toHaveProperty("compression");
    expect(structured.compression).toMatchObject({ stored: "zstandard" });
    absent(structured.compression, "requested");
    expect(structured.compression.explanation).toMatch(/No compression given: LangSmith stored zstandard, its default/);
    expect(structured.compression.explanation).toMatch(/gzip/);
    expect((structured.notes ?? []).join(" ")).not.toMatch(/not among the documented fields/);
    expect(text).toMatch(/Compression: No compression given: LangSmith stored zstandard/);
  });

  it("create_export says so when LangSmith's answer leaves the compression out", async () => {
    const { compression: _omitted, ...withoutCompression } = {
      ...exportAllRunning,
      id: EXP_NEW,
      session_id: PROJECT,
      status: "Created",
    } as Record<string, unknown>;
    pool().intercept({ path: "/api/v1/bulk-exports", method: "POST" }).reply(200, withoutCompression, json);
    type Out = { compression: { requested: string | null; stored: string | null; explanation: string } };
    const { structured } = await ok<Out>("create_export", {
      project: PROJECT,
      destination: "acme traces",
      start_time: "2025-06-01T00:00:00Z",
      end_time: "2025-06-02T00:00:00Z",
      compression: "gzip",
    });
    expect(sentBodies("POST", "/api/v1/bulk-exports")[0]).toMatchObject({ compression: "gzip" });
    expect(structured.compression).toEqual({
      requested: "gzip",
      explanation: "Requested gzip; LangSmith's answer does not say which compression it stored.",
    });
  });

  it("cancel_export plans and cancels an all-experiments export, and names an unknown status in its plan", async () => {
    type Out = { cancelled: boolean; export: { status: string; project_id: string | null }; confirmation_token?: string };
    const plan = await ok<Out>("cancel_export", { export_id: EXP_ALL_RUNNING });
    expect(plan.structured).toMatchObject({ cancelled: false });
    absent(plan.structured.export, "project_id");
    expect(plan.text).toContain("all experiments (no project)");
    pool()
      .intercept({ path: `/api/v1/bulk-exports/${EXP_ALL_RUNNING}`, method: "PATCH" })
      .reply(200, { ...exportAllRunning, status: "Cancelled", finished_at: "2025-06-03T12:00:00Z" }, json);
    const done = await ok<Out>("cancel_export", { export_id: EXP_ALL_RUNNING, confirmation_token: plan.structured.confirmation_token });
    expect(done.structured).toMatchObject({ cancelled: true, export: { status: "Cancelled" } });
    absent(done.structured.export, "project_id");

    const pausedPlan = await ok<Out>("cancel_export", { export_id: EXP_PAUSED });
    expect(pausedPlan.text).toMatch(/Paused, a status this server does not know/);
  });

  it("list_destinations and rotate_destination_credentials show a destination whose bucket name is null", async () => {
    type ListOut = { destinations: Array<{ id: string; bucket_name: string | null; destination_type: string | null }> };
    const list = await ok<ListOut>("list_destinations", {});
    absent(
      list.structured.destinations.find((d) => d.id === DEST_GCS),
      "bucket_name",
      "destination_type",
    );
    expect(list.text).toContain("(bucket not returned)");

    type RotateOut = {
      rotated: boolean;
      destination: { bucket_name: string | null };
      plan: { running_exports_on_destination: string[]; steps: string[] };
      confirmation_token?: string;
    };
    const args = { destination: DEST_GCS, access_key_id: "GOOGTS7C7FUP3AIRVJTE2BCD", secret_access_key: "s".repeat(40) };
    const plan = await ok<RotateOut>("rotate_destination_credentials", args);
    expect(plan.structured.plan.running_exports_on_destination).toEqual([EXP_ALL_RUNNING]);
    expect(plan.structured.plan.steps[0]).toContain("(bucket not returned)");
    pool()
      .intercept({ path: `/api/v1/bulk-exports/destinations/${DEST_GCS}`, method: "PATCH" })
      .reply(200, { ...destinationGcsNoBucket, credentials_keys: ["access_key_id", "secret_access_key"] }, json);
    const rotated = await ok<RotateOut>("rotate_destination_credentials", {
      ...args,
      confirmation_token: plan.structured.confirmation_token,
    });
    expect(rotated.structured).toMatchObject({ rotated: true });
    absent(rotated.structured.destination, "bucket_name");
  });

  it("create_destination reads an answer without destination_type and with unknown config fields", async () => {
    pool()
      .intercept({ path: "/api/v1/bulk-exports/destinations", method: "POST" })
      .reply(
        200,
        {
          id: DEST_AWS,
          tenant_id: TENANT,
          display_name: "acme traces",
          config: {
            bucket_name: "acme-traces",
            prefix: "",
            region: "eu-west-1",
            s3_additional_kwargs: { ServerSideEncryption: "aws:kms" },
          },
          credentials_keys: ["access_key_id", "secret_access_key"],
          created_at: "2025-06-03T12:00:00Z",
          updated_at: "2025-06-03T12:00:00Z",
        },
        json,
      );
    type Out = { destination: { bucket_name: string | null; destination_type: string | null; include_bucket_in_prefix: boolean | null } };
    const { structured } = await ok<Out>("create_destination", {
      display_name: "acme traces",
      bucket_name: "acme-traces",
      region: "eu-west-1",
      access_key_id: "AKIAIOSFODNN7EXAMPLE",
      secret_access_key: "s".repeat(40),
    });
    expect(structured.destination).toMatchObject({ bucket_name: "acme-traces" });
    // Absent rather than null: structuredContent leaves out what LangSmith did not say.
    expect(structured.destination).not.toHaveProperty("destination_type");
    expect(structured.destination).not.toHaveProperty("include_bucket_in_prefix");
  });

  it("the exports://{id}/runs resource keeps error objects as objects", async () => {
    const result = await client.readResource({ uri: `exports://${EXP_ALL_FAILED}/runs` });
    const first = result.contents[0] as { text: string };
    const view = JSON.parse(first.text) as {
      runs: Array<{ id: string; errors: Record<string, unknown> | null; metadata: { result: { pending_upload: unknown } | null } }>;
    };
    const denied = view.runs.find((r) => r.id === RUN_DENIED)!;
    expect(denied.errors?.retry_2).toEqual({ message: "Access Denied", type: "ClientError", retry_number: 2 });
    expect(denied.errors?.retry_1).toBe(503);
    expect(denied.metadata.result?.pending_upload).toEqual({
      target_cursor: "cursor-1",
      file_path: "b/part-00000.parquet",
      rows_count: 500,
    });
  });
});
