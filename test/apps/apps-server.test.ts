/**
 * The interactive views as a host sees them (MCP Apps, SEP-1865): the extension declared at
 * initialize and in server/discover, each view a `ui://langsmith-mcp/<view>` resource of MIME
 * `text/html;profile=mcp-app` with a no-network CSP, named in `_meta.ui.resourceUri` of the
 * tool it shows; --no-apps, read-only mode and toolsets applied as to the tools themselves.
 * Expected values come from the extension's published constants and spec wording.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { runsOf, nodesOf } from "../support/runs.js";

const EXTENSION = "io.modelcontextprotocol/ui";
const MIME = "text/html;profile=mcp-app";
const VIEWS: Record<string, string> = {
  get_trace: "ui://langsmith-mcp/trace-waterfall",
  export_status: "ui://langsmith-mcp/export-progress",
  deletion_report: "ui://langsmith-mcp/purge-evidence",
  run_stats: "ui://langsmith-mcp/run-stats",
};

type Listed = { name: string; _meta?: Record<string, unknown> };
const uiUri = (tool: Listed): unknown => (tool._meta?.["ui"] as { resourceUri?: string } | undefined)?.resourceUri;
const uiResources = async (stack: InMemoryStack) =>
  (await stack.client.listResources()).resources.filter((resource) => resource.uri.startsWith("ui://"));

describe("views offered (default settings, 2025-11-25)", () => {
  let stack: InMemoryStack;
  beforeAll(async () => {
    stack = await startInMemoryStack();
  });
  afterAll(() => stack.close());

  it("declares the io.modelcontextprotocol/ui extension at initialize", () => {
    expect(stack.client.getServerCapabilities()?.extensions?.[EXTENSION]).toEqual({});
  });

  it("names a view in _meta.ui.resourceUri (and the legacy ui/resourceUri) of exactly the four tools that have one", async () => {
    const { tools } = await stack.client.listTools();
    const withView = Object.fromEntries(
      (tools as Listed[]).filter((tool) => uiUri(tool) !== undefined).map((tool) => [tool.name, uiUri(tool)]),
    );
    expect(withView).toEqual(VIEWS);
    for (const tool of tools as Listed[]) if (tool.name in VIEWS) expect(tool._meta?.["ui/resourceUri"]).toBe(VIEWS[tool.name]);
  });

  it("lists each view as a ui:// resource of MIME text/html;profile=mcp-app", async () => {
    const listed = await uiResources(stack);
    expect(listed.map((r) => r.uri).sort()).toEqual(Object.values(VIEWS).sort());
    for (const resource of listed) expect(resource.mimeType).toBe(MIME);
  });

  it("serves one self-contained page per view: inline script and style only, a CSP without network, no domains in _meta.ui.csp", async () => {
    for (const uri of Object.values(VIEWS)) {
      const { contents } = await stack.client.readResource({ uri });
      expect(contents).toHaveLength(1);
      const page = contents[0] as { uri: string; mimeType?: string; text?: string; _meta?: { ui?: { csp?: Record<string, unknown> } } };
      expect(page.mimeType).toBe(MIME);
      expect(page._meta?.ui?.csp).toEqual({ connectDomains: [], resourceDomains: [] });
      const html = page.text ?? "";
      expect(html.startsWith("<!doctype html>")).toBe(true);
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("connect-src 'none'");
      expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
      // Nothing loaded from anywhere: no external script, stylesheet, image or frame.
      expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    }
  });

  it("leaves the tool result as it was: text and structuredContent, no view data mixed in", async () => {
    const runs = runsOf(await stack.call("query_runs", { project: "checkout-bot", start_time: "7d", page_size: 1 }));
    const result = await stack.call("get_trace", { run_id: runs[0]!.id });
    expect(result.isError).toBeFalsy();
    expect(result.content).toHaveLength(1);
    expect(result.content[0]).toMatchObject({ type: "text" });
    expect(nodesOf(result).length).toBeGreaterThan(0);
    expect(result._meta).toBeUndefined();
  });
});

describe("views and settings", () => {
  it("--no-apps: no _meta.ui, no ui:// resource, no extension declared", async () => {
    const stack = await startInMemoryStack({ args: ["--no-apps"] });
    try {
      const { tools } = await stack.client.listTools();
      expect((tools as Listed[]).filter((tool) => tool._meta !== undefined)).toEqual([]);
      expect(await uiResources(stack)).toEqual([]);
      expect(stack.client.getServerCapabilities()?.extensions?.[EXTENSION]).toBeUndefined();
    } finally {
      await stack.close();
    }
  });

  it("LANGSMITH_MCP_NO_APPS=1 and the bundle's no_apps setting turn the same switch", () => {
    expect(loadConfig([], { LANGSMITH_API_KEY: "k", LANGSMITH_MCP_NO_APPS: "1" }).noApps).toBe(true);
    expect(loadConfig([], { LANGSMITH_API_KEY: "k" }).noApps).toBe(false);
    const manifest = JSON.parse(readFileSync(new URL("../../manifest.json", import.meta.url), "utf8")) as {
      server: { mcp_config: { env: Record<string, string> } };
    };
    expect(manifest.server.mcp_config.env["LANGSMITH_MCP_NO_APPS"]).toBe("${user_config.no_apps}");
  });

  it("toolsets: a view of a tool left out is not listed (runs only: the waterfall and the stats charts)", async () => {
    const stack = await startInMemoryStack({ args: ["--toolsets", "runs"] });
    try {
      expect((await uiResources(stack)).map((r) => r.uri).sort()).toEqual([VIEWS["run_stats"], VIEWS["get_trace"]].sort());
    } finally {
      await stack.close();
    }
  });

  it("read-only mode keeps the views of read-only tools (all four are)", async () => {
    const stack = await startInMemoryStack({ args: ["--read-only"] });
    try {
      expect((await uiResources(stack)).map((r) => r.uri).sort()).toEqual(Object.values(VIEWS).sort());
    } finally {
      await stack.close();
    }
  });
});

describe("views at 2026-07-28", () => {
  let stack: InMemoryStack;
  beforeAll(async () => {
    stack = await startInMemoryStack({ protocol: "2026-07-28" });
  });
  afterAll(() => stack.close());

  it("declares the extension in server/discover, lists the views and names them on the tools", async () => {
    expect(stack.client.getServerCapabilities()?.extensions?.[EXTENSION]).toEqual({});
    expect((await uiResources(stack)).length).toBe(4);
    const { tools } = await stack.client.listTools();
    expect(uiUri((tools as Listed[]).find((tool) => tool.name === "get_trace")!)).toBe(VIEWS["get_trace"]);
  });
});
