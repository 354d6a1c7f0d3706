/**
 * The purge domain: plan (projects, discovery, batches), record and send (claims with leases),
 * verify (re-query, verdict, audit logs), report (evidence from the hash-chained ledger). It
 * speaks to LangSmith only through the narrow PurgeClient and to storage only through the
 * Ledger interface; the deletion tools are parse → call → render around it.
 */
export { PURGE_LIMITS, VERDICT_TABLE, METADATA_DELETE_SEMANTICS } from "./limits.js";
export { requireRunsV2, type PurgeClient, type ResolveProject } from "./client.js";
export { discoverRoots, visibleTraces, metadataFilter, paddedWindow, type DiscoveredTrace } from "./discover.js";
export {
  planPurge,
  checkRequest,
  givesCriteria,
  parseMetadataPairs,
  METADATA_PAIR,
  type PurgeRequest,
  type PurgePlan,
  type PlannedBatch,
  type ResolveWindow,
} from "./plan.js";
export { recordPurge, refuseUsedToken, sendPending, newPurgeId, sha256, type SendOutcome } from "./send.js";
export { verifyRecorded, decideVerdict, type Verification, type AuditOutcome } from "./verify.js";
export { resolveIdentity, owns, type Identity } from "./identity.js";
export { requireLedger, ownPurge, listOwn } from "./records.js";
export {
  purgeView,
  purgeLines,
  batchLine,
  projectsLabel,
  shownProjects,
  LISTED_PROJECTS,
  PurgeViewSchema,
  BatchStatesSchema,
  type PurgeView,
} from "./view.js";
export { newClaimOwner, isDeadOwner } from "./lease.js";
export { buildEvidence, renderEvidenceMarkdown, EvidenceReportSchema, type EvidenceReport } from "./report.js";
