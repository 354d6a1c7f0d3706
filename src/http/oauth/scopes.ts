/**
 * Scopes → tools. The read scope offers the tools that change nothing (those `--read-only`
 * keeps: `readOnlyHint` is the single source of truth); the write scope offers every tool,
 * among them those that create, cancel, rotate and purge. A token with neither offers nothing.
 * A tools/call for a write tool with only the read scope is refused before it reaches a server,
 * with 403 `insufficient_scope` naming the write scope (the MCP spec's step-up challenge).
 */
import type { JSONRPCMessage } from "@modelcontextprotocol/server";
import { TOOLS } from "../../tools/index.js";

export interface ScopeNames {
  read: string;
  write: string;
}

/** What a token may do here: read only, everything, or nothing. */
export type Grant = "read" | "write" | "none";

export function grantOf(scopes: readonly string[], names: ScopeNames): Grant {
  if (scopes.includes(names.write)) return "write";
  if (scopes.includes(names.read)) return "read";
  return "none";
}

/** Tools that change data: offered only with the write scope. */
const WRITE_TOOLS: ReadonlySet<string> = new Set(TOOLS.filter((tool) => !tool.annotations.readOnlyHint).map((tool) => tool.name));

/**
 * The write tools the messages of one request call (tools/call by name), in order, once each,
 * and the id of the first such call (for the refusal's JSON-RPC id).
 */
export function writeToolsCalled(messages: readonly JSONRPCMessage[]): { names: string[]; firstId: string | number | null } {
  const names = new Set<string>();
  let firstId: string | number | null = null;
  for (const message of messages) {
    if (!("method" in message) || message.method !== "tools/call") continue;
    const name = (message.params as { name?: unknown } | undefined)?.name;
    if (typeof name !== "string" || !WRITE_TOOLS.has(name)) continue;
    if (names.size === 0 && "id" in message) firstId = message.id;
    names.add(name);
  }
  return { names: [...names], firstId };
}
