/**
 * Every export tool against the simulator's variants of what LangSmith may answer: an export of
 * all experiments (`session_id: null`), export-run errors recorded as objects, and statuses no
 * document lists. The simulator's controls `POST /_sim/exports/all-experiments`,
 * `POST /_sim/config {exportRunErrorsAsObjects}` and `POST /_sim/exports/:id/force-status`
 * make them; each tool must answer without isError, show the value as sent, and return
 * structuredContent that validates against the outputSchema it lists.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control } from "../../src/simulator/testing.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";

const DAY = 86_400_000;
/** The simulator's fixed clock: every time in this file derives from it, never from the real one. */
const NOW = Date.parse("2026-03-04T12:00:00Z");
const utcMidnight = (daysAgo: number) => new Date(Math.floor(NOW / DAY) * DAY - daysAgo * DAY).toISOString();
const ALL_EXPERIMENTS = "all experiments (no project)";

interface ExportView {
  id: string;
  status: string;
  status_known: boolean;
  project_id: string | null;
  scope: string;
}

describe("export tools against the simulator's LangSmith variants (in memory)", () => {
  let stack: InMemoryStack;
  let destinationId: string;
  const validators = new Map<string, ValidateFunction>();

  const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  async function ok<T = Record<string, unknown>>(name: string, args: Record<string, unknown>): Promise<{ structured: T; text: string }> {
    const result = await stack.call(name, args);
    const text = textOf(result);
    expect(result.isError, `${name}: ${text}`).toBeFalsy();
    const validate = validators.get(name)!;
    expect(validate(result.structuredContent), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    return { structured: result.structuredContent as T, text };
  }
  const sim = (method: string, path: string, body?: unknown) => control(stack.sim, method, path, body);
  const advance = (seconds: number) => sim("POST", "clock", { advance_seconds: seconds });
  async function allExperimentsExport(daysAgo: number): Promise<string> {
    const res = await sim("POST", "exports/all-experiments", {
      start_time: utcMidnight(daysAgo),
      end_time: utcMidnight(daysAgo - 1),
      destination_id: destinationId,
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    expect(res.body.session_id).toBeNull();
    return res.body.id as string;
  }
  async function projectExport(args: Record<string, unknown> = {}): Promise<string> {
    const { structured } = await ok<{ export: ExportView }>("create_export", {
      project: "checkout-bot",
      destination: destinationId,
      start_time: utcMidnight(3),
      end_time: utcMidnight(2),
      ...args,
    });
    return structured.export.id;
  }
  const rawExport = async (id: string) =>
    (await fetch(`${stack.sim.url}/api/v1/bulk-exports/${id}`, { headers: { "x-api-key": stack.sim.apiKey } }).then((r) =>
      r.json(),
    )) as Record<string, unknown>;

  beforeAll(async () => {
    stack = await startInMemoryStack({ sim: { now: NOW, realNow: () => NOW } });
    const ajv = new Ajv2020({ strict: true, allErrors: true, strictRequired: false });
    addFormats.default(ajv);
    for (const tool of (await stack.client.listTools()).tools) validators.set(tool.name, ajv.compile(tool.outputSchema!));
    const { fullAccess } = stack.sim.storage.credentials;
    const created = await ok<{ destination: { id: string } }>("create_destination", {
      display_name: "variants",
      bucket_name: stack.sim.storage.buckets.traces,
      prefix: "variants",
      region: "eu-west-1",
      access_key_id: fullAccess.access_key_id,
      secret_access_key: fullAccess.secret_access_key,
    });
    destinationId = created.structured.destination.id;
  });

  afterAll(async () => {
    await stack?.close();
  });

  describe("an export of all experiments (session_id null)", () => {
    it("list_exports, export_status and diagnose_export show it without a project", async () => {
      const id = await allExperimentsExport(3);
      const listed = await ok<{ exports: ExportView[] }>("list_exports", { limit: 200 });
      expect(listed.structured.exports.find((e) => e.id === id)).toMatchObject({ scope: ALL_EXPERIMENTS });
      expect(listed.structured.exports.find((e) => e.id === id)).not.toHaveProperty("project_id");
      expect(listed.text).toContain(ALL_EXPERIMENTS);

      const status = await ok<{ export: ExportView }>("export_status", { export_id: id });
      expect(status.structured.export).toMatchObject({ id });
      expect(status.structured.export).not.toHaveProperty("project_id");
      expect(status.text).toContain(ALL_EXPERIMENTS);

      await advance(6 * 3600);
      await ok("export_status", { export_id: id });
      const diagnosis = await ok<{ export_id: string; evidence: string[] }>("diagnose_export", { export_id: id });
      expect(diagnosis.structured.evidence).toContain("Scope: all experiments of the workspace (no project).");
      await ok("list_exports", { project: "checkout-bot" });
    });

    it("cancel_export cancels it, and rotate_destination_credentials counts it on its destination", async () => {
      const id = await allExperimentsExport(5);
      const rotation = { destination: destinationId, ...pick(stack.sim.storage.credentials.fullAccess) };
      const rotatePlan = await ok<{ plan: { running_exports_on_destination: string[] }; confirmation_token: string }>(
        "rotate_destination_credentials",
        rotation,
      );
      expect(rotatePlan.structured.plan.running_exports_on_destination).toContain(id);
      await ok("rotate_destination_credentials", { ...rotation, confirmation_token: rotatePlan.structured.confirmation_token });

      const plan = await ok<{ export: ExportView; confirmation_token: string }>("cancel_export", { export_id: id });
      expect(plan.structured.export).not.toHaveProperty("project_id");
      expect(plan.text).toContain(ALL_EXPERIMENTS);
      const done = await ok<{ cancelled: boolean; export: ExportView }>("cancel_export", {
        export_id: id,
        confirmation_token: plan.structured.confirmation_token,
      });
      expect(done.structured).toMatchObject({ cancelled: true, export: { status: "Cancelled" } });
      expect(done.structured.export).not.toHaveProperty("project_id");
    });
  });

  describe("export-run errors recorded as objects", () => {
    it("export_status, diagnose_export and the runs resource read them", async () => {
      expect((await sim("POST", "config", { exportRunErrorsAsObjects: true })).status).toBeLessThan(300);
      try {
        const id = await projectExport();
        await sim("POST", "export-faults", { export_id: id, scenario: "serialization_error" });
        await advance(20 * 3600);

        const raw = (await fetch(`${stack.sim.url}/api/v1/bulk-exports/${id}/runs`, { headers: { "x-api-key": stack.sim.apiKey } }).then(
          (r) => r.json(),
        )) as Array<{ errors: Record<string, unknown> | null }>;
        const values = raw.flatMap((r) => Object.values(r.errors ?? {}));
        expect(values.length).toBeGreaterThan(0);
        expect(values.some((v) => typeof v === "object" && v !== null)).toBe(true);

        const status = await ok<{ export: ExportView; runs: Array<{ last_error: string | null }> }>("export_status", { export_id: id });
        const lastErrors = status.structured.runs.map((r) => r.last_error).filter((e): e is string => e !== null);
        expect(lastErrors.length).toBeGreaterThan(0);
        for (const e of lastErrors) expect(e).not.toContain("[object Object]");

        const diagnosis = await ok<{ failure_mode: string; runs: Array<{ decisive_error: string | null }> }>("diagnose_export", {
          export_id: id,
        });
        expect(diagnosis.structured.failure_mode).toBe("terminal_processing_error");
        expect(diagnosis.structured.runs[0]?.decisive_error).not.toContain("[object Object]");

        const resource = await stack.client.readResource({ uri: `exports://${id}/runs` });
        const view = JSON.parse((resource.contents[0] as { text: string }).text) as {
          runs: Array<{ errors: Record<string, unknown> | null }>;
        };
        expect(view.runs.flatMap((r) => Object.values(r.errors ?? {})).some((v) => typeof v === "object" && v !== null)).toBe(true);
      } finally {
        await sim("POST", "config", { exportRunErrorsAsObjects: false });
      }
    });
  });

  describe("statuses no document lists", () => {
    it("every export tool shows a forced status as sent and says it does not know it", async () => {
      const id = await projectExport({ start_time: utcMidnight(8), end_time: utcMidnight(6) });
      const forced = await sim("POST", `exports/${id}/force-status`, { status: "Paused", run_status: "Paused" });
      expect(forced.status, JSON.stringify(forced.body)).toBeLessThan(300);

      const listed = await ok<{ exports: ExportView[]; counts_by_status: Record<string, number> }>("list_exports", {
        status: "paused",
        limit: 200,
      });
      expect(listed.structured.exports.map((e) => e.id)).toContain(id);
      expect(listed.structured.exports.find((e) => e.id === id)).toMatchObject({ status: "Paused", status_known: false });
      expect(listed.structured.counts_by_status.Paused).toBeGreaterThanOrEqual(1);

      const status = await ok<{ export: ExportView; runs: Array<{ status: string }>; next_step: string }>("export_status", {
        export_id: id,
      });
      expect(status.structured.export.status).toBe("Paused");
      expect(status.structured.runs.length).toBeGreaterThan(0);
      for (const run of status.structured.runs) expect(run.status).toBe("Paused");
      expect(status.structured.next_step).toMatch(/"Paused", which this server does not know/);

      const diagnosis = await ok<{ status: string; verdict: string; confidence: string }>("diagnose_export", { export_id: id });
      expect(diagnosis.structured.status).toBe("Paused");
      expect(diagnosis.structured.verdict).toMatch(/"Paused", which this server does not know/);
      expect(diagnosis.structured.confidence).not.toBe("high");

      const plan = await ok<{ cancelled: boolean; confirmation_token: string }>("cancel_export", { export_id: id });
      expect(plan.text).toMatch(/Paused, a status this server does not know/);
      const done = await ok<{ cancelled: boolean; export: ExportView }>("cancel_export", {
        export_id: id,
        confirmation_token: plan.structured.confirmation_token,
      });
      expect(done.structured.cancelled).toBe(true);
    });

    it("an unknown run status under a known export status is shown as sent", async () => {
      const id = await projectExport({ start_time: utcMidnight(10), end_time: utcMidnight(9) });
      expect((await sim("POST", `exports/${id}/force-status`, { run_status: "Throttled" })).status).toBeLessThan(300);
      const status = await ok<{ runs: Array<{ status: string }>; progress: { runs_by_status: Record<string, number> } }>("export_status", {
        export_id: id,
      });
      expect(status.structured.runs.map((r) => r.status)).toContain("Throttled");
      expect(status.structured.progress.runs_by_status.Throttled).toBeGreaterThanOrEqual(1);
      const diagnosis = await ok<{ evidence: string[] }>("diagnose_export", { export_id: id });
      expect(diagnosis.structured.evidence.join("\n")).toMatch(/Run statuses this server does not know: "Throttled"/);
    });
  });

  it("create_export reports the compression the simulator stored when none was given", async () => {
    const result = await ok<{ export: ExportView; compression: { requested: string | null; stored: string | null; explanation: string } }>(
      "create_export",
      {
        project: "checkout-bot",
        destination: destinationId,
        start_time: utcMidnight(12),
        end_time: utcMidnight(11),
        export_fields: ["id", "name", "start_time"],
      },
    );
    const stored = (await rawExport(result.structured.export.id))["compression"];
    expect(result.structured.compression).toMatchObject({ stored });
    expect(result.structured.compression).not.toHaveProperty("requested");
    expect(result.structured.compression.explanation).toMatch(/zstandard/);
  });
});

function pick(credentials: { access_key_id: string; secret_access_key: string }) {
  return { access_key_id: credentials.access_key_id, secret_access_key: credentials.secret_access_key };
}
