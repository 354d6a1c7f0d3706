/**
 * The simulator's clock. Everything time-dependent in the simulator (default query windows,
 * rate-limit windows, request-log timestamps, later the export engine) reads this clock and
 * never Date.now() directly, so tests can jump hours ahead without sleeping.
 *
 * Simulated time flows at `rate` times real time from the last anchor; rate 0 freezes it.
 */
export interface SimClock {
  /** Simulated now, epoch milliseconds. */
  now(): number;
  set(epochMs: number): void;
  advance(ms: number): void;
  setRate(multiple: number): void;
  readonly rate: number;
}

export function createClock(startMs: number, realNow: () => number = () => performance.now()): SimClock {
  let anchorSim = startMs;
  let anchorReal = realNow();
  let rate = 1;
  const now = (): number => anchorSim + (realNow() - anchorReal) * rate;
  const reanchor = (simMs: number): void => {
    anchorSim = simMs;
    anchorReal = realNow();
  };
  return {
    now: () => Math.floor(now()),
    set(epochMs: number) {
      reanchor(epochMs);
    },
    advance(ms: number) {
      reanchor(now() + ms);
    },
    setRate(multiple: number) {
      if (!Number.isFinite(multiple) || multiple < 0) throw new RangeError("clock rate must be a finite number >= 0");
      reanchor(now());
      rate = multiple;
    },
    get rate() {
      return rate;
    },
  };
}
