import type { Tool } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { AnyToolDefinition } from "./define-tool.js";

/**
 * A tool's JSON Schema as tools/list shows it. MCP 2025-11-25 makes JSON Schema 2020-12 the
 * default dialect, so `$schema` is left out: Gemini's function declarations refuse the whole
 * tool list over it. Ids and URLs are `pattern`s, never `format` (Gemini accepts only enum and
 * date-time); test/interop/client-schemas.test.ts holds every listing to those client subsets.
 */
export function toJsonSchema(schema: z.ZodObject, io: "input" | "output"): Tool["inputSchema"] {
  const { $schema: _dialect, ...listed } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" });
  return listed as Tool["inputSchema"];
}

/** The tools/list entry of a tool. Computed once per tool: schemas never change at run time. */
const listings = new WeakMap<AnyToolDefinition, Tool>();
export function toolListing(tool: AnyToolDefinition): Tool {
  let listing = listings.get(tool);
  if (!listing) {
    listing = {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: toJsonSchema(tool.inputSchema, "input"),
      outputSchema: toJsonSchema(tool.outputSchema, "output"),
      annotations: { title: tool.title, ...tool.annotations },
    };
    listings.set(tool, listing);
  }
  return listing;
}
