/**
 * `ledger://purges/{id}`: one compliance purge as the deletion ledger records it (criteria,
 * batches and their states, the expected completion window, every verification and the
 * audit-log matches), and its evidence report as Markdown (`…/report.md`) and JSON
 * (`…/report.json`). Every read is scoped to the caller's LangSmith identity: a purge of
 * another workspace reads as absent. The ledger stores no secrets; the record counts its trace
 * ids, the report lists them (as many as fit one read; deletion_report pages on).
 */
import type { LangSmithClient } from "../langsmith/index.js";
import type { Ledger, PurgeRecord } from "../ledger/index.js";
import { buildEvidence, ownPurge, renderEvidenceMarkdown, resolveIdentity, shownProjects } from "../purge/index.js";
import { fitItems } from "../tools/output-budget.js";

export const PURGE_TEMPLATE = "ledger://purges/{id}";
export const PURGE_REPORT_MD_TEMPLATE = "ledger://purges/{id}/report.md";
export const PURGE_REPORT_JSON_TEMPLATE = "ledger://purges/{id}/report.json";
export const purgeUri = (purgeId: string): string => `ledger://purges/${purgeId}`;

/** What the purge resources read from the ledger. */
export type PurgeReader = Ledger;

/** Purges the resource list shows: the newest, like list_deletions. */
export const LISTED_PURGES = 20;

/** Trace ids one report read lists at most; the rest through deletion_report's ids_offset. */
export const REPORT_IDS = 500;

type Caller = Pick<LangSmithClient, "listProjects" | "endpoint" | "keyFingerprint" | "configuredWorkspaceId">;

/** The purges the caller may see, newest first; none when its identity cannot be resolved. */
export async function listCallerPurges(ledger: PurgeReader, client: Caller, signal?: AbortSignal): Promise<PurgeRecord[]> {
  try {
    const identity = await resolveIdentity(client, signal);
    return await ledger.listPurges({ limit: LISTED_PURGES, scope: identity.scope });
  } catch {
    return [];
  }
}

/** The record of a purge the caller owns; throws the same "no purge" UserInputError otherwise. */
export async function readPurge(
  ledger: PurgeReader,
  client: Caller,
  purgeId: string,
  budgetTokens: number,
  signal?: AbortSignal,
): Promise<string> {
  const identity = await resolveIdentity(client, signal);
  const purge = await ownPurge(ledger, identity, purgeId);
  const verifications = await ledger.verifications(purgeId);
  const auditMatches = await ledger.auditMatches(purgeId);
  // An agent polling a purge through a weekend records a verification (with up to 50 remaining
  // ids) per poll: the record keeps the newest that fit one read; the report lists every one.
  const render = (count: number) => {
    const shown = verifications.slice(verifications.length - count);
    const record = {
      purge: compactProjects(purge),
      batches_by_state: countBy(purge.batches.map((batch) => batch.state)),
      verifications: shown,
      ...(count < verifications.length && {
        verifications_shown: `the newest ${count} of ${verifications.length}, to fit the result budget; deletion_report lists every one`,
      }),
      audit_matches: auditMatches,
      evidence_report: { markdown: `${purgeUri(purgeId)}/report.md`, json: `${purgeUri(purgeId)}/report.json` },
      next:
        "verify_deletion {purge_id} re-checks LangSmith and records the verdict here; deletion_report is the evidence; " +
        "list_deletions shows every purge.",
    };
    return { text: `${JSON.stringify(record, null, 2)}\n`, structured: null };
  };
  return (await fitItems(verifications.length, render, budgetTokens)).payload.text;
}

/**
 * The evidence report as Markdown or JSON, listing as many trace ids (from the first, at most
 * REPORT_IDS) as fit `budgetTokens`; its next_offset says where deletion_report pages on.
 */
export async function readReport(
  ledger: PurgeReader,
  client: Caller,
  purgeId: string,
  format: "md" | "json",
  now: Date,
  budgetTokens: number,
  signal?: AbortSignal,
): Promise<string> {
  const identity = await resolveIdentity(client, signal);
  const purge = await ownPurge(ledger, identity, purgeId);
  const total = Math.min(REPORT_IDS, purge.trace_count);
  // Built once (it re-checks the whole hash chain); fitting only trims the listed ids.
  const full = await buildEvidence(ledger, purge, now, { offset: 0, limit: total });
  const render = (count: number) => {
    const { next_offset: _next, ...ids } = full.trace_ids;
    const report = { ...full, trace_ids: { ...ids, listed: ids.listed.slice(0, count), ...(count < ids.total && { next_offset: count }) } };
    return { text: format === "md" ? renderEvidenceMarkdown(report) : `${JSON.stringify(report, null, 2)}\n`, structured: null };
  };
  return (await fitItems(total, render, budgetTokens)).payload.text;
}

/** The record with its searched projects as the tools show them: over LISTED_PROJECTS, those holding traces, and the count searched. */
function compactProjects(purge: PurgeRecord): PurgeRecord | (PurgeRecord & { projects_searched: number }) {
  const holding = new Set(purge.batches.map((b) => b.project_id));
  const shown = shownProjects(purge.criteria.projects, (p) => holding.has(p.id));
  if (shown.projects_searched === undefined) return purge;
  return { ...purge, criteria: { ...purge.criteria, projects: shown.projects }, projects_searched: shown.projects_searched };
}

export function describePurge(purge: PurgeRecord): string {
  const verdict = purge.last_verification?.verdict ?? "not verified yet";
  const shown = compactProjects(purge);
  const where =
    "projects_searched" in shown
      ? `${purge.criteria.all_projects ? "all " : ""}${shown.projects_searched} projects`
      : purge.criteria.projects.map((p) => p.name).join(", ");
  return `${purge.trace_count} traces of ${where}, ${purge.batches.length} batches, created ${purge.created_at}; ${verdict}.`;
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
