/**
 * What the purge evidence view draws from deletion_report's structured result: per project, its
 * batches with sent / accepted / verified, and a calendar strip of UTC days from the request to
 * past the expected deletion window (LangSmith deletes in a weekend batch). Pure: no DOM.
 */

export interface Attempt {
  at: string;
  outcome: string;
}
export interface Batch {
  batch_no: number;
  kind?: string;
  project_id?: string;
  trace_count: number;
  state: string;
  attempts?: Attempt[];
  accepted_at?: string;
  expected_window?: { start: string; end: string };
}
export interface Verification {
  at: string;
  last_at?: string;
  checked: number;
  visible: number;
  verdict: string;
}

export interface BatchRow {
  batch: Batch;
  /** When it was first sent, if it was. */
  sentAt?: string;
  /** When LangSmith accepted it, if it did. */
  acceptedAt?: string;
  /** When a re-query found none of the purge's traces, if one did (a purge-wide check). */
  verifiedAt?: string;
}

export interface ProjectRows {
  id: string;
  name: string;
  traces: number;
  batches: BatchRow[];
}

/**
 * Batches grouped by project in plan order; a metadata batch (workspace-wide, no project) under
 * "all projects". Verification is purge-wide: a batch counts as verified from the first check
 * that found none of the purge's traces visible.
 */
export function projectRows(
  projects: readonly { id: string; name: string; traces: number }[],
  batches: readonly Batch[],
  verifications: readonly Verification[],
): ProjectRows[] {
  const cleared = verifications.find((v) => v.visible === 0 && v.checked > 0);
  const row = (batch: Batch): BatchRow => ({
    batch,
    ...(batch.attempts?.[0] && { sentAt: batch.attempts[0].at }),
    ...(batch.accepted_at && { acceptedAt: batch.accepted_at }),
    ...(cleared && batch.accepted_at && { verifiedAt: cleared.at }),
  });
  const out: ProjectRows[] = projects.map((p) => ({ ...p, batches: batches.filter((b) => b.project_id === p.id).map(row) }));
  const loose = batches.filter((b) => !b.project_id || !projects.some((p) => p.id === b.project_id));
  if (loose.length)
    out.push({ id: "", name: "all projects (metadata)", traces: loose.reduce((n, b) => n + b.trace_count, 0), batches: loose.map(row) });
  return out;
}

export interface StripDay {
  /** YYYY-MM-DD (UTC). */
  date: string;
  weekday: string;
  weekend: boolean;
  /** Inside some batch's expected deletion window. */
  inWindow: boolean;
  /** Events that day: "requested", "accepted", "verified: <verdict>". */
  events: string[];
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const dayOf = (iso: string): number => Math.floor(Date.parse(iso) / DAY_MS);
const MAX_DAYS = 42;

/**
 * The UTC days from the request to the later of the last window's end and the last check, one
 * cell each (at most MAX_DAYS: the last ones are kept), with what happened on each.
 */
export function calendarStrip(requestedAt: string, batches: readonly Batch[], verifications: readonly Verification[]): StripDay[] {
  const windows = batches.flatMap((b) => (b.expected_window ? [b.expected_window] : []));
  // A window ends at 00:00 of the day after its last day (exclusive end).
  const lastDays = windows.map((w) => new Date(Date.parse(w.end) - 1).toISOString());
  const times = [requestedAt, ...lastDays, ...verifications.map((v) => v.last_at ?? v.at)].filter((t) => Number.isFinite(Date.parse(t)));
  if (times.length === 0) return [];
  const first = dayOf(requestedAt);
  const last = Math.max(...times.map(dayOf));
  const from = Math.max(first, last - MAX_DAYS + 1);
  const events = new Map<number, string[]>();
  const add = (iso: string | undefined, what: string) => {
    if (!iso || !Number.isFinite(Date.parse(iso))) return;
    const list = events.get(dayOf(iso)) ?? [];
    if (!list.includes(what)) list.push(what);
    events.set(dayOf(iso), list);
  };
  add(requestedAt, "requested");
  for (const b of batches) add(b.accepted_at, "accepted");
  for (const v of verifications) add(v.at, `checked: ${v.verdict}`);
  const days: StripDay[] = [];
  for (let d = from; d <= last; d++) {
    const start = d * DAY_MS;
    const end = start + DAY_MS;
    const weekday = new Date(start).getUTCDay();
    days.push({
      date: new Date(start).toISOString().slice(0, 10),
      weekday: WEEKDAYS[weekday]!,
      weekend: weekday === 0 || weekday === 6,
      inWindow: windows.some((w) => Date.parse(w.start) < end && Date.parse(w.end) > start),
      events: events.get(d) ?? [],
    });
  }
  return days;
}

/** How a verdict reads at a glance: good (proven), wait (expected to change), bad (act). */
export function verdictTone(verdict: string): "good" | "wait" | "bad" {
  if (verdict === "verified") return "good";
  if (verdict === "pending" || verdict === "partially_verified" || verdict === "not verified yet") return "wait";
  return "bad";
}
