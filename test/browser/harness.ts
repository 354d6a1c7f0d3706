/**
 * The browser tests' host: headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core) showing a page with the test host (host/host.ts, on the extension's
 * AppBridge) that frames one view. The view's HTML is read from the server as a host reads it
 * (resources/read of its ui:// uri); tool results come from the server against the simulator;
 * the view's tool calls go back through the bridge to the same MCP client. Every request the
 * page or its frame makes is recorded (and refused): the views must make none.
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CallToolResult } from "@modelcontextprotocol/client";
import * as esbuild from "esbuild";
import type { Browser, Frame, Page } from "playwright-core";
import { chromiumMissing, launchChromium } from "../support/browser.js";
import type { InMemoryStack } from "../support/in-memory.js";

/** Whether Chromium is here (test/support/browser.ts decides, for the CORS tests too). */
export const HAS_CHROMIUM = chromiumMissing === undefined;
if (chromiumMissing) console.warn(`Browser view tests ${chromiumMissing}; .ci/run installs it when it can.`);

export type Theme = "light" | "dark";

/** What host/host.ts puts on the page's window (evaluated in the browser; no DOM types here). */
interface HostWindow {
  mountView: (html: string, context: Record<string, unknown>, width: number) => Promise<void>;
  sendToolResult: (result: CallToolResult, args?: Record<string, unknown>) => Promise<void>;
  setHostContext: (context: Record<string, unknown>) => Promise<void>;
  toolCalls: { name: string; arguments: Record<string, unknown> }[];
}

export interface BrowserHost {
  browser: Browser;
  /** The host page's HTML (its script inlined). */
  hostHtml: string;
  close: () => Promise<void>;
}

/** Starts Chromium and bundles the host page; one per test file. */
export async function startBrowserHost(): Promise<BrowserHost> {
  // A fresh temporary profile of its own, with the flags this machine needs (test/support/browser.ts).
  const browser = await launchChromium();
  const bundled = await esbuild.build({
    entryPoints: [new URL("./host/host.ts", import.meta.url).pathname],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const script = bundled.outputFiles[0]!.text.replace(/<\/(script)/gi, "<\\/$1");
  const hostHtml = `<!doctype html><html><head><meta charset="utf-8"><title>test host</title></head><body><script>${script}</script></body></html>`;
  return {
    browser,
    hostHtml,
    close: async () => {
      await browser.close();
    },
  };
}

export interface MountedView {
  page: Page;
  /** The view's frame. */
  frame: Frame;
  /** Every request the page or the view asked for (all refused). */
  requests: string[];
  /** Console errors and CSP violations in the page or the view. */
  problems: string[];
  /** Passes a tool result (and the arguments it was called with) to the view. */
  sendToolResult: (result: CallToolResult, args?: Record<string, unknown>) => Promise<void>;
  setTheme: (theme: Theme) => Promise<void>;
  /** Tool calls the view made through the bridge. */
  toolCalls: () => Promise<{ name: string; arguments: Record<string, unknown> }[]>;
  close: () => Promise<void>;
}

/**
 * Opens the host page and frames the view at `uri` (read from the server), width `width` px,
 * in `theme` (host context; the page's prefers-color-scheme follows it too). `hostTheme: false`:
 * the host context names no theme, so only prefers-color-scheme says it.
 */
export async function mountView(
  host: BrowserHost,
  stack: InMemoryStack,
  uri: string,
  options: { theme?: Theme; width?: number; hostTheme?: boolean } = {},
): Promise<MountedView> {
  const theme = options.theme ?? "light";
  const width = options.width ?? 900;
  const { contents } = await stack.client.readResource({ uri });
  const html = (contents[0] as { text?: string }).text ?? "";
  const context = await host.browser.newContext({ viewport: { width: width + 20, height: 800 }, colorScheme: theme, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on("request", (request) => void requests.push(request.url()));
  await page.route("**/*", (route) => route.abort());
  page.on("console", (message) => {
    if (message.type() === "error" || /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => void problems.push(error.message));
  await page.exposeFunction("__callServerTool", (name: string, args: Record<string, unknown>) =>
    stack.client.callTool({ name, arguments: args }),
  );
  await page.setContent(host.hostHtml);
  await page.evaluate(
    ([viewHtml, hostTheme, frameWidth]) =>
      (globalThis as unknown as HostWindow).mountView(
        viewHtml,
        hostTheme ? { theme: hostTheme, platform: "web" } : { platform: "web" },
        frameWidth,
      ),
    [html, options.hostTheme === false ? "" : theme, width] as const,
  );
  const frame = page.frames().find((f) => f !== page.mainFrame());
  if (!frame) throw new Error("the view's frame did not appear");
  return {
    page,
    frame,
    requests,
    problems,
    sendToolResult: (result, args) =>
      page.evaluate(([r, a]) => (globalThis as unknown as HostWindow).sendToolResult(r, a), [result, args] as const),
    setTheme: async (next) => {
      await page.emulateMedia({ colorScheme: next });
      await page.evaluate((t) => (globalThis as unknown as HostWindow).setHostContext({ theme: t, platform: "web" }), next);
    },
    toolCalls: () => page.evaluate(() => (globalThis as unknown as HostWindow).toolCalls),
    close: () => context.close(),
  };
}

/**
 * A screenshot of the view's frame (PNG): into docs/ with UPDATE_SCREENSHOTS=1 (README shows
 * them), otherwise into a temporary folder, so a test run leaves the work tree as it was.
 */
export async function screenshotView(view: MountedView, name: string): Promise<string> {
  const dir = process.env["UPDATE_SCREENSHOTS"] === "1" ? fileURLToPath(new URL("../../docs/", import.meta.url)) : SCRATCH;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await view.page.locator("iframe").screenshot({ path });
  return path;
}
const SCRATCH = join(tmpdir(), "langsmith-mcp-view-screenshots");

/*
 * Questions asked inside the view's frame. Written as expressions (text), since this program
 * has no DOM types; each is evaluated in the browser.
 */

/** The view's page background colour as computed (`rgb(…)`). */
export const backgroundOf = (view: MountedView): Promise<string> =>
  view.frame.evaluate<string>("getComputedStyle(document.body).backgroundColor");

/** Waits until the view has set data-theme to `theme` (from the host context). */
export const waitForTheme = async (view: MountedView, theme: Theme): Promise<void> => {
  // A locator wait, not waitForFunction: the view's CSP refuses the string re-evaluation that polls.
  await view.frame.locator(`html[data-theme=${JSON.stringify(theme)}]`).waitFor({ state: "attached", timeout: 15_000 });
};

/** How many pixels the view is wider than its frame (0 or less: no horizontal scrolling). */
export const horizontalOverflow = (view: MountedView): Promise<number> =>
  view.frame.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");

/**
 * Waits until `selector` matches exactly `count` elements in the view (up to 15 s), polling from
 * the test side: waitForFunction re-evaluates a string in the page, which the view's CSP (no
 * 'unsafe-eval') refuses once the first check fails. Throws with the last count seen.
 */
export const waitForCount = async (view: MountedView, selector: string, count: number): Promise<void> => {
  const locator = view.frame.locator(selector);
  let seen = await locator.count();
  for (const deadline = Date.now() + 15_000; seen !== count && Date.now() < deadline; seen = await locator.count()) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (seen !== count) throw new Error(`expected ${count} elements matching ${selector} in the view, found ${seen}`);
};
