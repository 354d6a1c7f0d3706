import type { Tool } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { AnyToolDefinition } from "./define-tool.js";
import precomputed from "./precomputed-listings.js";

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

/**
 * The tool's tools/list entry: the one the bundle build computed (precomputed-listings.ts), or
 * computed once per tool (schemas never change at run time).
 */
const listings = new WeakMap<AnyToolDefinition, Tool>();
export function toolListing(tool: AnyToolDefinition): Tool {
  let listing = listings.get(tool);
  if (!listing) {
    listing = precomputed[tool.name] ?? liveListing(tool);
    listings.set(tool, listing);
  }
  return listing;
}

/** The tools/list entry computed from the tool's definition. */
export function liveListing(tool: AnyToolDefinition): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: toJsonSchema(tool.inputSchema, "input"),
    outputSchema: toJsonSchema(tool.outputSchema, "output"),
    annotations: { title: tool.title, ...tool.annotations },
  };
}
