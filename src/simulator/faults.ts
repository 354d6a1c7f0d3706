/**
 * Injected faults: what a flaky network, a load balancer or an overloaded LangSmith does to
 * a request. Rules are matched in creation order against method and path before routing,
 * so a fault hits even a request that would have failed auth.
 */
import { STATUS_CODES } from "node:http";
import type { Reply } from "./http.js";

/**
 * `reset` drops the connection before the request is processed, `delay` waits before processing
 * it (and drops it if the client left meanwhile); `reset_after_processing` and `slow_answer`
 * process it first, then drop the connection or answer late: the write happened and the answer
 * is lost, which is what makes a create ambiguous.
 */
export type FaultKind = "status" | "reset" | "reset_after_processing" | "delay" | "slow_answer" | "malformed_json";
export const FAULT_KINDS: readonly FaultKind[] = ["status", "reset", "reset_after_processing", "delay", "slow_answer", "malformed_json"];

export interface FaultMatch {
  method?: string;
  /** Exact path, or a prefix when it ends in `*`. */
  path?: string;
}

export interface FaultRule {
  id: string;
  match: FaultMatch;
  kind: FaultKind;
  status?: number;
  retry_after_seconds?: number;
  body?: unknown;
  delay_ms?: number;
  /** Requests still to hit; -1 = until cleared. */
  remaining: number;
}

export class FaultRegistry {
  private rules: FaultRule[] = [];
  private nextId = 1;

  add(rule: Omit<FaultRule, "id">): FaultRule {
    const stored: FaultRule = { ...rule, id: `fault_${this.nextId++}` };
    this.rules.push(stored);
    return stored;
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule matching this request, consuming one of its `times`. */
  take(method: string, path: string): FaultRule | undefined {
    const rule = this.rules.find((r) => r.remaining !== 0 && matches(r.match, method, path));
    if (!rule) return undefined;
    if (rule.remaining > 0) rule.remaining--;
    if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }
}

function matches(match: FaultMatch, method: string, path: string): boolean {
  if (match.method && match.method.toUpperCase() !== method) return false;
  if (match.path === undefined) return true;
  return match.path.endsWith("*") ? path.startsWith(match.path.slice(0, -1)) : path === match.path;
}

/** What a proxy or load balancer in front of LangSmith sends for a gateway error. */
function gatewayPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  return (
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}` +
    `</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  );
}

/** The reply of a `status` fault: the body LangSmith's edge really sends for that status. */
export function statusFaultReply(rule: FaultRule): Reply {
  const status = rule.status ?? 503;
  const headers: Record<string, string> = {};
  if (rule.retry_after_seconds !== undefined) headers["retry-after"] = String(rule.retry_after_seconds);
  if (rule.body !== undefined) {
    return typeof rule.body === "string"
      ? { status, raw: rule.body, contentType: "text/plain; charset=utf-8", headers }
      : { status, body: rule.body, headers };
  }
  if (status === 502 || status === 504) return { status, raw: gatewayPage(status), contentType: "text/html", headers };
  if (status === 429) return { status, body: { detail: "Too many requests" }, headers };
  if (status === 503) return { status, body: { detail: "Service Unavailable" }, headers };
  return { status, body: { detail: STATUS_CODES[status] ?? "Error" }, headers };
}
