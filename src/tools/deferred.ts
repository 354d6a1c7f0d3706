import type { AnyToolDefinition } from "./define-tool.js";

/**
 * A tool whose definition (schemas, handler and everything they import) loads on its first
 * call. The bundle (scripts/build-bundle.mjs) gives the server a registry of such stand-ins:
 * each carries what the filters and tools/list read (name, title, description, toolset,
 * annotations, task; the listing itself is precomputed) and `load`, which imports the real
 * registry, a chunk of its own, so a start that only lists tools never evaluates it.
 */
export interface DeferredTool {
  load(): Promise<AnyToolDefinition>;
}

/** The full definition of a listed tool: the tool itself, or what a deferred stand-in loads. */
export async function loadDefinition(tool: AnyToolDefinition): Promise<AnyToolDefinition> {
  const deferred = tool as Partial<DeferredTool>;
  return typeof deferred.load === "function" ? deferred.load() : tool;
}
