/**
 * Every API response of the simulator, checked against LangSmith's published OpenAPI. The
 * simulator runs in process with an `onResponse` hook; the test drives every route it serves
 * over real HTTP (successes and the error statuses it produces) and validates each body
 * against the schema the merged spec gives for that path, method and status. The documented
 * exceptions are in response-validator.ts; a response carrying a status forced through the
 * control API is exempt (it emulates a newer server than the spec) and counted apart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIMULATOR_ROUTES, startSimulator, type ResponseInfo, type RunningSimulator, type SimRun } from "../../src/simulator/index.js";
import { apiCall, control } from "../../src/simulator/testing.js";
import { SpecResponseValidator } from "./response-validator.js";

const NOW = "2025-06-01T12:00:00Z";
const DAY = 86_400_000;
const validator = new SpecResponseValidator();

const seen: ResponseInfo[] = [];
const failures: string[] = [];
const offSpec: ResponseInfo[] = [];
const exercised = new Map<string, Set<number>>();

function check(info: ResponseInfo): void {
  seen.push(info);
  if (info.routePattern !== null) {
    const key = `${info.method} ${info.routePattern}`;
    if (!exercised.has(key)) exercised.set(key, new Set());
    exercised.get(key)?.add(info.status);
  }
  if (info.offSpec) {
    offSpec.push(info);
    return;
  }
  const result = validator.validate(info.method, info.path, info.status, info.body);
  if (!result.ok)
    failures.push(`${info.method} ${info.path} → ${info.status} (against ${result.against}): ${result.errors.slice(0, 5).join("; ")}`);
}

let sim: RunningSimulator;
const V1 = ["/api/v1", ""] as const;
const V2 = ["/api/v2", "/v2"] as const;
const EXPORTS = "/api/v1/bulk-exports";
const DESTINATIONS = `${EXPORTS}/destinations`;
const MISSING = "00000000-0000-4000-8000-000000000000";
let checkout: string;
let support: string;

beforeAll(async () => {
  sim = await startSimulator({ now: NOW, scale: 0.1, plan: "enterprise", onResponse: check });
  await control(sim, "POST", "clock", { rate: 0 });
  checkout = sim.store.projectByName(sim.workspaceId, "checkout-bot")?.id ?? "";
  support = sim.store.projectByName(sim.workspaceId, "support-bot")?.id ?? "";
});
afterAll(() => sim.close());

const call = (method: string, path: string, body?: unknown, headers?: Record<string, string | undefined>) =>
  apiCall(sim, method, path, body, headers);
const asRun = (run: SimRun | undefined): SimRun => {
  if (!run) throw new Error("the seed has no such run");
  return run;
};
/** The v2 spelling of a run's start: RFC 3339 with six fractional digits. */
const v2Start = (run: SimRun): string => new Date(run.start_time).toISOString().replace("Z", `${String(run.start_us).padStart(3, "0")}Z`);

describe("auth and gateway answers", () => {
  it("401 for a bad key, 403 for an org key without a workspace or another workspace", async () => {
    for (const prefix of V1) {
      expect((await call("GET", `${prefix}/sessions`, undefined, { "x-api-key": "lsv2_pt_wrong" })).status).toBe(401);
      expect((await call("GET", `${prefix}/sessions`, undefined, { "x-api-key": sim.orgApiKey })).status).toBe(403);
      expect((await call("GET", `${prefix}/sessions`, undefined, { "x-tenant-id": MISSING })).status).toBe(403);
    }
    expect((await call("POST", "/api/v2/runs/query", { project_ids: [checkout] }, { "x-api-key": "lsv2_pt_wrong" })).status).toBe(401);
    expect((await call("POST", "/v2/runs/query", { project_ids: [checkout] }, { "x-api-key": sim.orgApiKey })).status).toBe(403);
  });
});

describe("info and sessions", () => {
  it("serves /info, the session list with and without stats, one session, and their errors", async () => {
    for (const prefix of V1) {
      expect((await call("GET", `${prefix}/info`)).status).toBe(200);
      expect((await call("GET", `${prefix}/sessions?include_stats=true&limit=100`)).status).toBe(200);
      expect((await call("GET", `${prefix}/sessions?name=checkout-bot`)).status).toBe(200);
      expect((await call("GET", `${prefix}/sessions?limit=0`)).status).toBe(422);
      expect((await call("GET", `${prefix}/sessions/${checkout}?include_stats=true`)).status).toBe(200);
      expect((await call("GET", `${prefix}/sessions/${support}`)).status).toBe(200);
      expect((await call("GET", `${prefix}/sessions/${MISSING}`)).status).toBe(404);
      expect((await call("GET", `${prefix}/sessions/not-a-uuid`)).status).toBe(422);
    }
  });
});

describe("v1 runs", () => {
  it("queries, validates and reads runs, with their errors", async () => {
    const run = asRun(sim.store.runsOfProject(checkout).find((r) => r.run_type === "llm" && r.status === "success"));
    const pending = asRun(sim.store.runsOfProject(checkout).find((r) => r.status === "pending"));
    for (const prefix of V1) {
      const full = await call("POST", `${prefix}/runs/query`, { session: [checkout, support], limit: 100 });
      expect(full.status).toBe(200);
      const next = await call("POST", `${prefix}/runs/query`, { session: [checkout, support], limit: 100, cursor: full.body.cursors.next });
      expect(next.status).toBe(200);
      expect((await call("POST", `${prefix}/runs/query`, { id: [pending.id, run.id] })).status).toBe(200);
      expect(
        (
          await call("POST", `${prefix}/runs/query`, {
            session: [checkout],
            select: ["name", "tags"],
            limit: 5,
            start_time: "2025-05-31T00:00:00.123456",
          })
        ).status,
      ).toBe(200);
      expect((await call("POST", `${prefix}/runs/query`, { session: ["nope"] })).status).toBe(422);
      expect((await call("POST", `${prefix}/runs/query`, {})).status).toBe(400);
      expect((await call("POST", `${prefix}/runs/query`, { session: [checkout], cursor: "forged" })).status).toBe(400);
      expect((await call("POST", `${prefix}/runs/query`, { session: [checkout], filter: "eq(run_type" })).status).toBe(400);
      expect((await call("POST", `${prefix}/runs/query`, { session: [MISSING] })).status).toBe(404);
      expect((await call("POST", `${prefix}/runs/query/validate`, { session: [checkout], filter: 'eq(run_type, "llm")' })).status).toBe(
        200,
      );
      expect((await call("POST", `${prefix}/runs/query/validate`, { session: ["nope"], filter: "eq(" })).status).toBe(200);
      expect((await call("POST", `${prefix}/runs/query/validate`, "[1]")).status).toBe(422);
      expect((await call("GET", `${prefix}/runs/${run.id}`)).status).toBe(200);
      expect((await call("GET", `${prefix}/runs/${pending.id}`)).status).toBe(200);
      expect((await call("GET", `${prefix}/runs/${MISSING}`)).status).toBe(404);
      expect((await call("GET", `${prefix}/runs/not-a-uuid`)).status).toBe(422);
    }
  });
});

describe("v2 runs and traces", () => {
  const ALL_SELECTS = [
    "ID",
    "NAME",
    "RUN_TYPE",
    "STATUS",
    "START_TIME",
    "END_TIME",
    "LATENCY_SECONDS",
    "FIRST_TOKEN_TIME",
    "ERROR",
    "ERROR_PREVIEW",
    "EXTRA",
    "METADATA",
    "EVENTS",
    "INPUTS",
    "INPUTS_PREVIEW",
    "OUTPUTS",
    "OUTPUTS_PREVIEW",
    "MANIFEST",
    "PARENT_RUN_IDS",
    "PROJECT_ID",
    "TRACE_ID",
    "THREAD_ID",
    "DOTTED_ORDER",
    "IS_ROOT",
    "REFERENCE_EXAMPLE_ID",
    "REFERENCE_DATASET_ID",
    "TOTAL_TOKENS",
    "PROMPT_TOKENS",
    "COMPLETION_TOKENS",
    "TOTAL_COST",
    "PROMPT_COST",
    "COMPLETION_COST",
    "PROMPT_TOKEN_DETAILS",
    "COMPLETION_TOKEN_DETAILS",
    "PROMPT_COST_DETAILS",
    "COMPLETION_COST_DETAILS",
    "PRICE_MODEL_ID",
    "TAGS",
    "APP_PATH",
    "ATTACHMENTS",
    "THREAD_EVALUATION_TIME",
    "IS_IN_DATASET",
    "SHARE_URL",
    "FEEDBACK_STATS",
  ];

  it("queries runs with every select, pages, and answers its errors as problem details", async () => {
    const window = { min_start_time: new Date(Date.parse(NOW) - 7 * DAY).toISOString(), max_start_time: NOW };
    for (const prefix of V2) {
      const first = await call("POST", `${prefix}/runs/query`, {
        project_ids: [checkout, support],
        selects: ALL_SELECTS,
        page_size: 200,
        ...window,
      });
      expect(first.status).toBe(200);
      expect(
        (
          await call("POST", `${prefix}/runs/query`, {
            project_ids: [checkout, support],
            selects: ALL_SELECTS,
            page_size: 200,
            ...window,
            cursor: first.body.next_cursor,
          })
        ).status,
      ).toBe(200);
      expect(
        (await call("POST", `${prefix}/runs/query`, { project_ids: [checkout], filter: 'eq(status, "pending")', selects: ALL_SELECTS }))
          .status,
      ).toBe(200);
      expect(
        (await call("POST", `${prefix}/runs/query`, { project_ids: [checkout], has_error: true, selects: ALL_SELECTS, ...window })).status,
      ).toBe(200);
      expect((await call("POST", `${prefix}/runs/query`, {})).status).toBe(400);
      expect((await call("POST", `${prefix}/runs/query`, { project_ids: [checkout], page_size: 0 })).status).toBe(400);
      expect((await call("POST", `${prefix}/runs/query`, { project_ids: [MISSING] })).status).toBe(404);
    }
  });

  it("pages on next_cursor alone with v2HasMore never", async () => {
    await control(sim, "POST", "config", { v2HasMore: "never" });
    const window = { min_start_time: new Date(Date.parse(NOW) - 7 * DAY).toISOString(), max_start_time: NOW };
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const res = await call("POST", "/api/v2/runs/query", {
        project_ids: [support],
        page_size: 1000,
        ...window,
        ...(cursor ? { cursor } : {}),
      });
      expect(res.status).toBe(200);
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(cursor).toBeUndefined();
    await control(sim, "POST", "config", { v2HasMore: "always" });
  });

  it("reads one run with or without its exact start_time, and 404s a start cut to milliseconds", async () => {
    const runs = [checkout, support].flatMap((id) => sim.store.runsOfProject(id));
    const picks = [
      asRun(runs.find((r) => r.run_type === "llm" && r.status === "success")),
      asRun(runs.find((r) => r.status === "pending")),
      asRun(runs.find((r) => r.status === "error")),
      asRun(runs.find((r) => r.thread_id !== null && r.feedback_stats !== null)),
    ];
    const shared = runs.find((r) => r.share_token !== null);
    if (shared) picks.push(shared);
    for (const prefix of V2) {
      for (const run of picks) {
        const selects = ALL_SELECTS.map((s) => `selects=${s}`).join("&");
        expect(
          (
            await call(
              "GET",
              `${prefix}/runs/${run.id}?project_id=${run.project_id}&start_time=${encodeURIComponent(v2Start(run))}&${selects}`,
            )
          ).status,
        ).toBe(200);
        expect((await call("GET", `${prefix}/runs/${run.id}?project_id=${run.project_id}&${selects}`)).status).toBe(200);
      }
      const [run] = picks as [SimRun];
      expect(
        (await call("GET", `${prefix}/runs/${run.id}?project_id=${run.project_id}&start_time=${new Date(run.start_time).toISOString()}`))
          .status,
      ).toBe(404);
      expect((await call("GET", `${prefix}/runs/${run.id}`)).status).toBe(400);
      expect((await call("GET", `${prefix}/runs/${run.id}?project_id=${run.project_id}&selects=NOPE`)).status).toBe(400);
    }
  });

  it("lists the runs of a trace with selects and a filter, and answers its errors", async () => {
    const root = asRun(sim.store.runsOfProject(checkout).find((r) => r.parent_run_id === null && r.status === "error"));
    const window = `min_start_time=${encodeURIComponent(new Date(root.start_time - 1000).toISOString())}&max_start_time=${encodeURIComponent(new Date(root.start_time + DAY).toISOString())}`;
    for (const prefix of V2) {
      const base = `${prefix}/traces/${root.trace_id}/runs?project_id=${checkout}&${window}`;
      expect(
        (await call("GET", `${base}&selects=NAME&selects=START_TIME&selects=END_TIME&selects=STATUS&selects=ERROR&selects=PARENT_RUN_IDS`))
          .status,
      ).toBe(200);
      expect((await call("GET", `${base}&filter=${encodeURIComponent('eq(run_type, "llm")')}`)).status).toBe(200);
      expect((await call("GET", `${prefix}/traces/${root.trace_id}/runs?project_id=${checkout}`)).status).toBe(400);
      expect((await call("GET", `${base}&filter=${encodeURIComponent("eq(")}`)).status).toBe(400);
      expect((await call("GET", `${prefix}/traces/${MISSING}/runs?project_id=${checkout}&${window}`)).status).toBe(404);
    }
  });

  it("answers 429 under the documented rate limits, v1 and v2", async () => {
    await control(sim, "POST", "config", { rate_limits: true });
    const statuses = new Set<number>();
    for (let i = 0; i < 16; i++) statuses.add((await call("POST", "/api/v2/runs/query", { project_ids: [checkout], page_size: 1 })).status);
    for (let i = 0; i < 16; i++) statuses.add((await call("POST", "/runs/query", { session: [checkout], limit: 1 })).status);
    expect(statuses).toContain(429);
    await control(sim, "POST", "config", { rate_limits: false });
  });

  it("has no v2 API on an install older than 0.16.0", async () => {
    await control(sim, "POST", "config", { langsmithVersion: "0.15.4" });
    expect((await call("GET", "/api/v1/info")).body.version).toBe("0.15.4");
    for (const prefix of V2) expect((await call("POST", `${prefix}/runs/query`, { project_ids: [checkout] })).status).toBe(404);
    expect((await call("POST", "/api/v1/runs/query", { session: [checkout], limit: 1 })).status).toBe(200);
    await control(sim, "POST", "config", { langsmithVersion: "0.16.2" });
  });
});

describe("run stats", () => {
  it("answers totals, groups, selects and an empty window, and the errors of a bad body", async () => {
    const window = { start_time: new Date(Date.parse(NOW) - 7 * DAY).toISOString(), end_time: NOW };
    for (const prefix of V1) {
      const path = `${prefix}/runs/stats`;
      expect((await call("POST", path, { session: [checkout, support], ...window })).status).toBe(200);
      expect(
        (
          await call("POST", path, {
            session: [checkout],
            is_root: true,
            filter: 'eq(status, "error")',
            select: ["run_count", "latency_avg", "all_token_stats"],
          })
        ).status,
      ).toBe(200);
      expect(
        (await call("POST", path, { session: [checkout], start_time: "2020-01-01T00:00:00Z", end_time: "2020-01-02T00:00:00Z" })).status,
      ).toBe(200);
      for (const attribute of ["name", "run_type", "tag"])
        expect((await call("POST", path, { session: [checkout], group_by: { attribute, max_groups: 3 } })).status).toBe(200);
      expect(
        (
          await call("POST", path, {
            session: [support],
            group_by: { attribute: "metadata", path: "thread_id" },
            select: ["run_count", "total_cost"],
          })
        ).status,
      ).toBe(200);
      expect(
        (await call("POST", path, { session: [checkout], group_by: { attribute: "run_type" }, groups: ["llm", "nothing"] })).status,
      ).toBe(200);
      expect((await call("POST", path, { session: [checkout], group_by: { attribute: "model" } })).status).toBe(422);
      expect((await call("POST", path, { session: [checkout], group_by: { attribute: "metadata" } })).status).toBe(422);
      expect((await call("POST", path, { session: [checkout], group_by: { attribute: "name", max_groups: 0 } })).status).toBe(422);
      expect((await call("POST", path, { session: [checkout], select: ["p95"] })).status).toBe(422);
      expect((await call("POST", path, { session: [checkout], filter: "eq(" })).status).toBe(400);
      expect((await call("POST", path, {})).status).toBe(400);
      expect((await call("POST", path, { session: [MISSING] })).status).toBe(404);
    }
  });
});

describe("threads", () => {
  const TRACE_SELECTS = [
    "THREAD_ID",
    "TRACE_ID",
    "OP",
    "PROMPT_TOKENS",
    "COMPLETION_TOKENS",
    "TOTAL_TOKENS",
    "START_TIME",
    "END_TIME",
    "LATENCY",
    "FIRST_TOKEN_TIME",
    "INPUTS_PREVIEW",
    "OUTPUTS_PREVIEW",
    "PROMPT_COST",
    "COMPLETION_COST",
    "TOTAL_COST",
    "PROMPT_TOKEN_DETAILS",
    "COMPLETION_TOKEN_DETAILS",
    "PROMPT_COST_DETAILS",
    "COMPLETION_COST_DETAILS",
    "NAME",
    "ERROR_PREVIEW",
  ];

  it("lists threads with pages and a filter, lists a thread's turns with every select, and answers their errors", async () => {
    const window = { min_start_time: new Date(Date.parse(NOW) - 30 * DAY).toISOString(), max_start_time: NOW };
    const roots = sim.store.runsOfProject(support).filter((r) => r.parent_run_id === null && r.thread_id !== null);
    const errored = asRun(roots.find((r) => r.status === "error"));
    const pending = roots.find((r) => r.status === "pending");
    for (const prefix of V2) {
      const first = await call("POST", `${prefix}/threads/query`, { project_id: support, page_size: 5, ...window });
      expect(first.status).toBe(200);
      expect(first.body.next_cursor).toBeTruthy();
      expect(
        (await call("POST", `${prefix}/threads/query`, { project_id: support, page_size: 5, ...window, cursor: first.body.next_cursor }))
          .status,
      ).toBe(200);
      expect(
        (await call("POST", `${prefix}/threads/query`, { project_id: support, filter: 'eq(status, "error")', ...window })).status,
      ).toBe(200);
      expect((await call("POST", `${prefix}/threads/query`, { project_id: support })).status).toBe(200);
      expect((await call("POST", `${prefix}/threads/query`, { project_id: checkout, ...window })).status).toBe(200);
      expect((await call("POST", `${prefix}/threads/query`, {})).status).toBe(400);
      expect((await call("POST", `${prefix}/threads/query`, { project_id: "support-bot" })).status).toBe(422);
      expect((await call("POST", `${prefix}/threads/query`, { project_id: support, page_size: 101 })).status).toBe(400);
      expect((await call("POST", `${prefix}/threads/query`, { project_id: support, cursor: "forged" })).status).toBe(400);
      expect((await call("POST", `${prefix}/threads/query`, { project_id: MISSING })).status).toBe(404);
      const selects = TRACE_SELECTS.map((s) => `selects=${s}`).join("&");
      for (const run of [errored, ...(pending ? [pending] : [])]) {
        const turns = await call("GET", `${prefix}/threads/${run.thread_id}/traces?project_id=${support}&${selects}&page_size=1`);
        expect(turns.status).toBe(200);
        if (turns.body.next_cursor)
          expect(
            (
              await call(
                "GET",
                `${prefix}/threads/${run.thread_id}/traces?project_id=${support}&page_size=1&cursor=${encodeURIComponent(turns.body.next_cursor)}`,
              )
            ).status,
          ).toBe(200);
      }
      expect(
        (
          await call(
            "GET",
            `${prefix}/threads/${errored.thread_id}/traces?project_id=${support}&filter=${encodeURIComponent('eq(status, "error")')}`,
          )
        ).status,
      ).toBe(200);
      expect((await call("GET", `${prefix}/threads/${errored.thread_id}/traces`)).status).toBe(400);
      expect((await call("GET", `${prefix}/threads/${errored.thread_id}/traces?project_id=${support}&selects=NOPE`)).status).toBe(400);
      expect((await call("GET", `${prefix}/threads/${MISSING}/traces?project_id=${support}`)).status).toBe(404);
    }
  });
});

describe("deletion and audit logs", () => {
  it("accepts deletions, answers their errors, and lists the audit trail", async () => {
    const root = asRun(sim.store.runsOfProject(support).find((r) => r.parent_run_id === null));
    for (const prefix of V1) {
      expect((await call("POST", `${prefix}/runs/delete`, { session_id: support, trace_ids: [root.id] })).status).toBe(200);
      expect((await call("POST", `${prefix}/runs/delete`, { metadata: { user_id: "123" } })).status).toBe(200);
      expect((await call("POST", `${prefix}/runs/delete`, {})).status).toBe(400);
      expect((await call("POST", `${prefix}/runs/delete`, { session_id: MISSING, trace_ids: [root.id] })).status).toBe(404);
      expect((await call("POST", `${prefix}/runs/delete`, { session_id: support, trace_ids: ["nope"] })).status).toBe(422);
      const org = { "x-organization-id": sim.organizationId };
      const window = `start_time=${encodeURIComponent(new Date(Date.parse(NOW) - DAY).toISOString())}&end_time=${encodeURIComponent(new Date(Date.parse(NOW) + DAY).toISOString())}`;
      const page = await call("GET", `${prefix}/audit-logs?${window}&operations=delete_runs&limit=1`, undefined, org);
      expect(page.status).toBe(200);
      expect((await call("GET", `${prefix}/audit-logs?${window}&limit=1&cursor=${page.body.cursor}`, undefined, org)).status).toBe(200);
      expect((await call("GET", `${prefix}/audit-logs?${window}&cursor=forged.sig`, undefined, org)).status).toBe(400);
      expect((await call("GET", `${prefix}/audit-logs?limit=1`, undefined, org)).status).toBe(422);
      expect((await call("GET", `${prefix}/audit-logs?${window}`)).status).toBe(403);
      expect((await call("GET", `${prefix}/audit-logs?${window}`, undefined, { ...org, "x-api-key": "lsv2_pt_wrong" })).status).toBe(401);
    }
  });
});

describe("bulk export destinations and exports", () => {
  let destination: string;
  const destinationBody = () => ({
    display_name: "traces",
    config: { bucket_name: sim.storage.buckets.traces, region: "eu-west-1", prefix: "exports" },
    credentials: sim.storage.credentials.fullAccess,
  });

  it("creates, lists, reads and rotates destinations, with their errors", async () => {
    const created = await call("POST", DESTINATIONS, destinationBody());
    expect(created.status).toBe(200);
    destination = created.body.id;
    expect((await call("POST", DESTINATIONS, { ...destinationBody(), credentials: sim.storage.credentials.readOnly })).status).toBe(400);
    expect((await call("POST", DESTINATIONS, { display_name: "" })).status).toBe(422);
    expect((await call("POST", DESTINATIONS, destinationBody(), { "x-api-key": sim.readOnlyApiKey })).status).toBe(403);
    expect((await call("GET", DESTINATIONS)).status).toBe(200);
    expect((await call("GET", `${DESTINATIONS}/${destination}`)).status).toBe(200);
    expect((await call("GET", `${DESTINATIONS}/${MISSING}`)).status).toBe(404);
    expect((await call("GET", `${DESTINATIONS}/nope`)).status).toBe(422);
    expect((await call("PATCH", `${DESTINATIONS}/${destination}`, { credentials: sim.storage.credentials.rotation })).status).toBe(200);
    expect((await call("PATCH", `${DESTINATIONS}/${destination}`, { credentials: sim.storage.credentials.readOnly })).status).toBe(400);
    expect((await call("PATCH", `${DESTINATIONS}/${destination}`, {})).status).toBe(422);
  });

  it("runs exports through every state the engine produces, and answers their errors", async () => {
    await control(sim, "POST", "config", { exports: { rows_per_file: 50, max_retries: 1, retry_delay_seconds: 30 } });
    const body = {
      bulk_export_destination_id: destination,
      session_id: checkout,
      start_time: "2025-05-29T00:00:00Z",
      end_time: "2025-06-01T00:00:00Z",
    };
    const clean = await call("POST", EXPORTS, { ...body, export_fields: ["id", "name", "parent_run_ids", "trace_tier"] });
    expect(clean.status).toBe(200);
    expect((await call("GET", `${EXPORTS}/${clean.body.id}/runs`)).status).toBe(200);
    await control(sim, "POST", "export-faults", { scenario: "infrastructure_interruption", times: 1 });
    const interrupted = await call("POST", EXPORTS, { ...body, compression: "gzip" });
    await control(sim, "POST", "clock", { advance_seconds: 2 });
    // Mid-flight: files in flight (pending_upload) and an interrupted attempt waiting for its retry.
    const midway = await call("GET", `${EXPORTS}/${interrupted.body.id}/runs`);
    expect(midway.status).toBe(200);
    expect(midway.body.some((r: { metadata: { result: { pending_upload: unknown } | null } }) => r.metadata.result?.pending_upload)).toBe(
      true,
    );
    await control(sim, "POST", "config", { exportRunErrorsAsObjects: true });
    await control(sim, "POST", "export-faults", { scenario: "serialization_error", times: -1 });
    const failing = await call("POST", EXPORTS, body);
    const scheduled = await call("POST", EXPORTS, { ...body, end_time: undefined, interval_hours: 24 });
    const all = await control(sim, "POST", "exports/all-experiments", {
      start_time: "2025-05-31T00:00:00Z",
      end_time: "2025-06-01T00:00:00Z",
    });
    expect(all.status).toBe(201);
    await control(sim, "POST", "clock", { advance_seconds: 3 * 3600 });
    await control(sim, "POST", "config", { exportRunErrorsAsObjects: false });
    // The variants were really produced, so the spec saw them.
    expect(all.body.session_id).toBeNull();
    expect((await call("GET", `${EXPORTS}/${all.body.id}`)).body.status).toBe("Completed");
    const failed = await call("GET", `${EXPORTS}/${failing.body.id}/runs`);
    const errors = failed.body.flatMap((r: { errors: Record<string, unknown> | null }) => Object.values(r.errors ?? {}));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e: unknown) => typeof e === "object" && e !== null)).toBe(true);
    for (const id of [clean.body.id, interrupted.body.id, failing.body.id, scheduled.body.id, all.body.id]) {
      expect((await call("GET", `${EXPORTS}/${id}`)).status).toBe(200);
      const runs = await call("GET", `${EXPORTS}/${id}/runs`);
      expect(runs.status).toBe(200);
      for (const run of runs.body) expect((await call("GET", `${EXPORTS}/${id}/runs/${run.id}`)).status).toBe(200);
    }
    expect((await call("GET", EXPORTS)).status).toBe(200);

    const cancellable = await call("POST", EXPORTS, body);
    expect((await call("PATCH", `${EXPORTS}/${cancellable.body.id}`, { status: "Cancelled" })).status).toBe(200);
    expect((await call("PATCH", `${EXPORTS}/${cancellable.body.id}`, { status: "Cancelled" })).status).toBe(409);
    const running = await call("POST", EXPORTS, body);
    expect((await call("PATCH", `${EXPORTS}/${running.body.id}`, { status: "Running" })).status).toBe(422);
    expect((await call("PATCH", `${EXPORTS}/${running.body.id}`, {}, { "x-api-key": sim.readOnlyApiKey })).status).toBe(403);

    expect((await call("POST", EXPORTS, { ...body, export_fields: ["id", "prompt"] })).status).toBe(422);
    expect((await call("POST", EXPORTS, { ...body, compression: "lz4" })).status).toBe(422);
    expect((await call("POST", EXPORTS, { ...body, end_time: body.start_time })).status).toBe(400);
    expect((await call("POST", EXPORTS, { ...body, session_id: MISSING })).status).toBe(404);
    expect((await call("POST", EXPORTS, body, { "x-api-key": sim.readOnlyApiKey })).status).toBe(403);
    expect((await call("GET", `${EXPORTS}/${MISSING}`)).status).toBe(404);
    expect((await call("GET", `${EXPORTS}/nope`)).status).toBe(422);
    expect((await call("GET", `${EXPORTS}/${MISSING}/runs`)).status).toBe(404);
    expect((await call("GET", `${EXPORTS}/${clean.body.id}/runs/${MISSING}`)).status).toBe(404);
    expect((await call("GET", `${EXPORTS}/${clean.body.id}/runs/nope`)).status).toBe(422);
  });

  it("exempts only responses that carry a status forced to a newer server's value", async () => {
    const created = await call("POST", EXPORTS, {
      bulk_export_destination_id: destination,
      session_id: support,
      start_time: "2025-05-31T00:00:00Z",
      end_time: "2025-06-01T00:00:00Z",
    });
    const before = offSpec.length;
    expect((await control(sim, "POST", `exports/${created.body.id}/force-status`, { status: "Paused", run_status: "Paused" })).status).toBe(
      200,
    );
    expect((await call("GET", `${EXPORTS}/${created.body.id}`)).body.status).toBe("Paused");
    const runs = await call("GET", `${EXPORTS}/${created.body.id}/runs`);
    expect(runs.body.every((r: { status: string }) => r.status === "Paused")).toBe(true);
    expect((await call("GET", `${EXPORTS}/${created.body.id}/runs/${runs.body[0].id}`)).status).toBe(200);
    expect((await call("GET", EXPORTS)).status).toBe(200);
    expect(offSpec.length - before).toBe(4);
    expect(offSpec.every((r) => r.path.startsWith(EXPORTS))).toBe(true);
  });
});

describe("the validator itself", () => {
  it("rejects bodies the spec forbids", () => {
    const bad: Array<[string, string, number, unknown]> = [
      ["GET", "/api/v1/bulk-exports/x", 200, { id: MISSING }],
      ["GET", "/api/v2/runs/x", 200, { id: MISSING, start_time: "2025-05-31T10:00:00.123456" }],
      ["GET", "/api/v2/runs/x", 200, { id: MISSING, error: null }],
      ["GET", "/runs/x", 200, { id: MISSING }],
      ["POST", "/api/v1/bulk-exports", 422, { detail: "not a list" }],
      ["GET", "/api/v1/sessions/x", 502, { detail: "Bad Gateway" }],
      ["GET", "/api/v1/threads", 200, {}],
      ["POST", "/api/v1/runs/stats", 200, { run_count: "12" }],
      ["POST", "/runs/stats", 200, { total_cost: "1e-5" }],
    ];
    for (const [method, path, status, body] of bad)
      expect(validator.validate(method, path, status, body).ok, `${method} ${path} ${status}`).toBe(false);
    expect(
      validator.validate("GET", "/api/v2/runs/x", 200, { id: MISSING, start_time: "2025-05-31T10:00:00.123456Z", end_time: null }).ok,
    ).toBe(true);
    expect(validator.validate("GET", "/sessions/x", 404, { detail: "Session not found" }).ok).toBe(true);
  });
});

describe("conformance", () => {
  it("every response validates against the published spec (or a documented exception)", () => {
    expect(seen.length).toBeGreaterThan(200);
    expect(failures).toEqual([]);
  });

  it("every route the simulator serves outside /_sim is in the spec and was exercised", () => {
    const api = SIMULATOR_ROUTES.filter((r) => !r.path.startsWith("/_sim"));
    const notInSpec = api.filter((r) => !validator.operationFor(r.method, r.path)).map((r) => `${r.method} ${r.path}`);
    expect(notInSpec).toEqual([]);
    const missed = api.map((r) => `${r.method} ${r.path}`).filter((key) => !exercised.has(key));
    expect(missed).toEqual([]);
  });

  it("every route answered at least one success", () => {
    const neverOk = [...exercised].filter(([, statuses]) => ![...statuses].some((s) => s < 300)).map(([k]) => k);
    expect(neverOk).toEqual([]);
  });
});
