/**
 * The floor a tool call is measured against: the smallest MCP server that answers a tool call
 * with one LangSmith request. Same SDK (v2), same transport (serveStdio) and same HTTP client
 * (undici, keep-alive) as the product; one tool, `runs_query`, that POSTs the body given in
 * PASSTHROUGH_BODY to `${LANGSMITH_ENDPOINT}/api/v2/runs/query` and returns the response
 * body unshaped as one text block: no argument schema, no validation, no redaction, no
 * budget. What the product adds on top of this is its overhead; the protocol hop is not.
 *
 *   LANGSMITH_ENDPOINT=… LANGSMITH_API_KEY=… PASSTHROUGH_BODY='{…}' node dist/bench/passthrough-server.js
 */
import { Server } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { request } from "undici";

const endpoint = process.env.LANGSMITH_ENDPOINT ?? "";
const apiKey = process.env.LANGSMITH_API_KEY ?? "";
const body = process.env.PASSTHROUGH_BODY ?? "{}";

serveStdio(() => {
  const server = new Server({ name: "passthrough-floor", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler("tools/list", () => ({
    tools: [{ name: "runs_query", description: "POST /api/v2/runs/query, body as is", inputSchema: { type: "object" as const } }],
  }));
  server.setRequestHandler("tools/call", async () => {
    const response = await request(`${endpoint}/api/v2/runs/query`, {
      method: "POST",
      headers: { "x-api-key": apiKey, "content-type": "application/json" },
      body,
    });
    return { content: [{ type: "text" as const, text: await response.body.text() }] };
  });
  return server;
});
process.stdin.on("end", () => process.exit(0));
