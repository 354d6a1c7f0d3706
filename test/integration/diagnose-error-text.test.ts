import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { LangSmithClient } from "../../src/langsmith/index.js";
import { silentLogger } from "../../src/log.js";
import { buildServer } from "../../src/server.js";

interface CorpusEntry {
  text: string;
  mode: string;
  source: string;
}
const corpus = JSON.parse(readFileSync(new URL("../fixtures/export-errors/corpus.json", import.meta.url), "utf8")) as
  | { entries?: CorpusEntry[] }
  | CorpusEntry[];
const entries: CorpusEntry[] = Array.isArray(corpus) ? corpus : (corpus.entries ?? []);

describe("diagnose_export on pasted error text (real SDK client ↔ server, in memory)", () => {
  let client: Client;
  const api = new LangSmithClient({ endpoint: "http://127.0.0.1:9", apiKey: "lsv2_pt_00000000000000000000000000000000_0000000000" });

  beforeAll(async () => {
    const config = loadConfig([], { LANGSMITH_API_KEY: "lsv2_pt_00000000000000000000000000000000_0000000000" });
    const server = buildServer({ client: api, config, logger: silentLogger(), secrets: [config.apiKey] });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: "integration", version: "1.0.0" });
    await client.connect(clientSide);
  });
  afterAll(async () => {
    await client?.close();
    await api.close();
  });

  it("classifies every corpus message into its labelled failure_mode through the tool", async () => {
    expect(entries.length).toBeGreaterThanOrEqual(60);
    const wrong: string[] = [];
    for (const entry of entries) {
      const result = (await client.callTool({ name: "diagnose_export", arguments: { error_text: entry.text } })) as CallToolResult;
      const mode = (result.structuredContent as { failure_mode: string }).failure_mode;
      if (mode !== entry.mode) wrong.push(`${entry.mode} ← ${mode}: ${entry.text.slice(0, 80)}`);
    }
    expect(wrong).toEqual([]);
  });

  it("says unknown, with the evidence, rather than guessing", async () => {
    const result = (await client.callTool({
      name: "diagnose_export",
      arguments: { error_text: "ValueError: invalid literal for int() with base 10: 'abc'" },
    })) as CallToolResult;
    const d = result.structuredContent as { failure_mode: string; evidence: string[]; matched_signature: unknown };
    expect(d.failure_mode).toBe("unknown");
    // structuredContent leaves out what is not there rather than sending null.
    expect(d.matched_signature).toBeUndefined();
    expect(d.evidence.join(" ")).toContain("invalid literal");
  });

  it("needs exactly one of export_id, project, error_text", async () => {
    const result = (await client.callTool({ name: "diagnose_export", arguments: {} })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(result.content[0]).toMatchObject({ type: "text" });
    expect((result.content[0] as { text: string }).text).toMatch(/exactly one of export_id, project or error_text/);
  });
});
