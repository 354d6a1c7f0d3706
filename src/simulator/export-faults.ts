/**
 * Injectable bulk export failures, one scenario per row of seed 000's failure table, and the
 * texts each leaves in a run's `errors.retry_N`: what Temporal, the queue worker, botocore,
 * Arrow or orjson print. Storage scenarios are not labels: they change the object store (a
 * revoked grant, a deleted bucket, a rotated-then-deactivated key) and the failure follows
 * from the next PutObject.
 *
 * Rules are armed through `POST /_sim/export-faults`: for one export (and optionally one
 * partition, by `YYYY-MM-DD` day or run id), or unbound, for the next export created.
 */

export const EXPORT_FAULT_SCENARIOS = [
  "infrastructure_interruption",
  "transient_run_timeout",
  "persistent_run_timeout",
  "workflow_timeout",
  "bad_credentials_after_rotation",
  "revoked_permission",
  "destination_deleted",
  "serialization_error",
  "out_of_memory",
  "dropped_rows",
] as const;
export type ExportFaultScenario = (typeof EXPORT_FAULT_SCENARIOS)[number];

/**
 * How a scenario shows up in an attempt:
 * - interrupt: the worker dies halfway through the rows still to write; chunks written before stay.
 * - stall: progress stops after `progressShare` of the remaining rows; the attempt hits the run timeout.
 * - crash: the attempt dies while writing its next file; that file is not committed.
 */
export type AttemptBehaviour = { kind: "interrupt" } | { kind: "stall"; progressShare: number } | { kind: "crash" };

export type ScenarioLayer =
  | { layer: "attempt"; behaviour: AttemptBehaviour }
  /** Changes the object store after the export's first committed file. */
  | { layer: "storage" }
  /** Shapes the whole export at its start. */
  | { layer: "export" }
  /** Loses rows of a partition silently when its run starts: it completes with fewer rows than match. */
  | { layer: "rows" };

export interface ScenarioSpec {
  /** The row of seed 000's failure table. */
  failureType: string;
  retried: boolean;
  /** Attempts hit when `times` is not given; -1 = every attempt. Storage and export layers fire once. */
  defaultTimes: number;
  how: ScenarioLayer;
}

export const SCENARIO_SPECS: Readonly<Record<ExportFaultScenario, ScenarioSpec>> = {
  infrastructure_interruption: {
    failureType: "Infrastructure interruption",
    retried: true,
    defaultTimes: 1,
    how: { layer: "attempt", behaviour: { kind: "interrupt" } },
  },
  transient_run_timeout: {
    failureType: "Run timeout",
    retried: true,
    defaultTimes: 1,
    how: { layer: "attempt", behaviour: { kind: "stall", progressShare: 0.5 } },
  },
  persistent_run_timeout: {
    failureType: "Run timeout",
    retried: true,
    defaultTimes: -1,
    how: { layer: "attempt", behaviour: { kind: "stall", progressShare: 0 } },
  },
  workflow_timeout: { failureType: "Workflow timeout", retried: false, defaultTimes: 1, how: { layer: "export" } },
  bad_credentials_after_rotation: { failureType: "Storage/destination errors", retried: false, defaultTimes: 1, how: { layer: "storage" } },
  revoked_permission: { failureType: "Storage/destination errors", retried: false, defaultTimes: 1, how: { layer: "storage" } },
  destination_deleted: { failureType: "Destination deleted", retried: false, defaultTimes: 1, how: { layer: "storage" } },
  serialization_error: {
    failureType: "Terminal processing errors",
    retried: true,
    defaultTimes: -1,
    how: { layer: "attempt", behaviour: { kind: "crash" } },
  },
  out_of_memory: {
    failureType: "Terminal processing errors",
    retried: true,
    defaultTimes: 2,
    how: { layer: "attempt", behaviour: { kind: "crash" } },
  },
  // Not a row of the failure table: a silent loss only a completeness check can see.
  dropped_rows: { failureType: "Silent row loss (no error recorded)", retried: false, defaultTimes: 1, how: { layer: "rows" } },
};

export const isExportFaultScenario = (v: unknown): v is ExportFaultScenario =>
  typeof v === "string" && (EXPORT_FAULT_SCENARIOS as readonly string[]).includes(v);

/** Queue worker pods as Kubernetes names them; which one died varies with the attempt. */
const WORKER_PODS = [
  "langsmith-queue-5f7c9d8b6-x2kqp",
  "langsmith-queue-5f7c9d8b6-m8t4z",
  "langsmith-queue-7d9f6c5b4-qh2wn",
  "langsmith-queue-7d9f6c5b4-r7vkd",
] as const;

export interface AttemptErrorContext {
  attempt: number;
  /** 0-based index of the file the attempt was writing. */
  part: number;
  /** Day index of the partition, to vary texts between runs deterministically. */
  partitionIndex: number;
  runTimeoutMs: number;
}

const partName = (part: number): string => `part-${String(part).padStart(5, "0")}.parquet`;

/** Temporal's rendering of a duration: 4h0m0s. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m${s % 60}s`;
}

export const runTimeoutError = (runTimeoutMs: number): string =>
  `Activity StartToClose timeout: run exceeded maximum duration of ${goDuration(runTimeoutMs)}`;

/** The text an attempt-layer scenario leaves in `errors.retry_N`. */
export function attemptErrorText(scenario: ExportFaultScenario, c: AttemptErrorContext): string {
  switch (scenario) {
    case "infrastructure_interruption": {
      const pod = WORKER_PODS[(c.attempt + c.partitionIndex) % WORKER_PODS.length] as string;
      return `Activity task failed: worker ${pod} shutting down (received SIGTERM during deployment)`;
    }
    case "transient_run_timeout":
    case "persistent_run_timeout":
      return runTimeoutError(c.runTimeoutMs);
    case "serialization_error":
      return c.partitionIndex % 2 === 0
        ? `pyarrow.lib.ArrowInvalid: Could not convert '{"messages": [{"role": "user", "content": "Where is my order?"}]}' with type ` +
            `dict: tried to convert to string (while writing ${partName(c.part)})`
        : "orjson.JSONEncodeError: Integer exceeds 64-bit range (while serializing outputs of a run)";
    case "out_of_memory":
      return `Worker process exited with code 137 (OOMKilled) while writing row group ${14 + c.attempt} of ${partName(c.part)}`;
    default:
      return `${scenario}`;
  }
}

export interface ExportFaultRule {
  id: string;
  scenario: ExportFaultScenario;
  /** null until bound to the next export created. */
  export_id: string | null;
  /** A `YYYY-MM-DD` partition day or a run id; null = any run of the export. */
  partition: string | null;
  /** Hits left; -1 = every attempt. */
  remaining: number;
}

export class ExportFaultRegistry {
  private rules: ExportFaultRule[] = [];
  private nextId = 1;

  add(rule: Omit<ExportFaultRule, "id">): ExportFaultRule {
    const stored = { ...rule, id: `export_fault_${this.nextId++}` };
    this.rules.push(stored);
    return stored;
  }

  list(): readonly ExportFaultRule[] {
    return this.rules;
  }

  clear(): number {
    const n = this.rules.length;
    this.rules = [];
    return n;
  }

  /** Unbound rules belong to the export created now. */
  bindNext(exportId: string): void {
    for (const r of this.rules) if (r.export_id === null) r.export_id = exportId;
  }

  /** The first rule of this layer hitting the export (and run), consuming one of its hits. */
  take(layer: ScenarioLayer["layer"], exportId: string, run?: { id: string; day: string }): ExportFaultScenario | null {
    const rule = this.rules.find(
      (r) =>
        r.remaining !== 0 &&
        r.export_id === exportId &&
        SCENARIO_SPECS[r.scenario].how.layer === layer &&
        (r.partition === null || (run !== undefined && (r.partition === run.day || r.partition === run.id))),
    );
    if (!rule) return null;
    if (rule.remaining > 0) rule.remaining--;
    if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.scenario;
  }
}
