import { describe, expect, it } from "vitest";
import {
  type AttemptOutcome,
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  isServerRequestedWait,
  parseRetryAfter,
  resolveRetryPolicy,
} from "./retry-policy.js";

const policy = DEFAULT_RETRY_POLICY;
const decide = (
  outcome: AttemptOutcome,
  over: Partial<{ idempotent: boolean; attempt: number; malformedRetriesUsed: number; random: number; remainingMs: number }> = {},
) => decideRetry(policy, { idempotent: true, attempt: 1, malformedRetriesUsed: 0, random: 0, ...over, outcome });

describe("DEFAULT_RETRY_POLICY", () => {
  it("is frozen data: 4 attempts, 429/502/503/504, resets and timeouts, one malformed-JSON retry", () => {
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.retryableStatuses)).toBe(true);
    expect(policy).toMatchObject({
      maxAttempts: 4,
      retryableStatuses: [429, 502, 503, 504],
      retryableNetworkKinds: ["reset", "timeout"],
      defaultRetryAfterMs: 10_000,
      maxWaitMs: 45_000,
      malformedJsonRetries: 1,
    });
  });

  it("rejects nonsensical overrides", () => {
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow(RangeError);
    expect(() => resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 10 })).toThrow(RangeError);
    expect(resolveRetryPolicy({ maxAttempts: 2 })).toMatchObject({ maxAttempts: 2, baseDelayMs: policy.baseDelayMs });
  });
});

describe("backoffDelayMs", () => {
  it("doubles the ceiling per retry up to maxDelayMs, never below baseDelayMs", () => {
    const p = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 });
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(p, n, 0.999999))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([1, 2, 3, 6].map((n) => backoffDelayMs(p, n, 0))).toEqual([100, 100, 100, 100]);
    expect(backoffDelayMs(p, 3, 0.5)).toBe(250);
  });
});

describe("decideRetry", () => {
  it.each([429, 502, 503, 504])("retries %i on an idempotent request", (status) => {
    expect(decide({ type: "status", status }).retry).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 422, 500, 501])("does not retry %i", (status) => {
    expect(decide({ type: "status", status })).toEqual({ retry: false, delayMs: 0 });
  });

  it("never retries a non-idempotent request, whatever happened", () => {
    for (const outcome of [
      { type: "status", status: 503 },
      { type: "status", status: 429, retryAfterMs: 1000 },
      { type: "network", kind: "reset" },
      { type: "malformed_json" },
    ] as AttemptOutcome[]) {
      expect(decide(outcome, { idempotent: false }).retry).toBe(false);
    }
  });

  it("stops at maxAttempts", () => {
    expect(decide({ type: "status", status: 503 }, { attempt: 3 }).retry).toBe(true);
    expect(decide({ type: "status", status: 503 }, { attempt: 4 }).retry).toBe(false);
  });

  it("waits what Retry-After says, and 10 s when it is absent", () => {
    expect(decide({ type: "status", status: 429, retryAfterMs: 3000 })).toEqual({ retry: true, delayMs: 3000 });
    expect(decide({ type: "status", status: 429 })).toEqual({ retry: true, delayMs: 10_000 });
    expect(decide({ type: "status", status: 503, retryAfterMs: 2000 })).toEqual({ retry: true, delayMs: 2000 });
  });

  it("does not sleep past the call's deadline: a longer wait is reported with its length instead", () => {
    expect(decide({ type: "status", status: 429, retryAfterMs: 3000 }, { remainingMs: 3000 })).toEqual({ retry: true, delayMs: 3000 });
    expect(decide({ type: "status", status: 429, retryAfterMs: 120_000 }, { remainingMs: 45_000 })).toEqual({
      retry: false,
      delayMs: 0,
      waitBeyondDeadlineMs: 120_000,
    });
    expect(decide({ type: "status", status: 429 }, { remainingMs: 4000 })).toEqual({
      retry: false,
      delayMs: 0,
      waitBeyondDeadlineMs: 10_000,
    });
    expect(decide({ type: "status", status: 503 }, { remainingMs: 0, random: 0 })).toEqual({
      retry: false,
      delayMs: 0,
      waitBeyondDeadlineMs: 500,
    });
  });

  it("tells a wait LangSmith asked for from its own backoff", () => {
    expect(isServerRequestedWait({ type: "status", status: 429 })).toBe(true);
    expect(isServerRequestedWait({ type: "status", status: 503, retryAfterMs: 5000 })).toBe(true);
    expect(isServerRequestedWait({ type: "status", status: 503 })).toBe(false);
    expect(isServerRequestedWait({ type: "network", kind: "reset" })).toBe(false);
  });

  it("backs off with jitter on 5xx and network failures", () => {
    expect(decide({ type: "status", status: 503 }, { attempt: 2, random: 0.5 })).toEqual({ retry: true, delayMs: 750 });
    expect(decide({ type: "network", kind: "timeout" }, { random: 0 })).toEqual({ retry: true, delayMs: 500 });
  });

  it("retries resets and timeouts but not refused, DNS or aborted connections", () => {
    expect(decide({ type: "network", kind: "reset" }).retry).toBe(true);
    expect(decide({ type: "network", kind: "timeout" }).retry).toBe(true);
    expect(decide({ type: "network", kind: "refused" }).retry).toBe(false);
    expect(decide({ type: "network", kind: "dns" }).retry).toBe(false);
    expect(decide({ type: "network", kind: "aborted" }).retry).toBe(false);
  });

  it("retries malformed JSON once, and never a schema mismatch", () => {
    expect(decide({ type: "malformed_json" }).retry).toBe(true);
    expect(decide({ type: "malformed_json" }, { attempt: 2, malformedRetriesUsed: 1 }).retry).toBe(false);
    expect(decide({ type: "schema_mismatch" }).retry).toBe(false);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-25T17:00:00Z");
  it("reads integer seconds", () => {
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter(["2", "9"], now)).toBe(2000);
  });
  it("reads an HTTP-date relative to now, and a past date as zero", () => {
    expect(parseRetryAfter("Wed, 25 Nov 2026 17:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 25 Nov 2026 16:00:00 GMT", now)).toBe(0);
  });
  it("ignores absent or unreadable values", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-1", now)).toBeUndefined();
  });
});
