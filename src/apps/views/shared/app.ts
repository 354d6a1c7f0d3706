/**
 * What every view does with its host (ext-apps' App over postMessage): connect, take the
 * theme and style variables from the host context (falling back to prefers-color-scheme),
 * render each tool result's structuredContent, and call tools through the host, which runs
 * them on this server as the user. A view never reaches the network itself.
 */
import { App, applyHostStyleVariables, type McpUiHostContext } from "@modelcontextprotocol/ext-apps";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { clear, h } from "./dom.js";

/** A tool result as a view reads it: the structured content, or the error text. */
export type ToolOutcome = { ok: true; structured: Record<string, unknown>; text: string } | { ok: false; text: string };

export interface ViewContext {
  /** Calls a tool of this server through the host; never throws (a failure is `ok: false`). */
  callTool: (name: string, args: Record<string, unknown>) => Promise<ToolOutcome>;
  /** The arguments the host says the tool was called with, when it said. */
  toolInput: () => Record<string, unknown> | undefined;
  /** Where the view draws. */
  root: HTMLElement;
}

export interface ViewDefinition {
  name: string;
  /** Draws one successful result into ctx.root (cleared first). */
  render: (structured: Record<string, unknown>, ctx: ViewContext) => void;
}

/** The text blocks of a result, joined. */
const textOf = (result: CallToolResult): string =>
  (result.content ?? []).flatMap((block) => (block.type === "text" ? [block.text] : [])).join("\n");

export function outcomeOf(result: CallToolResult): ToolOutcome {
  const text = textOf(result);
  if (result.isError || !result.structuredContent) return { ok: false, text: text || "The tool returned no structured result." };
  return { ok: true, structured: result.structuredContent as Record<string, unknown>, text };
}

/** Sets data-theme from the host (light/dark); without one, CSS follows prefers-color-scheme. */
function applyContext(context: McpUiHostContext | undefined): void {
  if (!context) return;
  if (context.theme === "light" || context.theme === "dark") document.documentElement.dataset["theme"] = context.theme;
  if (context.styles?.variables) applyHostStyleVariables(context.styles.variables);
}

/** Connects the view to its host and renders every tool result it is given. */
export function startView(definition: ViewDefinition): App {
  const root = document.getElementById("root")!;
  const app = new App({ name: `langsmith-mcp-${definition.name}`, version: "1.0.0" }, {}, { autoResize: true });
  let input: Record<string, unknown> | undefined;
  const ctx: ViewContext = {
    root,
    toolInput: () => input,
    callTool: async (name, args) => {
      try {
        return outcomeOf(await app.callServerTool({ name, arguments: args }));
      } catch (error) {
        return { ok: false, text: error instanceof Error ? error.message : String(error) };
      }
    },
  };
  const show = (outcome: ToolOutcome) => {
    clear(root);
    if (!outcome.ok) {
      root.append(h("div", { class: "error-box", role: "alert" }, outcome.text));
      return;
    }
    try {
      definition.render(outcome.structured, ctx);
    } catch (error) {
      clear(root);
      root.append(h("div", { class: "error-box", role: "alert" }, `This view could not draw the result: ${String(error)}`));
    }
  };
  app.ontoolinput = (params) => {
    input = params.arguments;
  };
  app.ontoolresult = (result) => show(outcomeOf(result));
  app.onhostcontextchanged = (context) => applyContext(context);
  app.onteardown = async () => ({});
  void app.connect().then(
    () => applyContext(app.getHostContext()),
    (error: unknown) => {
      clear(root);
      root.append(h("div", { class: "error-box" }, `Could not connect to the host: ${String(error)}`));
    },
  );
  return app;
}
