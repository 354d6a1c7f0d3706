import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkFilter, compileFilter } from "../../filter/index.js";
import { BulkExportListSchema, BulkExportRunListSchema, BulkExportSchema } from "../../langsmith/export-schemas.js";
import { startSimulator, type RunningSimulator } from "../index.js";
import { apiCall, control } from "../testing.js";

const EXPORTS = "/api/v1/bulk-exports";
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
  const destination = await apiCall(sim, "POST", `${EXPORTS}/destinations`, {
    display_name: "traces",
    config: { bucket_name: sim.storage.buckets.traces, region: "eu-west-1", prefix: "exports" },
    credentials: sim.storage.credentials.fullAccess,
  });
  destinationId = destination.body.id;
  sessionId = sim.store.projectByName(sim.workspaceId, "checkout-bot")?.id ?? "";
});

const createExport = (overrides: Record<string, unknown> = {}) =>
  apiCall(sim, "POST", EXPORTS, {
    bulk_export_destination_id: destinationId,
    session_id: sessionId,
    start_time: "2025-05-22T00:00:00Z",
    end_time: "2025-06-01T00:00:00Z",
    ...overrides,
  });
const runsOf = async (id: string) => BulkExportRunListSchema.parse((await apiCall(sim, "GET", `${EXPORTS}/${id}/runs`)).body);
const exportOf = async (id: string) => BulkExportSchema.parse((await apiCall(sim, "GET", `${EXPORTS}/${id}`)).body);
const advance = (seconds: number) => control(sim, "POST", "clock", { advance_seconds: seconds });

/** What the export must write: the project's runs in [start, end) matching the filter. */
function matchingRows(start: string, end: string, filter?: string): number {
  const predicate = filter ? compileFilter(checkFilter(filter).expr) : () => true;
  return sim.store
    .runsOfProject(sessionId)
    .filter((r) => r.start_time >= Date.parse(start) && r.start_time < Date.parse(end) && predicate(sim.store.filterable(r))).length;
}

describe("POST /api/v1/bulk-exports validation", () => {
  it("422s shapes and enums, 400s meanings, 404s unknown ids", async () => {
    const missing = await apiCall(sim, "POST", EXPORTS, { start_time: "2025-05-01T00:00:00Z" });
    expect(missing.status).toBe(422);
    expect(missing.body.detail.map((d: { loc: string[] }) => d.loc[1])).toEqual(["bulk_export_destination_id", "session_id"]);
    const enums = await createExport({ format: "CSV", compression: "lz4", format_version: "v3", interval_hours: 200, end_time: undefined });
    expect(enums.body.detail.map((d: { loc: string[] }) => d.loc[1])).toEqual([
      "format",
      "format_version",
      "compression",
      "interval_hours",
    ]);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ end_time: "2025-05-22T00:00:00Z" }, 400, "start_time must be before end_time"],
      [{ end_time: undefined }, 400, "end_time is required unless interval_hours"],
      [{ filter: 'and(eq(run_type, "llm")' }, 400, "Invalid filter: expected"],
      [{ bulk_export_destination_id: "00000000-0000-4000-8000-000000000000" }, 404, "Bulk export destination"],
      [{ session_id: "00000000-0000-4000-8000-000000000000" }, 404, "Session not found"],
    ];
    for (const [body, status, detail] of cases) {
      const res = await createExport(body);
      expect(res.status, detail).toBe(status);
      expect(res.body.detail).toContain(detail);
    }
    expect((await createExport({ filter: "eq(run_type" })).body.detail).toMatch(/column \d+/);
    // An unknown export field is a shape error: FastAPI's 422 list, naming the item.
    const unknownField = await createExport({ export_fields: ["id", "prompt"] });
    expect(unknownField.status).toBe(422);
    expect(unknownField.body.detail).toEqual([expect.objectContaining({ loc: ["body", "export_fields", 1], type: "enum" })]);
    expect((await apiCall(sim, "GET", EXPORTS)).body).toEqual([]);
  });
});

describe("a clean export across ten days", () => {
  it("runs one partition per UTC day and writes every matching row exactly once", async () => {
    const created = await createExport();
    expect(created.status).toBe(200);
    const exp = BulkExportSchema.parse(created.body);
    expect(exp).toMatchObject({
      status: "Running",
      format: "Parquet",
      format_version: "v1",
      compression: "zstandard",
      finished_at: null,
      source_bulk_export_id: null,
    });
    const started = await runsOf(exp.id);
    expect(started.map((r) => r.metadata.start_time.slice(0, 10))).toEqual([
      "2025-05-22",
      "2025-05-23",
      "2025-05-24",
      "2025-05-25",
      "2025-05-26",
      "2025-05-27",
      "2025-05-28",
      "2025-05-29",
      "2025-05-30",
      "2025-05-31",
    ]);

    await advance(5);
    const midway = await runsOf(exp.id);
    const busiest = midway[9];
    expect(busiest?.status).toBe("Running");
    expect(busiest?.metadata.result?.rows_written).toBeGreaterThan(0);
    expect(busiest?.metadata.result?.pending_upload).toEqual({
      file_path: expect.stringMatching(/\.zstd\.parquet$/),
      rows_count: expect.any(Number),
      target_cursor: expect.any(String),
    });

    await advance(3600);
    const done = await exportOf(exp.id);
    expect(done.status).toBe("Completed");
    expect(done.finished_at).not.toBeNull();
    const runs = await runsOf(exp.id);
    let total = 0;
    const files: string[] = [];
    for (const run of runs) {
      const day = run.metadata.start_time.slice(0, 10);
      const rows = matchingRows(`${day}T00:00:00Z`, run.metadata.end_time.replace(/(\.\d+)?$/, "Z"));
      expect(run).toMatchObject({ status: "Completed", retry_number: 0, errors: null });
      expect(run.metadata.result?.rows_written).toBe(rows);
      expect(run.metadata.result?.exported_files).toHaveLength(Math.ceil(rows / 100));
      expect(run.metadata.result?.pending_upload).toBeNull();
      total += rows;
      files.push(...(run.metadata.result?.exported_files ?? []));
    }
    expect(total).toBe(matchingRows("2025-05-22T00:00:00Z", "2025-06-01T00:00:00Z"));
    expect(new Set(files).size).toBe(files.length);
    const [y, m, d] = ["2025", "05", "31"];
    expect(files).toContain(
      `acme-traces/exports/export_id=${exp.id}/tenant_id=${sim.workspaceId}/session_id=${sessionId}/runs/year=${y}/month=${m}/day=${d}` +
        `/part-00000.zstd.parquet`,
    );
    const stored = [...(sim.objectStore.buckets.get("acme-traces")?.objects.keys() ?? [])].filter((k) => k.includes(`export_id=${exp.id}`));
    expect(stored.sort()).toEqual([...files].sort());
    expect(BulkExportListSchema.parse((await apiCall(sim, "GET", EXPORTS)).body).map((e) => e.id)).toEqual([exp.id]);
    expect((await apiCall(sim, "GET", `${EXPORTS}/${exp.id}/runs/${runs[3]?.id}`)).body).toEqual(runs[3]);
  });

  it("exports only the rows its filter matches, clipping partial first and last days, with the codec in file names", async () => {
    const filter = 'eq(run_type, "llm")';
    const start = "2025-05-29T12:00:00Z";
    const end = "2025-05-31T06:00:00Z";
    const exp = (
      await createExport({ start_time: start, end_time: end, filter, compression: "snappy", export_fields: ["id", "name", "inputs"] })
    ).body;
    await advance(3600);
    const runs = await runsOf(exp.id);
    expect(runs.map((r) => [r.metadata.start_time, r.metadata.end_time])).toEqual([
      ["2025-05-29T12:00:00.000000", "2025-05-30T00:00:00.000000"],
      ["2025-05-30T00:00:00.000000", "2025-05-31T00:00:00.000000"],
      ["2025-05-31T00:00:00.000000", "2025-05-31T06:00:00.000000"],
    ]);
    expect(runs.reduce((n, r) => n + (r.metadata.result?.rows_written ?? 0), 0)).toBe(matchingRows(start, end, filter));
    expect(runs.flatMap((r) => r.metadata.result?.exported_files ?? []).every((f) => f.endsWith(".snappy.parquet"))).toBe(true);
  });
});

describe("concurrency limits", () => {
  it("keeps runs and exports over the limits waiting as Created until slots free", async () => {
    await control(sim, "POST", "config", { exports: { max_runs_per_export: 2, max_exports_per_workspace: 1 } });
    const first = (await createExport({ start_time: "2025-05-28T00:00:00Z" })).body;
    const second = (await createExport({ start_time: "2025-05-29T00:00:00Z" })).body;
    expect(first.status).toBe("Running");
    expect(second.status).toBe("Created");
    expect((await runsOf(first.id)).map((r) => r.status)).toEqual(["Running", "Running", "Created", "Created"]);
    expect((await runsOf(second.id)).every((r) => r.status === "Created" && r.metadata.result === null)).toBe(true);

    await advance(2);
    const runs = await runsOf(first.id);
    expect(runs.filter((r) => r.status === "Running").length).toBeLessThanOrEqual(2);
    expect((await exportOf(second.id)).status).toBe("Created");

    await advance(3600);
    expect((await exportOf(first.id)).status).toBe("Completed");
    expect((await exportOf(second.id)).status).toBe("Completed");
  });
});

describe("cancel", () => {
  it("cancels the export and its unfinished runs; it cannot be restarted", async () => {
    const exp = (await createExport()).body;
    await advance(5);
    const res = await apiCall(sim, "PATCH", `${EXPORTS}/${exp.id}`, { status: "Cancelled" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "Cancelled" });
    expect(res.body.finished_at).not.toBeNull();
    const runs = await runsOf(exp.id);
    expect(runs.every((r) => r.status === "Completed" || r.status === "Cancelled")).toBe(true);
    expect(runs.some((r) => r.status === "Cancelled" && r.finished_at !== null)).toBe(true);
    for (const status of ["Cancelled", "Running"]) {
      const again = await apiCall(sim, "PATCH", `${EXPORTS}/${exp.id}`, { status });
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain("cannot be restarted");
    }
    await advance(3600);
    expect((await exportOf(exp.id)).status).toBe("Cancelled");
  });
});

describe("workflow timeout", () => {
  it("times the export and its unfinished runs out when the workflow exceeds its limit", async () => {
    await control(sim, "POST", "config", { exports: { workflow_timeout_hours: 1, rows_per_second: 0.02, rows_per_file: 10 } });
    const exp = (await createExport({ start_time: "2025-05-30T00:00:00Z" })).body;
    await advance(3599);
    expect((await exportOf(exp.id)).status).toBe("Running");
    await advance(1);
    const timedOut = await exportOf(exp.id);
    expect(timedOut.status).toBe("TimedOut");
    expect(timedOut.finished_at).toBe("2025-06-01T01:00:00.000000");
    const runs = await runsOf(exp.id);
    expect(runs.map((r) => r.status)).toEqual(["TimedOut", "TimedOut"]);
    expect(runs.every((r) => (r.metadata.result?.rows_written ?? 0) > 0)).toBe(true);
  });
});

describe("scheduled exports", () => {
  it("spawn a child export per elapsed interval under an IntervalScheduled parent", async () => {
    const parent = (await createExport({ start_time: "2025-05-31T00:00:00Z", end_time: undefined, interval_hours: 6 })).body;
    expect(parent).toMatchObject({ status: "IntervalScheduled", interval_hours: 6, end_time: null });
    await advance(3600);
    const all = BulkExportListSchema.parse((await apiCall(sim, "GET", EXPORTS)).body);
    const children = all.filter((e) => e.source_bulk_export_id === parent.id);
    expect(children.map((c) => c.start_time)).toEqual([
      "2025-05-31T18:00:00.000000",
      "2025-05-31T12:00:00.000000",
      "2025-05-31T06:00:00.000000",
      "2025-05-31T00:00:00.000000",
    ]);
    expect(children.every((c) => c.status === "Completed")).toBe(true);
    expect((await apiCall(sim, "PATCH", `${EXPORTS}/${parent.id}`, { status: "Cancelled" })).body.status).toBe("Cancelled");
  });
});
