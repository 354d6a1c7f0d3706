/**
 * Browser tests: Debian's Chromium driven by playwright-core, pages served from loopback
 * origins, and the MCP SDK client bundled for the browser with esbuild at test time. A
 * machine without Chromium (CI images often lack it) skips these tests, saying why.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Why browser tests are skipped here, or undefined when Chromium is installed. */
export const chromiumMissing: string | undefined = existsSync(CHROMIUM_PATH)
  ? undefined
  : `skipped: Chromium is not installed at ${CHROMIUM_PATH} (Debian/Ubuntu: apt-get install chromium)`;

/** Headless Chromium with a fresh profile (playwright creates and removes its own user data dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The SDK's Client and StreamableHTTPClientTransport as one browser script, exposed as
 * `globalThis.mcp`: what a web client would ship, built from the installed package.
 */
export async function bundleMcpClient(): Promise<string> {
  const result = await build({
    stdin: {
      contents:
        'import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";\n' +
        "globalThis.mcp = { Client, StreamableHTTPClientTransport };\n",
      resolveDir: ROOT,
      loader: "js",
    },
    bundle: true,
    platform: "browser",
    format: "iife",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

export interface PageServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  close: () => Promise<void>;
}

/** Serves `files` (path → [content type, body]) from a loopback origin of its own. */
export async function servePages(files: Record<string, [string, string]>): Promise<PageServer> {
  const server: Server = createServer((req, res) => {
    const file = files[new URL(req.url ?? "/", "http://x").pathname];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": file[0], "cache-control": "no-store" }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
