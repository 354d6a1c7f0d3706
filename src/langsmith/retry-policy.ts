/**
 * When and how long the client retries, as frozen data plus pure functions over it, so the
 * policy is tested on its own. Contract §1: only idempotent requests (GET, run queries, PATCH
 * to a target state) are retried; a POST that creates or deletes never is. No wait crosses the
 * deadline of the call (call-budget.ts): a wait that would is not slept, and the caller answers
 * at once with how long LangSmith asked it to wait.
 */
import type { NetworkErrorKind } from "./errors.js";

export interface RetryPolicy {
  /** Total attempts including the first. */
  readonly maxAttempts: number;
  /** Backoff floor and ceiling for the jittered exponential delay. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Statuses worth another try of an idempotent request. */
  readonly retryableStatuses: readonly number[];
  /** Socket failures worth another try: the request may not have reached LangSmith. */
  readonly retryableNetworkKinds: readonly NetworkErrorKind[];
  /** Wait when a 429 carries no Retry-After (the official JS SDK waits 10 s). */
  readonly defaultRetryAfterMs: number;
  /**
   * How long one request may spend waiting between its attempts when no tool call's budget
   * bounds it (a resource read, direct use of the client): the same as a call's default budget.
   */
  readonly maxWaitMs: number;
  /**
   * Extra attempts for a 2xx whose body is not valid JSON. A truncated body from a proxy or a
   * dropped connection mid-body is transient; a second bad body means the server really sends
   * garbage, so one retry is enough. Idempotent requests only, like every retry.
   */
  readonly malformedJsonRetries: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  retryableStatuses: Object.freeze([429, 502, 503, 504]),
  retryableNetworkKinds: Object.freeze<NetworkErrorKind[]>(["reset", "timeout"]),
  defaultRetryAfterMs: 10_000,
  maxWaitMs: 45_000,
  malformedJsonRetries: 1,
});

export function resolveRetryPolicy(overrides: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retryPolicy.maxAttempts must be an integer ≥ 1, got ${policy.maxAttempts}`);
  }
  if (policy.baseDelayMs < 0 || policy.maxDelayMs < policy.baseDelayMs) {
    throw new RangeError("retryPolicy needs 0 ≤ baseDelayMs ≤ maxDelayMs");
  }
  return Object.freeze(policy);
}

/** The outcome of one attempt, as far as retrying cares. */
export type AttemptOutcome =
  | { type: "status"; status: number; retryAfterMs?: number }
  | { type: "network"; kind: NetworkErrorKind }
  | { type: "malformed_json" }
  /** A well-formed body of the wrong shape: deterministic, so never retried. */
  | { type: "schema_mismatch" }
  /** A body past the size cap: the same request would bring the same body, so never retried. */
  | { type: "too_large" };

export interface RetryDecision {
  retry: boolean;
  /** How long to wait before the next attempt (0 when not retrying). */
  delayMs: number;
  /**
   * Set when a retry was due but its wait does not fit in the time left: the wait it needed.
   * A server-requested wait (Retry-After, a 429) is then reported to the agent with its length.
   */
  waitBeyondDeadlineMs?: number;
}

const NO_RETRY: RetryDecision = Object.freeze({ retry: false, delayMs: 0 });

/**
 * Full-jitter exponential backoff: the ceiling doubles per retry (base, 2·base, 4·base … up to
 * maxDelayMs) and the delay is uniform between baseDelayMs and that ceiling, so synchronized
 * clients spread out yet never hammer with a zero wait.
 * @param retryNumber 1 for the first retry.
 * @param random a value in [0, 1).
 */
export function backoffDelayMs(policy: RetryPolicy, retryNumber: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.round(policy.baseDelayMs + random * (ceiling - policy.baseDelayMs));
}

/**
 * Whether to retry after an attempt failed. A server-requested wait is honoured in full (a
 * shorter one would only meet another 429), so when it does not fit in `remainingMs` there is
 * no retry and the decision says how long LangSmith asked for.
 * @param attempt the attempt that just failed, 1-based.
 * @param malformedRetriesUsed malformed-JSON retries already spent on this request.
 * @param remainingMs time left before the call's deadline; unbounded when absent.
 */
export function decideRetry(
  policy: RetryPolicy,
  input: {
    idempotent: boolean;
    attempt: number;
    outcome: AttemptOutcome;
    malformedRetriesUsed: number;
    random: number;
    remainingMs?: number;
  },
): RetryDecision {
  const delayMs = wantedDelayMs(policy, input);
  if (delayMs === undefined) return NO_RETRY;
  if (input.remainingMs !== undefined && delayMs > input.remainingMs) return { retry: false, delayMs: 0, waitBeyondDeadlineMs: delayMs };
  return { retry: true, delayMs };
}

/** The wait before a retry, or undefined when the outcome is not worth one. */
function wantedDelayMs(
  policy: RetryPolicy,
  input: { idempotent: boolean; attempt: number; outcome: AttemptOutcome; malformedRetriesUsed: number; random: number },
): number | undefined {
  const { idempotent, attempt, outcome } = input;
  if (!idempotent || attempt >= policy.maxAttempts) return undefined;
  const backoff = backoffDelayMs(policy, attempt, input.random);
  switch (outcome.type) {
    case "status":
      if (!policy.retryableStatuses.includes(outcome.status)) return undefined;
      if (outcome.retryAfterMs !== undefined) return outcome.retryAfterMs;
      return outcome.status === 429 ? policy.defaultRetryAfterMs : backoff;
    case "network":
      return policy.retryableNetworkKinds.includes(outcome.kind) ? backoff : undefined;
    case "malformed_json":
      return input.malformedRetriesUsed < policy.malformedJsonRetries ? backoff : undefined;
    case "schema_mismatch":
    case "too_large":
      return undefined;
  }
}

/** Whether an outcome carries a wait LangSmith asked for (as opposed to our own backoff). */
export const isServerRequestedWait = (outcome: AttemptOutcome): boolean =>
  outcome.type === "status" && (outcome.retryAfterMs !== undefined || outcome.status === 429);

/**
 * Reads a Retry-After header: integer seconds or an HTTP-date (RFC 9110 §10.2.3). Returns
 * milliseconds, or undefined when absent or unreadable. A date in the past means "now".
 */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // HTTP-dates start with a day name ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse alone
  // would also accept things like "-1" as a year.
  if (!/^[A-Za-z]{3,9},\s/.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
