/**
 * Tools, resources and completions fail through one boundary (src/error-boundary.ts): the
 * same words, the API key redacted from what the agent reads, and a line in the server's log.
 */
import { ProtocolError } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { control } from "../../src/simulator/index.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { textOf } from "../support/stack.js";

const EXPORT_ID = "0f0e0d0c-0b0a-4900-8800-000000000001";
/**
 * A secret the server holds but this request's LangSmith client does not (over HTTP: the
 * server's own key, on a request made with the caller's), in no well-known shape: only the
 * boundary's redaction with the server's secrets can catch it.
 */
const SERVER_SECRET = "server-own-secret-0123456789";

describe("one error boundary for tools, resources and completions (in memory, simulator faults)", () => {
  let stack: InMemoryStack;
  /** An upstream refusal that quotes the API keys back, as a misbehaving proxy might. */
  const leakyFault = (path: string) => ({
    match: { method: "GET", path },
    kind: "status",
    status: 400,
    body: { detail: `request with x-api-key ${stack.sim.apiKey} refused (${SERVER_SECRET})` },
    times: 1,
  });

  beforeAll(async () => {
    stack = await startInMemoryStack({ logLevel: "info", secrets: [SERVER_SECRET] });
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    await control(stack.sim, "DELETE", "faults");
  });

  it("a resource read whose upstream error carries the API key answers with it redacted, and logs the failure", async () => {
    await control(stack.sim, "POST", "faults", leakyFault(`/api/v1/bulk-exports/${EXPORT_ID}`));
    const logsBefore = stack.logs().length;
    const failure = await stack.client.readResource({ uri: `exports://${EXPORT_ID}/runs` }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ProtocolError);
    const { message, code } = failure as ProtocolError;
    expect(code).toBe(-32603);
    // The resource reads the export first (its runs are cached once it has finished).
    expect(message).toContain(`exports://${EXPORT_ID}/runs: GET /api/v1/bulk-exports/${EXPORT_ID} → 400`);
    expect(message).toContain("[REDACTED]");
    for (const secret of [stack.sim.apiKey, SERVER_SECRET]) expect(message).not.toContain(secret);

    const logged = stack.logs().slice(logsBefore);
    expect(logged).toMatch(/WARN +\[langsmith-mcp\.resources\] LangSmith request failed/);
    for (const secret of [stack.sim.apiKey, SERVER_SECRET]) expect(logged).not.toContain(secret);
  });

  it("words the same failure as the tools do", async () => {
    await control(stack.sim, "POST", "faults", leakyFault("/api/v1/bulk-exports"));
    const tool = await stack.call("list_exports", {});
    expect(tool.isError).toBe(true);
    await control(stack.sim, "POST", "faults", leakyFault(`/api/v1/bulk-exports/${EXPORT_ID}`));
    const resource = (await stack.client
      .readResource({ uri: `exports://${EXPORT_ID}/runs` })
      .catch((error: unknown) => error)) as ProtocolError;
    // The same sentence after the method and path: status, LangSmith's detail (redacted), what to do.
    const fromArrow = (text: string) => text.slice(text.indexOf("→"));
    expect(fromArrow(resource.message)).toBe(fromArrow(textOf(tool)));
  });

  it("a completion LangSmith cannot answer is empty and logged, never an error", async () => {
    await control(stack.sim, "POST", "faults", leakyFault("/api/v1/bulk-exports"));
    const logsBefore = stack.logs().length;
    const { completion } = await stack.client.complete({
      ref: { type: "ref/resource", uri: "exports://{id}/runs" },
      argument: { name: "id", value: "0" },
    });
    expect(completion.values).toEqual([]);
    const logged = stack.logs().slice(logsBefore);
    expect(logged).toMatch(/WARN +\[langsmith-mcp\.resources\] LangSmith request failed/);
    for (const secret of [stack.sim.apiKey, SERVER_SECRET]) expect(logged).not.toContain(secret);
  });
});
