/**
 * The bulk export status table (contract §4.2, LangSmith's bulk export monitoring docs) and the
 * one status normaliser every export tool, resource and the diagnosis use. Statuses compare
 * case-insensitively (the API writes `Running`, the docs `RUNNING`); a status the docs do not
 * list is shown as sent, never mapped onto a known one, and never assumed to be terminal.
 */
import { CONTRACT, MONITORING_DOC } from "./sources.js";

export interface ExportStatusEntry {
  /** As the API spells it (contract §4.2). */
  apiSpelling: string;
  /** As the docs write it. */
  docSpelling: string;
  description: string;
  /** No further change without a new export. */
  terminal: boolean;
  source: string;
}

export const EXPORT_STATUSES: readonly ExportStatusEntry[] = Object.freeze([
  {
    apiSpelling: "Created",
    docSpelling: "CREATED",
    description: "Export has been created but not yet started processing.",
    terminal: false,
    source: `${MONITORING_DOC}, status lifecycle`,
  },
  {
    apiSpelling: "Running",
    docSpelling: "RUNNING",
    description: "Export is actively processing runs.",
    terminal: false,
    source: `${MONITORING_DOC}, status lifecycle`,
  },
  {
    apiSpelling: "Completed",
    docSpelling: "COMPLETED",
    description: "All runs successfully exported.",
    terminal: true,
    source: `${MONITORING_DOC}, status lifecycle`,
  },
  {
    apiSpelling: "Failed",
    docSpelling: "FAILED",
    description: "One or more runs failed after exhausting retries.",
    terminal: true,
    source: `${MONITORING_DOC}, status lifecycle`,
  },
  {
    apiSpelling: "Cancelled",
    docSpelling: "CANCELLED",
    description: "Export was manually cancelled by user; it cannot be restarted.",
    terminal: true,
    source: `${MONITORING_DOC}, status lifecycle and "Stop an export"`,
  },
  {
    apiSpelling: "TimedOut",
    docSpelling: "TIMEDOUT",
    description: "Export exceeded the workflow timeout (72 h per the retry section, 48 h per this row).",
    terminal: true,
    source: `${MONITORING_DOC}, status lifecycle`,
  },
  {
    apiSpelling: "IntervalScheduled",
    docSpelling: "INTERVALSCHEDULED",
    description: "Parent of a scheduled export; its children do the exporting.",
    terminal: false,
    source: CONTRACT,
  },
]);

/** The documented entry for a status in any spelling; undefined for a status the docs do not list (e.g. "Paused"). */
export function statusEntry(status: string): ExportStatusEntry | undefined {
  const key = statusKey(status);
  return key ? EXPORT_STATUSES.find((e) => e.apiSpelling.toLowerCase() === key) : undefined;
}

/** "Created, Running, …": the statuses this server knows, for messages about one it does not. */
export const KNOWN_STATUS_NAMES = EXPORT_STATUSES.map((e) => e.apiSpelling).join(", ");

/** What to say about a status the docs do not list: shown as LangSmith sent it, never mapped to a known one. */
export const unknownStatusNote = (status: string): string =>
  `LangSmith reports status "${status}", which this server does not know (documented: ${KNOWN_STATUS_NAMES}); it is shown as sent and ` +
  `not read as any of those.`;

export type ExportStatusKey = "created" | "running" | "completed" | "failed" | "cancelled" | "timedout" | "intervalscheduled";

/** `Running`, `RUNNING`, `timed_out` → the comparison key; anything else → null. */
export function statusKey(status: string): ExportStatusKey | null {
  const key = status.toLowerCase().replace(/[^a-z]/g, "");
  const entry = EXPORT_STATUSES.find((e) => e.apiSpelling.toLowerCase() === key);
  return entry ? (entry.apiSpelling.toLowerCase() as ExportStatusKey) : null;
}

/** The API's spelling of a known status (`RUNNING` → `Running`); an unknown status as sent. */
export function apiSpelling(status: string): string {
  return statusEntry(status)?.apiSpelling ?? status;
}

/** Terminal per the status table; an unknown status is not assumed to be terminal. */
export const isTerminal = (status: string): boolean => statusEntry(status)?.terminal ?? false;

export const isKnownStatus = (status: string): boolean => statusEntry(status) !== undefined;

/** Two statuses name the same state (case and punctuation aside); unknown ones compare as sent, case-insensitively. */
export const sameStatus = (a: string, b: string): boolean => (statusKey(a) ?? a.toLowerCase()) === (statusKey(b) ?? b.toLowerCase());
