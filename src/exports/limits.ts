/**
 * Bulk export limits as data (LangSmith's bulk export monitoring docs, contract §4.3-§4.4):
 * the value in force and every value the docs state, where they contradict each other, so an
 * explanation can name both instead of silently picking one.
 */
import { MONITORING_DOC } from "./sources.js";

export interface ExportLimits {
  maxRetries: number;
  retryDelaySeconds: number;
  runTimeoutHours: number;
  workflowTimeoutHours: number;
  maxConcurrentRunsPerExport: number;
  maxConcurrentExportsPerWorkspace: number;
}

export interface LimitEntry {
  key: keyof ExportLimits;
  title: string;
  unit: string;
  /** The contract's decision, used unless the caller configures another value. */
  decided: number;
  /** Every value the docs state, where they state it. */
  documented: ReadonlyArray<{ value: number; where: string }>;
  source: string;
}

export const LIMITS: readonly LimitEntry[] = Object.freeze([
  {
    key: "maxRetries",
    title: "retries per run",
    unit: "retries",
    decided: 20,
    documented: [{ value: 20, where: "automatic retry behaviour (subject to change)" }],
    source: MONITORING_DOC,
  },
  {
    key: "retryDelaySeconds",
    title: "delay between retries",
    unit: "s",
    decided: 30,
    documented: [{ value: 30, where: "automatic retry behaviour (fixed, no backoff)" }],
    source: MONITORING_DOC,
  },
  {
    key: "runTimeoutHours",
    title: "run timeout",
    unit: "h",
    decided: 4,
    documented: [{ value: 4, where: "automatic retry behaviour and the failure table" }],
    source: MONITORING_DOC,
  },
  {
    key: "workflowTimeoutHours",
    title: "workflow timeout",
    unit: "h",
    decided: 72,
    documented: [
      { value: 72, where: "the retry section and the failure table" },
      { value: 48, where: "the TIMEDOUT row of the status table" },
    ],
    source: `${MONITORING_DOC}; this server uses the larger value unless configured`,
  },
  {
    key: "maxConcurrentRunsPerExport",
    title: "concurrent runs per export",
    unit: "runs",
    decided: 45,
    documented: [
      { value: 45, where: "the concurrency limits section" },
      { value: 5, where: "the troubleshooting steps" },
    ],
    source: `${MONITORING_DOC}; this server uses the larger value unless configured`,
  },
  {
    key: "maxConcurrentExportsPerWorkspace",
    title: "concurrent exports per workspace",
    unit: "exports",
    decided: 15,
    documented: [
      { value: 15, where: "the concurrency limits section" },
      { value: 3, where: "the troubleshooting steps" },
    ],
    source: `${MONITORING_DOC}; this server uses the larger value unless configured`,
  },
]);

export function limitEntry(key: keyof ExportLimits): LimitEntry {
  const entry = LIMITS.find((e) => e.key === key);
  if (!entry) throw new Error(`no limit entry for ${key}`);
  return entry;
}

/** The contract's decided limits. */
export const DEFAULT_LIMITS: Readonly<ExportLimits> = Object.freeze(
  Object.fromEntries(LIMITS.map((e) => [e.key, e.decided])) as unknown as ExportLimits,
);

/** Documented values other than the one in force, e.g. the troubleshooting doc's 5 runs per export. */
export function otherDocumentedValues(key: keyof ExportLimits, configured: number): number[] {
  return limitEntry(key)
    .documented.map((d) => d.value)
    .filter((v) => v !== configured);
}

/** "workflow timeout: 72 h per the retry section and the failure table; 48 h per the TIMEDOUT row …" */
export function describeDocumentedLimit(key: keyof ExportLimits, configured: number): string {
  const entry = limitEntry(key);
  const stated = entry.documented.map((d) => `${d.value} ${entry.unit} per ${d.where}`).join("; ");
  const inForce = entry.documented.some((d) => d.value === configured)
    ? `${configured} ${entry.unit}`
    : `${configured} ${entry.unit} (configured)`;
  return `${entry.title}: ${stated} (LangSmith's bulk export docs); in force here: ${inForce}.`;
}

/** The decided limits with any positive finite override from `partial`. */
export function resolveLimits(partial: Partial<ExportLimits> | undefined): ExportLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(partial ?? {})) {
    if (typeof value === "number" && Number.isFinite(value) && value > 0) limits[key as keyof ExportLimits] = value;
  }
  return limits;
}
