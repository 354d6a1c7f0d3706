/**
 * Issue "Work unchanged against real LangSmith", item 3a: every tool, run through a real SDK
 * Client ↔ buildServer against Stoplight Prism serving LangSmith's published spec in dynamic
 * mode, for ROUNDS rounds of generated responses.
 *
 *   (a) Prism sees 0 request violations: every request we send validates against the spec.
 *   (b) No tool fails on the shape of a response the spec allows. Absurd values are fine.
 *   (c) Nothing crashes: no thrown protocol error, no "bug in the server", and the server
 *       still answers afterwards.
 *
 * How a tool result is classified (decided here, from the text the agent would see):
 *   ok         not isError.
 *   refusal    isError with a sensible reaction to absurd data or to the HTTP status Prism
 *              chose: LangSmith's 4xx relayed, "not found", a user-input error about a value
 *              Prism generated. Allowed.
 *   shape      isError saying a response "does not have the shape" the client expects.
 *              A failure of (b), unless the very exchange it names carries a response
 *              violation in Prism's sl-violations header: then Prism broke its own spec
 *              (prism-quirk, reported, allowed).
 *   crash      the call threw (an MCP error instead of a result), or the text says the result
 *              does not match the tool's output schema, the tool "failed unexpectedly", or it
 *              carries a stack trace. A failure of (c), and of (b) where it is about shape.
 *
 * Configuration: a workspace id (X-Tenant-Id) is configured because the spec's v2 operations
 * require API Key *and* Tenant ID together; an organization id because audit logs are
 * org-scoped. Both are valid settings a user may have (LANGSMITH_WORKSPACE_ID,
 * LANGSMITH_ORGANIZATION_ID).
 *
 * Reproduce a run with PRISM_SEED=<seed printed in the summary>; PRISM_ROUNDS overrides ROUNDS.
 */
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { LangSmithClient } from "../../src/langsmith/index.js";
import { openSqliteLedger } from "../../src/ledger/index.js";
import { silentLogger } from "../../src/log.js";
import { buildServer } from "../../src/server.js";
import { TOOLS } from "../../src/tools/index.js";
import { startPrism, writePrismSpec, type Exchange, type RunningPrism, type Violation } from "../support/prism.js";

const ROUNDS = Number(process.env.PRISM_ROUNDS ?? 20);
const API_KEY = "lsv2_pt_prism_contract_test_key_0000000000";
const WORKSPACE_ID = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
const ORGANIZATION_ID = "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f";

type Outcome = "ok" | "refusal" | "shape" | "prism-quirk" | "crash";

/**
 * Tools that page a runs query to its end. Prism always generates a next_cursor, so without help
 * they only ever reach their page cap and never "ok", and their shape check would be vacuous. So
 * their runs queries answer as a last page would (see setLabel's `lastPage`), in every round but
 * one in ten, which keeps the page-cap path (up to 501 pages of a purge's discovery) covered.
 */
const LAST_PAGE_TOOLS = new Set(["queue_deletion", "verify_deletion", "run_stats"]);
const lastPageRound = (round: number): boolean => round % 10 !== 1;

interface Call {
  round: number;
  tool: string;
  args: Record<string, unknown>;
  outcome: Outcome;
  text: string;
  structured?: Record<string, unknown>;
  /** The requests this call made, with Prism's verdict on each. */
  exchanges: Exchange[];
}

const SHAPE = /does not have the shape/;
const CRASH = /does not match its output schema|failed unexpectedly|bug in the server|\n\s+at \S.*:\d+:\d+/;
/** "POST /api/v2/runs/query → 200 OK but …": the exchange a client error names. */
const NAMED_EXCHANGE = /\b(GET|POST|PATCH|PUT|DELETE) (\/api\/\S+) → (\d{3})/;

/** A UUID made from a label, so ids (and with them Prism's per-request seeds) repeat per seed. */
function uuidFor(label: string): string {
  let hex = "";
  for (let salt = 0; hex.length < 32; salt++) {
    let h = 0x811c9dc5 ^ salt;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
    hex += h.toString(16).padStart(8, "0");
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function classify(text: string, isError: boolean, exchanges: Exchange[]): Outcome {
  if (CRASH.test(text)) return "crash";
  if (!isError) return "ok";
  if (!SHAPE.test(text)) return "refusal";
  const named = NAMED_EXCHANGE.exec(text);
  const culprit = named && [...exchanges].reverse().find((e) => e.method === named[1] && e.path === named[2]!.split("?")[0]);
  return culprit?.violations.some((v) => v.side === "response") ? "prism-quirk" : "shape";
}

describe("every tool against Prism serving LangSmith's spec with generated responses", () => {
  let prism: RunningPrism;
  let api: LangSmithClient;
  let client: Client;
  let specDir: string;
  const ledger = openSqliteLedger(":memory:");
  const calls: Call[] = [];

  async function call(round: number, tool: string, args: Record<string, unknown>, options: { replay?: boolean } = {}): Promise<Call> {
    prism.setLabel(`r${round} ${tool}`, { ...options, lastPage: LAST_PAGE_TOOLS.has(tool) && lastPageRound(round) });
    const before = prism.exchanges.length;
    let text: string;
    let isError = true;
    let structured: Record<string, unknown> | undefined;
    let thrown = false;
    try {
      const result = (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
      text = result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");
      isError = result.isError === true;
      structured = result.structuredContent as Record<string, unknown> | undefined;
    } catch (error) {
      thrown = true;
      text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    }
    const exchanges = prism.exchanges.slice(before);
    const outcome = thrown ? "crash" : classify(text, isError, exchanges);
    const record: Call = { round, tool, args, outcome, text, exchanges, ...(structured && { structured }) };
    calls.push(record);
    return record;
  }

  /**
   * A destructive tool: its planning call, then the confirmed call with the token it returned.
   * The confirmed call replays the plan's reads: a token is bound to what the plan saw, and
   * LangSmith's data does not change between the two calls, whereas Prism's would.
   */
  async function planAndConfirm(round: number, tool: string, args: Record<string, unknown>): Promise<Call> {
    const plan = await call(round, tool, args);
    const token = plan.structured?.["confirmation_token"];
    return typeof token === "string" ? call(round, tool, { ...args, confirmation_token: token }, { replay: true }) : plan;
  }

  async function round(r: number): Promise<void> {
    const id = (what: string) => uuidFor(`${prism.seed}/${r}/${what}`);
    // Mostly ids; every fifth round a name, which goes through the project list.
    const project = r % 5 === 4 ? "checkout-bot" : id("project");
    const destination = id("destination");
    const exportId = id("export");

    await call(r, "list_projects", r % 2 === 0 ? {} : { name_contains: "bot", limit: 5, include_stats: r % 4 === 1 });

    const runQuery = [
      { project, start_time: "7d", page_size: 5 },
      {
        project,
        start_time: "2026-11-01T00:00:00Z",
        end_time: "2026-11-24T09:00:00Z",
        filter: 'and(eq(run_type, "llm"), neq(error, null))',
        fields: "detailed",
      },
      { project, start_time: "30d", is_root: true, has_error: true, run_type: "chain", sort_order: "asc", fields: "full", page_size: 3 },
    ][r % 3]!;
    const first = await call(r, "query_runs", runQuery);
    const cursor = first.structured?.["next_cursor"];
    if (typeof cursor === "string") await call(r, "query_runs", { ...runQuery, cursor });

    await call(
      r,
      "get_run",
      r % 2 === 0
        ? { run_id: id("run") }
        : { run_id: id("run"), project, start_time: "2026-11-24T09:00:00Z", fields: "full", include_share_url: true },
    );
    await call(r, "get_trace", r % 2 === 0 ? { trace_id: id("trace") } : { run_id: id("run"), max_nodes: 50 });

    await call(
      r,
      "run_stats",
      [
        { project, start_time: "7d" },
        { project, start_time: "30d", group_by: "tag", top_by: "latency", top_n: 3 },
        { project, group_by: "metadata", group_key: "user_id", sort_by: "cost", is_root: true, top_by: "total_cost" },
      ][r % 3]!,
    );
    await call(r, "list_threads", r % 2 === 0 ? { project, start_time: "30d" } : { project, thread_id: id("thread") });

    await call(r, "list_destinations", r % 2 === 0 ? {} : { name_contains: "acme" });
    await call(
      r,
      "create_destination",
      r % 3 === 2
        ? {
            display_name: "acme traces gcs",
            bucket_name: "acme-traces",
            endpoint_url: "https://storage.googleapis.com",
            addressing_style: "path",
            access_key_id: "GOOG1EXAMPLEHMACKEYID",
            secret_access_key: "example-hmac-secret-0123456789abcdef",
          }
        : {
            display_name: "acme traces eu",
            bucket_name: "acme-traces",
            prefix: "langsmith/exports",
            region: "eu-west-1",
            access_key_id: "AKIAIOSFODNN7EXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
          },
    );
    await planAndConfirm(r, "rotate_destination_credentials", {
      destination,
      access_key_id: "AKIAI44QH8DHBEXAMPLE",
      secret_access_key: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    });

    await call(
      r,
      "create_export",
      [
        { project, destination, start_time: "2026-11-01T00:00:00Z", end_time: "2026-11-02T00:00:00Z" },
        { project, destination, start_time: "2026-11-01T00:00:00Z", interval_hours: 24 },
        {
          project,
          destination,
          start_time: "7d",
          end_time: "1d",
          export_fields: ["id", "name", "start_time", "error"],
          format_version: "v2_beta",
          compression: "zstandard",
        },
      ][r % 3]!,
    );
    await call(r, "list_exports", [{}, { status: "Failed", limit: 5 }, { project }][r % 3]!);
    await call(r, "export_status", r % 2 === 0 ? { export_id: exportId } : { export_id: exportId, runs_status: "Failed", runs_limit: 5 });
    await planAndConfirm(r, "cancel_export", { export_id: exportId });
    await call(
      r,
      "diagnose_export",
      [
        { export_id: exportId },
        { project },
        {
          error_text:
            "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied",
        },
      ][r % 3]!,
    );

    const purge =
      r % 2 === 0
        ? { project, trace_ids: [id("trace"), id("trace-2")] }
        : { project, filter: 'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))', start_time: "30d" };
    const queued = await planAndConfirm(r, "queue_deletion", purge);
    const purgeId = (queued.structured?.["purge"] as { purge_id?: unknown } | undefined)?.purge_id;
    await call(
      r,
      "verify_deletion",
      typeof purgeId === "string" ? { purge_id: purgeId } : { project, filter: purge.filter ?? 'eq(name, "x")', start_time: "30d" },
    );
    await call(r, "list_deletions", {});
    await call(r, "deletion_report", { purge_id: typeof purgeId === "string" ? purgeId : "purge_20260101_0000000000" });
  }

  beforeAll(async () => {
    specDir = mkdtempSync(join(tmpdir(), "prism-spec-"));
    prism = await startPrism({ spec: writePrismSpec(specDir) });
    api = new LangSmithClient({
      endpoint: prism.url,
      apiKey: API_KEY,
      workspaceId: WORKSPACE_ID,
      organizationId: ORGANIZATION_ID,
      dispatcher: prism.dispatcher,
    });
    const config = loadConfig([], {
      LANGSMITH_API_KEY: API_KEY,
      LANGSMITH_ENDPOINT: prism.url,
      LANGSMITH_WORKSPACE_ID: WORKSPACE_ID,
      LANGSMITH_ORGANIZATION_ID: ORGANIZATION_ID,
      LANGSMITH_MCP_LEDGER: ":memory:",
    });
    const server = buildServer({ client: api, config, logger: silentLogger(), secrets: [API_KEY], ledger });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: "prism-contract", version: "1.0.0" });
    await client.connect(clientSide);
    // Lets the SDK client check every structuredContent against the listed output schema.
    await client.listTools();

    for (let r = 0; r < ROUNDS; r++) await round(r);
    await prism.settle();
    printSummary(prism, calls);
  }, 180_000);

  afterAll(async () => {
    await client?.close();
    await prism?.close();
    ledger.close();
    if (specDir) rmSync(specDir, { recursive: true, force: true });
  });

  it(`calls every tool in each of ${ROUNDS} rounds`, () => {
    for (const tool of TOOLS) {
      const rounds = new Set(calls.filter((c) => c.tool === tool.name).map((c) => c.round));
      expect(rounds.size, tool.name).toBe(ROUNDS);
    }
  });

  it("every tool answers ok at least once, so no tool's shape check is vacuous", () => {
    const never = TOOLS.map((t) => t.name).filter((name) => !calls.some((c) => c.tool === name && c.outcome === "ok"));
    expect(never, `seed ${prism.seed}`).toEqual([]);
  });

  it("(a) sends only requests that validate against the spec: Prism reports 0 request violations", () => {
    const violations = prism.violations().filter((v) => v.side === "request");
    expect(violations.map(describeViolation), `seed ${prism.seed}`).toEqual([]);
  });

  it("(b) no tool fails on the shape of a response the spec allows", () => {
    const failures = calls.filter((c) => c.outcome === "shape" || (c.outcome === "crash" && /shape|schema/i.test(c.text)));
    expect(failures.map(describeCall), `seed ${prism.seed}`).toEqual([]);
  });

  it("(c) no tool crashes the server, and it still answers afterwards", async () => {
    expect(calls.filter((c) => c.outcome === "crash").map(describeCall), `seed ${prism.seed}`).toEqual([]);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
    const after = (await client.callTool({ name: "list_deletions", arguments: {} })) as CallToolResult;
    expect(after.isError).toBeFalsy();
  });
});

function describeViolation(v: Violation): string {
  return `${v.method} ${v.path}${v.status ? ` → ${v.status}` : ""}: ${v.location ? `${v.location}: ` : ""}${v.message} [${v.severity}, ${v.source}${v.seed ? `, seed ${v.seed}` : ""}]`;
}

function describeCall(c: Call): string {
  const named = NAMED_EXCHANGE.exec(c.text);
  const exchange = named && c.exchanges.find((e) => e.method === named[1] && e.path === named[2]!.split("?")[0]);
  return `r${c.round} ${c.tool} ${JSON.stringify(c.args)}: ${c.text.split("\n")[0]}${exchange ? ` [seed ${exchange.seed}]` : ""}`;
}

const UUID_IN_PATH = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const templated = (path: string) => path.split("?")[0]!.replace(UUID_IN_PATH, "{id}");
/** `2.config.bucket_name` → `[].config.bucket_name`; generated extra keys (`errors.laboris_9`) → `errors.*`. */
const normalizeField = (detail: string) =>
  detail
    .replace(/`(\d+)\./g, "`[].")
    .replace(/\.(\d+)(?=[.`])/g, ".[]")
    .replace(/(errors|extra|metadata|kwargs)\.[A-Za-z_][\w]*`/g, "$1.*`")
    .replace(/export [0-9a-f-]{36}/g, "export {id}");

function printSummary(prism: RunningPrism, calls: Call[]): void {
  const outcomes: Outcome[] = ["ok", "refusal", "shape", "prism-quirk", "crash"];
  const rows = TOOLS.map((tool) => {
    const mine = calls.filter((c) => c.tool === tool.name);
    return [tool.name, String(mine.length), ...outcomes.map((o) => String(mine.filter((c) => c.outcome === o).length))];
  });
  const header = ["tool", "calls", ...outcomes];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  const violations = prism.violations();
  const out = [
    `Prism contract run: seed ${prism.seed}, ${new Set(calls.map((c) => c.round)).size} rounds, ${calls.length} tool calls, ${prism.exchanges.length} requests`,
    line(header),
    ...rows.map(line),
    `request violations: ${violations.filter((v) => v.side === "request").length}; Prism's own response violations: ${violations.filter((v) => v.side === "response").length}; Prism errors: ${prism.failures().length}`,
  ];
  const distinct = (items: string[]) => [...new Map(items.map((s) => [s.replace(/\[seed [^\]]+\]|seed [\w.]+/g, ""), s])).values()];
  for (const v of distinct(violations.map(describeViolation))) out.push(`  violation ${v}`);
  for (const f of distinct(prism.failures().map((f) => `${f.method} ${f.path}: ${f.message}`))) out.push(`  prism ${f}`);
  // Shape findings, one line per operation and field: the list the client's fix works from.
  const findings = new Map<string, { tools: Set<string>; calls: number; example: string }>();
  for (const c of calls.filter((c) => c.outcome !== "ok" && c.outcome !== "refusal")) {
    const named = NAMED_EXCHANGE.exec(c.text);
    const detail = /\((field `[^`]*`|the body)[^)]*\)/.exec(c.text)?.[0] ?? c.text.split("\n")[0]!.slice(0, 160);
    const key = `${c.outcome} ${named ? `${named[1]} ${templated(named[2]!)}` : ""} ${normalizeField(detail)}`;
    const finding = findings.get(key) ?? { tools: new Set<string>(), calls: 0, example: describeCall(c) };
    finding.tools.add(c.tool);
    finding.calls++;
    findings.set(key, finding);
  }
  for (const [key, f] of findings) out.push(`  ${key} — ${f.calls} call(s) of ${[...f.tools].join(", ")}`);
  const refusals = distinct(
    calls
      .filter((c) => c.outcome === "refusal")
      .map((c) => `${c.tool}: ${c.text.split("\n")[0]!.replace(UUID_IN_PATH, "{id}").slice(0, 160)}`),
  );
  for (const c of refusals) out.push(`  refusal ${c}`);
  console.log(out.join("\n"));
}
