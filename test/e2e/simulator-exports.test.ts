/**
 * Exports without an account: the built server with --simulator only, no key, no simulator
 * handle in the test. Everything the client needs (the demo bucket credentials) comes from the
 * server itself, through its documented resource.
 */
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { Client } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT_SERVER } from "../support/stack.js";

const HOUR = 3_600_000;

describe("langsmith-mcp --simulator: exports can be tried without an account", () => {
  let client: Client;
  let stderr = "";
  const call = async <T>(name: string, args: Record<string, unknown>): Promise<T> => {
    const result = (await client.callTool({ name, arguments: args }, { timeout: 60_000 })) as CallToolResult;
    expect(result.isError, `${name}: ${result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n")}`).toBeFalsy();
    return result.structuredContent as T;
  };

  beforeAll(async () => {
    const { PATH, HOME } = process.env;
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BUILT_SERVER, "--simulator"],
      env: { PATH: PATH ?? "", HOME: HOME ?? "" },
      stderr: "pipe",
    });
    transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    client = new Client({ name: "simulator-exports-test", version: "1.0.0" });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
  });

  it("creates a destination from the documented demo credentials, exports, follows, checks, diagnoses, cancels and rotates", async () => {
    const resource = await client.readResource({ uri: "langsmith://reference/simulator-demo.md" });
    const text = resource.contents.map((c) => ("text" in c ? c.text : "")).join("\n");
    const pairs = [...text.matchAll(/access_key_id `([^`]+)`, secret_access_key `([^`]+)`/g)].map((m) => ({
      access_key_id: m[1]!,
      secret_access_key: m[2]!,
    }));
    expect(pairs).toHaveLength(2);
    expect(stderr).toContain(pairs[0]!.access_key_id);

    const { destination } = await call<{ destination: { id: string } }>("create_destination", {
      display_name: "demo traces",
      bucket_name: "acme-traces",
      prefix: "langsmith",
      region: "eu-west-1",
      ...pairs[0],
    });
    const now = Date.now();
    const small = await call<{ export: { id: string } }>("create_export", {
      project: "checkout-bot",
      destination: destination.id,
      filter: 'eq(run_type, "llm")',
      start_time: new Date(now - 30 * HOUR).toISOString(),
      end_time: new Date(now - 26 * HOUR).toISOString(),
    });
    let status = await call<{ export: { status: string }; completeness?: { verdict: string } }>("export_status", {
      export_id: small.export.id,
      wait_seconds: 30,
      check_completeness: true,
    });
    for (let i = 0; i < 5 && status.export.status !== "Completed"; i++) {
      status = await call("export_status", { export_id: small.export.id, wait_seconds: 30, check_completeness: true });
    }
    expect(status.export.status).toBe("Completed");
    expect(status.completeness?.verdict).toBe("complete");
    expect((await call<{ failure_mode: string }>("diagnose_export", { export_id: small.export.id })).failure_mode).toBe("none");

    const big = await call<{ export: { id: string } }>("create_export", {
      project: "checkout-bot",
      destination: destination.id,
      start_time: new Date(now - 7 * 24 * HOUR).toISOString(),
      end_time: new Date(now - 24 * HOUR).toISOString(),
    });
    const plan = await call<{ confirmation_token: string }>("cancel_export", { export_id: big.export.id });
    expect(
      (await call<{ cancelled: boolean }>("cancel_export", { export_id: big.export.id, confirmation_token: plan.confirmation_token }))
        .cancelled,
    ).toBe(true);

    const rotate = { destination: destination.id, ...pairs[1] };
    const rotation = await call<{ confirmation_token: string }>("rotate_destination_credentials", rotate);
    expect(
      (await call<{ rotated: boolean }>("rotate_destination_credentials", { ...rotate, confirmation_token: rotation.confirmation_token }))
        .rotated,
    ).toBe(true);
  });
});
