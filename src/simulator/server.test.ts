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
        { method: "GET", path: "/api/v1/info", routePattern: "/api/v1/info", status: 200, body: expect.objectContaining({ version: "0.16.2" }) },
        { method: "GET", path: `/sessions/${sim.workspaceId}`, routePattern: "/sessions/:session_id", status: 404, body: { detail: expect.any(String) } },
        { method: "GET", path: "/api/v1/nowhere", routePattern: null, status: 404, body: { detail: "Not Found" } },
      ]);
    } finally {
      await sim.close();
    }
  });
});
