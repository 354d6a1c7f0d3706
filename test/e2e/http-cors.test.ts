/**
 * Browser clients (issue 20, item 4): CORS on /mcp for the origins --allowed-origins lists.
 * First as plain HTTP (what each response carries), then from real pages in headless
 * Chromium: the MCP SDK client, bundled for the browser, connects from an allowed origin in
 * both protocol revisions and is stopped by the browser from a disallowed one.
 */
import type { Browser, Page } from "playwright-core";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleMcpClient, chromiumMissing, launchChromium, servePages, type PageServer } from "../support/browser.js";
import { INITIALIZE, rawRequest, startHttpStack, type HttpStack } from "../support/http-stack.js";

const TOKEN = "cors-test-token-0123456789abcdef";
const REQUIRED_HEADERS = [
  "content-type",
  "authorization",
  "mcp-session-id",
  "mcp-protocol-version",
  "mcp-method",
  "mcp-name",
  "last-event-id",
  "x-langsmith-api-key",
];
const list = (value: string | string[] | undefined): string[] =>
  String(value ?? "")
    .split(",")
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);

let allowed: PageServer;
let foreign: PageServer;
let stack: HttpStack;
const pages: Record<string, [string, string]> = {};

beforeAll(async () => {
  // Pages first: the server must be told the allowed page's origin (another port, so another origin).
  allowed = await servePages(pages);
  foreign = await servePages(pages);
  stack = await startHttpStack({ args: ["--sessions", "--allowed-origins", allowed.origin], env: { MCP_AUTH_TOKEN: TOKEN } });
});
afterAll(async () => {
  await stack?.close();
  await allowed?.close();
  await foreign?.close();
});

const preflight = (origin: string, headers = "content-type, authorization, mcp-protocol-version") =>
  rawRequest(stack.server.url, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": headers },
  });

describe("CORS over plain HTTP", () => {
  it("answers a preflight from an allowed origin with 204, its origin, the methods, headers and max age, before any credential", async () => {
    const res = await preflight(allowed.origin, REQUIRED_HEADERS.join(", "));
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(res.headers["access-control-allow-origin"]).toBe(allowed.origin);
    expect(list(res.headers.vary)).toContain("origin");
    expect(list(res.headers["access-control-allow-methods"])).toEqual(["get", "post", "delete", "options"]);
    expect(list(res.headers["access-control-allow-headers"])).toEqual(expect.arrayContaining(REQUIRED_HEADERS));
    expect(Number(res.headers["access-control-max-age"])).toBeGreaterThan(0);
  });

  it("refuses a preflight from a disallowed origin with 403 and no CORS headers", async () => {
    const res = await preflight(foreign.origin);
    expect(res.status).toBe(403);
    expect(Object.keys(res.headers).filter((name) => name.startsWith("access-control-"))).toEqual([]);
    expect(res.json().error.message).toContain(`Origin "${foreign.origin}" is not allowed`);
  });

  it("lets the allowed origin read a response and its session, revision and challenge headers", async () => {
    const res = await rawRequest(stack.server.url, {
      method: "POST",
      body: INITIALIZE,
      headers: { origin: allowed.origin, authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBe(allowed.origin);
    expect(list(res.headers["access-control-expose-headers"])).toEqual(
      // retry-after: a 503's (session cap, OAuth keys out of reach) is not CORS-safelisted.
      expect.arrayContaining(["mcp-session-id", "mcp-protocol-version", "www-authenticate", "retry-after"]),
    );
    expect(res.headers["mcp-session-id"]).toBeTruthy();
  });

  it("carries CORS headers on refusals too: a 401 (with its WWW-Authenticate) and a JSON-RPC parse error", async () => {
    const unauthorized = await rawRequest(stack.server.url, { method: "POST", body: INITIALIZE, headers: { origin: allowed.origin } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers["access-control-allow-origin"]).toBe(allowed.origin);
    expect(unauthorized.headers["www-authenticate"]).toMatch(/^Bearer /);
    const malformed = await rawRequest(stack.server.url, {
      method: "POST",
      body: "{not json",
      headers: { origin: allowed.origin, authorization: `Bearer ${TOKEN}` },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers["access-control-allow-origin"]).toBe(allowed.origin);
  });

  it("carries them on a session's event stream (GET /mcp)", async () => {
    const init = await rawRequest(stack.server.url, {
      method: "POST",
      body: INITIALIZE,
      headers: { origin: allowed.origin, authorization: `Bearer ${TOKEN}` },
    });
    const session = init.headers["mcp-session-id"] as string;
    const stream = await request(stack.server.url, {
      method: "GET",
      headers: {
        origin: allowed.origin,
        authorization: `Bearer ${TOKEN}`,
        accept: "text/event-stream",
        "mcp-session-id": session,
        "mcp-protocol-version": "2025-06-18",
      },
    });
    try {
      expect(stream.statusCode).toBe(200);
      expect(stream.headers["content-type"]).toMatch(/^text\/event-stream/);
      expect(stream.headers["access-control-allow-origin"]).toBe(allowed.origin);
    } finally {
      stream.body.destroy();
    }
  });

  it("sends no Access-Control-Allow-Origin to a client without an Origin, but still Vary: Origin", async () => {
    const res = await rawRequest(stack.server.url, { method: "POST", body: INITIALIZE, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    expect(list(res.headers.vary)).toContain("origin");
  });
});

interface PageOutcome {
  ok: boolean;
  error?: string;
  tools?: number;
  callIsError?: boolean;
  text?: string;
  sessionId?: string | undefined;
}

/** In the page: connect the bundled SDK client, list the tools, call one, close. */
const connectFromPage = (page: Page, url: string, protocol: "2025-11-25" | "2026-07-28"): Promise<PageOutcome> =>
  page.evaluate(
    async ({ url, token, protocol }) => {
      const { Client, StreamableHTTPClientTransport } = (globalThis as any).mcp;
      const options = protocol === "2026-07-28" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {};
      const client = new Client({ name: "browser-page", version: "1.0.0" }, options);
      const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
      try {
        await client.connect(transport);
        const { tools } = await client.listTools();
        const result = await client.callTool({ name: "list_projects", arguments: { limit: 2 } });
        const sessionId = transport.sessionId;
        await client.close();
        return {
          ok: true,
          tools: tools.length,
          callIsError: Boolean(result.isError),
          text: String(result.content?.[0]?.text ?? ""),
          sessionId,
        };
      } catch (error) {
        return { ok: false, error: String(error) };
      }
    },
    { url, token: TOKEN, protocol },
  );

describe.skipIf(chromiumMissing !== undefined)(
  `from a real page in headless Chromium${chromiumMissing ? ` (${chromiumMissing})` : ""}`,
  () => {
    let browser: Browser;
    beforeAll(async () => {
      pages["/"] = ["text/html", '<!doctype html><meta charset="utf-8"><title>MCP page</title><script src="/mcp-client.js"></script>'];
      pages["/mcp-client.js"] = ["text/javascript", await bundleMcpClient()];
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    const open = async (origin: string): Promise<Page> => {
      const page = await browser.newPage();
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => (globalThis as any).mcp !== undefined);
      return page;
    };

    it.each(["2025-11-25", "2026-07-28"] as const)(
      "an allowed origin's page connects, lists tools and calls one at %s",
      async (protocol) => {
        const page = await open(allowed.origin);
        try {
          const outcome = await connectFromPage(page, stack.server.url, protocol);
          expect(outcome.error, stack.server.stderr().slice(-3000)).toBeUndefined();
          expect(outcome.ok).toBe(true);
          expect(outcome.tools).toBeGreaterThan(5);
          expect(outcome.callIsError, outcome.text).toBe(false);
          expect(outcome.text).toMatch(/project/i);
          // 2025-11-25 in --sessions mode: the page could read the exposed Mcp-Session-Id (and sent it back).
          if (protocol === "2025-11-25") expect(outcome.sessionId).toMatch(/^[0-9a-f-]{36}$/);
        } finally {
          await page.close();
        }
      },
    );

    it("a page reads a 401 and its WWW-Authenticate challenge with plain fetch", async () => {
      const page = await open(allowed.origin);
      try {
        const seen = await page.evaluate(
          async ({ url, body }) => {
            const res = await fetch(url, {
              method: "POST",
              headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
              body,
            });
            return { status: res.status, challenge: res.headers.get("www-authenticate") };
          },
          { url: stack.server.url, body: INITIALIZE },
        );
        expect(seen.status).toBe(401);
        expect(seen.challenge).toMatch(/^Bearer /);
      } finally {
        await page.close();
      }
    });

    it("a disallowed origin's page is stopped by the browser, and the server logs the refusal", async () => {
      const page = await open(foreign.origin);
      try {
        const outcome = await connectFromPage(page, stack.server.url, "2025-11-25");
        expect(outcome.ok).toBe(false);
        expect(outcome.error).toMatch(/fetch/i);
        expect(stack.server.stderr()).toContain(`refused a request from a foreign Origin origin=${foreign.origin}`);
      } finally {
        await page.close();
      }
    });
  },
);
