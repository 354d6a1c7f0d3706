/**
 * The bulk export engine (contract §4.3, seed 000), driven by the simulator's clock. It is a
 * discrete-event simulation: nothing runs in the background; `advance(now)` replays every
 * event up to `now` in time order (a file committed, an attempt interrupted or timed out, a
 * retry due, a workflow deadline, a scheduled interval), so the same requests at the same
 * simulated times always give the same result and 72 simulated hours take milliseconds.
 *
 * Model:
 * - one run per UTC day of [start, end); rows = the project's runs (roots and children)
 *   starting in the day and matching the export's filter, in (start_time, id) order;
 * - a run writes files of at most `rows_per_file` rows at `rows_per_second`; each committed
 *   file is a checkpoint (latest_cursor, rows_written, exported_files), and a later attempt
 *   continues from it, so no row and no object key is written twice;
 * - an attempt fails by a fault scenario, by the run timeout, or by a storage error. Storage
 *   errors are not retried; the others are, `max_retries` times after a fixed delay. Each
 *   failed attempt N adds `errors.retry_N`; `retry_number` counts failed attempts;
 * - a run failing for good fails the export; its other unfinished runs become Cancelled;
 * - the workflow timeout (from the export's start) makes the export and its unfinished runs
 *   TimedOut; cancelling makes them Cancelled; either way `finished_at` is set;
 * - over `max_runs_per_export` running runs, or `max_exports_per_workspace` running exports,
 *   runs and exports wait as Created and start, in creation order, when a slot frees;
 * - a run captures the destination's credentials when it starts and keeps them to the end,
 *   so a rotation affects only runs started after it (seed 001, "Credential rotation");
 * - an export without a project (`session_id` null, LangSmith's "all experiments" exports)
 *   exports the runs of every project of its workspace;
 * - the dropped_rows scenario silently loses one row in ten of a partition (no error, the run
 *   completes), which only a completeness check against the run counts can see;
 * - an export whose status a newer server would show (forced through the control API, e.g.
 *   "Paused") is left alone: no event of it fires and none of its runs starts.
 */
import { compileFilter, type FilterExpr, type RunPredicate } from "../filter/index.js";
import { effectiveCredentials, keyPrefix, resolveTarget, type DestinationRecord } from "./destinations.js";
import { attemptErrorText, runTimeoutError, SCENARIO_SPECS, type ExportFaultRegistry, type ExportFaultScenario } from "./export-faults.js";
import {
  dayPartitions,
  estimateFileBytes,
  partFileName,
  partitionPath,
  type ExportCompression,
  type ExportFormatVersion,
  type Partition,
} from "./export-layout.js";
import type { ExportLimits } from "./export-limits.js";
import type { SimRun } from "./model.js";
import type { Credentials, ObjectStore } from "./object-store.js";
import type { Prng } from "./prng.js";
import { compareRuns, lowerBound, type SimStore } from "./store.js";
import { naiveUtc, rfc3339 } from "./views.js";

export type ExportStatus = "Created" | "Running" | "Completed" | "Failed" | "Cancelled" | "TimedOut" | "IntervalScheduled";
export type ExportRunStatus = Exclude<ExportStatus, "IntervalScheduled">;
const TERMINAL: ReadonlySet<ExportStatus> = new Set(["Completed", "Failed", "Cancelled", "TimedOut"]);
export const isTerminal = (s: ExportStatus): boolean => TERMINAL.has(s);

const HOUR_MS = 3_600_000;
/** The dropped_rows scenario loses one row in this many. */
export const DROPPED_ROW_EVERY = 10;
/** A bound on events replayed by one advance; far above any scenario, it only stops a bug from hanging the server. */
const MAX_EVENTS_PER_ADVANCE = 5_000_000;

export interface ExportSpec {
  tenant_id: string;
  bulk_export_destination_id: string;
  /** null: every project of the workspace ("all experiments" exports). */
  session_id: string | null;
  start_time: number;
  end_time: number | null;
  filter: string | null;
  filterExpr: FilterExpr | null;
  format_version: ExportFormatVersion;
  compression: ExportCompression;
  interval_hours: number | null;
  export_fields: string[] | null;
}

export interface ExportRecord extends ExportSpec {
  id: string;
  status: ExportStatus;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  source_bulk_export_id: string | null;
  /** When the workflow started (status Running); the workflow timeout counts from here. */
  startedAt: number | null;
  runs: ExportRunRecord[];
  predicate: RunPredicate | null;
  /** Set by the workflow_timeout scenario: this export's slower throughput. */
  rowsPerSecond: number | null;
  /** Scheduled parents: the start of the next interval to spawn. */
  nextIntervalStart: number | null;
  /** Statuses forced through the control API (any string); the view shows them instead. */
  forcedStatus: string | null;
  forcedRunStatus: string | null;
}

/** An error value as newer servers write it in `errors.retry_N` (instead of the bare text). */
export interface ExportRunError {
  message: string;
  type: string;
  retry_number: number;
}

interface Attempt {
  index: number;
  startedAt: number;
  lastCommitAt: number;
  scenario: ExportFaultScenario | null;
  /** Row index (exclusive) where this attempt stops making progress. */
  stopAtRow: number;
  /** interrupt/crash: when the attempt dies. */
  failAt: number | null;
  timeoutAt: number;
}

export interface ExportRunRecord {
  id: string;
  bulk_export_id: string;
  partition: Partition;
  /** Position of the partition in the export, for deterministic variation of texts. */
  index: number;
  status: ExportRunStatus;
  retry_number: number;
  errors: Record<string, string | ExportRunError>;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  rows: readonly SimRun[] | null;
  /** Rows committed so far (index into `rows`). */
  cursor: number;
  files: string[];
  credentials: Credentials | null;
  attempt: Attempt | null;
  retryAt: number | null;
}

type EngineEvent = { at: number; fire: () => void };

export interface EngineDeps {
  store: () => SimStore;
  objects: () => ObjectStore;
  limits: () => ExportLimits;
  rng: Prng;
  faults: ExportFaultRegistry;
  /** Write `errors.retry_N` values as objects ({message, type, retry_number}) instead of strings. */
  errorsAsObjects: () => boolean;
}

const KNOWN_STATUSES: ReadonlySet<string> = new Set<ExportStatus>([
  "Created",
  "Running",
  "Completed",
  "Failed",
  "Cancelled",
  "TimedOut",
  "IntervalScheduled",
]);

/** Whether the engine leaves the export alone: a status was forced on it or its runs. */
const isLeftAlone = (e: ExportRecord): boolean => e.forcedStatus !== null || e.forcedRunStatus !== null;

export class ExportEngine {
  readonly destinations = new Map<string, DestinationRecord>();
  private readonly exports: ExportRecord[] = [];
  private readonly exportsById = new Map<string, ExportRecord>();
  /** The simulated time the engine has replayed up to. */
  private time = 0;

  constructor(private readonly deps: EngineDeps) {}

  newId(): string {
    return this.deps.rng.uuid4();
  }

  exportsOfTenant(tenantId: string): ExportRecord[] {
    return this.exports.filter((e) => e.tenant_id === tenantId);
  }

  exportById(id: string): ExportRecord | undefined {
    return this.exportsById.get(id);
  }

  /** Creates an export at `now` (after `advance(now)`) and starts it if a slot is free. */
  create(spec: ExportSpec, now: number, source: string | null = null): ExportRecord {
    const id = this.newId();
    const scheduled = spec.interval_hours !== null && source === null;
    const record: ExportRecord = {
      ...spec,
      id,
      status: scheduled ? "IntervalScheduled" : "Created",
      created_at: now,
      updated_at: now,
      finished_at: null,
      source_bulk_export_id: source,
      startedAt: null,
      runs: [],
      predicate: spec.filterExpr ? compileFilter(spec.filterExpr) : null,
      rowsPerSecond: null,
      nextIntervalStart: scheduled ? spec.start_time : null,
      forcedStatus: null,
      forcedRunStatus: null,
    };
    if (!scheduled) {
      const end = spec.end_time ?? spec.start_time;
      record.runs = dayPartitions(spec.start_time, end).map((partition, index) => ({
        id: this.newId(),
        bulk_export_id: id,
        partition,
        index,
        status: "Created",
        retry_number: 0,
        errors: {},
        created_at: now,
        updated_at: now,
        started_at: null,
        finished_at: null,
        rows: null,
        cursor: 0,
        files: [],
        credentials: null,
        attempt: null,
        retryAt: null,
      }));
    }
    this.exports.push(record);
    this.exportsById.set(id, record);
    if (source === null) this.deps.faults.bindNext(id);
    this.admit(now);
    return record;
  }

  /** PATCH {"status": "Cancelled"}: the export and its unfinished runs. */
  cancel(record: ExportRecord, now: number): void {
    this.finishExport(record, "Cancelled", "Cancelled", now);
    this.admit(now);
  }

  /**
   * Forces the export's status and/or its runs' statuses to any string (a newer server's
   * status such as "Paused"); from then on the engine leaves the export alone.
   */
  forceStatus(record: ExportRecord, status: string | null, runStatus: string | null, now: number): void {
    if (status !== null) record.forcedStatus = status;
    if (runStatus !== null) record.forcedRunStatus = runStatus;
    record.updated_at = now;
    this.admit(now);
  }

  /** Whether a view of the export carries a status the published spec does not list. */
  showsUnknownStatus(record: ExportRecord): boolean {
    return [record.forcedStatus, record.forcedRunStatus].some((s) => s !== null && !KNOWN_STATUSES.has(s));
  }

  /** Replays every event due by `now`, then fills free slots. Never goes back in time. */
  advance(now: number): void {
    for (let n = 0; n < MAX_EVENTS_PER_ADVANCE; n++) {
      const event = this.nextEvent();
      if (!event || event.at > now) break;
      this.time = Math.max(this.time, event.at);
      event.fire();
      this.admit(this.time);
    }
    if (now > this.time) this.time = now;
    this.admit(this.time);
  }

  /* ------------------------------------------------------------------ scheduling */

  private nextEvent(): EngineEvent | null {
    let best: EngineEvent | null = null;
    const offer = (at: number, fire: () => void): void => {
      if (best === null || at < best.at) best = { at, fire };
    };
    for (const e of this.exports) {
      if (isLeftAlone(e)) continue;
      if (e.status === "IntervalScheduled" && e.nextIntervalStart !== null && e.interval_hours !== null) {
        const intervalEnd = e.nextIntervalStart + e.interval_hours * HOUR_MS;
        offer(intervalEnd, () => this.spawnInterval(e, intervalEnd));
      }
      if (e.status !== "Running") continue;
      for (const run of e.runs) {
        if (run.status !== "Running") continue;
        const ev = this.runEvent(e, run);
        if (ev) offer(ev.at, ev.fire);
      }
      // Offered after the export's runs, so a run finishing exactly at the deadline still counts.
      const deadline = (e.startedAt ?? 0) + this.deps.limits().workflow_timeout_hours * HOUR_MS;
      offer(deadline, () => this.finishExport(e, "TimedOut", "TimedOut", deadline));
    }
    return best;
  }

  /** Starts queued exports and runs while slots are free, in creation order. */
  private admit(now: number): void {
    const limits = this.deps.limits();
    let changed = true;
    while (changed) {
      changed = false;
      const runningPerTenant = new Map<string, number>();
      for (const e of this.exports)
        if (e.status === "Running") runningPerTenant.set(e.tenant_id, (runningPerTenant.get(e.tenant_id) ?? 0) + 1);
      for (const e of this.exports) {
        if (e.status !== "Created" || isLeftAlone(e)) continue;
        const running = runningPerTenant.get(e.tenant_id) ?? 0;
        if (running >= limits.max_exports_per_workspace) continue;
        runningPerTenant.set(e.tenant_id, running + 1);
        this.startExport(e, now);
        changed = true;
      }
      for (const e of this.exports) {
        if (e.status !== "Running" || isLeftAlone(e)) continue;
        let running = e.runs.filter((r) => r.status === "Running").length;
        for (const run of e.runs) {
          if (e.status !== "Running" || running >= limits.max_runs_per_export) break;
          if (run.status !== "Created") continue;
          if (this.startRun(e, run, now)) running++;
          changed = true;
        }
        if (e.status === "Running" && e.runs.every((r) => r.status === "Completed")) {
          this.finishExport(e, "Completed", "Completed", now);
          changed = true;
        }
      }
    }
  }

  private startExport(e: ExportRecord, now: number): void {
    e.status = "Running";
    e.startedAt = now;
    e.updated_at = now;
    for (const run of e.runs) run.rows = this.rowsOf(e, run.partition);
    if (this.deps.faults.take("export", e.id) === "workflow_timeout") {
      // Too much data for the workflow: the largest partition needs 1.5 × the workflow timeout.
      const largest = Math.max(1, ...e.runs.map((r) => r.rows?.length ?? 0));
      e.rowsPerSecond = largest / (1.5 * this.deps.limits().workflow_timeout_hours * 3600);
    }
  }

  private spawnInterval(parent: ExportRecord, intervalEnd: number): void {
    const start = parent.nextIntervalStart as number;
    parent.nextIntervalStart = intervalEnd;
    parent.updated_at = intervalEnd;
    const spec: ExportSpec = {
      tenant_id: parent.tenant_id,
      bulk_export_destination_id: parent.bulk_export_destination_id,
      session_id: parent.session_id,
      start_time: start,
      end_time: intervalEnd,
      filter: parent.filter,
      filterExpr: parent.filterExpr,
      format_version: parent.format_version,
      compression: parent.compression,
      interval_hours: parent.interval_hours,
      export_fields: parent.export_fields,
    };
    this.create(spec, intervalEnd, parent.id);
  }

  /** The rows a partition exports: the project's (or workspace's) runs starting in it that match the filter. */
  private rowsOf(e: ExportRecord, p: Partition): SimRun[] {
    const store = this.deps.store();
    const projects = e.session_id === null ? store.projectsOfTenant(e.tenant_id).map((project) => project.id) : [e.session_id];
    const out: SimRun[] = [];
    for (const projectId of projects) {
      const all = store.runsOfProject(projectId);
      for (let i = lowerBound(all, p.start * 1000, ""); i < all.length; i++) {
        const run = all[i] as SimRun;
        if (run.start_time >= p.end) break;
        if (e.predicate === null || e.predicate(store.filterable(run))) out.push(run);
      }
    }
    return projects.length > 1 ? out.sort(compareRuns) : out;
  }

  /* ------------------------------------------------------------------ runs */

  private rate(e: ExportRecord): number {
    return e.rowsPerSecond ?? this.deps.limits().rows_per_second;
  }

  /** Starts a run; false when it finished at once (nothing to write). */
  private startRun(e: ExportRecord, run: ExportRunRecord, now: number): boolean {
    const destination = this.destinations.get(e.bulk_export_destination_id);
    run.status = "Running";
    run.started_at = now;
    run.updated_at = now;
    run.credentials = destination ? effectiveCredentials(destination.credentials, this.deps.objects()) : null;
    run.rows ??= this.rowsOf(e, run.partition);
    if (this.deps.faults.take("rows", e.id, { id: run.id, day: run.partition.day })) {
      // Every tenth row goes missing and nothing says so: the run completes "successfully".
      run.rows = run.rows.filter((_, i) => i % DROPPED_ROW_EVERY !== DROPPED_ROW_EVERY - 1);
    }
    this.startAttempt(e, run, 0, now);
    return !isTerminal(run.status);
  }

  private startAttempt(e: ExportRecord, run: ExportRunRecord, index: number, now: number): void {
    const rows = run.rows ?? [];
    const limits = this.deps.limits();
    run.retryAt = null;
    run.updated_at = now;
    const remaining = rows.length - run.cursor;
    if (remaining === 0) {
      this.completeRun(e, run, now);
      return;
    }
    run.attempt = {
      index,
      startedAt: now,
      lastCommitAt: now,
      scenario: null,
      stopAtRow: rows.length,
      failAt: null,
      timeoutAt: now + limits.run_timeout_hours * HOUR_MS,
    };
    this.drawAttemptFault(e, run, now);
  }

  /** Attempt faults armed for an export already running hit its current attempts from now on. */
  applyArmedFaults(exportId: string, now: number): void {
    const e = this.exportsById.get(exportId);
    if (e?.status !== "Running") return;
    for (const run of e.runs)
      if (run.status === "Running" && run.attempt && run.attempt.scenario === null) this.drawAttemptFault(e, run, now);
  }

  /** Takes an armed attempt fault for the run, if any, and plans how the attempt dies from `now`. */
  private drawAttemptFault(e: ExportRecord, run: ExportRunRecord, now: number): void {
    const attempt = run.attempt;
    if (!attempt) return;
    const scenario = this.deps.faults.take("attempt", e.id, { id: run.id, day: run.partition.day });
    const how = scenario ? SCENARIO_SPECS[scenario].how : null;
    if (!scenario || how?.layer !== "attempt") return;
    const limits = this.deps.limits();
    const remaining = (run.rows?.length ?? 0) - run.cursor;
    const msPerRow = 1000 / this.rate(e);
    attempt.scenario = scenario;
    const behaviour = how.behaviour;
    if (behaviour.kind === "interrupt") attempt.failAt = now + (remaining * msPerRow) / 2;
    if (behaviour.kind === "crash") {
      attempt.stopAtRow = run.cursor;
      attempt.failAt = attempt.lastCommitAt + Math.min(limits.rows_per_file, remaining) * msPerRow;
    }
    if (behaviour.kind === "stall") {
      const files = Math.floor((remaining * behaviour.progressShare) / limits.rows_per_file);
      attempt.stopAtRow = run.cursor + files * limits.rows_per_file;
    }
  }

  /** The run's next event: a retry due, its attempt dying, its next file committed, or its timeout. */
  private runEvent(e: ExportRecord, run: ExportRunRecord): EngineEvent | null {
    if (run.retryAt !== null) {
      const at = run.retryAt;
      return { at, fire: () => this.startAttempt(e, run, run.retry_number, at) };
    }
    const a = run.attempt;
    if (!a) return null;
    const limits = this.deps.limits();
    const n = Math.min(limits.rows_per_file, a.stopAtRow - run.cursor);
    const fileAt = n > 0 ? a.lastCommitAt + (n * 1000) / this.rate(e) : Infinity;
    if (a.failAt !== null && a.failAt <= fileAt && a.failAt <= a.timeoutAt) {
      const at = a.failAt;
      const part = run.files.length;
      const text = attemptErrorText(a.scenario as ExportFaultScenario, {
        attempt: a.index,
        part,
        partitionIndex: run.index,
        runTimeoutMs: limits.run_timeout_hours * HOUR_MS,
      });
      return { at, fire: () => this.failAttempt(e, run, at, text, true) };
    }
    if (fileAt <= a.timeoutAt) return { at: fileAt, fire: () => this.commitFile(e, run, n, fileAt) };
    const at = a.timeoutAt;
    return { at, fire: () => this.failAttempt(e, run, at, runTimeoutError(limits.run_timeout_hours * HOUR_MS), true) };
  }

  private commitFile(e: ExportRecord, run: ExportRunRecord, n: number, now: number): void {
    const destination = this.destinations.get(e.bulk_export_destination_id);
    const objects = this.deps.objects();
    const key = this.fileKey(e, run, run.files.length);
    const target = destination ? resolveTarget(destination.config, objects) : null;
    if (!destination || !target || "invalid" in target) {
      this.failAttempt(
        e,
        run,
        now,
        `botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL: "${destination?.config.endpoint_url ?? ""}"`,
        false,
      );
      return;
    }
    const error = objects.perform({
      target,
      bucket: destination.config.bucket_name,
      key,
      credentials: run.credentials ?? { access_key_id: "", secret_access_key: "" },
      operation: "PutObject",
      now,
      size: estimateFileBytes(n, e.compression, e.export_fields),
    });
    if (error) {
      this.failAttempt(e, run, now, error.message, false);
      return;
    }
    run.cursor += n;
    run.files.push(key);
    run.updated_at = now;
    if (run.attempt) run.attempt.lastCommitAt = now;
    const storageScenario = this.deps.faults.take("storage", e.id, { id: run.id, day: run.partition.day });
    if (storageScenario) this.changeStorage(storageScenario, destination, run);
    if (run.cursor === (run.rows?.length ?? 0)) this.completeRun(e, run, now);
  }

  /** The storage scenarios are real changes to the object store; the failures follow from them. */
  private changeStorage(scenario: ExportFaultScenario, destination: DestinationRecord, run: ExportRunRecord): void {
    const objects = this.deps.objects();
    const bucket = destination.config.bucket_name;
    if (scenario === "destination_deleted") objects.deleteBucket(bucket);
    if (scenario === "revoked_permission" && run.credentials) objects.revoke(run.credentials.access_key_id, bucket, ["PutObject"]);
    if (scenario === "bad_credentials_after_rotation") {
      // Someone rotates to a freshly minted key (the test write passes), then the key is deactivated.
      const old = objects.keys.get(run.credentials?.access_key_id ?? "");
      const target = resolveTarget(destination.config, objects);
      const provider = "invalid" in target ? "aws" : target.provider;
      const fresh: Credentials = { access_key_id: `AKIA${this.deps.rng.hex(16).toUpperCase()}`, secret_access_key: this.deps.rng.hex(40) };
      const key = objects.addKey(
        { ...fresh, provider, endpoint: old?.endpoint ?? null, session_token: null, expires_at: null, principal: old?.principal ?? null },
        { [bucket]: ["PutObject", "DeleteObject", "GetObject"] },
      );
      destination.credentials = fresh;
      destination.updated_at = this.time;
      key.active = false;
    }
  }

  private failAttempt(e: ExportRecord, run: ExportRunRecord, now: number, text: string, retryable: boolean): void {
    const index = run.attempt?.index ?? run.retry_number;
    run.errors[`retry_${index}`] = this.deps.errorsAsObjects()
      ? { message: text, type: exceptionClassOf(text), retry_number: index }
      : text;
    run.retry_number += 1;
    run.attempt = null;
    run.updated_at = now;
    if (retryable && index < this.deps.limits().max_retries) {
      run.retryAt = now + this.deps.limits().retry_delay_seconds * 1000;
      return;
    }
    run.status = "Failed";
    run.finished_at = now;
    this.finishExport(e, "Failed", "Cancelled", now);
  }

  private completeRun(e: ExportRecord, run: ExportRunRecord, now: number): void {
    run.status = "Completed";
    run.attempt = null;
    run.retryAt = null;
    run.finished_at = now;
    run.updated_at = now;
    if (e.runs.every((r) => r.status === "Completed")) this.finishExport(e, "Completed", "Completed", now);
  }

  private finishExport(e: ExportRecord, status: ExportStatus, unfinishedRuns: ExportRunStatus, now: number): void {
    e.status = status;
    e.finished_at = now;
    e.updated_at = now;
    e.nextIntervalStart = null;
    for (const run of e.runs) {
      if (isTerminal(run.status)) continue;
      run.status = unfinishedRuns;
      run.attempt = null;
      run.retryAt = null;
      run.finished_at = now;
      run.updated_at = now;
    }
  }

  /* ------------------------------------------------------------------ views */

  private partitionDir(e: ExportRecord, run: ExportRunRecord): string {
    const destination = this.destinations.get(e.bulk_export_destination_id);
    const prefix = destination ? keyPrefix(destination.config) : "";
    return partitionPath(prefix, { exportId: e.id, tenantId: e.tenant_id, sessionId: e.session_id }, run.partition.day);
  }

  private fileKey(e: ExportRecord, run: ExportRunRecord, part: number): string {
    return `${this.partitionDir(e, run)}/${partFileName(part, e.compression)}`;
  }

  exportView(e: ExportRecord): Record<string, unknown> {
    return {
      id: e.id,
      tenant_id: e.tenant_id,
      bulk_export_destination_id: e.bulk_export_destination_id,
      session_id: e.session_id,
      start_time: naiveUtc(e.start_time),
      end_time: naiveUtc(e.end_time),
      filter: e.filter,
      format: "Parquet",
      format_version: e.format_version,
      compression: e.compression,
      interval_hours: e.interval_hours,
      export_fields: e.export_fields,
      status: e.forcedStatus ?? e.status,
      created_at: naiveUtc(e.created_at),
      updated_at: naiveUtc(e.updated_at),
      finished_at: naiveUtc(e.finished_at),
      source_bulk_export_id: e.source_bulk_export_id,
    };
  }

  runView(e: ExportRecord, run: ExportRunRecord): Record<string, unknown> {
    const destination = this.destinations.get(e.bulk_export_destination_id);
    const dir = this.partitionDir(e, run);
    const rows = run.rows ?? [];
    const cursorAt = (n: number): string | null => {
      const row = n > 0 ? rows[n - 1] : undefined;
      return row
        ? Buffer.from(JSON.stringify({ start_time: rfc3339(row.start_time, row.start_us), id: row.id })).toString("base64url")
        : null;
    };
    // A file is in flight while an attempt writes it, and stays pending (to be verified) after
    // an interrupted attempt until the next attempt commits it (spec PendingUpload).
    const pending = run.status === "Running" && (run.attempt !== null || run.retryAt !== null) && run.cursor < rows.length;
    const pendingRows = Math.min(this.deps.limits().rows_per_file, rows.length - run.cursor);
    return {
      id: run.id,
      bulk_export_id: run.bulk_export_id,
      status: e.forcedRunStatus ?? run.status,
      retry_number: run.retry_number,
      errors: Object.keys(run.errors).length > 0 ? structuredClone(run.errors) : null,
      metadata: {
        prefix: dir,
        start_time: naiveUtc(run.partition.start),
        end_time: naiveUtc(run.partition.end),
        result:
          run.started_at === null
            ? null
            : {
                rows_written: run.cursor,
                exported_files: [...run.files],
                export_path: `s3://${destination?.config.bucket_name ?? ""}/${dir}/`,
                latest_cursor: cursorAt(run.cursor),
                pending_upload: pending
                  ? {
                      target_cursor: cursorAt(run.cursor + pendingRows),
                      file_path: this.fileKey(e, run, run.files.length),
                      rows_count: pendingRows,
                    }
                  : null,
              },
      },
      start_time: naiveUtc(run.started_at),
      end_time: naiveUtc(run.finished_at),
      created_at: naiveUtc(run.created_at),
      updated_at: naiveUtc(run.updated_at),
      finished_at: naiveUtc(run.finished_at),
    };
  }
}

/**
 * The exception class a newer server names in an error object's `type`: the qualified name a
 * text starts with, else the class behind the engine's own texts (Temporal, botocore, the worker).
 */
export function exceptionClassOf(text: string): string {
  const named = /^([A-Za-z_][\w.]*(?:Error|Exception|Invalid|Timeout))\b:/.exec(text);
  if (named?.[1]) return named[1];
  if (text.startsWith("An error occurred (")) return "botocore.exceptions.ClientError";
  if (text.startsWith("Activity StartToClose timeout")) return "temporalio.exceptions.TimeoutError";
  if (text.startsWith("Activity task failed")) return "temporalio.exceptions.ActivityError";
  if (text.startsWith("Worker process exited")) return "concurrent.futures.process.BrokenProcessPool";
  return "Exception";
}
