import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "./index.js";
import { apiCall, control } from "./testing.js";

const NOW = "2025-06-01T12:00:00.000Z";
let sim: RunningSimulator;
let projectId: string;
const runsQuery = () => apiCall(sim, "POST", "/api/v2/runs/query", { project_ids: [projectId], page_size: 2 });

beforeAll(async () => {
  sim = await startSimulator({ now: NOW, scale: 0.1 });
  projectId = sim.store.projectByName(sim.workspaceId, "rag-search")?.id ?? "";
});
beforeEach(async () => {
  await control(sim, "DELETE", "faults");
  await control(sim, "DELETE", "requests");
});
afterAll(() => sim.close());

describe("fault injection", () => {
  it("answers a status fault once by default, with a realistic 503 body, then serves normally", async () => {
    const added = await control(sim, "POST", "faults", {
      match: { method: "POST", path: "/api/v2/runs/query" },
      kind: "status",
      status: 503,
    });
    expect(added.status).toBe(201);
    expect(added.body.id).toEqual(expect.any(String));
    const faulted = await runsQuery();
    expect(faulted.status).toBe(503);
    expect(faulted.body).toEqual({ detail: "Service Unavailable" });
    expect((await runsQuery()).status).toBe(200);
  });

  it("sends 429 with Retry-After, and gateway errors as an HTML page", async () => {
    await control(sim, "POST", "faults", { match: { path: "/api/v2/runs/query" }, kind: "status", status: 429, retry_after_seconds: 2 });
    const limited = await runsQuery();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(limited.body).toEqual({ detail: "Too many requests" });
    await control(sim, "POST", "faults", { match: { path: "/api/v2/runs/query" }, kind: "status", status: 502 });
    const gateway = await runsQuery();
    expect(gateway.status).toBe(502);
    expect(gateway.headers.get("content-type")).toBe("text/html");
    expect(gateway.body).toContain("<h1>502 Bad Gateway</h1>");
  });

  it("applies `times`, matches path prefixes ending in *, and -1 lasts until cleared", async () => {
    await control(sim, "POST", "faults", { match: { path: "/api/v2/*" }, kind: "status", status: 500, times: 2 });
    expect((await runsQuery()).status).toBe(500);
    expect((await runsQuery()).status).toBe(500);
    expect((await runsQuery()).status).toBe(200);
    await control(sim, "POST", "faults", { match: { method: "GET" }, kind: "status", status: 504, times: -1 });
    for (let i = 0; i < 3; i++) expect((await apiCall(sim, "GET", "/api/v1/sessions")).status).toBe(504);
    expect((await runsQuery()).status).toBe(200);
    const listed = await control(sim, "GET", "faults");
    expect(listed.body.faults).toHaveLength(1);
    expect(listed.body.faults[0]).toMatchObject({ kind: "status", status: 504, remaining: -1 });
    expect((await control(sim, "DELETE", "faults")).body).toEqual({ cleared: 1 });
    expect((await apiCall(sim, "GET", "/api/v1/sessions")).status).toBe(200);
  });

  it("resets the connection without an answer", async () => {
    await control(sim, "POST", "faults", { match: { path: "/api/v2/runs/query" }, kind: "reset" });
    await expect(runsQuery()).rejects.toThrow();
    expect((await runsQuery()).status).toBe(200);
  });

  it("answers 200 application/json with a truncated body for malformed_json", async () => {
    await control(sim, "POST", "faults", { match: { path: "/api/v2/runs/query" }, kind: "malformed_json" });
    const res = await fetch(`${sim.url}/api/v2/runs/query`, {
      method: "POST",
      headers: { "x-api-key": sim.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ project_ids: [projectId] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it("delays and then answers normally, long enough for a client timeout to fire", async () => {
    await control(sim, "POST", "faults", { match: { path: "/api/v2/runs/query" }, kind: "delay", delay_ms: 30 });
    expect((await runsQuery()).status).toBe(200);
    await control(sim, "POST", "faults", { match: { path: "/api/v1/sessions" }, kind: "delay", delay_ms: 1_000 });
    const aborted = fetch(`${sim.url}/api/v1/sessions`, { headers: { "x-api-key": sim.apiKey }, signal: AbortSignal.timeout(50) });
    await expect(aborted).rejects.toThrow();
  });

  it("validates fault definitions", async () => {
    expect((await control(sim, "POST", "faults", { kind: "explode" })).status).toBe(400);
    expect((await control(sim, "POST", "faults", { kind: "status" })).status).toBe(400);
    expect((await control(sim, "POST", "faults", { kind: "delay" })).status).toBe(400);
    expect((await control(sim, "POST", "faults", { kind: "status", status: 503, times: 0 })).status).toBe(400);
  });
});

describe("request log", () => {
  it("records API requests with sim time, path without query, status and fault; not control calls", async () => {
    await control(sim, "POST", "faults", { match: { path: "/api/v1/sessions" }, kind: "status", status: 503 });
    await apiCall(sim, "GET", "/api/v1/sessions?name=rag-search&api_key=secret");
    await apiCall(sim, "GET", "/api/v1/sessions?name=rag-search");
    await runsQuery();
    const log = await control(sim, "GET", "requests");
    const requests = log.body.requests;
    expect(
      requests.map((r: { method: string; path: string; status: number; fault: string | null }) => [r.method, r.path, r.status, r.fault]),
    ).toEqual([
      ["GET", "/api/v1/sessions", 503, "status"],
      ["GET", "/api/v1/sessions", 200, null],
      ["POST", "/api/v2/runs/query", 200, null],
    ]);
    expect(requests[1].seq).toBe(requests[0].seq + 1);
    expect(Date.parse(requests[0].at)).toBeGreaterThanOrEqual(Date.parse(NOW));
    expect(JSON.stringify(requests)).not.toContain("secret");
    await control(sim, "DELETE", "requests");
    expect((await control(sim, "GET", "requests")).body.requests).toEqual([]);
  });

  it("logs a reset connection with a null status", async () => {
    await control(sim, "POST", "faults", { match: { path: "/api/v2/runs/query" }, kind: "reset" });
    await expect(runsQuery()).rejects.toThrow();
    const [entry] = (await control(sim, "GET", "requests")).body.requests;
    expect(entry).toMatchObject({ path: "/api/v2/runs/query", status: null, fault: "reset" });
  });
});
