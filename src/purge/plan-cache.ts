/**
 * Plans shown to the user, kept until their confirmation: the confirming call then queues the
 * very plan the user saw instead of discovering it again (for 100,000 traces, another hundred
 * rate-limited queries). Keyed by the token and the request, so a confirmation that comes
 * with other criteria is planned afresh (and then refused by the token's binding). In memory,
 * bounded, expiring with the token: a miss only costs a re-discovery.
 */
import { createHash } from "node:crypto";
import type { PurgePlan, PurgeRequest } from "./plan.js";

const MAX_PLANS = 8;
const TTL_MS = 15 * 60_000;

const plans = new Map<string, { plan: PurgePlan; at: number }>();

const keyOf = (token: string, request: PurgeRequest): string => {
  const { ...criteria } = request as Record<string, unknown>;
  delete criteria["confirmation_token"];
  return createHash("sha256")
    .update(token)
    .update("\n")
    .update(JSON.stringify(criteria, Object.keys(criteria).sort()))
    .digest("hex");
};

export function rememberPlan(token: string, request: PurgeRequest, plan: PurgePlan, now = Date.now()): void {
  for (const [key, entry] of plans) if (now - entry.at > TTL_MS) plans.delete(key);
  while (plans.size >= MAX_PLANS) plans.delete(plans.keys().next().value!);
  plans.set(keyOf(token, request), { plan, at: now });
}

/** The remembered plan, removed from the cache (a token queues once). */
export function takePlan(token: string, request: PurgeRequest, now = Date.now()): PurgePlan | undefined {
  const key = keyOf(token, request);
  const entry = plans.get(key);
  plans.delete(key);
  return entry && now - entry.at <= TTL_MS ? entry.plan : undefined;
}
