/**
 * Whose request it is. Without OAuth a caller is its LangSmith key (its fingerprint); with
 * OAuth it is the signed-in subject (issuer + `sub`) on that key, so two people sharing the
 * server's own key still see only their own tasks and sessions. A token with only the read
 * scope makes a read-only caller: its server offers the read tools, as --read-only does.
 */
import { fingerprintOf, type LangSmithAccess } from "./langsmith-keys.js";
import type { OAuthPass } from "./oauth/gate.js";

export interface Caller {
  /** Tasks, sessions and stateless cancellations belong to this; no secret in it. */
  owner: string;
  /** Offer only the tools that change nothing. */
  readOnly: boolean;
}

export function callerOf(access: LangSmithAccess, pass: OAuthPass | undefined): Caller {
  if (!pass) return { owner: access.fingerprint, readOnly: false };
  const subject = fingerprintOf(`${pass.subject.issuer}\n${pass.subject.subject}`);
  return { owner: `${access.fingerprint}|oauth:${subject}`, readOnly: pass.grant === "read" };
}
