/**
 * query_runs reads about what it shows: it asks LangSmith for the runs its result budget holds
 * (an estimate carried in the cursor) instead of page_size-and-cut. Whatever the estimate gets
 * wrong, paging must reach every run exactly once. Runs are counted where LangSmith answered
 * them: the simulator's request log (`items` of each POST /api/v2/runs/query).
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oneRunTrace } from "../../src/simulator/seed.js";
import type { SimRun } from "../../src/simulator/model.js";
import { control } from "../../src/simulator/testing.js";
import { startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { runsOf } from "../support/runs.js";
import { textOf } from "../support/stack.js";

const BUDGET = 3_000;
const DAY = 86_400_000;
const WORDS = ["refund", "order", "the", "customer", "asked", "about", "shipping", "42", "invoice", "{", "}", "status", "ok", "é", "🙂"];

interface Segment {
  /** Runs in a row with payloads of about this many characters. */
  count: number;
  chars: number;
}

let stack: InMemoryStack;
let projects = 0;

beforeAll(async () => {
  stack = await startInMemoryStack({
    sim: { now: "2026-03-04T10:00:00.000Z", scale: 0.02 },
    env: { LANGSMITH_MCP_MAX_OUTPUT_TOKENS: String(BUDGET) },
  });
  stack.sim.clock.setRate(0);
});
afterAll(async () => stack?.close());

/** Words from a fixed list, `chars` characters or a little more: text a tokenizer does not compress to nothing. */
function text(chars: number, salt: number): string {
  let out = "";
  for (let i = salt; out.length < chars; i = (i * 7 + 3) % 1009) out += `${WORDS[i % WORDS.length]} `;
  return out;
}

/** A new project holding runs in `segments` order, newest first; `tie` runs in a row share a start time. Returns its name and ids. */
function addProject(segments: readonly Segment[], tie: number): { name: string; ids: string[] } {
  const sim = stack.sim;
  const now = sim.clock.now();
  const name = `reads-${++projects}`;
  const project = {
    id: randomUUID(),
    tenant_id: sim.workspaceId,
    name,
    description: null,
    start_time: now - 20 * DAY,
    end_time: null,
    reference_dataset_id: null,
    extra: null,
    conversational: false,
  };
  const runs: SimRun[] = [];
  let i = 0;
  for (const segment of segments) {
    for (let k = 0; k < segment.count; k++, i++) {
      const start = now - DAY - Math.floor(i / tie) * 60_000;
      const run = oneRunTrace(randomUUID(), { tenantId: sim.workspaceId, projectId: project.id, startMs: start, metadata: {} });
      runs.push({ ...run, inputs: { question: text(segment.chars, i) }, outputs: { answer: text(segment.chars >> 1, i + 1) } });
    }
  }
  sim.store.addProject(project as never, runs);
  return { name, ids: runs.map((r) => r.id) };
}

/** Every page of a query; the runs LangSmith answered meanwhile, from the simulator's request log. */
async function scan(
  args: Record<string, unknown>,
): Promise<{ pages: Array<Array<{ id: string; start_time: string }>>; read: number; cuts: number }> {
  await control(stack.sim, "DELETE", "requests");
  const pages: Array<Array<{ id: string; start_time: string }>> = [];
  let cursor: string | undefined;
  let cuts = 0;
  do {
    const now = stack.sim.clock.now();
    const window = { start_time: new Date(now - 30 * DAY).toISOString(), end_time: new Date(now).toISOString() };
    const result = await stack.call("query_runs", { ...args, ...window, ...(cursor && { cursor }) });
    expect(result.isError, textOf(result)).toBeFalsy();
    const page = result.structuredContent as { next_cursor?: string; notes?: string[] };
    pages.push(runsOf<{ id: string; start_time: string }>(result));
    if ((page.notes ?? []).some((note) => note.startsWith("Cut to"))) cuts++;
    cursor = page.next_cursor;
  } while (cursor && pages.length < 2_000);
  const log = (await control<{ requests: Array<{ method: string; path: string; items: number }> }>(stack.sim, "GET", "requests")).body;
  const read = log.requests.filter((r) => r.method === "POST" && r.path === "/api/v2/runs/query").reduce((sum, r) => sum + r.items, 0);
  return { pages, read, cuts };
}

describe("query_runs reads about what it shows (runs of varied payload sizes, a 3,000-token budget)", () => {
  it("reaches every run exactly once, newest first, whatever the payload sizes do to the estimate", async () => {
    let cutsSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ count: fc.integer({ min: 1, max: 50 }), chars: fc.integer({ min: 0, max: 900 }) }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 5, max: 1000 }),
        fc.constantFrom<string[]>(["start_time", "inputs", "outputs"], ["start_time", "name", "inputs_preview"], ["start_time", "inputs"]),
        async (segments, tie, pageSize, fields) => {
          const { name, ids } = addProject(segments, tie);
          const { pages, cuts } = await scan({ project: name, fields, page_size: pageSize });
          cutsSeen += cuts;
          const shown = pages.flat();
          expect(new Set(shown.map((r) => r.id)).size).toBe(shown.length);
          expect(shown.map((r) => r.id).sort()).toEqual([...ids].sort());
          for (const page of pages) expect(page.length).toBeLessThanOrEqual(pageSize);
          const times = shown.map((r) => Date.parse(r.start_time));
          expect(times.every((t, i) => i === 0 || times[i - 1]! >= t)).toBe(true);
        },
      ),
      { numRuns: 12, seed: 19 },
    );
    // The property is only worth its name if some estimate was wrong and a page was cut.
    expect(cutsSeen).toBeGreaterThan(0);
  }, 120_000);

  it("reads exactly the runs it shows when payloads are alike, and fills pages to the budget", async () => {
    const { name, ids } = addProject([{ count: 600, chars: 300 }], 1);
    const { pages, read, cuts } = await scan({ project: name, fields: ["inputs"], page_size: 1000 });
    expect(pages.flat().length).toBe(ids.length);
    expect(cuts).toBe(0);
    expect(read).toBe(ids.length);
    // Budget-sized: far fewer runs than page_size, and more than one page.
    expect(pages.length).toBeGreaterThan(3);
  }, 60_000);

  it("reads at most 1.2× the runs it shows over a scan whose payload sizes drift", async () => {
    const segments = Array.from({ length: 12 }, (_, i) => ({ count: 80, chars: 150 + ((i * 97) % 450) }));
    const { name, ids } = addProject(segments, 2);
    const { pages, read } = await scan({ project: name, fields: ["inputs", "outputs"], page_size: 1000 });
    const shown = pages.flat().length;
    expect(shown).toBe(ids.length);
    expect(read / shown).toBeLessThanOrEqual(1.2);
  }, 60_000);
});
