/**
 * A minimal MCP Apps host for the browser tests, on the extension's own host-side bridge
 * (AppBridge over PostMessageTransport): it renders a view's HTML in a sandboxed iframe
 * (scripts only, an opaque origin: no same-origin access, as real hosts frame views), passes
 * it tool results and host context, and forwards the view's tool calls to the test (Node),
 * which runs them on the real server through an MCP client. Bundled by the test with esbuild.
 */
import { AppBridge, PostMessageTransport, type McpUiHostContext } from "@modelcontextprotocol/ext-apps/app-bridge";
import type { CallToolResult } from "@modelcontextprotocol/client";

declare global {
  interface Window {
    /** Exposed by the test (page.exposeFunction): runs tools/call on the server. */
    __callServerTool: (name: string, args: Record<string, unknown>) => Promise<CallToolResult>;
    mountView: (html: string, context: McpUiHostContext, width: number) => Promise<void>;
    sendToolResult: (result: CallToolResult, args?: Record<string, unknown>) => Promise<void>;
    setHostContext: (context: McpUiHostContext) => Promise<void>;
    toolCalls: { name: string; arguments: Record<string, unknown> }[];
  }
}

let bridge: AppBridge | undefined;
window.toolCalls = [];

window.mountView = async (html, context, width) => {
  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", "allow-scripts");
  frame.setAttribute("title", "view");
  frame.width = String(width);
  frame.height = "600";
  document.body.append(frame);
  bridge = new AppBridge(
    null,
    { name: "langsmith-mcp-test-host", version: "1.0.0" },
    { serverTools: {}, logging: {} },
    { hostContext: context },
  );
  bridge.oncalltool = async (params) => {
    window.toolCalls.push({ name: params.name, arguments: (params.arguments ?? {}) as Record<string, unknown> });
    return window.__callServerTool(params.name, (params.arguments ?? {}) as Record<string, unknown>);
  };
  bridge.onsizechange = ({ height }) => {
    if (height) frame.height = String(Math.ceil(height));
  };
  const initialized = new Promise<void>((resolve) => {
    bridge!.oninitialized = () => resolve();
  });
  await bridge.connect(new PostMessageTransport(frame.contentWindow!, frame.contentWindow!));
  frame.srcdoc = html;
  await initialized;
};

let inputSent = false;
window.sendToolResult = async (result, args) => {
  // The tool's arguments go once, before its first result (the extension's order).
  if (!inputSent) await bridge!.sendToolInput({ arguments: args ?? {} });
  inputSent = true;
  await bridge!.sendToolResult(result);
};

window.setHostContext = async (context) => {
  bridge!.setHostContext(context);
};
