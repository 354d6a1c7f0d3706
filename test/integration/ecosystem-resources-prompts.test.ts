import { Client, InMemoryTransport, ProtocolError } from "@modelcontextprotocol/client";
import type { CallToolResult, TextResourceContents } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { DESTINATION_ERRORS, FAILURE_MODES, LIMITS } from "../../src/diagnosis/tables.js";
import { LangSmithClient } from "../../src/langsmith/index.js";
import { openSqliteLedger, type Ledger } from "../../src/ledger/index.js";
import { silentLogger } from "../../src/log.js";
import { PROMPTS } from "../../src/prompts/index.js";
import { buildServer } from "../../src/server.js";
import { startSimulator, type RunningSimulator } from "../../src/simulator/index.js";
import { TOOLS } from "../../src/tools/index.js";
import { runsOf } from "../support/runs.js";

const DAY = 86_400_000;
const utcMidnight = (daysAgo: number) => new Date(Math.floor(Date.now() / DAY) * DAY - daysAgo * DAY).toISOString();

describe("resources, prompts and completions (SDK client ↔ server ↔ simulator)", () => {
  let sim: RunningSimulator;
  let api: LangSmithClient;
  const ledger = openSqliteLedger(":memory:");
  const clients: Client[] = [];
  let client: Client;
  let exportId: string;
  let purgeId: string;

  /** A server as main.ts builds it, under the given environment, connected in memory. */
  async function connect(env: Record<string, string> = {}, withLedger: Ledger | null = ledger): Promise<Client> {
    const config = loadConfig([], { LANGSMITH_API_KEY: sim.apiKey, LANGSMITH_ENDPOINT: sim.url, LANGSMITH_MCP_LEDGER: ":memory:", ...env });
    const deps = { client: api, config, logger: silentLogger(), secrets: [sim.apiKey], ...(withLedger && { ledger: withLedger }) };
    const server = buildServer(deps);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const connected = new Client({ name: "ecosystem", version: "1.0.0" });
    await connected.connect(clientSide);
    clients.push(connected);
    return connected;
  }
  async function ok<T>(name: string, args: Record<string, unknown>): Promise<T> {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    return result.structuredContent as T;
  }
  async function read(uri: string): Promise<TextResourceContents> {
    const { contents } = await client.readResource({ uri });
    expect(contents).toHaveLength(1);
    return contents[0] as TextResourceContents;
  }

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    api = new LangSmithClient({ endpoint: sim.url, apiKey: sim.apiKey });
    client = await connect();

    // An export and a purge to read back, made through the tools as an agent would.
    const { fullAccess } = sim.storage.credentials;
    const { destination } = await ok<{ destination: { id: string } }>("create_destination", {
      display_name: "ecosystem",
      bucket_name: sim.storage.buckets.traces,
      region: "eu-west-1",
      access_key_id: fullAccess.access_key_id,
      secret_access_key: fullAccess.secret_access_key,
    });
    exportId = (
      await ok<{ export: { id: string } }>("create_export", {
        project: "checkout-bot",
        destination: destination.id,
        start_time: utcMidnight(3),
        end_time: utcMidnight(1),
      })
    ).export.id;
    const runs = runsOf(await ok("query_runs", { project: "support-bot", start_time: "30d", is_root: true, page_size: 2 }));
    const purge = { project: "support-bot", trace_ids: runs.map((run) => run.id) };
    const plan = await ok<{ confirmation_token: string }>("queue_deletion", purge);
    purgeId = (await ok<{ purge: { purge_id: string } }>("queue_deletion", { ...purge, confirmation_token: plan.confirmation_token })).purge
      .purge_id;
  });
  afterAll(async () => {
    for (const connected of clients) await connected.close();
    await api?.close();
    await sim?.close();
    ledger.close();
  });

  describe("resources", () => {
    it("lists the failure table, destination errors and API limits, each in markdown and JSON", async () => {
      const { resources } = await client.listResources();
      const mimeByUri = Object.fromEntries(resources.map((r) => [r.uri, r.mimeType]));
      expect(mimeByUri).toMatchObject({
        "langsmith://reference/failure-modes.md": "text/markdown",
        "langsmith://reference/failure-modes.json": "application/json",
        "langsmith://reference/destination-errors.md": "text/markdown",
        "langsmith://reference/destination-errors.json": "application/json",
        "langsmith://reference/api-limits.md": "text/markdown",
        "langsmith://reference/api-limits.json": "application/json",
      });
      for (const resource of resources) {
        expect(resource.title ?? resource.name, resource.uri).toBeTruthy();
        expect(resource.description, resource.uri).toBeTruthy();
      }
    });

    it("serves the failure table from the diagnosis data: every mode with its action and remediation", async () => {
      const markdown = await read("langsmith://reference/failure-modes.md");
      expect(markdown.mimeType).toBe("text/markdown");
      for (const entry of FAILURE_MODES) {
        expect(markdown.text).toContain(`\`${entry.mode}\``);
        expect(markdown.text).toContain(entry.actionRequired);
        expect(markdown.text).toContain(entry.remediation[0]!);
      }
      const json = JSON.parse((await read("langsmith://reference/failure-modes.json")).text) as { failure_modes: { mode: string }[] };
      expect(json.failure_modes.map((e) => e.mode)).toEqual(FAILURE_MODES.map((e) => e.mode));
    });

    it("serves the destination error table: each phrase with the fields to check", async () => {
      const markdown = (await read("langsmith://reference/destination-errors.md")).text;
      for (const entry of DESTINATION_ERRORS) {
        expect(markdown).toContain(`\`${entry.phrase}\``);
        expect(markdown).toContain(`\`${entry.fieldsToCheck[0]}\``);
      }
      const json = JSON.parse((await read("langsmith://reference/destination-errors.json")).text) as {
        destination_errors: { phrase: string }[];
      };
      expect(json.destination_errors.map((e) => e.phrase)).toEqual(DESTINATION_ERRORS.map((e) => e.phrase));
    });

    it("states both documented values where the docs contradict each other, and the one in force", async () => {
      const markdown = (await read("langsmith://reference/api-limits.md")).text;
      expect(markdown).toMatch(/workflow timeout \| 72 h \| 72 h \(.*\); 48 h \(/);
      expect(markdown).toMatch(/concurrent runs per export \| 45 runs \| 45 runs \(.*\); 5 runs \(/);
      expect(markdown).toMatch(/concurrent exports per workspace \| 15 exports \| 15 exports \(.*\); 3 exports \(/);
      expect(markdown).toContain("at most 1000 trace ids per request");
      const json = JSON.parse((await read("langsmith://reference/api-limits.json")).text) as {
        bulk_exports: { key: string; in_force: number; documented: { value: number }[]; contradicted: boolean }[];
      };
      expect(json.bulk_exports.map((e) => e.key)).toEqual(LIMITS.map((e) => e.key));
      expect(json.bulk_exports.find((e) => e.key === "workflowTimeoutHours")).toMatchObject({
        in_force: 72,
        contradicted: true,
        documented: [{ value: 72 }, { value: 48 }],
      });
    });

    it("lists the export-runs and purge templates", async () => {
      const { resourceTemplates } = await client.listResourceTemplates();
      expect(resourceTemplates.map((t) => [t.uriTemplate, t.mimeType])).toEqual([
        ["exports://{id}/runs", "application/json"],
        ["ledger://purges/{id}", "application/json"],
        ["ledger://purges/{id}/report.md", "text/markdown"],
        ["ledger://purges/{id}/report.json", "application/json"],
      ]);
    });

    it("reads an export's runs from LangSmith through exports://{id}/runs", async () => {
      const contents = await read(`exports://${exportId}/runs`);
      expect(contents.mimeType).toBe("application/json");
      const view = JSON.parse(contents.text) as {
        export_id: string;
        run_count: number;
        runs: { bulk_export_id: string }[];
        runs_by_status: Record<string, number>;
      };
      const expected = await api.listExportRuns(exportId);
      expect(view.export_id).toBe(exportId);
      expect(view.run_count).toBe(expected.length);
      expect(view.runs.every((run) => run.bulk_export_id === exportId)).toBe(true);
      expect(Object.values(view.runs_by_status).reduce((a, b) => a + b, 0)).toBe(expected.length);
      expect(contents.text).not.toContain(sim.apiKey);
    });

    it("answers an unknown export with resource-not-found and what to do instead", async () => {
      const unknown = "0190f3c5-0000-7000-8000-000000000000";
      const failure = await client.readResource({ uri: `exports://${unknown}/runs` }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ProtocolError);
      // 2026-07-28 (SEP-2164): not found is -32602 with the uri in data, on both protocol versions.
      expect((failure as ProtocolError).code).toBe(-32602);
      expect((failure as ProtocolError).message).toMatch(/no such export.*list_exports/);
      const malformed = await client.readResource({ uri: "exports://not-an-id/runs" }).catch((error: unknown) => error);
      expect((malformed as ProtocolError).message).toMatch(/export_id.*UUID/);
    });

    it("lists recorded purges and reads one from the ledger through ledger://purges/{id}", async () => {
      const { resources } = await client.listResources();
      expect(resources.map((r) => r.uri)).toContain(`ledger://purges/${purgeId}`);
      const contents = await read(`ledger://purges/${purgeId}`);
      expect(contents.mimeType).toBe("application/json");
      const view = JSON.parse(contents.text) as {
        purge: { id: string; trace_count: number };
        batches_by_state: Record<string, number>;
        verifications: unknown[];
      };
      expect(view.purge).toMatchObject({ id: purgeId, trace_count: 2 });
      expect(view.batches_by_state).toEqual({ queued: 1 });
      expect(contents.text).not.toContain(sim.apiKey);
      const missing = await client.readResource({ uri: "ledger://purges/no-such-purge" }).catch((error: unknown) => error);
      expect((missing as ProtocolError).code).toBe(-32602);
      expect((missing as ProtocolError).message).toMatch(/list_deletions/);
    });

    it("offers no purge template on a server without a ledger", async () => {
      const withoutLedger = await connect({}, null);
      const { resourceTemplates } = await withoutLedger.listResourceTemplates();
      expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(["exports://{id}/runs"]);
    });
  });

  describe("prompts", () => {
    it("lists the four playbooks with their arguments", async () => {
      const { prompts } = await client.listPrompts();
      expect(prompts.map((p) => [p.name, p.arguments?.map((a) => `${a.name}${a.required ? "" : "?"}`)])).toEqual([
        ["check_export_health", ["export_id?", "project?"]],
        ["check_app_health", ["project", "window?"]],
        ["investigate_errored_runs", ["project", "window?"]],
        ["compliance_purge", ["project?", "criteria"]],
      ]);
      for (const prompt of prompts) expect(prompt.title && prompt.description, prompt.name).toBeTruthy();
    });

    /** The tools a prompt's text names, in the order it names them first. */
    const toolOrder = (text: string) =>
      TOOLS.map((tool) => ({ name: tool.name, at: text.indexOf(`\`${tool.name}\``) }))
        .filter((hit) => hit.at >= 0)
        .sort((a, b) => a.at - b.at)
        .map((hit) => hit.name);

    it("check_export_health leads from the export's status to its diagnosis and the failure table", async () => {
      const { messages } = await client.getPrompt({ name: "check_export_health", arguments: { export_id: exportId } });
      const text = (messages[0]!.content as { text: string }).text;
      expect(messages[0]!.role).toBe("user");
      expect(toolOrder(text).slice(0, 2)).toEqual(["export_status", "diagnose_export"]);
      expect(text).toContain(`{"export_id":"${exportId}","runs_limit":30,"check_completeness":true}`);
      expect(text).toMatch(/diagnose_export`[^\n]*the completeness verdict/);
      expect(text).toContain("langsmith://reference/failure-modes.md");
      expect(text).toContain(`exports://${exportId}/runs`);

      const byProject = (await client.getPrompt({ name: "check_export_health", arguments: { project: "checkout-bot" } })).messages[0]!
        .content as { text: string };
      expect(toolOrder(byProject.text).slice(0, 3)).toEqual(["list_exports", "export_status", "diagnose_export"]);
      expect(byProject.text).toContain('{"project":"checkout-bot","limit":5}');
    });

    it("investigate_errored_runs queries errored traces in the window, then opens traces and runs", async () => {
      const { messages } = await client.getPrompt({
        name: "investigate_errored_runs",
        arguments: { project: "checkout-bot", window: "2026-11-20..2026-11-22" },
      });
      const text = (messages[0]!.content as { text: string }).text;
      expect(toolOrder(text)).toEqual(["list_projects", "query_runs", "get_trace", "get_run"]);
      expect(text).toContain('"project":"checkout-bot","start_time":"2026-11-20","end_time":"2026-11-22","has_error":true,"is_root":true');
      const byDefault = (await client.getPrompt({ name: "investigate_errored_runs", arguments: { project: "checkout-bot" } })).messages[0]!
        .content as { text: string };
      expect(byDefault.text).toContain('"start_time":"24h","end_time":"now"');
    });

    it("check_app_health reads the project's figures from run_stats: totals, per name, per model, slowest traces", async () => {
      const { messages } = await client.getPrompt({ name: "check_app_health", arguments: { project: "checkout-bot", window: "7d" } });
      const text = (messages[0]!.content as { text: string }).text;
      expect(text).toMatch(/^How healthy is the app traced in LangSmith project "checkout-bot" in the last 7d\?/);
      expect(toolOrder(text)).toEqual(["run_stats"]);
      expect(text.match(/Call `run_stats`/g)).toHaveLength(4);
      expect(text).toContain('{"project":"checkout-bot","start_time":"7d","end_time":"now"}');
      expect(text).toContain('"group_by":"metadata","group_key":"ls_model_name"');
    });

    it("compliance_purge plans, asks for confirmation, queues with the token, verifies, then files the evidence report", async () => {
      const { messages } = await client.getPrompt({
        name: "compliance_purge",
        arguments: { project: "support-bot", criteria: "metadata user_id is 123" },
      });
      const text = (messages[0]!.content as { text: string }).text;
      expect(toolOrder(text)).toEqual(["list_projects", "queue_deletion", "verify_deletion", "deletion_report"]);
      expect(text).toContain('{"project":"support-bot","metadata":["user_id=123"],');
      const plan = text.indexOf("Call `queue_deletion`");
      const confirm = text.indexOf("ask for explicit confirmation");
      const queue = text.indexOf('"confirmation_token":"<the token from the plan>"');
      expect(plan).toBeGreaterThan(0);
      expect(confirm).toBeGreaterThan(plan);
      expect(queue).toBeGreaterThan(confirm);
      expect(text).toContain("metadata user_id is 123");
      expect(text).toContain("ledger://purges/<purge id>/report.md");
      expect(text.split("\nRules:")[0]!.trimEnd()).toMatch(/Call `deletion_report` with \{"purge_id":"<purge id>"\}[^\n]*$/);
    });

    it("compliance_purge without a project purges the whole workspace; several projects go as a list", async () => {
      const whole = (
        (await client.getPrompt({ name: "compliance_purge", arguments: { criteria: "user_id=123" } })).messages[0]!.content as {
          text: string;
        }
      ).text;
      expect(whole).toMatch(/^Permanently delete the traces of every project of the LangSmith workspace/);
      expect(whole).toContain('Call `queue_deletion` with {"all_projects":true,"metadata":["user_id=123"],');
      expect(whole).not.toContain("`list_projects`");
      const several = (
        (await client.getPrompt({ name: "compliance_purge", arguments: { project: "support-bot, checkout-bot", criteria: "user_id=123" } }))
          .messages[0]!.content as { text: string }
      ).text;
      expect(several).toContain('Call `queue_deletion` with {"projects":["support-bot","checkout-bot"],"metadata":["user_id=123"],');
    });

    it("names only tools and arguments that exist", () => {
      const byName = new Map(TOOLS.map((tool) => [tool.name, tool]));
      const sample = { export_id: exportId, project: "checkout-bot", window: "7d", criteria: "metadata user_id is 123" };
      for (const prompt of PROMPTS) {
        for (const required of prompt.requiredTools) expect(byName.has(required), `${prompt.name} requires ${required}`).toBe(true);
        for (const variant of [sample, { ...sample, export_id: undefined }, { ...sample, export_id: undefined, project: undefined }]) {
          for (const step of prompt.steps(variant)) {
            if (!("tool" in step)) continue;
            const tool = byName.get(step.tool);
            expect(tool, `${prompt.name} names ${step.tool}`).toBeDefined();
            for (const argument of Object.keys(step.arguments)) {
              expect(Object.keys(tool!.inputSchema.shape), `${prompt.name} → ${step.tool}.${argument}`).toContain(argument);
            }
          }
        }
      }
    });

    it("in read-only mode offers no purge playbook and no step that changes data", async () => {
      const readOnly = await connect({ LANGSMITH_MCP_READ_ONLY: "1" });
      const { prompts } = await readOnly.listPrompts();
      expect(prompts.map((p) => p.name)).toEqual(["check_export_health", "check_app_health", "investigate_errored_runs"]);
      const text = (
        (await readOnly.getPrompt({ name: "check_export_health", arguments: { export_id: exportId } })).messages[0]!.content as {
          text: string;
        }
      ).text;
      expect(text).not.toMatch(/create_export`|rotate_destination_credentials`/);
      const failure = await readOnly
        .getPrompt({ name: "compliance_purge", arguments: { project: "support-bot", criteria: "x" } })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ProtocolError);
    });
  });

  describe("completions", () => {
    const values = async (ref: { type: "ref/prompt"; name: string } | { type: "ref/resource"; uri: string }, name: string, value: string) =>
      (await client.complete({ ref, argument: { name, value } })).completion.values;

    it("declares the completions capability", () => {
      expect(client.getServerCapabilities()?.completions).toBeDefined();
    });

    it("completes project names for prompt arguments from LangSmith", async () => {
      const expected = sim.store.projectsOfTenant(sim.workspaceId).map((p) => p.name);
      expect((await values({ type: "ref/prompt", name: "investigate_errored_runs" }, "project", "bot")).sort()).toEqual(
        expected.filter((n) => n.includes("bot")).sort(),
      );
      expect((await values({ type: "ref/prompt", name: "compliance_purge" }, "project", "")).sort()).toEqual([...expected].sort());
      expect(await values({ type: "ref/prompt", name: "check_export_health" }, "project", "rag")).toEqual(["rag-search"]);
    });

    it("completes export ids for the prompt and the export-runs template", async () => {
      expect(await values({ type: "ref/prompt", name: "check_export_health" }, "export_id", exportId.slice(0, 8))).toContain(exportId);
      expect(await values({ type: "ref/resource", uri: "exports://{id}/runs" }, "id", exportId.slice(0, 8))).toContain(exportId);
      expect(await values({ type: "ref/resource", uri: "exports://{id}/runs" }, "id", "zzz")).toEqual([]);
    });

    it("completes purge ids from the ledger for the purge template", async () => {
      expect(await values({ type: "ref/resource", uri: "ledger://purges/{id}" }, "id", "")).toEqual([purgeId]);
      expect(await values({ type: "ref/resource", uri: "ledger://purges/{id}" }, "id", purgeId.slice(0, 6))).toEqual([purgeId]);
    });

    it("suggests time windows for investigate_errored_runs", async () => {
      expect(await values({ type: "ref/prompt", name: "investigate_errored_runs" }, "window", "")).toEqual([
        "1h",
        "6h",
        "24h",
        "7d",
        "30d",
      ]);
      expect(await values({ type: "ref/prompt", name: "investigate_errored_runs" }, "window", "7")).toEqual(["7d"]);
    });
  });
});
