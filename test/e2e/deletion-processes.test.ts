/**
 * What only real processes can show: built servers over stdio sharing one ledger file, against
 * one simulator. A server SIGKILLed mid-purge leaves an accurate record and a restart resumes
 * it (the dead process's claim is taken over at once); two live servers never send one batch
 * twice: the second refuses a batch the first holds under its lease.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, startSimulator, type RunningSimulator } from "../../src/simulator/index.js";
import { textOf } from "../support/stack.js";
import { purgeIn, readLedger, rootsOf, startServer, tempLedgerPath, type ServerProcess } from "../support/deletion.js";

const START = "2026-03-04T10:00:00.000Z"; // a Wednesday
const DELETE_PATH = "/api/v1/runs/delete";

interface Queued {
  status: string;
  purge?: { purge_id: string; batches: { batch_no: number; state: string; attempts: number }[]; batch_states: Record<string, number> };
  confirmation_token?: string;
  notes?: string[];
}
const ok = <T>(result: CallToolResult): T => {
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as T;
};
interface SimDeletion {
  trace_ids: string[] | null;
}
const simDeletions = async (sim: RunningSimulator): Promise<SimDeletion[]> =>
  (await control<{ requests: SimDeletion[] }>(sim, "GET", "deletion")).body.requests;

let sim: RunningSimulator;
const servers: ServerProcess[] = [];
const start = async (ledger: string) => {
  const server = await startServer(sim, ledger);
  servers.push(server);
  return server;
};

/** Polls the ledger file a real process writes until `ready` finds what it waits for. */
async function waitFor<T>(
  ledgerPath: string,
  ready: (l: Parameters<Parameters<typeof readLedger>[1]>[0]) => Promise<T | undefined>,
): Promise<T | undefined> {
  for (let i = 0; i < 400; i++) {
    const found = await readLedger(ledgerPath, ready);
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 25)); // polling another process's file, not timing an assertion
  }
  return undefined;
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, scale: 2, now: START });
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await sim?.close();
});

describe("several server processes on one ledger file", () => {
  it("survives a SIGKILL mid-queue: the ledger shows what was queued and a restart resumes only the rest (0 lost, 0 sent twice)", async () => {
    const ledgerPath = tempLedgerPath();
    const criteria = { project: "support-bot", start_time: "30d" };
    const expected = rootsOf(sim, "support-bot");
    const before = (await simDeletions(sim)).length;
    const server = await start(ledgerPath);
    const plan = ok<Queued>(await server.call("queue_deletion", criteria));
    // Batch 1 answers after a short delay; batch 2 hangs long enough to kill the server with it in flight.
    await control(sim, "POST", "faults", { match: { method: "POST", path: DELETE_PATH }, kind: "delay", delay_ms: 100 });
    await control(sim, "POST", "faults", { match: { method: "POST", path: DELETE_PATH }, kind: "delay", delay_ms: 6_000 });
    const inFlight = server.call("queue_deletion", { ...criteria, confirmation_token: plan.confirmation_token }).catch((e: unknown) => e);

    const purgeId = await waitFor(ledgerPath, async (l) => {
      const p = (await l.listPurges())[0];
      return p && p.batches[0]!.state === "queued" && p.batches[1]!.state === "sending" ? p.id : undefined;
    });
    expect(purgeId, "batch 2 never reached sending").toBeDefined();
    server.kill();
    await inFlight;
    await control(sim, "DELETE", "faults");

    const afterCrash = await purgeIn(ledgerPath, purgeId!);
    expect(afterCrash.batches.map((b) => b.state)).toEqual(["queued", "sending", "planned"]);
    // The claim names the killed process and its lease has not run out: only its death frees it.
    expect(Date.parse(afterCrash.batches[1]!.lease_until!)).toBeGreaterThan(Date.now());

    const restarted = await start(ledgerPath);
    const listed = ok<{ purges: { purge_id: string; batch_states: Record<string, number> }[] }>(await restarted.call("list_deletions"));
    expect(listed.purges[0]).toMatchObject({ purge_id: purgeId, batch_states: { queued: 1, sending: 1, planned: 1, failed: 0 } });
    const resumed = ok<Queued>(await restarted.call("queue_deletion", { purge_id: purgeId }));
    expect(resumed.status).toBe("queued");
    expect(resumed.purge!.batches.map((b) => [b.state, b.attempts])).toEqual([
      ["queued", 1],
      ["queued", 2],
      ["queued", 1],
    ]);
    // A second resume sends nothing: queued batches are never sent again.
    ok<Queued>(await restarted.call("queue_deletion", { purge_id: purgeId }));

    const accepted = (await simDeletions(sim)).slice(before);
    const ids = accepted.flatMap((r) => r.trace_ids!);
    expect(accepted.map((r) => r.trace_ids!.length)).toEqual([1000, 1000, expected.length - 2000]);
    expect(ids).toHaveLength(new Set(ids).size); // no trace sent twice
    expect(new Set(ids)).toEqual(new Set(expected)); // none lost
    for (const batch of [1, 2, 3]) {
      expect(new Set(accepted[batch - 1]!.trace_ids)).toEqual(new Set(await readLedger(ledgerPath, (l) => l.traceIds(purgeId!, batch))));
    }
  });

  it("a second live process refuses a batch the first is sending (slow delete endpoint), and no batch is sent twice", async () => {
    const ledgerPath = tempLedgerPath();
    const criteria = { project: "rag-search", start_time: "30d" };
    const expected = rootsOf(sim, "rag-search");
    const before = (await simDeletions(sim)).length;
    const first = await start(ledgerPath);
    const second = await start(ledgerPath);
    const plan = ok<Queued>(await first.call("queue_deletion", criteria));
    await control(sim, "POST", "faults", { match: { method: "POST", path: DELETE_PATH }, kind: "delay", delay_ms: 3_000 });
    const sending = first.call("queue_deletion", { ...criteria, confirmation_token: plan.confirmation_token });

    const purgeId = await waitFor(ledgerPath, async (l) => {
      const p = (await l.listPurges())[0];
      return p && p.batches[0]!.state === "sending" ? p.id : undefined;
    });
    expect(purgeId, "batch 1 never reached sending").toBeDefined();
    const refused = await second.call("queue_deletion", { purge_id: purgeId });
    const body = ok<Queued>(refused);
    expect(body.status).toBe("partially_queued");
    expect(textOf(refused)).toMatch(/Batch 1 is being sent by another process \(pid \d+\) \(since \d{4}-\d\d-\d\dT/);
    expect(textOf(refused)).not.toMatch(/constraint|bug in the server/i);

    const done = ok<Queued>(await sending);
    await control(sim, "DELETE", "faults");
    expect(done.status).toBe("queued");
    expect(done.purge!.batches.map((b) => b.attempts)).toEqual(done.purge!.batches.map(() => 1));
    const ids = (await simDeletions(sim)).slice(before).flatMap((r) => r.trace_ids!);
    expect(ids).toHaveLength(new Set(ids).size);
    expect(new Set(ids)).toEqual(new Set(expected));
  });
});
