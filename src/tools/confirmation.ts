import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createRequestStateCodec, type RequestStateCodec } from "@modelcontextprotocol/server";
import { UserInputError } from "../errors.js";

/**
 * Two-step confirmation for destructive actions (cancel, credential rotation, deletion).
 * The first call shows the plan and returns a token; only a second call carrying that token
 * acts. The token is an HMAC over the action and a digest of exactly what was shown, with an
 * expiry, so it cannot be replayed for a different target, different arguments or later.
 * Nothing is stored to check one: the token carries its own expiry and is checked by
 * recomputation, so any replica holding the same key (`--confirmation-secret`) verifies a
 * token another issued. A purge token is also single use: the ledger records its digest with
 * the purge it queued (unique), shared by replicas on a Postgres ledger.
 */
const DEFAULT_TTL_MS = 10 * 60_000;

export class ConfirmationTokens {
  private readonly key: Buffer;
  /**
   * Seals the requestState of a confirmation dialog (2026-07-28 input-required rounds): the
   * client echoes it back, so only a signature from this key (shared by every per-request
   * server) proves which plan the answer was given to.
   */
  readonly stateCodec: RequestStateCodec<AskState>;

  constructor(
    key: Buffer = randomBytes(32),
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = DEFAULT_TTL_MS,
  ) {
    this.key = key;
    this.stateCodec = createRequestStateCodec<AskState>({
      key: createHmac("sha256", key).update("request-state").digest(),
      ttlSeconds: Math.ceil(ttlMs / 1000),
    });
  }

  /**
   * Tokens signed with a key derived from `secret` (`--confirmation-secret`), so every replica
   * given the same secret honours the others' tokens; a random key per process without one.
   */
  static fromSecret(secret: string | undefined, now?: () => number): ConfirmationTokens {
    const key = secret === undefined ? randomBytes(32) : createHmac("sha256", "langsmith-mcp confirmation key").update(secret).digest();
    return new ConfirmationTokens(key, now);
  }

  /** A token for `action` on exactly `plan` (any JSON value; hashed, never embedded). */
  issue(action: string, plan: unknown): { token: string; expires_at: string } {
    const expires = this.now() + this.ttlMs;
    const token = `${expires.toString(36)}.${this.sign(action, plan, expires)}`;
    return { token, expires_at: new Date(expires).toISOString() };
  }

  /** Throws a UserInputError naming `field` unless `token` was issued for this action and plan. */
  verify(token: string, action: string, plan: unknown, field = "confirmation_token"): void {
    const [expiresText, signature] = token.split(".");
    const expires = expiresText ? parseInt(expiresText, 36) : NaN;
    if (!signature || !Number.isFinite(expires)) {
      throw new UserInputError(
        field,
        "is not a confirmation token this server issued.",
        "Call the tool without confirmation_token first to see the plan and get a token.",
      );
    }
    const expected = Buffer.from(this.sign(action, plan, expires));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new UserInputError(
        field,
        "does not match this request: it was issued for a different target or different arguments, or by another server instance " +
          "(replicas must share --confirmation-secret).",
        "Call again without confirmation_token to see the current plan and get a fresh token for it.",
      );
    }
    if (this.now() > expires) {
      throw new UserInputError(
        field,
        `expired at ${new Date(expires).toISOString()}.`,
        "Call again without confirmation_token to review the plan and get a fresh token.",
      );
    }
  }

  private sign(action: string, plan: unknown, expires: number): string {
    const digest = createHash("sha256").update(stableJson(plan)).digest("base64url");
    return createHmac("sha256", this.key).update(`${action}\n${expires}\n${digest}`).digest("base64url").slice(0, 32);
  }
}

/** JSON with sorted keys, so equal plans hash equally whatever their key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** What a confirmation dialog's requestState carries: which plan was put to the user. */
export interface AskState {
  digest: string;
}

/** Names exactly the plan `message` shows for `tool`, so an answer cannot be moved to another plan. */
export function digestOf(tool: string, message: string): string {
  return createHash("sha256").update(`${tool}\n${message}`).digest("base64url");
}

/** What the user said in the client's own confirmation dialog (MCP elicitation). */
export type UserAnswer = "accepted" | "declined" | "unavailable";

export type ConfirmationDecision =
  | { kind: "token"; token: string; expires_at: string }
  | { kind: "accepted"; token: string }
  | { kind: "declined" };

/**
 * The first call of a destructive tool. Where the client can ask its user (elicitation), the
 * user confirms or declines the plan right there, and the agent cannot answer for them; where
 * it cannot, the plan goes back with a token for a second call. Either way the token binds
 * exactly this plan (an accepted plan gets one too, e.g. for the ledger's record).
 */
export async function decide(
  confirmations: ConfirmationTokens,
  askUser: (message: string, binding: unknown) => Promise<UserAnswer>,
  action: string,
  plan: unknown,
  message: string,
): Promise<ConfirmationDecision> {
  // The answer is bound to what the token would bind (the plan), not to the wording: a plan's
  // text may say "until now", and must not make a re-sent answer look like another plan.
  const answer = await askUser(message, { action, plan });
  if (answer === "declined") return { kind: "declined" };
  const issued = confirmations.issue(action, plan);
  return answer === "accepted" ? { kind: "accepted", token: issued.token } : { kind: "token", ...issued };
}

/** What the client's dialog answered (an MCP `elicitation/create` result). */
export interface DialogResult {
  action: "accept" | "decline" | "cancel";
  content?: Record<string, unknown>;
}

/**
 * Only an accepted form with the box ticked (`confirm: true`) is a yes. A decline, a dismissal
 * (cancel), an accepted form without the box ticked, or with anything else in it, is a no: the
 * user was asked and did not agree, so the agent gets no token to agree for them.
 */
export function answerFromDialog(result: DialogResult): UserAnswer {
  return result.action === "accept" && result.content?.confirm === true ? "accepted" : "declined";
}
