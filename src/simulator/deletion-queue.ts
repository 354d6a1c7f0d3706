/**
 * LangSmith's deletion pipeline as seed 003 describes it: `POST /api/v1/runs/delete` only
 * queues (200 `{}`, no id, no count); a weekend batch purges whole traces later; until then
 * they stay visible. Every accepted request also leaves a `delete_runs` audit-log event.
 *
 * Model (deterministic on the sim clock): a request received at time t is purged by the first
 * weekend batch that runs strictly after t, at Saturday 02:00 UTC (inside the Saturday 00:00 –
 * Sunday 24:00 window the vendor names). Like the export engine, the queue is event-driven:
 * `advance(now)` applies every batch due by `now` and is called before each request and after
 * every clock change. `drop` rules make a batch silently skip requests, which is how the
 * simulator shows LangSmith not deleting what it accepted (the case verification must catch).
 */
import { createHash } from "node:crypto";
import type { SimStore } from "./store.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** getUTCDay() of Saturday. */
const SATURDAY = 6;
/** When, inside the weekend window, the simulated batch runs. */
export const PURGE_HOUR_UTC = 2;

export type DeletionCriteria =
  | { kind: "trace_ids"; session_id: string; trace_ids: readonly string[] }
  | { kind: "metadata"; metadata: Readonly<Record<string, string>> };

export type DeletionRequestStatus = "queued" | "purged" | "dropped";

export interface DeletionRequest {
  /** Sequence number of the accepted request (1-based); internal, never returned by the API. */
  seq: number;
  tenant_id: string;
  received_at: number;
  purge_at: number;
  criteria: DeletionCriteria;
  status: DeletionRequestStatus;
  /** Set when its batch ran: traces actually removed (0 for a dropped request). */
  purged_traces: number | null;
  /** Marked to be skipped by its weekend batch (a `/_sim/deletion` drop rule). */
  drop: boolean;
}

export interface AuditEvent {
  uid: string;
  time: number;
  tenant_id: string;
  api_key_id: string;
  user_agent: string;
  criteria: DeletionCriteria;
}

/** The first Saturday 02:00 UTC strictly after `ms`. */
export function nextPurgeAt(ms: number): number {
  const day = new Date(Math.floor(ms / DAY_MS) * DAY_MS);
  const daysToSaturday = (SATURDAY - day.getUTCDay() + 7) % 7;
  let at = day.getTime() + daysToSaturday * DAY_MS + PURGE_HOUR_UTC * HOUR_MS;
  if (at <= ms) at += 7 * DAY_MS;
  return at;
}

/** A stable, non-secret id for an API key, as audit logs name keys (never the key itself). */
export function apiKeyId(apiKey: string): string {
  const h = createHash("sha256").update(`api-key:${apiKey}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class DeletionQueue {
  private readonly requests: DeletionRequest[] = [];
  private readonly events: AuditEvent[] = [];
  /** Accepted requests to let pass before dropping, then how many to drop. */
  private dropRule = { skip: 0, drop: 0 };

  constructor(private readonly store: () => SimStore) {}

  /** Records an accepted request and its audit event; returns the request. */
  accept(input: { tenantId: string; now: number; criteria: DeletionCriteria; apiKey: string; userAgent: string }): DeletionRequest {
    let drop = false;
    if (this.dropRule.skip > 0) this.dropRule.skip--;
    else if (this.dropRule.drop > 0) {
      this.dropRule.drop--;
      drop = true;
    }
    const request: DeletionRequest = {
      seq: this.requests.length + 1,
      tenant_id: input.tenantId,
      received_at: input.now,
      purge_at: nextPurgeAt(input.now),
      criteria: input.criteria,
      status: "queued",
      purged_traces: null,
      drop,
    };
    this.requests.push(request);
    this.events.push({
      uid: auditUid(request.seq, input.now),
      time: input.now,
      tenant_id: input.tenantId,
      api_key_id: apiKeyId(input.apiKey),
      user_agent: input.userAgent,
      criteria: input.criteria,
    });
    return request;
  }

  /** The next `skip` accepted requests pass; the `drop` after them are skipped by their batch. */
  setDropRule(skip: number, drop: number): void {
    this.dropRule = { skip, drop };
  }

  get pendingDropRule(): { skip: number; drop: number } {
    return { ...this.dropRule };
  }

  /** Runs every weekend batch due by `now`, oldest request first. */
  advance(now: number): void {
    for (const request of this.requests) {
      if (request.status !== "queued" || request.purge_at > now) continue;
      if (request.drop) {
        request.status = "dropped";
        request.purged_traces = 0;
        continue;
      }
      request.purged_traces = this.purge(request);
      request.status = "purged";
    }
  }

  list(): readonly DeletionRequest[] {
    return this.requests;
  }

  auditEvents(): readonly AuditEvent[] {
    return this.events;
  }

  private purge(request: DeletionRequest): number {
    const store = this.store();
    const { criteria } = request;
    if (criteria.kind === "trace_ids") {
      const ids = criteria.trace_ids.filter((id) => {
        const root = store.run(id);
        return root !== undefined && root.project_id === criteria.session_id && root.parent_run_id === null;
      });
      return store.deleteTraces(ids);
    }
    // Workspace-wide: a trace matches when ANY given pair matches its root's metadata (contract §5).
    const pairs = Object.entries(criteria.metadata);
    const ids: string[] = [];
    for (const project of store.projectsOfTenant(request.tenant_id)) {
      for (const run of store.runsOfProject(project.id)) {
        if (run.parent_run_id !== null) continue;
        if (pairs.some(([k, v]) => String(run.metadata[k]) === v && run.metadata[k] !== undefined)) ids.push(run.id);
      }
    }
    return store.deleteTraces(ids);
  }
}

function auditUid(seq: number, now: number): string {
  const h = createHash("sha256").update(`audit:${seq}:${now}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-b${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
