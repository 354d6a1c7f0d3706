/**
 * Recording a confirmed plan and sending its batches. Each batch is claimed in the ledger
 * before its POST (an atomic claim with a lease, so a second process or call refuses instead
 * of sending it again), marked queued after a 200 and failed on an error. Sending stops at
 * the first failure or refusal, so the record stays simple to resume.
 */
import { createHash, randomBytes } from "node:crypto";
import { UserInputError } from "../errors.js";
import { expectedCompletionWindow, isLedgerFault, LedgerFault, RESENDABLE_STATES, type Ledger, type PurgeRecord } from "../ledger/index.js";
import type { PurgeClient } from "./client.js";
import type { Identity } from "./identity.js";
import { describeOwner, isDeadOwner, newClaimOwner } from "./lease.js";
import { PURGE_LIMITS } from "./limits.js";
import type { PurgePlan } from "./plan.js";

export const newPurgeId = (now: Date): string =>
  `purge_${now.toISOString().slice(0, 10).replace(/-/g, "")}_${randomBytes(5).toString("hex")}`;

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

export interface RecordDeps {
  ledger: Ledger;
  client: Pick<PurgeClient, "endpoint">;
  identity: Identity;
  now: () => Date;
}

/** Records a confirmed plan: the purge, its traces with their projects, its batches as planned. */
export async function recordPurge(plan: PurgePlan, token: string, deps: RecordDeps): Promise<PurgeRecord> {
  const now = deps.now();
  return deps.ledger.createPurge({
    id: newPurgeId(now),
    created_at: now.toISOString(),
    endpoint: new URL(deps.client.endpoint).origin,
    workspace_id: deps.identity.workspace_id,
    owner: { scope: deps.identity.scope, key_fingerprint: deps.identity.key_fingerprint },
    criteria: plan.criteria,
    plan_digest: plan.digest,
    token_digest: sha256(token),
    traces: plan.traces.map(({ trace_id, start_time, project_id }) => ({ trace_id, start_time, project_id })),
    batch_size: PURGE_LIMITS.batchSize,
    metadata_delete: plan.criteria.send_as === "metadata_delete" ? plan.criteria.metadata : undefined,
  });
}

/** Refuses a token a purge was already created with (the ledger refuses a concurrent one too). */
export async function refuseUsedToken(ledger: Ledger, token: string): Promise<void> {
  const used = await ledger.purgeIdForToken(sha256(token));
  if (used) {
    throw new UserInputError(
      "confirmation_token",
      `was already used: it queued purge ${used}. A token queues its plan once.`,
      `Check it with list_deletions or verify_deletion; to send its unsent batches call queue_deletion with purge_id "${used}".`,
    );
  }
}

export interface SendDeps {
  ledger: Ledger;
  client: Pick<PurgeClient, "deleteRuns" | "serverNow">;
  signal: AbortSignal;
  now: () => Date;
  progress?: (done: number, total: number | undefined, message: string) => Promise<void>;
  /** Claim owner of this call (tests pass their own). */
  owner?: string;
  leaseMs?: number;
}

export interface SendOutcome {
  sent: number;
  /** The batch that failed and why; sending stopped there. */
  failure: string | null;
  /** A batch another live process or call holds; sending stopped there, nothing sent twice. */
  busy: { batch_no: number; by: string; since: string | null; until: string | null } | null;
}

/**
 * Sends every batch not yet accepted, in order, one at a time. `queued` batches are never
 * re-sent; a batch held by a live claim is left to its holder.
 */
export async function sendPending(purgeId: string, deps: SendDeps): Promise<SendOutcome> {
  const purge = await deps.ledger.getPurge(purgeId);
  if (!purge) throw new Error(`purge ${purgeId} vanished from the ledger`);
  const owner = deps.owner ?? newClaimOwner();
  const leaseMs = deps.leaseMs ?? PURGE_LIMITS.leaseMs;
  const pending = purge.batches.filter((b) => RESENDABLE_STATES.includes(b.state));
  let sent = 0;
  for (const batch of pending) {
    const at = deps.now();
    const claim = await deps.ledger.claimBatch(purgeId, batch.batch_no, {
      owner,
      at: at.toISOString(),
      leaseUntil: new Date(at.getTime() + leaseMs).toISOString(),
      isDead: isDeadOwner,
    });
    if (!claim.claimed) {
      if (claim.state === "queued") continue; // another process finished it meanwhile
      return {
        sent,
        failure: null,
        busy: { batch_no: batch.batch_no, by: describeOwner(claim.owner), since: claim.since, until: claim.until },
      };
    }
    const ids = batch.kind === "metadata" ? [] : await deps.ledger.traceIds(purgeId, batch.batch_no);
    await deps.progress?.(sent, pending.length, `sending batch ${batch.batch_no} of ${purge.batches.length} (${batch.trace_count} traces)`);
    try {
      if (batch.kind === "metadata") await deps.client.deleteRuns({ metadata: purge.criteria.metadata ?? {} }, deps.signal);
      else await deps.client.deleteRuns({ session_id: batch.project_id!, trace_ids: ids }, deps.signal);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await deps.ledger.markFailed(purgeId, batch.batch_no, message);
      return { sent, failure: `batch ${batch.batch_no}: ${message}`, busy: null };
    }
    const acceptedAt = deps.client.serverNow();
    try {
      await deps.ledger.markQueued(purgeId, batch.batch_no, acceptedAt.toISOString(), expectedCompletionWindow(acceptedAt));
    } catch (error) {
      if (!isLedgerFault(error)) throw error;
      // LangSmith has the batch; only our record of it failed. Say exactly that.
      throw new LedgerFault(
        error.location,
        `could not record that LangSmith accepted batch ${batch.batch_no} of purge ${purgeId} at ${acceptedAt.toISOString()}: ` +
          `${error.message}`,
        `${error.hint ?? ""} The batch stays "sending" in the ledger; resuming with queue_deletion purge_id "${purgeId}" sends it ` +
          `again, which is harmless.`.trim(),
      );
    }
    sent++;
  }
  await deps.progress?.(sent, pending.length, "all batches sent");
  return { sent, failure: null, busy: null };
}
