/**
 * A purge's limits and verdicts, as data: the API's (seed 003, contract §1 and §5) and this
 * server's own.
 */
import { MAX_TRACE_IDS_PER_DELETE } from "../langsmith/index.js";
import type { Verdict } from "../ledger/index.js";

export const PURGE_LIMITS = {
  /** Seed 003: trace ids per delete request (and one session_id per request). */
  batchSize: MAX_TRACE_IDS_PER_DELETE,
  /** Ids per verification query: one v2 page (page_size max 1000) answers a whole chunk. */
  idsPerQuery: 1000,
  /**
   * Queries in flight at once (discovery across projects, verification chunks): fast, yet
   * gentle on the documented 15-per-10-s limit of runs/query; a 429 is retried after its
   * Retry-After by the client.
   */
  queryConcurrency: 4,
  /** Traces one purge may cover; beyond it the criteria should be narrowed or split. */
  maxTracesPerPurge: 200_000,
  /** Projects one purge may search (all projects of a workspace are paged 100 at a time). */
  maxProjects: 1_000,
  /** Project ids per v2 query when looking up explicit trace ids across projects. */
  projectsPerQuery: 100,
  /**
   * The smallest page LangSmith is assumed to answer with when paging a query: page caps are
   * derived from trace counts with it (a page may come back shorter than page_size).
   */
  minPageSize: 100,
  /** Explicit trace ids accepted in one call. */
  maxExplicitIds: 10_000,
  /** Ids listed in results and in the ledger's verification record. */
  shownIds: 50,
  /** Sample traces shown in a plan. */
  sampleSize: 10,
  /**
   * How long a send claim holds a batch for its process: longer than one delete request may
   * take (the client's timeout, 30 s by default, never retried), short enough that a batch
   * whose process died is resumed by another soon after. A claim whose owner process is gone
   * (same host, pid not running) is taken over at once.
   */
  leaseMs: 120_000,
} as const;

/**
 * Verdicts of verify_deletion, as data: when each applies and what to do. Evaluated in
 * this order; "window" is the expected completion window of the queued batches.
 */
export const VERDICT_TABLE: ReadonlyArray<{ verdict: Verdict; when: string; next: string }> = [
  {
    verdict: "verified",
    when: "zero of the recorded traces remain visible",
    next: "Done: the purge is proven by re-query. Keep the ledger record as evidence (deletion_report).",
  },
  {
    verdict: "incomplete",
    when: "some batches were never accepted (planned, failed or interrupted) and traces remain",
    next: "Resume with queue_deletion and this purge_id: only the unsent batches are sent.",
  },
  {
    verdict: "pending",
    when: "all traces remain and the window has not ended",
    next: "Expected: LangSmith deletes in its weekend batch. Verify again after the window ends.",
  },
  {
    verdict: "partially_verified",
    when: "some traces are gone, some remain, and the window has not ended",
    next: "The weekend batch is under way or partly done. Verify again after the window ends.",
  },
  {
    verdict: "overdue",
    when: "traces remain after the window ended",
    next:
      "Re-queue the remaining ids (queue_deletion with trace_ids) and, if they survive another weekend, contact LangSmith support " +
      "with the purge id and the evidence report.",
  },
];

/**
 * What LangSmith's metadata-wide delete does (seed 003, contract §5), stated in every plan
 * that offers it, since it reaches further than the traces the plan lists.
 */
export const METADATA_DELETE_SEMANTICS =
  'LangSmith\'s metadata delete (POST /runs/delete {"metadata": {...}}) is one request for the whole workspace: it deletes every ' +
  "trace, in every project, whose root run's metadata has ANY of the given pairs, including traces that start after this plan; it " +
  "answers {} with no count. The listed traces are what this server found and will verify.";
