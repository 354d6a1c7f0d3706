/**
 * One purge as the tools and resources show it: its schema (for output schemas), the view
 * built from a ledger record, and its text lines.
 */
import { z } from "zod";
import type { PurgeRecord } from "../ledger/index.js";

export const BatchStatesSchema = z.object({
  planned: z.number().int(),
  sending: z.number().int(),
  queued: z.number().int(),
  failed: z.number().int(),
});

export const BatchViewSchema = z.object({
  batch_no: z.number().int(),
  state: z.enum(["planned", "sending", "queued", "failed"]),
  project_id: z.string().optional().describe("Absent for a metadata-wide delete."),
  trace_count: z.number().int(),
  attempts: z.number().int(),
  delete_requested_at: z.string().optional(),
  error: z.string().optional(),
});

export const PurgeViewSchema = z.object({
  purge_id: z.string(),
  created_at: z.string(),
  projects: z
    .array(z.object({ id: z.string(), name: z.string() }))
    .optional()
    .describe("Projects searched; with projects_searched, only those holding the purge's traces."),
  projects_searched: z.number().int().optional().describe("Projects searched, when more than projects lists."),
  criteria: z.record(z.string(), z.unknown()).describe("What selected the traces."),
  trace_count: z.number().int(),
  batches: z.array(BatchViewSchema),
  batch_states: BatchStatesSchema,
  expected_completion_window: z.object({ start: z.string(), end: z.string() }).optional(),
  last_verification: z
    .object({ at: z.string(), verdict: z.string(), remaining_count: z.number().int(), checked: z.number().int() })
    .optional(),
});
export type PurgeView = z.infer<typeof PurgeViewSchema>;

/**
 * Projects a result names one by one. A purge over more (all_projects in a workspace of hundreds)
 * names those holding its traces and counts the rest: naming every project searched, each with
 * its id, put one result over the budget a client accepts.
 */
export const LISTED_PROJECTS = 20;

/** The projects to name of `searched`: all of them, or (over LISTED_PROJECTS) those `holds`, with the count searched. */
export function shownProjects<P extends { id: string }>(
  searched: readonly P[],
  holds: (project: P) => boolean,
): { projects: P[]; projects_searched?: number } {
  if (searched.length <= LISTED_PROJECTS) return { projects: [...searched] };
  return { projects: searched.filter(holds), projects_searched: searched.length };
}

export function purgeView(purge: PurgeRecord): PurgeView {
  const states = { planned: 0, sending: 0, queued: 0, failed: 0 };
  for (const b of purge.batches) states[b.state]++;
  const { projects, ...criteria } = purge.criteria;
  const v = purge.last_verification;
  // A metadata-wide batch names no project: then none is singled out of those searched.
  const holding = new Set(purge.batches.map((b) => b.project_id));
  return {
    purge_id: purge.id,
    created_at: purge.created_at,
    ...shownProjects(projects, (project) => holding.has(project.id)),
    criteria,
    trace_count: purge.trace_count,
    batches: purge.batches.map((b) => ({
      batch_no: b.batch_no,
      state: b.state,
      project_id: b.project_id ?? undefined,
      trace_count: b.trace_count,
      attempts: b.attempts,
      delete_requested_at: b.delete_requested_at ?? undefined,
      error: b.error ?? undefined,
    })),
    batch_states: states,
    expected_completion_window: purge.window ?? undefined,
    last_verification: v ? { at: v.at, verdict: v.verdict, remaining_count: v.remaining_count, checked: v.checked } : undefined,
  };
}

/** The projects a purge searched, with their ids (the text carries every id the JSON does). */
export const projectsLabel = (p: Pick<PurgeView, "projects" | "projects_searched" | "criteria">): string => {
  const listed = p.projects ?? [];
  const named = listed.map((x) => `${x.name} (${x.id})`).join(", ");
  const searched = p.projects_searched ?? listed.length;
  const all = p.criteria["all_projects"] ? `all ${searched} projects of the workspace` : `${searched} projects`;
  if (p.projects_searched !== undefined) return named ? `${all} (traces in ${named})` : all;
  if (p.criteria["all_projects"]) return `${all}: ${named}`;
  return listed.length === 1 ? named : `${all}: ${named}`;
};

export const batchLine = (p: PurgeView): string =>
  `${p.batches.length} batch(es): ${p.batch_states.queued} queued, ${p.batch_states.failed} failed, ${p.batch_states.sending} being ` +
  `sent or interrupted, ${p.batch_states.planned} not sent`;

/** Batches listed one by one up to this many; beyond it, per state (a 100,000-trace purge has 100). */
const LISTED_BATCHES = 12;

/** A purge for text: every fact its view holds (criteria, batches, the window, the last verification). */
export function purgeLines(p: PurgeView, indent = "  "): string[] {
  const names = new Map((p.projects ?? []).map((x) => [x.id, x.name]));
  const criteria = Object.entries(p.criteria)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
  return [
    `${p.purge_id} (${p.created_at}): ${p.trace_count} trace(s) from ${projectsLabel(p)}; criteria: ${criteria}.`,
    `${indent}${batchLine(p)}.`,
    `${indent}Batches: ` +
      (p.batches.length <= LISTED_BATCHES
        ? p.batches
            .map(
              (b) =>
                `#${b.batch_no} ${b.project_id ? `${names.get(b.project_id) ?? b.project_id} ` : "metadata-wide "}${b.state}, ` +
                `${b.trace_count} traces, ${b.attempts} ` +
                `attempt(s)${b.delete_requested_at ? `, requested ${b.delete_requested_at}` : ""}${b.error ? `, error: ${b.error}` : ""}`,
            )
            .join("; ")
        : `${p.batches.length} batches of at most 1000 traces; not queued: ${
            p.batches
              .filter((b) => b.state !== "queued")
              .map((b) => `#${b.batch_no} ${b.state}${b.error ? ` (${b.error})` : ""}`)
              .join(", ") || "none"
          }`),
    ...(p.expected_completion_window
      ? [`${indent}Expected completion window: ${p.expected_completion_window.start} … ${p.expected_completion_window.end}.`]
      : []),
    ...(p.last_verification
      ? [
          `${indent}Last verified ${p.last_verification.at}: ${p.last_verification.verdict}, ${p.last_verification.remaining_count} of ` +
            `${p.last_verification.checked} remaining.`,
        ]
      : []),
  ];
}
