import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { destinationLine, destinationView, DestinationViewSchema } from "./export-shared.js";

const inputSchema = z.object({
  name_contains: z.string().optional().describe("Only destinations whose display name contains this text (case-insensitive)."),
});

const outputSchema = z.object({
  destinations: z.array(DestinationViewSchema).optional(),
  count: z.number().int(),
});

export const listDestinations = defineTool({
  name: "list_destinations",
  title: "List export destinations",
  description:
    "List the workspace's bulk export destinations (bucket, prefix, region or endpoint, which credential fields are stored; never " +
    "secrets). " +
    "Use it to pick or check a destination. " +
    "Next: create_export.",
  toolset: "exports",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, { client, signal }) {
    const needle = args.name_contains?.toLowerCase();
    const destinations = (await client.listDestinations(signal))
      .filter((d) => !needle || d.display_name.toLowerCase().includes(needle))
      .map(destinationView);
    return {
      structured: { destinations, count: destinations.length },
      text: [
        `${destinations.length} destination${destinations.length === 1 ? "" : "s"}.`,
        ...destinations.map((d) => `- ${destinationLine(d)}`),
      ].join("\n"),
    };
  },
});
