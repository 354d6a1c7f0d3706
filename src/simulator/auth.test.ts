import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "./index.js";
import { apiCall } from "./testing.js";

let sim: RunningSimulator;
let otherWorkspace: string;
beforeAll(async () => {
  sim = await startSimulator({ now: "2025-06-01T12:00:00Z" });
  otherWorkspace = (sim.store.workspaces.find((w) => w.id !== sim.workspaceId) ?? { id: "" }).id;
});
afterAll(() => sim.close());

describe("API-key auth and workspace scoping", () => {
  it("derives realistic, deterministic keys from the seed", async () => {
    expect(sim.apiKey).toMatch(/^lsv2_pt_[0-9a-f]{32}_[0-9a-f]{10}$/);
    expect(sim.orgApiKey).toMatch(/^lsv2_sk_[0-9a-f]{32}_[0-9a-f]{10}$/);
    const again = await startSimulator({ now: "2025-06-01T12:00:00Z" });
    await again.close();
    expect(again.apiKey).toBe(sim.apiKey);
    expect(again.workspaceId).toBe(sim.workspaceId);
  });

  it("401s a missing or unknown key without echoing it", async () => {
    const missing = await apiCall(sim, "GET", "/api/v1/sessions", undefined, { "x-api-key": undefined });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ detail: "Invalid token" });
    const wrong = await apiCall(
      sim,
      "POST",
      "/api/v2/runs/query",
      {},
      { "x-api-key": "lsv2_pt_00000000000000000000000000000000_0000000000" },
    );
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain("lsv2");
  });

  it("treats header names case-insensitively", async () => {
    const res = await apiCall(sim, "GET", "/api/v1/sessions", undefined, { "x-api-key": undefined, "X-API-KEY": sim.apiKey });
    expect(res.status).toBe(200);
  });

  it("requires X-Tenant-Id for an org-scoped key, with LangSmith's exact error body", async () => {
    const res = await apiCall(sim, "GET", "/api/v1/sessions", undefined, { "x-api-key": sim.orgApiKey });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: "org_scoped_key_requires_workspace" });
  });

  it("scopes an org-scoped key to the workspace named in X-Tenant-Id", async () => {
    const own = await apiCall(sim, "GET", "/api/v1/sessions", undefined, { "x-api-key": sim.orgApiKey, "X-Tenant-Id": sim.workspaceId });
    expect(own.body.every((p: { tenant_id: string }) => p.tenant_id === sim.workspaceId)).toBe(true);
    const other = await apiCall(sim, "GET", "/api/v1/sessions", undefined, { "x-api-key": sim.orgApiKey, "X-Tenant-Id": otherWorkspace });
    expect(other.status).toBe(200);
    expect(other.body.map((p: { name: string }) => p.name)).toContain("internal-tools");
    expect(other.body.every((p: { tenant_id: string }) => p.tenant_id === otherWorkspace)).toBe(true);
  });

  it("403s a workspace the key cannot access", async () => {
    const res = await apiCall(sim, "GET", "/api/v1/sessions", undefined, { "X-Tenant-Id": otherWorkspace });
    expect(res.status).toBe(403);
    expect(res.body).toHaveProperty("detail");
    const unknown = await apiCall(sim, "GET", "/api/v1/sessions", undefined, {
      "x-api-key": sim.orgApiKey,
      "X-Tenant-Id": "00000000-0000-4000-8000-000000000000",
    });
    expect(unknown.status).toBe(403);
  });

  it("accepts the default key with its own workspace in X-Tenant-Id", async () => {
    const res = await apiCall(sim, "GET", "/api/v1/sessions", undefined, { "X-Tenant-Id": sim.workspaceId });
    expect(res.status).toBe(200);
  });

  it("serves /info without a key", async () => {
    const res = await apiCall(sim, "GET", "/info", undefined, { "x-api-key": undefined });
    expect(res.status).toBe(200);
    expect(res.body).toHaveProperty("version");
    expect(res.body.batch_ingest_config).toHaveProperty("size_limit_bytes");
  });
});
