import { describe, expect, it } from "vitest";
import { startSimulator, type ResponseInfo } from "./index.js";
import { apiCall, control } from "./testing.js";

describe("SimulatorOptions.onResponse", () => {
  it("sees every API response with its route pattern, and no /_sim control call", async () => {
    const seen: ResponseInfo[] = [];
    const sim = await startSimulator({ now: "2025-06-01T00:00:00Z", scale: 0, onResponse: (info) => seen.push(info) });
    try {
      await control(sim, "GET", "config");
      await apiCall(sim, "GET", "/api/v1/info");
      await apiCall(sim, "GET", `/sessions/${sim.workspaceId}`);
      await apiCall(sim, "GET", "/api/v1/nowhere");
      expect(seen).toEqual([
        {
          method: "GET",
          path: "/api/v1/info",
          routePattern: "/api/v1/info",
          status: 200,
          body: expect.objectContaining({ version: "0.16.2" }),
        },
        {
          method: "GET",
          path: `/sessions/${sim.workspaceId}`,
          routePattern: "/sessions/:session_id",
          status: 404,
          body: { detail: expect.any(String) },
        },
        { method: "GET", path: "/api/v1/nowhere", routePattern: null, status: 404, body: { detail: "Not Found" } },
      ]);
    } finally {
      await sim.close();
    }
  });
});

describe("v2 refusals", () => {
  it("answers a bad key on a v2 route as problem details (runs.yml: 401 shared.ProblemDetails), on v1 as FastAPI's detail", async () => {
    const sim = await startSimulator({ now: "2025-06-01T00:00:00Z", scale: 0 });
    try {
      const v2 = await apiCall(sim, "POST", "/api/v2/runs/query", {}, { "x-api-key": "lsv2_pt_wrong" });
      expect(v2.status).toBe(401);
      expect(v2.headers.get("content-type")).toBe("application/problem+json");
      expect(v2.body).toMatchObject({ status: 401, title: "Unauthorized", detail: "Invalid token", instance: "/api/v2/runs/query" });
      const v1 = await apiCall(sim, "GET", "/api/v1/sessions", undefined, { "x-api-key": "lsv2_pt_wrong" });
      expect(v1.body).toEqual({ detail: "Invalid token" });
      // The gateway refuses an org key without a workspace before any service, in its own words.
      const gateway = await apiCall(sim, "POST", "/api/v2/runs/query", {}, { "x-api-key": sim.orgApiKey });
      expect(gateway.body).toEqual({ error: "org_scoped_key_requires_workspace" });
    } finally {
      await sim.close();
    }
  });
});
