/**
 * `npm run demo`: starts the LangSmith simulator, spawns the built MCP server over stdio with
 * a real SDK Client, and walks through what an agent would do, printing a transcript.
 */
import { getDefaultEnvironment } from "@modelcontextprotocol/client/stdio";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { redactObject } from "../src/redact.js";
import { startSimulator } from "../src/simulator/index.js";
import { control } from "../src/simulator/testing.js";
import { expandRunTable, type RunTable } from "../src/tools/run-table.js";
import { spawnStdio } from "../test/support/stdio.js";

const SERVER = fileURLToPath(new URL("../bundle/main.js", import.meta.url));
const MAX_LINES = 14;

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);

function show(result: CallToolResult, maxLines = MAX_LINES): void {
  const text = result.content.map((c) => (c.type === "text" ? c.text : `[${c.type}]`)).join("\n");
  const lines = text.split("\n");
  const long = Number.isFinite(maxLines) ? 160 : 400;
  for (const line of lines.slice(0, maxLines)) console.log(`  │ ${line.length > long ? `${line.slice(0, long - 3)}…` : line}`);
  if (lines.length > maxLines) console.log(dim(`  │ … ${lines.length - maxLines} more lines`));
  if (result.isError) console.log(dim("  │ (isError: true)"));
  console.log();
}

async function main(): Promise<void> {
  const sim = await startSimulator({ port: 0, seed: 42 });
  console.log(bold("LangSmith MCP demo"));
  console.log(dim(`simulator at ${sim.url} (seeded demo data); server: node ${SERVER} over stdio\n`));

  // The shared stdio harness (test/support/stdio.ts), as the e2e tests and benchmarks start the server.
  const server = await spawnStdio({
    command: process.execPath,
    // A ledger of its own, so the demo never touches the user's real deletion ledger.
    args: [SERVER, "--ledger", join(mkdtempSync(join(tmpdir(), "langsmith-mcp-demo-")), "ledger.sqlite")],
    env: { ...getDefaultEnvironment(), LANGSMITH_API_KEY: sim.apiKey, LANGSMITH_ENDPOINT: sim.url, LANGSMITH_MCP_LOG_LEVEL: "warn" },
    clientName: "demo-agent",
    // The server's warnings appear in the transcript where they happen.
    onStderr: (text) => process.stderr.write(text),
  });
  const { client } = server;
  const info = client.getServerVersion();
  console.log(`${bold("connected")} to ${info?.name} ${info?.version}`);
  const { tools } = await client.listTools();
  console.log(`${tools.length} tools: ${tools.map((t) => t.name).join(", ")}\n`);

  const call = async (say: string, name: string, args: Record<string, unknown>, maxLines = MAX_LINES): Promise<CallToolResult> => {
    console.log(`${bold("user ›")} ${say}`);
    // The transcript shows what the agent sends, less credential values.
    console.log(`${bold("agent ›")} ${name} ${dim(JSON.stringify(redactObject(args)))}`);
    const result = await server.call(name, args);
    show(result, maxLines);
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
  const page1 = {
    ...(first.structuredContent as { next_cursor?: string }),
    runs: expandRunTable((first.structuredContent as { runs?: RunTable }).runs ?? { columns: [], rows: [] }),
  };

  if (page1.next_cursor) {
    await call("And the next few?", "query_runs", {
      project: "checkout-bot",
      start_time: "24h",
      filter,
      page_size: 5,
      cursor: page1.next_cursor,
    });
  }

  const run = page1.runs[0];
  if (run) {
    await call("Open the first one.", "get_run", { run_id: run.id, max_field_chars: 600 });
    await call("Where in its trace did it fail?", "get_trace", { run_id: run.id });
  }

  // Aggregates: one call instead of paging every run.
  await call("What did checkout-bot cost over the last day, and what was its error rate?", "run_stats", {
    project: "checkout-bot",
    start_time: "24h",
  });
  await call("Error rate and p99 latency of the LLM calls this week, per model; and the five slowest.", "run_stats", {
    project: "checkout-bot",
    start_time: "7d",
    run_type: "llm",
    group_by: "metadata",
    group_key: "ls_model_name",
    sort_by: "p99",
    top_by: "latency",
    top_n: 5,
  });
  const threads = await call("Which support conversations were active today?", "list_threads", {
    project: "support-bot",
    start_time: "24h",
    limit: 5,
  });
  const listed = (threads.structuredContent as { threads?: { thread_id: string; turns: number }[] }).threads ?? [];
  const longest = [...listed].sort((a, b) => b.turns - a.turns)[0];
  if (longest)
    await call("Show me the longest of those conversations.", "list_threads", { project: "support-bot", thread_id: longest.thread_id });

  await call("(an agent's typo in a filter is caught before any request)", "query_runs", {
    project: "checkout-bot",
    filter: 'and(eq(run_type, "llm"), gt(latency, 5)',
  });

  // Bulk exports: a destination, a clean export, a failing one diagnosed, a cancel.
  const { fullAccess, readOnly } = sim.storage.credentials;
  await call("Set up an S3 destination for bucket acme-traces in eu-west-1 (with the read-only key first).", "create_destination", {
    display_name: "acme traces eu",
    bucket_name: sim.storage.buckets.traces,
    region: "eu-west-1",
    access_key_id: readOnly.access_key_id,
    secret_access_key: readOnly.secret_access_key,
  });
  await call("Use the writer key then.", "create_destination", {
    display_name: "acme traces eu",
    bucket_name: sim.storage.buckets.traces,
    prefix: "langsmith",
    region: "eu-west-1",
    access_key_id: fullAccess.access_key_id,
    secret_access_key: fullAccess.secret_access_key,
  });
  await call("Which destinations do we have?", "list_destinations", {});

  const day = 86_400_000;
  const midnight = (daysAgo: number) => new Date(Math.floor(Date.now() / day) * day - daysAgo * day).toISOString();
  const exported = await call("Export the last three days of errored LLM runs from checkout-bot.", "create_export", {
    project: "checkout-bot",
    destination: "acme traces eu",
    start_time: midnight(3),
    end_time: midnight(0),
    filter,
  });
  const exportId = (exported.structuredContent as { export: { id: string } }).export.id;
  await control(sim, "POST", "clock", { advance_seconds: 2 * 3600 });
  console.log(dim("  (two simulated hours pass)\n"));
  await call("How is that export going?", "export_status", { export_id: exportId });
  await call("Did it export every run it should have?", "export_status", { export_id: exportId, runs_limit: 0, check_completeness: true });

  // An export that completes "successfully" but silently loses rows of one day: only a completeness check sees it.
  await control(sim, "POST", "export-faults", { scenario: "dropped_rows", partition: midnight(2).slice(0, 10) });
  const lossy = await call("Export the last three days of rag-search too.", "create_export", {
    project: "rag-search",
    destination: "acme traces eu",
    start_time: midnight(3),
    end_time: midnight(0),
  });
  const lossyId = (lossy.structuredContent as { export: { id: string } }).export.id;
  await control(sim, "POST", "clock", { advance_seconds: 2 * 3600 });
  console.log(dim("  (two more simulated hours pass)\n"));
  await call("It says Completed. Is it really all there?", "diagnose_export", { export_id: lossyId });

  // A large export whose worker keeps running out of memory: it fails after its retries.
  await control(sim, "POST", "export-faults", { scenario: "out_of_memory", times: -1 });
  const failing = await call("Export all of support-bot for the last five days.", "create_export", {
    project: "support-bot",
    destination: "acme traces eu",
    start_time: midnight(5),
    end_time: midnight(0),
  });
  const failingId = (failing.structuredContent as { export: { id: string } }).export.id;
  await control(sim, "POST", "clock", { advance_seconds: 24 * 3600 });
  console.log(dim("  (a simulated day passes)\n"));
  await call("Is last night's export healthy?", "list_exports", { limit: 5 });
  await call("Why did it fail, and what do I do?", "diagnose_export", { export_id: failingId });
  await call("Someone pasted this from a bucket log; what is it?", "diagnose_export", {
    error_text: "An error occurred (NoSuchBucket) when calling the PutObject operation: The specified bucket does not exist",
  });

  await control(sim, "POST", "config", { exports: { rows_per_second: 1 } });
  const slow = await call("Export rag-search for the last week.", "create_export", {
    project: "rag-search",
    destination: "acme traces eu",
    start_time: midnight(7),
    end_time: midnight(0),
  });
  const slowId = (slow.structuredContent as { export: { id: string } }).export.id;
  const plan = await call("Actually, cancel it.", "cancel_export", { export_id: slowId });
  const token = (plan.structuredContent as { confirmation_token: string }).confirmation_token;
  await call("Yes, cancel.", "cancel_export", { export_id: slowId, confirmation_token: token });

  const rotation = sim.storage.credentials.rotation;
  const rotatePlan = await call("Rotate the destination's keys to the new pair.", "rotate_destination_credentials", {
    destination: "acme traces eu",
    access_key_id: rotation.access_key_id,
    secret_access_key: rotation.secret_access_key,
  });
  await call("Go ahead.", "rotate_destination_credentials", {
    destination: "acme traces eu",
    access_key_id: rotation.access_key_id,
    secret_access_key: rotation.secret_access_key,
    confirmation_token: (rotatePlan.structuredContent as { confirmation_token: string }).confirmation_token,
  });

  // Compliance purge across the workspace: plan (per-project counts), confirm, queue, verify
  // before and after the weekend batch, then the evidence report an auditor files.
  const purgeArgs = { all_projects: true, metadata: ["user_id=123"] };
  const purgePlan = await call("Purge every trace of user 123, in every project, and prove it.", "queue_deletion", purgeArgs);
  const purgeToken = (purgePlan.structuredContent as { confirmation_token?: string }).confirmation_token;
  if (purgeToken) {
    const queued = await call("Confirmed: go ahead.", "queue_deletion", { ...purgeArgs, confirmation_token: purgeToken });
    const purgeId = (queued.structuredContent as { purge: { purge_id: string } }).purge.purge_id;
    await call("Is it gone yet?", "verify_deletion", { purge_id: purgeId });
    const now = sim.clock.now();
    const saturday = Math.floor(now / day) * day + ((6 - new Date(now).getUTCDay() + 7) % 7 || 7) * day + 3 * 3600_000;
    await control(sim, "POST", "clock", { set: new Date(saturday + 7 * day).toISOString() });
    console.log(dim("  (the clock moves past LangSmith's weekend deletion batch)\n"));
    await call("And now?", "verify_deletion", { purge_id: purgeId });
    await call("Show me the deletion ledger.", "list_deletions", {});
    // The report in full (its first 10 trace ids; deletion_report pages on through all of them).
    await call("Give me the evidence for the auditor.", "deletion_report", { purge_id: purgeId, max_ids: 10 }, Infinity);
  }

  // The same results as interactive views, for a client that renders MCP Apps (README: Interactive views).
  const views = (await client.listResources()).resources.filter((resource) => resource.uri.startsWith("ui://"));
  console.log(`${bold("interactive views")} (MCP Apps, io.modelcontextprotocol/ui): ${views.map((view) => view.uri).join(", ")}`);
  console.log(
    dim(
      "  A client that renders MCP Apps shows them in the conversation beside get_trace, export_status, run_stats and\n" +
        "  deletion_report results: add `langsmith-mcp --simulator` to it and ask for a trace, an export, app health or a\n" +
        "  purge's evidence. Clients without the extension get the same text and JSON as above.\n",
    ),
  );

  await server.close();
  await sim.close();
  console.log(bold("done."));
}

main().catch((error: unknown) => {
  console.error("demo failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
