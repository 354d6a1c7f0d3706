/**
 * Everything one running simulator holds: data, clock, switches, faults, request log,
 * limiter, the cursor secret, and the bulk export world (object store, destinations,
 * exports, export faults). Route handlers receive it through their context.
 */
import { randomBytes } from "node:crypto";
import { createClock, type SimClock } from "./clock.js";
import { CursorCodec } from "./cursor.js";
import { DeletionQueue } from "./deletion-queue.js";
import { ExportEngine } from "./export-engine.js";
import { ExportFaultRegistry } from "./export-faults.js";
import type { ExportLimits } from "./export-limits.js";
import { FaultRegistry } from "./faults.js";
import { seedObjectStore, type ObjectStore, type SeededStorage } from "./object-store.js";
import { Prng } from "./prng.js";
import { RateLimiter } from "./rate-limit.js";
import { RequestLog } from "./request-log.js";
import { generateDataset } from "./seed.js";
import { SimStore } from "./store.js";

/** `has_more` on v2 run queries: always present, or never (paging on `next_cursor` alone). */
export type V2HasMore = "always" | "never";

export interface SimConfig {
  rateLimits: boolean;
  aiQuery: boolean;
  /** Self-hosted install: destinations may omit credentials (environment credentials, IRSA). */
  selfHosted: boolean;
  exports: ExportLimits;
  /** The organization's plan: audit logs need "enterprise" (contract §5). */
  plan: "plus" | "enterprise";
  /** The LangSmith version `/info` reports; below 0.16.0 there is no v2 API. */
  langsmithVersion: string;
  /** Write export run errors as objects, as newer servers do. */
  exportRunErrorsAsObjects: boolean;
  v2HasMore: V2HasMore;
}

export interface SimStateOptions {
  seed: number;
  startMs: number;
  scale: number;
  config: SimConfig;
  /** The real clock the simulated one runs on (milliseconds); a seam for tests. Default performance.now. */
  realNow?: () => number;
}

export class SimState {
  store: SimStore;
  readonly clock: SimClock;
  readonly config: SimConfig;
  readonly faults = new FaultRegistry();
  readonly requestLog = new RequestLog();
  readonly rateLimiter = new RateLimiter();
  cursors: CursorCodec;
  objectStore: ObjectStore;
  /** The seeded buckets and credentials (the same after a reset). */
  readonly storage: SeededStorage;
  exportFaults: ExportFaultRegistry;
  exports: ExportEngine;
  /** Queued run deletions, purged by the weekend batch on the sim clock. */
  deletions: DeletionQueue;
  /** A workspace key without WORKSPACES_MANAGE (reads only). */
  readonly readOnlyApiKey: string;
  /** A full workspace key of the second workspace ("EU Team"): another tenant of the same organization. */
  readonly secondWorkspaceApiKey: string;
  private readonly initialConfig: SimConfig;

  constructor(private readonly options: SimStateOptions) {
    this.store = new SimStore(generateDataset(options.seed, options.startMs, options.scale));
    this.clock = createClock(options.startMs, options.realNow);
    this.config = { ...options.config, exports: { ...options.config.exports } };
    this.initialConfig = { ...options.config, exports: { ...options.config.exports } };
    this.cursors = new CursorCodec(randomBytes(32));
    const keyRng = new Prng((options.seed ^ 0x7ead0417) >>> 0);
    this.readOnlyApiKey = `lsv2_pt_${keyRng.hex(32)}_${keyRng.hex(10)}`;
    this.secondWorkspaceApiKey = `lsv2_pt_${keyRng.hex(32)}_${keyRng.hex(10)}`;
    const world = seedObjectStore(options.seed, options.startMs);
    this.objectStore = world.store;
    this.storage = world.seeded;
    this.exportFaults = new ExportFaultRegistry();
    this.exports = this.newEngine();
    this.deletions = new DeletionQueue(() => this.store);
  }

  /** Back to the state right after start: same data, clock, switches; no faults, empty log, no exports. */
  reset(): void {
    this.store = new SimStore(generateDataset(this.options.seed, this.options.startMs, this.options.scale));
    this.clock.setRate(1);
    this.clock.set(this.options.startMs);
    Object.assign(this.config, this.initialConfig, { exports: { ...this.initialConfig.exports } });
    this.faults.clear();
    this.requestLog.clear();
    this.rateLimiter.clear();
    this.cursors = new CursorCodec(randomBytes(32));
    this.objectStore = seedObjectStore(this.options.seed, this.options.startMs).store;
    this.exportFaults = new ExportFaultRegistry();
    this.exports = this.newEngine();
    this.deletions = new DeletionQueue(() => this.store);
  }

  private newEngine(): ExportEngine {
    return new ExportEngine({
      store: () => this.store,
      objects: () => this.objectStore,
      limits: () => this.config.exports,
      rng: new Prng((this.options.seed ^ 0x0e4b0e47) >>> 0),
      faults: this.exportFaults,
      errorsAsObjects: () => this.config.exportRunErrorsAsObjects,
    });
  }
}
