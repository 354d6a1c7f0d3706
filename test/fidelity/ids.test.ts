import { Agent, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LangSmithIdSchema } from "../../src/tools/schemas.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { destinationArgs } from "../support/tool-flows.js";
import { runsOf } from "../support/runs.js";

const text = (r: { content: unknown }): string =>
  (r.content as Array<{ type: string; text?: string }>).map((b) => (b.type === "text" ? b.text : "")).join("\n");

/**
 * Ids as LangSmith has them: any 8-4-4-4-12 hex id in any case. OpenTelemetry-derived run and
 * trace ids (a 128-bit trace id printed as a UUID) carry no RFC 4122 version or variant digits.
 * The examples below are written by hand: a W3C trace-context trace id
 * (4bf92f3577b34da6a3ce929d0e0e4736, from the W3C spec's own example) in 8-4-4-4-12 form.
 */
const OTEL_TRACE_ID = "4bf92f35-77b3-4da6-a3ce-929d0e0e4736";
const NO_VERSION_DIGITS = "0af76519-16cd-03ad-00f0-67aa0ba902b7";

describe("LangSmithIdSchema", () => {
  it.each([
    ["lower-case v4", "f47ac10b-58cc-4372-a567-0e02b2c3d479", "f47ac10b-58cc-4372-a567-0e02b2c3d479"],
    ["upper-case v7", "018E4C7E-A9FB-7EF0-A5B6-6EA3A82E9327", "018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327"],
    ["OpenTelemetry-derived", OTEL_TRACE_ID, OTEL_TRACE_ID],
    ["no version or variant digits", NO_VERSION_DIGITS.toUpperCase(), NO_VERSION_DIGITS],
  ])("accepts a %s id and gives it in lower case", (_label, input, expected) => {
    expect(LangSmithIdSchema.parse(input)).toBe(expected);
  });

  it.each(["f47ac10b58cc4372a5670e02b2c3d479", "f47ac10b-58cc-4372-a567-0e02b2c3d47", "g47ac10b-58cc-4372-a567-0e02b2c3d479", ""])(
    "refuses %j",
    (input) => {
      expect(LangSmithIdSchema.safeParse(input).success).toBe(false);
    },
  );
});

interface Sent {
  method: string;
  path: string;
  body: string | undefined;
}

/**
 * Records what the client sends, before the simulator sees it: the simulator lower-cases ids
 * itself, so only the request as sent can show that the client did.
 */
function recordingAgent(sink: Sent[]): Dispatcher {
  return new Agent().compose((dispatch) => (opts, handler) => {
    sink.push({ method: String(opts.method), path: String(opts.path), body: typeof opts.body === "string" ? opts.body : undefined });
    return dispatch(opts, handler);
  });
}

describe("tools take ids in any case (SDK client ↔ server ↔ simulator, in memory)", () => {
  let stack: InMemoryStack;
  let run: { id: string; trace_id: string; project_id: string };
  const sent: Sent[] = [];
  /** Requests sent while `action` ran. */
  const during = async (action: () => Promise<unknown>): Promise<Sent[]> => {
    const from = sent.length;
    await action();
    return sent.slice(from);
  };
  const expectLowerCaseOnly = (requests: Sent[], id: string) => {
    const seen = JSON.stringify(requests);
    expect(seen).toContain(id.toLowerCase());
    expect(seen).not.toContain(id.toUpperCase());
  };

  beforeAll(async () => {
    stack = await startInMemoryStack({ sim: { now: "2026-03-04T12:00:00Z" }, client: { dispatcher: recordingAgent(sent) } });
    const project = stack.sim.store.projectByName(stack.sim.workspaceId, "support-bot")!;
    const child = stack.sim.store.runsOfProject(project.id).find((r) => r.parent_run_id !== null)!;
    run = { id: child.id, trace_id: child.trace_id, project_id: project.id };
  });
  afterAll(async () => stack?.close());

  it("publishes ids as a plain hex pattern, never format: uuid", async () => {
    const { tools } = await stack.client.listTools();
    const listed = JSON.stringify(tools.map((t) => t.inputSchema));
    expect(listed).not.toContain('"format":"uuid"');
    const getRun = tools.find((t) => t.name === "get_run")!;
    const runId = (getRun.inputSchema.properties as Record<string, { pattern?: string }>)["run_id"]!;
    expect(new RegExp(runId.pattern!).test(OTEL_TRACE_ID.toUpperCase())).toBe(true);
  });

  it("get_run finds a run given its id in upper case", async () => {
    const result = await stack.call("get_run", { run_id: run.id.toUpperCase(), fields: "compact" });
    expect(result.isError, text(result)).toBeFalsy();
    expect((result.structuredContent as { run: { id: string } }).run.id).toBe(run.id);
  });

  it("query_runs with an upper-case trace_id sends it in lower case and returns that trace's runs", async () => {
    const lower = await stack.call("query_runs", { project: "support-bot", trace_id: run.trace_id, start_time: "2000-01-01T00:00:00Z" });
    let upper!: Awaited<ReturnType<InMemoryStack["call"]>>;
    const requests = await during(async () => {
      upper = await stack.call("query_runs", {
        project: "support-bot",
        trace_id: run.trace_id.toUpperCase(),
        start_time: "2000-01-01T00:00:00Z",
      });
    });
    expect(upper.isError, text(upper)).toBeFalsy();
    const query = requests.find((r) => r.path === "/api/v2/runs/query")!;
    expect(JSON.parse(query.body!)).toMatchObject({ trace_id: run.trace_id });
    expectLowerCaseOnly(requests, run.trace_id);
    const ids = (r: typeof upper) => runsOf(r).map((x) => x.id);
    expect(ids(upper).length).toBeGreaterThan(1);
    expect(ids(upper)).toEqual(ids(lower));
  });

  it("export and destination ids given in upper case are sent in lower case", async () => {
    const created = await stack.call("create_destination", destinationArgs(stack.sim, "ids"));
    expect(created.isError, text(created)).toBeFalsy();
    const destinationId = (created.structuredContent as { destination: { id: string } }).destination.id;
    let exportId = "";
    const creating = await during(async () => {
      const result = await stack.call("create_export", {
        project: "checkout-bot",
        destination: destinationId.toUpperCase(),
        start_time: "2026-03-01T00:00:00Z",
        end_time: "2026-03-02T00:00:00Z",
      });
      expect(result.isError, text(result)).toBeFalsy();
      exportId = (result.structuredContent as { export: { id: string } }).export.id;
    });
    expectLowerCaseOnly(creating, destinationId);
    const reading = await during(async () => {
      for (const tool of ["export_status", "diagnose_export"]) {
        const result = await stack.call(tool, { export_id: exportId.toUpperCase() });
        expect(result.isError, `${tool}: ${text(result)}`).toBeFalsy();
      }
    });
    expectLowerCaseOnly(reading, exportId);
  });

  it("trace ids of a purge given in upper case are sent in lower case", async () => {
    const requests = await during(async () => {
      const result = await stack.call("queue_deletion", { project: "support-bot", trace_ids: [run.trace_id.toUpperCase()] });
      expect(result.isError, text(result)).toBeFalsy();
      expect((result.structuredContent as { plan: { trace_count: number } }).plan.trace_count).toBe(1);
    });
    expectLowerCaseOnly(requests, run.trace_id);
  });

  it("get_trace accepts an OpenTelemetry-shaped id and answers 'not found', not a validation error", async () => {
    const result = await stack.call("get_trace", { trace_id: OTEL_TRACE_ID });
    expect(result.isError).toBe(true);
    expect(text(result)).not.toMatch(/uuid|expected an id/i);
    expect(text(result)).toMatch(/trace_id|no (run|trace)/i);
  });

  it("the requests get_run sends carry ids in lower case", async () => {
    const requests = await during(() => stack.call("get_run", { run_id: run.id.toUpperCase(), fields: "compact" }));
    expectLowerCaseOnly(requests, run.id);
  });
});
