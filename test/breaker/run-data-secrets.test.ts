/**
 * Secrets planted in run data never reach the client, in the text or in structuredContent, through
 * any tool that shows runs: query_runs (presets and chosen fields, one run and many, so secrets land
 * in table cells, `same` and `refs`), get_trace, get_run (without include_share_url), list_threads
 * (threads and one thread's turns). The scan before sending reads the JSON the output budget
 * measured (output-budget.ts structuredJson): this holds it end to end, on real tool results.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimRun } from "../../src/simulator/model.js";
import { dottedSegment, oneRunTrace } from "../../src/simulator/seed.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { textOf } from "../support/stack.js";

const DAY = 86_400_000;
const LS_KEY = "lsv2_pt_0123456789abcdef0123456789abcdef_0123456789";
const SHARE_TOKEN = "9b1c2d3e-4f50-4a6b-8c7d-0e1f2a3b4c5d";
const SHARE_URL = `https://smith.langchain.com/public/${SHARE_TOKEN}/r`;
const SIGNATURE = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const S3_URL = `https://bucket.s3.amazonaws.com/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${SIGNATURE}`;
/** What must never be sent: the key, the share token (in any URL), the signature. The server's own key is added below. */
const LEAKS = [LS_KEY, SHARE_TOKEN, SIGNATURE];

let stack: InMemoryStack;
let rootId: string;
let childId: string;
const THREAD = "thread-secrets-1";

beforeAll(async () => {
  stack = await startInMemoryStack({ sim: { now: "2026-03-04T10:00:00.000Z", scale: 0.02 } });
  stack.sim.clock.setRate(0);
  const sim = stack.sim;
  LEAKS.push(sim.apiKey);
  const start = sim.clock.now() - DAY;
  const projectId = randomUUID();
  const at = { tenantId: sim.workspaceId, projectId, metadata: { thread_id: THREAD, link: SHARE_URL } };
  const runs: SimRun[] = [];
  // Two one-turn traces of one thread, each a root with a child: secrets in names, payloads, metadata, tags, errors.
  for (let t = 0; t < 2; t++) {
    const id = randomUUID();
    const startMs = start + t * 60_000;
    const root: SimRun = {
      ...oneRunTrace(id, { ...at, startMs }),
      name: `agent ${LS_KEY}`,
      thread_id: THREAD,
      // A secret as a key too: redacted in structuredContent as in the text.
      inputs: { question: `use ${LS_KEY} and ${sim.apiKey}`, attachment: S3_URL, [LS_KEY]: "as a key" },
      outputs: { answer: `see ${SHARE_URL}` },
      tags: [`key=${LS_KEY}`],
      share_token: SHARE_TOKEN,
      end_time: startMs + 5000,
    };
    const childRunId = randomUUID();
    const childStart = startMs + 1000;
    const child: SimRun = {
      ...oneRunTrace(childRunId, { ...at, startMs: childStart }),
      name: "tool",
      run_type: "tool",
      status: "error",
      error: `401: bad key ${sim.apiKey} for ${S3_URL}`,
      trace_id: id,
      parent_run_id: id,
      parent_run_ids: [id],
      dotted_order: `${root.dotted_order}.${dottedSegment(childStart, childRunId)}`,
      execution_order: 2,
      inputs: { url: S3_URL },
      outputs: { echoed: LS_KEY, [SHARE_URL]: { [sim.apiKey]: true } },
      events: [{ name: "start", time: new Date(childStart).toISOString(), kwargs: { link: SHARE_URL } }],
    };
    runs.push(root, child);
    if (t === 0) [rootId, childId] = [id, childRunId];
  }
  const project = {
    id: projectId,
    tenant_id: sim.workspaceId,
    name: "leaky",
    description: null,
    start_time: start - DAY,
    end_time: null,
    reference_dataset_id: null,
    extra: null,
    conversational: true,
  };
  sim.store.addProject(project as never, runs);
});
afterAll(async () => stack?.close());

/** Calls `tool` and checks neither view holds a planted secret; returns the result's JSON and text. */
async function callClean(tool: string, args: Record<string, unknown>): Promise<string> {
  const result = await stack.call(tool, args);
  expect(result.isError, textOf(result)).toBeFalsy();
  const sent = `${textOf(result)}\n${JSON.stringify(result.structuredContent)}`;
  for (const secret of LEAKS) expect(sent, `${tool} ${JSON.stringify(args)}`).not.toContain(secret);
  return sent;
}

const window = { start_time: "2026-03-02T00:00:00Z", end_time: "2026-03-04T10:00:00Z" };

describe("secrets planted in run data are redacted in both views of every run tool", () => {
  it("query_runs, every preset, chosen payload fields, one run and all", async () => {
    for (const fields of ["compact", "detailed", "full", ["name", "inputs", "outputs", "error", "events", "tags", "metadata", "extra"]]) {
      const sent = await callClean("query_runs", { project: "leaky", ...window, fields });
      // The runs were read (so the secrets were there to leak): names show, redacted.
      expect(sent).toContain("[REDACTED]");
      await callClean("query_runs", { project: "leaky", ...window, fields, page_size: 1 });
      await callClean("query_runs", { project: "leaky", ...window, fields, trace_id: rootId });
    }
  });

  it("get_trace by trace and by run", async () => {
    expect(await callClean("get_trace", { trace_id: rootId })).toContain(childId);
    await callClean("get_trace", { run_id: childId });
  });

  it("get_run without include_share_url, every preset", async () => {
    for (const fields of ["compact", "detailed", "full", ["inputs", "outputs", "error", "events", "metadata", "extra", "attachments"]]) {
      await callClean("get_run", { run_id: rootId, fields });
      await callClean("get_run", { run_id: childId, fields });
    }
  });

  it("list_threads and a thread's turns", async () => {
    expect(await callClean("list_threads", { project: "leaky", ...window })).toContain(THREAD);
    await callClean("list_threads", { project: "leaky", ...window, thread_id: THREAD });
  });
});
