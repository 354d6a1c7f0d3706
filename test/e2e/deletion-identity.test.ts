/**
 * Purge records are isolated per LangSmith identity: one HTTP server without a key of its
 * own, one ledger, callers bringing their own keys in X-LangSmith-Api-Key. A caller sees only
 * the purges of its own workspace (any key of it), in list_deletions, verify_deletion,
 * deletion_report, the ledger:// resources and their completions; an invalid key sees nothing.
 */
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "../support/stack.js";
import { callTool, startHttpStack, type HttpStack } from "../support/http-stack.js";

const START = "2026-03-04T10:00:00.000Z";
const USER_FILTER = 'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))';
const INVALID_KEY = "lsv2_pt_ffffffffffffffffffffffffffffffff_ffffffffff";

let stack: HttpStack;
let owner: Client;
let purgeId: string;

beforeAll(async () => {
  stack = await startHttpStack({ ownKey: false, sim: { scale: 0.3, now: START } });
  owner = await stack.connect({ "x-langsmith-api-key": stack.sim.apiKey });
  const criteria = { project: "checkout-bot", filter: USER_FILTER, start_time: "400d" };
  const plan = await callTool(owner, "queue_deletion", criteria);
  expect(plan.isError, textOf(plan)).toBeFalsy();
  const token = (plan.structuredContent as { confirmation_token: string }).confirmation_token;
  const queued = await callTool(owner, "queue_deletion", { ...criteria, confirmation_token: token });
  expect(queued.isError, textOf(queued)).toBeFalsy();
  purgeId = (queued.structuredContent as { purge: { purge_id: string } }).purge.purge_id;
});
afterAll(() => stack?.close());

const listed = async (client: Client) => {
  const result = await callTool(client, "list_deletions");
  return { result, text: textOf(result), total: (result.structuredContent as { total?: number } | undefined)?.total };
};
const complete = async (client: Client, value: string) =>
  (await client.complete({ ref: { type: "ref/resource", uri: "ledger://purges/{id}" }, argument: { name: "id", value } })).completion
    .values;

describe("purge records per LangSmith identity over HTTP", () => {
  it("the workspace that made a purge sees it with any of its keys", async () => {
    const sameWorkspace = await stack.connect({ "x-langsmith-api-key": stack.sim.readOnlyApiKey });
    const mine = await listed(sameWorkspace);
    expect(mine.total).toBe(1);
    expect(mine.text).toContain(purgeId);
    expect(await complete(sameWorkspace, "purge_")).toEqual([purgeId]);
    const report = await callTool(sameWorkspace, "deletion_report", { purge_id: purgeId });
    expect(report.isError, textOf(report)).toBeFalsy();
  });

  it("another workspace of the organization sees nothing of it: list, verify, report, resources, completions", async () => {
    const other = await stack.connect({ "x-langsmith-api-key": stack.sim.secondWorkspaceApiKey });
    const theirs = await listed(other);
    expect(theirs.result.isError, theirs.text).toBeFalsy();
    expect(theirs.total).toBe(0);
    expect(theirs.text).not.toContain(purgeId);
    expect(theirs.text).not.toContain("123");

    for (const tool of ["verify_deletion", "deletion_report"]) {
      const result = await callTool(other, tool, { purge_id: purgeId });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(new RegExp(`no purge ${purgeId} in the ledger for this LangSmith workspace`));
      expect(textOf(result)).not.toContain("user_id");
    }
    const resume = await callTool(other, "queue_deletion", { purge_id: purgeId });
    expect(resume.isError).toBe(true);

    const { resources } = await other.listResources();
    expect(resources.filter((r) => r.uri.startsWith("ledger://"))).toEqual([]);
    for (const uri of [`ledger://purges/${purgeId}`, `ledger://purges/${purgeId}/report.md`, `ledger://purges/${purgeId}/report.json`]) {
      const failure = await other.readResource({ uri }).catch((error: unknown) => error);
      expect(String(failure)).toMatch(/no purge/);
      expect(String(failure)).not.toContain("user_id");
    }
    expect(await complete(other, "")).toEqual([]);
  });

  it("a purge its owner just verified (its ids now held in memory) stays unreadable to another workspace", async () => {
    const checked = await callTool(owner, "verify_deletion", { purge_id: purgeId });
    expect(checked.isError, textOf(checked)).toBeFalsy();
    const shown = (checked.structuredContent as { remaining_ids: string[] }).remaining_ids;
    expect(shown.length).toBeGreaterThan(0);
    const other = await stack.connect({ "x-langsmith-api-key": stack.sim.secondWorkspaceApiKey });
    const result = await callTool(other, "verify_deletion", { purge_id: purgeId });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(new RegExp(`no purge ${purgeId} in the ledger for this LangSmith workspace`));
    for (const id of shown) expect(JSON.stringify(result)).not.toContain(id);
  });

  it("an invalid key lists nothing and is told why, instead of reading another caller's purge", async () => {
    const stranger = await stack.connect({ "x-langsmith-api-key": INVALID_KEY });
    const result = await listed(stranger);
    expect(result.result.isError).toBe(true);
    expect(result.text).toMatch(/cannot tell which LangSmith workspace this API key belongs to/);
    expect(result.text).not.toContain(purgeId);
    expect(result.text).not.toContain("metadata_value");
    const { resources } = await stranger.listResources();
    expect(resources.filter((r) => r.uri.startsWith("ledger://"))).toEqual([]);
    expect(await complete(stranger, "")).toEqual([]);
    expect(stack.server.stderr()).not.toContain(INVALID_KEY);
  });
});
