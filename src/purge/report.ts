/**
 * The evidence report of one purge, for an auditor to file: the request as asked (criteria,
 * which key fingerprint and workspace, when), the plan (per-project counts, the digest of the
 * trace-id set, recomputed from the stored ids), every batch (its ids' digest, every send
 * attempt, when LangSmith accepted it), every verification (when, which query, how many still
 * visible, the verdict), the audit-log events matched, and the integrity of the hash-chained
 * ledger (an edited or deleted row is named). JSON for systems, Markdown for people, built
 * from the same object. No secrets: the ledger holds none (a key fingerprint, never the key;
 * no share URLs). Trace ids in full, paged when a purge holds more than one result can carry.
 */
import { z } from "zod";
import { traceSetDigest, type Ledger, type LedgerEvent, type PurgeRecord } from "../ledger/index.js";
import { shownProjects } from "./view.js";

const Window = z.object({ start: z.string(), end: z.string() });

/**
 * The report's shape. `lists: "optional"` is the tool's output schema: results drop empty
 * lists (define-tool.ts), so a purge with no verification yet has no `verifications` key.
 */
function reportSchema(lists: "required" | "optional") {
  function list<T extends z.ZodType>(item: T): z.ZodArray<T> {
    // The optional form is the same array type to TypeScript; only validation differs.
    return (lists === "optional" ? z.array(item).optional() : z.array(item)) as unknown as z.ZodArray<T>;
  }
  return z.object({
    report: z.literal("langsmith-mcp purge evidence v1"),
    generated_at: z.string(),
    ledger: z.string().describe("Where the ledger lives."),
    purge_id: z.string(),
    integrity: z.object({
      intact: z.boolean(),
      chained_events: z.number().int(),
      purge_events: z.number().int(),
      head_hash: z.string().optional().describe("sha256 of the purge's last event; file it to detect later rewrites."),
      problems: z.array(z.string()).optional(),
    }),
    request: z.object({
      requested_at: z.string(),
      endpoint: z.string(),
      workspace_id: z.string().optional(),
      key_fingerprint: z.string().optional(),
      criteria: z.record(z.string(), z.unknown()),
    }),
    plan: z.object({
      projects: list(z.object({ id: z.string(), name: z.string(), traces: z.number().int() })),
      projects_searched: z
        .number()
        .int()
        .optional()
        .describe("Projects searched, when more than projects lists (then only those holding traces)."),
      trace_count: z.number().int(),
      trace_set_sha256: z.string(),
      trace_set_sha256_recomputed: z.string().describe("From the ids stored now; differs if a row was changed."),
      send_as: z.string(),
    }),
    batches: list(
      z.object({
        batch_no: z.number().int(),
        kind: z.string(),
        project_id: z.string().optional(),
        trace_count: z.number().int(),
        ids_sha256: z.string(),
        state: z.string(),
        attempts: list(z.object({ at: z.string(), by: z.string(), outcome: z.string(), error: z.string().optional() })),
        accepted_at: z.string().optional(),
        expected_window: Window.optional(),
      }),
    ),
    verifications: list(
      z.object({
        at: z.string(),
        last_at: z.string().optional().describe("With checks: the last of consecutive checks that found the same (from at to last_at)."),
        checks: z.number().int().optional().describe("Consecutive checks with this same finding, when more than one."),
        query: z.string().optional(),
        checked: z.number().int(),
        visible: z.number().int(),
        verdict: z.string(),
        requests: z.number().int(),
        audit: z.string().optional(),
      }),
    ),
    final_verdict: z.string(),
    audit_log_events: list(z.object({ batch_no: z.number().int(), event_uid: z.string(), event_time: z.string() })),
    trace_ids: z.object({
      total: z.number().int(),
      offset: z.number().int(),
      listed: list(z.object({ trace_id: z.string(), project_id: z.string(), batch_no: z.number().int() })),
      next_offset: z.number().int().optional(),
    }),
  });
}

export const EvidenceReportSchema = reportSchema("optional");
const FullReportSchema = reportSchema("required");
export type EvidenceReport = z.infer<typeof FullReportSchema>;

/** Builds the report; `ids` selects the trace ids listed (from `offset`, at most `limit`). */
export async function buildEvidence(
  ledger: Ledger,
  purge: PurgeRecord,
  generatedAt: Date,
  ids: { offset: number; limit: number },
): Promise<EvidenceReport> {
  const events = await ledger.events(purge.id);
  const chain = await ledger.checkChain(purge.id);
  const created = events.find((e) => e.kind === "purge_created");
  const plannedBatches = (created?.body["batches"] as Array<{ batch_no: number; ids_digest: string }> | undefined) ?? [];
  const traces = await ledger.traces(purge.id);
  const batchOf = new Map<string, number>();
  const batchIds = new Map<number, string[]>();
  for (const b of purge.batches) batchIds.set(b.batch_no, await ledger.traceIds(purge.id, b.batch_no));
  for (const [batchNo, batch] of batchIds) for (const id of batch) batchOf.set(id, batchNo);
  const perProject = new Map<string, number>();
  for (const t of traces) perProject.set(t.project_id, (perProject.get(t.project_id) ?? 0) + 1);
  const { projects, ...criteria } = purge.criteria;
  const verifications = await ledger.verifications(purge.id);
  const listed = traces.slice(ids.offset, ids.offset + ids.limit);
  const shown = shownProjects(
    projects.map((p) => ({ id: p.id, name: p.name, traces: perProject.get(p.id) ?? 0 })),
    (p) => p.traces > 0,
  );
  const end = ids.offset + listed.length;
  return {
    report: "langsmith-mcp purge evidence v1",
    generated_at: generatedAt.toISOString(),
    ledger: ledger.location,
    purge_id: purge.id,
    integrity: {
      intact: chain.intact,
      chained_events: chain.events,
      purge_events: events.length,
      ...(events.length > 0 && { head_hash: events[events.length - 1]!.hash }),
      ...(chain.problems.length > 0 && { problems: chain.problems }),
      ...(events.length === 0 && {
        problems: [
          ...chain.problems,
          "This purge was recorded before the ledger kept a hash chain (schema 1): its rows cannot be checked.",
        ],
      }),
    },
    request: {
      requested_at: purge.created_at,
      endpoint: purge.endpoint,
      ...(purge.workspace_id && { workspace_id: purge.workspace_id }),
      ...(purge.key_fingerprint && { key_fingerprint: purge.key_fingerprint }),
      // Over LISTED_PROJECTS (all_projects in a big workspace), the projects holding traces are named under plan, the rest counted.
      criteria: {
        ...criteria,
        projects:
          shown.projects_searched === undefined
            ? projects.map((p) => `${p.name} (${p.id})`)
            : `${shown.projects_searched} projects searched`,
      },
    },
    plan: {
      ...shown,
      trace_count: purge.trace_count,
      trace_set_sha256: purge.plan_digest,
      trace_set_sha256_recomputed: traceSetDigest(traces.map((t) => t.trace_id)),
      send_as: purge.criteria.send_as,
    },
    batches: purge.batches.map((b) => {
      const mine = events.filter((e) => e.body["batch_no"] === b.batch_no);
      return {
        batch_no: b.batch_no,
        kind: b.kind,
        ...(b.project_id && { project_id: b.project_id }),
        trace_count: b.trace_count,
        ids_sha256: plannedBatches.find((p) => p.batch_no === b.batch_no)?.ids_digest ?? traceSetDigest(batchIds.get(b.batch_no) ?? []),
        state: b.state,
        attempts: attemptsOf(mine),
        ...(b.delete_requested_at && { accepted_at: b.delete_requested_at }),
        ...(windowOf(mine) && { expected_window: windowOf(mine)! }),
      };
    }),
    verifications: collapseRepeats(
      verifications.map((v) => ({
        at: v.at,
        ...(v.query && { query: v.query }),
        checked: v.checked,
        visible: v.remaining_count,
        verdict: v.verdict,
        requests: v.requests,
        ...(v.audit && { audit: v.audit }),
      })),
    ),
    final_verdict: verifications.length ? verifications[verifications.length - 1]!.verdict : "not verified yet",
    audit_log_events: await ledger.auditMatches(purge.id),
    trace_ids: {
      total: traces.length,
      offset: ids.offset,
      listed: listed.map((t) => ({ trace_id: t.trace_id, project_id: t.project_id, batch_no: batchOf.get(t.trace_id) ?? 0 })),
      ...(end < traces.length && { next_offset: end }),
    },
  };
}

type Verification = EvidenceReport["verifications"][number];

/**
 * Consecutive checks that found the same thing (same query, counts, verdict, audit) as one entry
 * from `at` to `last_at` with their number: LangSmith deletes in a weekend batch, so an agent
 * polling from Monday records hundreds of identical "pending" checks, and one row each put the
 * report over the result budget. Every change of finding keeps its own entry.
 */
function collapseRepeats(checks: readonly Verification[]): Verification[] {
  const out: Verification[] = [];
  const same = (a: Verification, b: Verification) =>
    a.query === b.query &&
    a.checked === b.checked &&
    a.visible === b.visible &&
    a.verdict === b.verdict &&
    a.requests === b.requests &&
    a.audit === b.audit;
  for (const check of checks) {
    const last = out[out.length - 1];
    if (last && same(last, check)) {
      last.last_at = check.at;
      last.checks = (last.checks ?? 1) + 1;
    } else out.push({ ...check });
  }
  return out;
}

/** Each send attempt: its claim, and what came of it (accepted, failed, or interrupted). */
function attemptsOf(events: readonly LedgerEvent[]): EvidenceReport["batches"][number]["attempts"] {
  const out: EvidenceReport["batches"][number]["attempts"] = [];
  for (const e of events) {
    if (e.kind === "batch_claimed")
      out.push({ at: e.at, by: String(e.body["owner"] ?? "unknown"), outcome: "interrupted (no answer recorded)" });
    const last = out[out.length - 1];
    if (!last) continue;
    if (e.kind === "batch_queued") last.outcome = `accepted by LangSmith at ${String(e.body["delete_requested_at"])}`;
    if (e.kind === "batch_failed") {
      last.outcome = "failed";
      last.error = String(e.body["error"] ?? "");
    }
  }
  if (out.length && out[out.length - 1]!.outcome.startsWith("interrupted"))
    out[out.length - 1]!.outcome = "sending (in flight, or interrupted)";
  return out;
}

function windowOf(events: readonly LedgerEvent[]): { start: string; end: string } | undefined {
  const queued = [...events].reverse().find((e) => e.kind === "batch_queued");
  return queued?.body["window"] as { start: string; end: string } | undefined;
}

const cell = (value: unknown): string =>
  String(value ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ");

/** The report for people: the same facts as the JSON, as Markdown. */
export function renderEvidenceMarkdown(r: EvidenceReport): string {
  const lines: string[] = [];
  const digestOk = r.plan.trace_set_sha256 === r.plan.trace_set_sha256_recomputed;
  lines.push(`# Deletion evidence: ${r.purge_id}`, "");
  lines.push(`Generated ${r.generated_at} from the deletion ledger at ${r.ledger} (${r.report}).`, "");
  lines.push(
    r.integrity.intact && digestOk
      ? `**Integrity: intact.** ${r.integrity.chained_events} hash-chained ledger events check out; this purge has ` +
          `${r.integrity.purge_events}${r.integrity.head_hash ? `, the last with hash \`${r.integrity.head_hash}\`` : ""}.`
      : `**Integrity: NOT intact.** The ledger was changed outside the server (${r.integrity.chained_events} chained events checked):`,
  );
  for (const p of r.integrity.problems ?? []) lines.push(`- ${p}`);
  if (!r.integrity.intact && r.integrity.head_hash) lines.push(`- Last event hash of this purge: \`${r.integrity.head_hash}\`.`);
  lines.push("", "## Request", "");
  lines.push(`- Requested at: ${r.request.requested_at}`);
  lines.push(`- LangSmith: ${r.request.endpoint}${r.request.workspace_id ? `, workspace ${r.request.workspace_id}` : ""}`);
  lines.push(`- API key fingerprint: ${r.request.key_fingerprint ?? "not recorded (purge recorded before identities)"}`);
  for (const [k, v] of Object.entries(r.request.criteria)) lines.push(`- ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
  lines.push("", "## Plan", "");
  lines.push(
    `${r.plan.trace_count} trace(s), sent as ${r.plan.send_as}. Trace-id set sha256 \`${r.plan.trace_set_sha256}\`; recomputed from ` +
      `the stored ids: \`${r.plan.trace_set_sha256_recomputed}\` (${digestOk ? "matches" : "DIFFERS"}).`,
    "",
  );
  lines.push("| project | id | traces |", "|---|---|---|");
  for (const p of r.plan.projects) lines.push(`| ${cell(p.name)} | ${p.id} | ${p.traces} |`);
  if (r.plan.projects_searched !== undefined)
    lines.push(
      "",
      `${r.plan.projects_searched} projects were searched; the ${r.plan.projects_searched - r.plan.projects.length} not listed hold ` +
        `none of these traces.`,
    );
  lines.push("", "## Batches", "");
  lines.push(
    "| # | kind | project | traces | ids sha256 | state | attempts | accepted at | expected window |",
    "|---|---|---|---|---|---|---|---|---|",
  );
  for (const b of r.batches) {
    const attempts = b.attempts.map((a) => `${a.at} by ${a.by}: ${a.outcome}${a.error ? ` (${a.error})` : ""}`).join("; ");
    lines.push(
      `| ${b.batch_no} | ${b.kind} | ${b.project_id ?? "workspace-wide"} | ${b.trace_count} | \`${b.ids_sha256}\` | ${b.state} | ` +
        `${cell(attempts) || "none"} | ${b.accepted_at ?? ""} | ` +
        `${b.expected_window ? `${b.expected_window.start} … ${b.expected_window.end}` : ""} |`,
    );
  }
  lines.push("", "## Verifications", "");
  if (r.verifications.length === 0) lines.push("None yet.");
  else {
    lines.push("| at | query | checked | still visible | verdict | requests | audit logs |", "|---|---|---|---|---|---|---|");
    for (const v of r.verifications) {
      const at = v.checks ? `${v.checks} checks, ${v.at} … ${v.last_at}` : v.at;
      lines.push(
        `| ${at} | ${cell(v.query ?? "")} | ${v.checked} | ${v.visible} | ${v.verdict} | ${v.requests} | ${cell(v.audit ?? "")} |`,
      );
    }
  }
  lines.push("", `**Final verdict: ${r.final_verdict}.**`, "", "## Audit-log events", "");
  if (r.audit_log_events.length === 0) lines.push("None correlated (audit logs need an Enterprise plan and LANGSMITH_ORGANIZATION_ID).");
  else {
    lines.push("| batch | event | time |", "|---|---|---|");
    for (const e of r.audit_log_events) lines.push(`| ${e.batch_no} | ${e.event_uid} | ${e.event_time} |`);
  }
  const t = r.trace_ids;
  lines.push("", "## Trace ids", "");
  lines.push(
    `${t.listed.length} of ${t.total} listed, from offset ` +
      `${t.offset}${t.next_offset !== undefined ? `; the next start at ids_offset ${t.next_offset}` : ""}. Format: trace id, project ` +
      `id, batch.`,
    "",
  );
  for (const id of t.listed) lines.push(`- ${id.trace_id} ${id.project_id} #${id.batch_no}`);
  return `${lines.join("\n")}\n`;
}
