import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "./index.js";
import { apiCall, control } from "./testing.js";
import { RATE_LIMITS, RateLimiter } from "./rate-limit.js";

describe("RateLimiter", () => {
  it("allows the documented number per window and says how long to wait", () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < RATE_LIMITS.runs_query.limit; i++) expect(limiter.check("k", "runs_query", 1_000 + i)).toBeNull();
    expect(limiter.check("k", "runs_query", 2_000)).toEqual({ retryAfterSeconds: 9 });
    expect(limiter.check("other-key", "runs_query", 2_000)).toBeNull();
    expect(limiter.check("k", "run_read", 2_000)).toBeNull();
    expect(limiter.check("k", "runs_query", 11_001)).toBeNull();
  });
});

describe("rate-limit mode over HTTP", () => {
  let sim: RunningSimulator;
  let projectId: string;
  beforeAll(async () => {
    sim = await startSimulator({ now: "2025-06-01T12:00:00Z", rateLimits: true, scale: 0.1 });
    sim.clock.setRate(0);
    projectId = sim.store.projectByName(sim.workspaceId, "checkout-bot")?.id ?? "";
  });
  afterAll(() => sim.close());

  it("answers the 16th query within 10 s with 429 and Retry-After, and lets it through once the sim clock moves on", async () => {
    const body = { project_ids: [projectId], page_size: 1 };
    for (let i = 0; i < 15; i++) expect((await apiCall(sim, "POST", "/api/v2/runs/query", body)).status).toBe(200);
    const limited = await apiCall(sim, "POST", "/api/v2/runs/query", body);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ detail: "Too many requests" });
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 10).toBe(true);
    // v1 queries count against the same documented limit.
    expect((await apiCall(sim, "POST", "/api/v1/runs/query", { session: [projectId], limit: 1 })).status).toBe(429);
    // Other endpoints have their own, far larger budget.
    expect((await apiCall(sim, "GET", "/api/v1/sessions")).status).toBe(200);
    sim.clock.advance(retryAfter * 1000);
    expect((await apiCall(sim, "POST", "/api/v2/runs/query", body)).status).toBe(200);
  });

  it("can be switched off through /_sim/config", async () => {
    const body = { project_ids: [projectId], page_size: 1 };
    for (let i = 0; i < 15; i++) await apiCall(sim, "POST", "/api/v2/runs/query", body);
    expect((await control(sim, "POST", "config", { rate_limits: false })).body).toMatchObject({ rate_limits: false, ai_query: false });
    expect((await apiCall(sim, "POST", "/api/v2/runs/query", body)).status).toBe(200);
  });
});
