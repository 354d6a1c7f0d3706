/**
 * Everything one running simulator holds: data, clock, switches, faults, request log,
 * limiter and the cursor secret. Route handlers receive it through their context.
 */
import { randomBytes } from "node:crypto";
import { createClock, type SimClock } from "./clock.js";
import { CursorCodec } from "./cursor.js";
import { FaultRegistry } from "./faults.js";
import { RateLimiter } from "./rate-limit.js";
import { RequestLog } from "./request-log.js";
import { generateDataset } from "./seed.js";
import { SimStore } from "./store.js";

export interface SimConfig {
  rateLimits: boolean;
  aiQuery: boolean;
}

export interface SimStateOptions {
  seed: number;
  startMs: number;
  scale: number;
  config: SimConfig;
}

export class SimState {
  store: SimStore;
  readonly clock: SimClock;
  readonly config: SimConfig;
  readonly faults = new FaultRegistry();
  readonly requestLog = new RequestLog();
  readonly rateLimiter = new RateLimiter();
  cursors: CursorCodec;
  private readonly initialConfig: SimConfig;

  constructor(private readonly options: SimStateOptions) {
    this.store = new SimStore(generateDataset(options.seed, options.startMs, options.scale));
    this.clock = createClock(options.startMs);
    this.config = { ...options.config };
    this.initialConfig = { ...options.config };
    this.cursors = new CursorCodec(randomBytes(32));
  }

  /** Back to the state right after start: same data, clock, switches; no faults, empty log. */
  reset(): void {
    this.store = new SimStore(generateDataset(this.options.seed, this.options.startMs, this.options.scale));
    this.clock.setRate(1);
    this.clock.set(this.options.startMs);
    Object.assign(this.config, this.initialConfig);
    this.faults.clear();
    this.requestLog.clear();
    this.rateLimiter.clear();
    this.cursors = new CursorCodec(randomBytes(32));
  }
}
