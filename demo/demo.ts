/**
 * `npm run demo`: starts the LangSmith simulator, spawns the built MCP server over stdio with
 * a real SDK Client, and walks through what an agent would do, printing a transcript.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport, getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { fileURLToPath } from "node:url";
import { startSimulator } from "../src/simulator/index.js";

const SERVER = fileURLToPath(new URL("../src/main.js", import.meta.url));
const MAX_LINES = 14;

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);

function show(result: CallToolResult): void {
  const text = result.content.map((c) => (c.type === "text" ? c.text : `[${c.type}]`)).join("\n");
  const lines = text.split("\n");
  for (const line of lines.slice(0, MAX_LINES)) console.log(`  │ ${line.length > 160 ? `${line.slice(0, 157)}…` : line}`);
  if (lines.length > MAX_LINES) console.log(dim(`  │ … ${lines.length - MAX_LINES} more lines`));
  if (result.isError) console.log(dim("  │ (isError: true)"));
  console.log();
}

async function main(): Promise<void> {
  const sim = await startSimulator({ port: 0, seed: 42 });
  console.log(bold("LangSmith MCP demo"));
  console.log(dim(`simulator at ${sim.url} (seeded demo data); server: node ${SERVER} over stdio\n`));

  const client = new Client({ name: "demo-agent", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [SERVER],
      env: { ...getDefaultEnvironment(), LANGSMITH_API_KEY: sim.apiKey, LANGSMITH_ENDPOINT: sim.url, LANGSMITH_MCP_LOG_LEVEL: "warn" },
      stderr: "inherit",
    }),
  );
  const info = client.getServerVersion();
  console.log(`${bold("connected")} to ${info?.name} ${info?.version}`);
  const { tools } = await client.listTools();
  console.log(`${tools.length} tools: ${tools.map((t) => t.name).join(", ")}\n`);

  const call = async (say: string, name: string, args: Record<string, unknown>): Promise<CallToolResult> => {
    console.log(`${bold("user ›")} ${say}`);
    console.log(`${bold("agent ›")} ${name} ${dim(JSON.stringify(args))}`);
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    show(result);
    return result;
  };

  await call("Which projects do we have with 'bot' in the name?", "list_projects", { name_contains: "bot" });

  const filter = 'and(eq(run_type, "llm"), neq(error, null))';
  const first = await call("Show me the LLM runs that errored in checkout-bot in the last day.", "query_runs", {
    project: "checkout-bot",
    start_time: "24h",
    filter,
    page_size: 5,
  });
  const page1 = first.structuredContent as { runs: { id: string; trace_id?: string }[]; next_cursor?: string };

  if (page1.next_cursor) {
    await call("And the next few?", "query_runs", { project: "checkout-bot", start_time: "24h", filter, page_size: 5, cursor: page1.next_cursor });
  }

  const run = page1.runs[0];
  if (run) {
    await call("Open the first one.", "get_run", { run_id: run.id, max_field_chars: 600 });
    await call("Where in its trace did it fail?", "get_trace", { run_id: run.id });
  }

  await call("(an agent's typo in a filter is caught before any request)", "query_runs", {
    project: "checkout-bot",
    filter: 'and(eq(run_type, "llm"), gt(latency, 5)',
  });

  await client.close();
  await sim.close();
  console.log(bold("done."));
}

main().catch((error: unknown) => {
  console.error("demo failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
