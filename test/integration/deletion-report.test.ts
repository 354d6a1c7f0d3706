/**
 * The evidence report through an MCP client (in memory, against the simulator): what an
 * auditor files, as a tool result and as resources, and what it says when the ledger file was
 * edited behind the server's back. Expected digests are recomputed here with node:crypto from
 * the simulator's seeded runs, not read from the code under test.
 */
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteLedger, type Ledger } from "../../src/ledger/index.js";
import { control } from "../../src/simulator/index.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { textOf } from "../support/stack.js";
import { tempLedgerPath } from "../support/deletion.js";

const START = "2026-03-04T10:00:00.000Z"; // a Wednesday
const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

interface Report {
  purge_id: string;
  integrity: { intact: boolean; chained_events: number; head_hash?: string; problems?: string[] };
  request: { requested_at: string; key_fingerprint?: string; workspace_id?: string; criteria: Record<string, unknown> };
  plan: {
    projects: { id: string; name: string; traces: number }[];
    trace_count: number;
    trace_set_sha256: string;
    trace_set_sha256_recomputed: string;
    send_as: string;
  };
  batches: {
    batch_no: number;
    project_id?: string;
    trace_count: number;
    ids_sha256: string;
    state: string;
    attempts: { at: string; outcome: string }[];
    accepted_at?: string;
  }[];
  verifications: { at: string; query?: string; checked: number; visible: number; verdict: string }[];
  final_verdict: string;
  trace_ids: { total: number; listed: { trace_id: string; project_id: string; batch_no: number }[]; next_offset?: number };
}

const ok = <T>(result: CallToolResult): T => {
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as T;
};

let stack: InMemoryStack;
let ledgerPath: string;
let ledger: Ledger;
let purgeId: string;
/** user 123's root traces per project id, read off the seeded runs with a plain loop. */
const expected = new Map<string, string[]>();

beforeAll(async () => {
  ledgerPath = tempLedgerPath();
  ledger = openSqliteLedger(ledgerPath);
  stack = await startInMemoryStack({ sim: { scale: 1, now: START }, server: { ledger } });
  const sim = stack.sim;
  for (const project of sim.store.projectsOfTenant(sim.workspaceId)) {
    const ids = sim.store
      .runsOfProject(project.id)
      .filter((r) => r.parent_run_id === null && r.metadata["user_id"] === "123")
      .map((r) => r.id);
    if (ids.length) expected.set(project.id, ids);
  }
  const criteria = { all_projects: true, metadata: ["user_id=123"] };
  const plan = ok<{ confirmation_token: string }>(await stack.call("queue_deletion", criteria));
  const queued = ok<{ purge: { purge_id: string } }>(
    await stack.call("queue_deletion", { ...criteria, confirmation_token: plan.confirmation_token }),
  );
  purgeId = queued.purge.purge_id;
  ok(await stack.call("verify_deletion", { purge_id: purgeId }));
  await control(sim, "POST", "clock", { set: "2026-03-07T03:00:00Z" });
  ok(await stack.call("verify_deletion", { purge_id: purgeId }));
});
afterAll(async () => {
  await stack?.close();
  ledger?.close();
});

describe("deletion_report", () => {
  it("files the request, the plan digest, every batch and verification, and the verdict, in JSON and Markdown", async () => {
    const result = await stack.call("deletion_report", { purge_id: purgeId, max_ids: 5000 });
    const report = ok<Report>(result);
    const allIds = [...expected.values()].flat();
    expect(report.integrity).toMatchObject({ intact: true });
    expect(report.request.key_fingerprint).toBe(`sha256:${sha256(stack.sim.apiKey).slice(0, 16)}`);
    expect(report.request.workspace_id).toBe(stack.sim.workspaceId);
    expect(report.request.criteria).toMatchObject({ kind: "metadata", metadata: { user_id: "123" }, all_projects: true });
    expect(report.plan.trace_count).toBe(allIds.length);
    expect(report.plan.trace_set_sha256).toBe(sha256([...allIds].sort().join("\n")));
    expect(report.plan.trace_set_sha256_recomputed).toBe(report.plan.trace_set_sha256);
    expect(Object.fromEntries(report.plan.projects.filter((p) => p.traces > 0).map((p) => [p.id, p.traces]))).toEqual(
      Object.fromEntries([...expected].map(([id, ids]) => [id, ids.length])),
    );
    for (const batch of report.batches) {
      expect(batch).toMatchObject({
        state: "queued",
        attempts: [{ outcome: expect.stringMatching(/^accepted by LangSmith at 2026-03-04/) }],
      });
      expect(batch.ids_sha256).toBe(sha256([...expected.get(batch.project_id!)!].sort().join("\n")));
    }
    expect(report.verifications.map((v) => [v.verdict, v.checked, v.visible])).toEqual([
      ["pending", allIds.length, allIds.length],
      ["verified", allIds.length, 0],
    ]);
    expect(report.verifications[0]!.query).toMatch(/is_root=true/);
    expect(report.final_verdict).toBe("verified");
    expect(new Set(report.trace_ids.listed.map((t) => t.trace_id))).toEqual(new Set(allIds));

    const markdown = textOf(result);
    expect(markdown).toMatch(/^# Deletion evidence: purge_/);
    expect(markdown).toMatch(/\*\*Integrity: intact\.\*\*/);
    expect(markdown).toMatch(/\*\*Final verdict: verified\.\*\*/);
    expect(markdown).toContain(report.plan.trace_set_sha256);
    for (const id of allIds) expect(markdown).toContain(id);
    expect(markdown).not.toContain(stack.sim.apiKey);
  });

  it("pages the trace ids: every id exactly once across pages", async () => {
    const seen: string[] = [];
    for (let offset: number | undefined = 0; offset !== undefined; ) {
      const page: Report = ok<Report>(await stack.call("deletion_report", { purge_id: purgeId, ids_offset: offset, max_ids: 7 }));
      seen.push(...page.trace_ids.listed.map((t) => t.trace_id));
      offset = page.trace_ids.next_offset;
    }
    expect(seen).toHaveLength(new Set(seen).size);
    expect(new Set(seen)).toEqual(new Set([...expected.values()].flat()));
  });

  it("is also a resource, as Markdown and as JSON", async () => {
    const md = await stack.client.readResource({ uri: `ledger://purges/${purgeId}/report.md` });
    expect(md.contents[0]).toMatchObject({ mimeType: "text/markdown", text: expect.stringMatching(/Final verdict: verified/) });
    const json = await stack.client.readResource({ uri: `ledger://purges/${purgeId}/report.json` });
    const parsed = JSON.parse((json.contents[0] as { text: string }).text) as Report;
    expect(parsed).toMatchObject({ purge_id: purgeId, final_verdict: "verified", integrity: { intact: true } });
    const missing = await stack.client
      .readResource({ uri: "ledger://purges/purge_20260304_0000000000/report.md" })
      .catch((e: unknown) => e);
    expect(String(missing)).toMatch(/no purge purge_20260304_0000000000/);
  });
});

describe("a ledger edited behind the server's back", () => {
  /** Edits the ledger file with another connection, as someone with a sqlite3 shell would. */
  const edit = (sql: string, ...params: unknown[]) => {
    const db = new Database(ledgerPath);
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
  };

  it("names an edited batch, a deleted trace row, a deleted verification and an edited event; the verdict is no longer trusted", async () => {
    const before = ok<Report>(await stack.call("deletion_report", { purge_id: purgeId }));
    expect(before.integrity.intact).toBe(true);
    const victim = before.trace_ids.listed[0]!.trace_id;
    edit("UPDATE batches SET attempts = 5 WHERE purge_id = ? AND batch_no = 1", purgeId);
    edit("DELETE FROM purge_traces WHERE purge_id = ? AND trace_id = ?", purgeId, victim);
    edit("DELETE FROM verifications WHERE purge_id = ? AND verdict = 'pending'", purgeId);
    edit(
      'UPDATE events SET body_json = replace(body_json, \'"verdict":"pending"\', \'"verdict":"verified"\') WHERE purge_id = ? AND kind = \'verification\'',
      purgeId,
    );

    const result = await stack.call("deletion_report", { purge_id: purgeId });
    const after = ok<Report>(result);
    expect(after.integrity.intact).toBe(false);
    const problems = after.integrity.problems!.join("\n");
    expect(problems).toMatch(/batch 1: the row says 5 attempt\(s\), its events 1/);
    expect(problems).toMatch(/trace-id rows no longer match the plan digest/);
    expect(problems).toMatch(/1 verification rows, 2 in the event log/);
    expect(problems).toMatch(/event \d+ \(verification of purge_\w+\) was edited after it was written/);
    expect(after.plan.trace_set_sha256_recomputed).not.toBe(after.plan.trace_set_sha256);
    expect(textOf(result)).toMatch(/\*\*Integrity: NOT intact\.\*\*/);
  });
});
