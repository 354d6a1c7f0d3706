/**
 * The client with its own keep-alive Agent (no injected dispatcher) against a bare node:http
 * server on loopback: what MockAgent cannot show, i.e. real sockets being reset, refused and
 * reused.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { LangSmithClient } from "./client.js";

const API_KEY = "lsv2_pt_loopbacktestkey0123456789_abcdef";
const PROJECT = "018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327";

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

let server: Server | undefined;
let client: LangSmithClient | undefined;
let connections = 0;

async function serve(handler: Handler): Promise<string> {
  let n = 0;
  connections = 0;
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => handler(req, res, ++n));
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function makeClient(endpoint: string): LangSmithClient {
  client = new LangSmithClient({ endpoint, apiKey: API_KEY, sleep: async () => {} });
  return client;
}

afterEach(async () => {
  await client?.close();
  client = undefined;
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

describe("LangSmithClient over real sockets", () => {
  it("retries a GET whose connection the server destroyed, then succeeds", async () => {
    const endpoint = await serve((req, res, n) => (n === 1 ? req.socket.destroy() : json(res, 200, [])));
    await expect(makeClient(endpoint).listProjects({})).resolves.toEqual([]);
  });

  it("reports a destroyed connection on a non-idempotent POST as a reset, without retrying", async () => {
    let requests = 0;
    const endpoint = await serve((req) => {
      requests++;
      req.socket.destroy();
    });
    class Deleting extends LangSmithClient {
      del() {
        return this.request({
          method: "POST",
          path: "/api/v1/runs/delete",
          body: {},
          schema: { safeParse: () => ({ success: true, data: {} }) } as never,
        });
      }
    }
    client = new Deleting({ endpoint, apiKey: API_KEY, sleep: async () => {} });
    const err = await (client as Deleting).del().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "LangSmithNetworkError", kind: "reset", attempts: 1 });
    expect((err as Error).message).toMatch(/^POST \/api\/v1\/runs\/delete → the connection to LangSmith was reset/);
    expect(requests).toBe(1);
  });

  it("reuses one keep-alive connection across successes and error answers", async () => {
    const endpoint = await serve((_req, res, n) =>
      n % 2 === 0 ? json(res, 404, { detail: "Session not found" }) : json(res, 200, { id: PROJECT, name: "p" }),
    );
    const c = makeClient(endpoint);
    for (let i = 0; i < 40; i++) await c.getProject(PROJECT).catch(() => undefined);
    // undici may open a second socket while the first is being released; what matters is that
    // the count does not grow with requests, i.e. every body (errors included) was drained.
    expect(connections).toBeLessThanOrEqual(2);
  });

  it("cuts off a body past the cap as it streams in: response too large, one attempt, the rest never sent", async () => {
    const total = 400 * 1_048_576;
    const chunk = Buffer.alloc(65_536, 0x61);
    let written = 0;
    let requests = 0;
    // A body with no Content-Length, streamed until the client hangs up: the cap must act on bytes read.
    const endpoint = await serve((_req, res) => {
      requests++;
      res.writeHead(200, { "content-type": "application/json" });
      const pump = (): void => {
        while (written < total && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => res.destroy());
      pump();
    });
    client = new LangSmithClient({ endpoint, apiKey: API_KEY, sleep: async () => {}, maxResponseBytes: 1_048_576 });
    const err = await client.listProjects({}).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "LangSmithResponseError", kind: "too_large", status: 200, attempts: 1 });
    expect((err as Error).message).toMatch(/^GET \/api\/v1\/sessions → 200 OK: response too large, over the 1 MiB this server reads/);
    expect((err as Error).message).toContain("--max-upstream-bytes");
    expect(requests).toBe(1);
    // Socket buffers hold a few megabytes at most; what matters is that the 400 MB were not all sent.
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()));
    server?.closeAllConnections();
    await closed;
    server = undefined;
    expect(written).toBeLessThan(total / 4);
  });

  it("refuses a body whose Content-Length is over the cap without reading it", async () => {
    const endpoint = await serve((_req, res) => json(res, 200, [{ name: "x".repeat(5_000) }]));
    client = new LangSmithClient({ endpoint, apiKey: API_KEY, sleep: async () => {}, maxResponseBytes: 4_096 });
    const err = await client.listProjects({}).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "LangSmithResponseError", kind: "too_large", attempts: 1 });
    expect((err as Error).message).toContain("response too large");
  });

  it("reads a body right at the cap", async () => {
    const body = JSON.stringify([]);
    const endpoint = await serve((_req, res) => json(res, 200, []));
    client = new LangSmithClient({ endpoint, apiKey: API_KEY, sleep: async () => {}, maxResponseBytes: Buffer.byteLength(body) });
    await expect(client.listProjects({})).resolves.toEqual([]);
  });

  it("reports a refused connection with the host and does not retry it", async () => {
    const endpoint = await serve((_req, res) => json(res, 200, []));
    const port = (server!.address() as AddressInfo).port;
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;

    const err = await makeClient(endpoint)
      .listProjects({})
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "LangSmithNetworkError", kind: "refused", attempts: 1 });
    expect((err as Error).message).toContain(`could not connect to 127.0.0.1:${port}`);
  });
});
