/**
 * LangSmith's documented per-key rate limits (contract §1), enforced over sliding windows
 * on the simulated clock so a test can exhaust a window and then advance past it.
 */
import type { RateClass } from "./router.js";

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export const RATE_LIMITS: Readonly<Record<RateClass, RateLimit>> = Object.freeze({
  runs_query: { limit: 15, windowMs: 10_000 },
  run_read: { limit: 30, windowMs: 60_000 },
  default: { limit: 1000, windowMs: 10_000 },
});

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  /** Counts the request; returns seconds to wait when it is over the limit (not counted then). */
  check(apiKey: string, rateClass: RateClass, nowMs: number): { retryAfterSeconds: number } | null {
    const { limit, windowMs } = RATE_LIMITS[rateClass];
    const key = `${rateClass}\u0000${apiKey}`;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > nowMs - windowMs && t <= nowMs);
    if (recent.length >= limit) {
      this.hits.set(key, recent);
      const oldest = recent[0] as number;
      return { retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - nowMs) / 1000)) };
    }
    recent.push(nowMs);
    this.hits.set(key, recent);
    return null;
  }

  clear(): void {
    this.hits.clear();
  }
}
