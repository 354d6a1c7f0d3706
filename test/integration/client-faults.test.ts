/**
 * The client's fault matrix against the real simulator over loopback: the simulator injects
 * the faults, its request log says how many attempts the client really made. Waits between
 * attempts go through the client's sleep seam (recorded, not slept) so the suite stays fast
 * while still proving the client read Retry-After.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  LangSmithApiError,
  LangSmithClient,
  type LangSmithClientOptions,
  LangSmithNetworkError,
  LangSmithResponseError,
  type RunsQueryV2Request,
} from "../../src/langsmith/index.js";
import { startSimulator } from "../../src/simulator/index.js";

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

interface LoggedRequest {
  seq: number;
  method: string;
  path: string;
  status: number | null;
  fault: string | null;
}

const RUNS_QUERY = { method: "POST", path: "/api/v2/runs/query" } as const;

let sim: Simulator;
let query: RunsQueryV2Request;
let sleeps: number[];

/** A client that can send a non-idempotent POST, standing in for the deletion endpoint. */
class DeletingClient extends LangSmithClient {
  override deleteRuns(body: { session_id: string; trace_ids: string[] }) {
    return this.request({ method: "POST", path: "/api/v1/runs/delete", body, schema: z.looseObject({}) });
  }
}

function makeClient(overrides: Partial<LangSmithClientOptions> = {}): DeletingClient {
  return new DeletingClient({
    endpoint: sim.url,
    apiKey: sim.apiKey,
    workspaceId: sim.workspaceId,
    retryPolicy: { baseDelayMs: 1, maxDelayMs: 2 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
}

async function control(method: "POST" | "GET" | "DELETE", path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`simulator control ${method} ${path} → ${response.status}: ${await response.text()}`);
  return response.json().catch(() => null);
}

const injectFault = (fault: Record<string, unknown>) => control("POST", "/_sim/faults", fault);

async function loggedRequests(path: string): Promise<LoggedRequest[]> {
  const log = (await control("GET", "/_sim/requests")) as { requests: LoggedRequest[] };
  return log.requests.filter((r) => r.path === path);
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the promise to reject");
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 42 });
  const client = makeClient();
  const [project] = await client.listProjects({ limit: 1 });
  await client.close();
  if (!project) throw new Error("the seeded simulator has no project");
  query = { project_ids: [project.id], selects: ["ID", "NAME", "START_TIME"], page_size: 5 };
});

afterAll(async () => {
  await sim?.close();
});

beforeEach(async () => {
  sleeps = [];
  await control("DELETE", "/_sim/faults");
  await control("DELETE", "/_sim/requests");
});

describe("client against the simulator's faults", () => {
  it("answers a runs query with no fault in one request", async () => {
    const client = makeClient();
    const page = await client.queryRuns(query);
    await client.close();
    expect(Array.isArray(page.items)).toBe(true);
    expect(await loggedRequests(RUNS_QUERY.path)).toHaveLength(1);
  });

  it("honours Retry-After on a 429, then succeeds", async () => {
    await injectFault({ match: RUNS_QUERY, kind: "status", status: 429, retry_after_seconds: 1, times: 1 });
    const client = makeClient();
    await expect(client.queryRuns(query)).resolves.toMatchObject({ items: expect.any(Array) });
    await client.close();
    expect(sleeps).toEqual([1000]);
    expect((await loggedRequests(RUNS_QUERY.path)).map((r) => r.status)).toEqual([429, 200]);
  });

  it("retries through three 503s and succeeds on the fourth attempt", async () => {
    await injectFault({ match: RUNS_QUERY, kind: "status", status: 503, times: 3 });
    const client = makeClient();
    await client.queryRuns(query);
    await client.close();
    expect((await loggedRequests(RUNS_QUERY.path)).map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(sleeps).toHaveLength(3);
  });

  it("gives up after four 503s with an agent-facing message", async () => {
    await injectFault({ match: RUNS_QUERY, kind: "status", status: 503, times: 10 });
    const client = makeClient();
    const err = await rejectionOf(client.queryRuns(query));
    await client.close();
    expect(err).toBeInstanceOf(LangSmithApiError);
    expect(err.message).toBe(
      "POST /api/v2/runs/query → 503 Service Unavailable after 4 attempts: Service Unavailable. LangSmith had a server-side problem; try again in a minute.",
    );
    expect(await loggedRequests(RUNS_QUERY.path)).toHaveLength(4);
  });

  it("reduces a proxy's 502 page to its title", async () => {
    await injectFault({ match: RUNS_QUERY, kind: "status", status: 502, times: 10 });
    const client = makeClient({ retryPolicy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    const err = await rejectionOf(client.queryRuns(query));
    await client.close();
    expect(err.message).toBe(
      "POST /api/v2/runs/query → 502 Bad Gateway after 2 attempts: 502 Bad Gateway. LangSmith had a server-side problem; try again in a minute.",
    );
  });

  it("retries a query after the connection is reset", async () => {
    await injectFault({ match: RUNS_QUERY, kind: "reset", times: 1 });
    const client = makeClient();
    await client.queryRuns(query);
    await client.close();
    const logged = await loggedRequests(RUNS_QUERY.path);
    expect(logged).toHaveLength(2);
    expect(logged[1]?.status).toBe(200);
  });

  it("never retries a non-idempotent POST on a 503: exactly one request", async () => {
    await injectFault({ match: { method: "POST", path: "/api/v1/runs/delete" }, kind: "status", status: 503, times: 5 });
    const client = makeClient();
    const projectId = query.project_ids?.[0] ?? "";
    const err = await rejectionOf(client.deleteRuns({ session_id: projectId, trace_ids: [projectId] }));
    await client.close();
    expect(err.message).toBe(
      "POST /api/v1/runs/delete → 503 Service Unavailable: Service Unavailable. LangSmith had a server-side problem; try again in a minute.",
    );
    expect(err).toMatchObject({ attempts: 1, retried: false });
    expect(await loggedRequests("/api/v1/runs/delete")).toHaveLength(1);
  });

  it("retries a malformed JSON body once, then succeeds", async () => {
    await injectFault({ match: RUNS_QUERY, kind: "malformed_json", times: 1 });
    const client = makeClient();
    await client.queryRuns(query);
    await client.close();
    expect(await loggedRequests(RUNS_QUERY.path)).toHaveLength(2);
  });

  it("reports persistent malformed JSON as a LangSmithResponseError after two attempts", async () => {
    await injectFault({ match: RUNS_QUERY, kind: "malformed_json", times: 5 });
    const client = makeClient();
    const err = await rejectionOf(client.queryRuns(query));
    await client.close();
    expect(err).toBeInstanceOf(LangSmithResponseError);
    expect(err.message).toBe(
      "POST /api/v2/runs/query → 200 OK but the body is not valid JSON (2 attempts): the response was truncated or corrupted on the way. Try again; if it persists, check for a proxy between this server and LangSmith.",
    );
    expect(await loggedRequests(RUNS_QUERY.path)).toHaveLength(2);
  });

  it("times out a slow answer as a LangSmithNetworkError of kind timeout", async () => {
    await injectFault({ match: RUNS_QUERY, kind: "delay", delay_ms: 2_000, times: 5 });
    const client = makeClient({ timeoutMs: 100, retryPolicy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    const err = await rejectionOf(client.queryRuns(query));
    await client.close();
    expect(err).toBeInstanceOf(LangSmithNetworkError);
    expect(err).toMatchObject({ kind: "timeout", attempts: 2 });
    expect(err.message).toBe(
      "POST /api/v2/runs/query → no complete response from LangSmith within 0.1 s (timeout) after 2 attempts. Try again, or narrow the request (shorter time range, smaller page_size, fewer selects).",
    );
  });

  it("stops at once when the caller aborts, without retrying", async () => {
    await injectFault({ match: RUNS_QUERY, kind: "delay", delay_ms: 2_000, times: 5 });
    const client = makeClient();
    const controller = new AbortController();
    const pending = rejectionOf(client.queryRuns(query, controller.signal));
    setTimeout(() => controller.abort(), 20);
    const err = await pending;
    await client.close();
    expect(err).toMatchObject({ name: "LangSmithNetworkError", kind: "aborted", attempts: 1 });
    expect(err.message).toBe("POST /api/v2/runs/query → cancelled by the caller.");
    expect(sleeps).toEqual([]);
  });

  it("maps a wrong API key to an auth error without echoing the key", async () => {
    const wrongKey = "lsv2_pt_00000000000000000000000000000000_0000000000";
    const client = makeClient({ apiKey: wrongKey });
    const err = await rejectionOf(client.listProjects({}));
    await client.close();
    expect(err).toMatchObject({ kind: "auth", status: 401, attempts: 1 });
    expect(err.message).toContain("LangSmith rejected the API key (401). Check LANGSMITH_API_KEY");
    expect(err.message).not.toContain(wrongKey);
    expect((err as LangSmithApiError).rawBody).not.toContain(wrongKey);
  });
});
