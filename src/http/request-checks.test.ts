import { describe, expect, it } from "vitest";
import { BearerAuth, bearerChallenge } from "./bearer-auth.js";
import { allowedHostNames, isLoopbackHost } from "../bind.js";
import { isHostAllowed } from "./host-check.js";
import { batchRefusal } from "./json-rpc.js";
import { OriginPolicy } from "./origin-check.js";

describe("bind and Host checks", () => {
  it("knows loopback addresses from the rest", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "example.com", "10.0.0.1"]) expect(isLoopbackHost(host), host).toBe(false);
  });

  it("accepts the loopback names on a loopback bind, with or without port, and nothing else", () => {
    const names = allowedHostNames("127.0.0.1", []);
    for (const host of ["127.0.0.1:3333", "localhost:3333", "LOCALHOST", "[::1]:3333"]) expect(isHostAllowed(host, names), host).toBe(true);
    for (const host of ["evil.example:3333", "127.0.0.1.nip.io", undefined]) expect(isHostAllowed(host, names), String(host)).toBe(false);
  });

  it("checks no Host on a wildcard bind unless names are configured", () => {
    expect(allowedHostNames("0.0.0.0", [])).toBeUndefined();
    const names = allowedHostNames("0.0.0.0", ["mcp.internal"]);
    expect(isHostAllowed("mcp.internal:443", names)).toBe(true);
    expect(isHostAllowed("evil.example", names)).toBe(false);
  });
});

describe("Origin policy", () => {
  const policy = new OriginPolicy(["https://console.example.com"]);
  it("allows no Origin, the server's own origin and listed origins", () => {
    expect(policy.allows(undefined, "localhost:3333")).toBe(true);
    expect(policy.allows("http://localhost:3333", "localhost:3333")).toBe(true);
    expect(policy.allows("https://console.example.com", "localhost:3333")).toBe(true);
    expect(policy.allows("HTTPS://Console.Example.com:443", "localhost:3333")).toBe(true);
  });
  it("refuses every other origin, including another port on localhost and null", () => {
    for (const origin of ["https://evil.example", "http://localhost:8080", "null", "file://", "not a url"]) {
      expect(policy.allows(origin, "localhost:3333"), origin).toBe(false);
    }
  });
});

describe("bearer auth", () => {
  const auth = new BearerAuth("s3cret-token-0123456789");
  it("accepts exactly the configured token", () => {
    expect(auth.check("Bearer s3cret-token-0123456789")).toBe("ok");
    expect(auth.check("bearer s3cret-token-0123456789")).toBe("ok");
  });
  it("tells a missing token from a wrong one", () => {
    expect(auth.check(undefined)).toBe("missing");
    for (const header of ["Bearer s3cret-token-012345678", "Bearer s3cret-token-0123456789x", "Basic abc", "Bearer"])
      expect(auth.check(header), header).toBe("invalid");
    expect(bearerChallenge("missing")).toBe('Bearer realm="langsmith-mcp"');
    expect(bearerChallenge("invalid")).toContain('error="invalid_token"');
  });
});

describe("JSON-RPC batches by protocol revision", () => {
  const call = (id: number) => ({ jsonrpc: "2.0" as const, id, method: "tools/list" });
  const batch = [call(1), call(2)];
  it("serves a single message on any revision", () => {
    for (const revision of [undefined, "2025-03-26", "2025-11-25", "2026-07-28"]) expect(batchRefusal(call(1), revision)).toBeUndefined();
  });
  it("serves a batch only on the revisions that had batches (no header reads as 2025-03-26)", () => {
    for (const revision of [undefined, "2024-11-05", "2025-03-26"]) expect(batchRefusal(batch, revision), revision).toBeUndefined();
    for (const revision of ["2025-06-18", "2025-11-25", "2026-07-28", "not-a-revision"])
      expect(batchRefusal(batch, revision), revision).toMatch(
        /^Invalid Request: JSON-RPC batches were removed in protocol revision 2025-06-18/,
      );
  });
  it("never takes initialize inside a batch", () => {
    const init = {
      jsonrpc: "2.0" as const,
      id: 0,
      method: "initialize",
      params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "c", version: "1" } },
    };
    expect(batchRefusal([init, call(1)], undefined)).toMatch(/initialize must be sent on its own/);
  });
});
