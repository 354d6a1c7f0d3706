/**
 * Serves the interactive views (catalog.ts) to hosts that render MCP Apps: one `ui://`
 * resource per view whose tool this server offers (read-only mode and toolsets apply: a view
 * of a tool left out is not listed), and the `_meta.ui` each such tool carries in tools/list.
 * The HTML is built at build time (scripts/build-views.mjs) and holds no data: a view gets
 * everything from the tool results the host passes it, and may call tools only through the host.
 */
import type { McpServer } from "@modelcontextprotocol/server";
import { EXTENSION_ID, RESOURCE_MIME_TYPE, RESOURCE_URI_META_KEY, registerAppResource } from "@modelcontextprotocol/ext-apps/server";
import { APP_VIEWS, viewUri, type AppView } from "./catalog.js";

export { APP_VIEWS, viewUri, type AppView } from "./catalog.js";
export { EXTENSION_ID as UI_EXTENSION, RESOURCE_MIME_TYPE as VIEW_MIME_TYPE };

/**
 * What the resource tells the host's sandbox: no domain to connect to or load from (the page
 * is self-contained, and its own Content-Security-Policy says the same), drawn with a border.
 */
export const VIEW_RESOURCE_META = Object.freeze({
  ui: { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true },
});

/** The views of the tools offered, in catalog order. */
export function offeredViews(toolNames: Iterable<string>): AppView[] {
  const offered = new Set(toolNames);
  return APP_VIEWS.filter((view) => offered.has(view.tool));
}

/**
 * The `_meta` of a tool's tools/list entry that names its view: `ui.resourceUri` (the
 * extension's form) and the flat `ui/resourceUri` key older hosts read, as registerAppTool writes both.
 */
export function toolUiMeta(view: AppView): Record<string, unknown> {
  const resourceUri = viewUri(view.view);
  return { ui: { resourceUri }, [RESOURCE_URI_META_KEY]: resourceUri };
}

/**
 * Registers each view as a resource and declares the extension (initialize at 2025-11-25,
 * server/discover at 2026-07-28), beside the Tasks extension where that is declared.
 */
export function registerApps(mcp: McpServer, views: readonly AppView[]): void {
  if (views.length === 0) return;
  mcp.server.registerCapabilities({ extensions: { [EXTENSION_ID]: {} } });
  for (const view of views) {
    const uri = viewUri(view.view);
    registerAppResource(
      mcp,
      view.view,
      uri,
      { title: view.title, description: view.description, mimeType: RESOURCE_MIME_TYPE, _meta: VIEW_RESOURCE_META },
      async () => ({ contents: [{ uri, mimeType: RESOURCE_MIME_TYPE, text: await viewHtml(view), _meta: VIEW_RESOURCE_META }] }),
    );
  }
}

/**
 * A view's HTML (~345 KB each), loaded on the first resources/read of a view rather than at
 * startup: the four pages would otherwise be parsed on every cold start (issue #19's budget).
 * Throws when the build skipped scripts/build-views.mjs, naming the fix.
 */
async function viewHtml(view: AppView): Promise<string> {
  const { VIEW_HTML } = await import("./generated/views.js");
  const html = VIEW_HTML[view.view];
  if (html === undefined) {
    // A build without scripts/build-views.mjs: say so where it happened, not as a blank frame.
    throw new Error(`The ${view.view} view was not built; run npm run build (scripts/build-views.mjs).`);
  }
  return html;
}
