import type { ElicitResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PROTOCOLS, startInMemoryStack, type InMemoryStack } from "../support/in-memory.js";
import { textOf } from "../support/stack.js";

const purgeArgs = { project: "support-bot", start_time: "30d", filter: 'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))' };

/**
 * A destructive tool asks the user in the client's own dialog where the client can show one:
 * at 2026-07-28 as an input-required result (the client answers and retries the call), at
 * 2025-11-25 as elicitation on the live connection. The agent never sees a token it could
 * use to confirm by itself; a client without a dialog gets the token path.
 */
describe.each(PROTOCOLS)("confirmation in the client's dialog at %s", (protocol) => {
  let stack: InMemoryStack;
  let answer: ElicitResult;
  const asked: string[] = [];

  beforeAll(async () => {
    stack = await startInMemoryStack({
      protocol,
      clientOptions: { capabilities: { elicitation: {} } },
      setup: (client) =>
        client.setRequestHandler("elicitation/create", (request) => {
          asked.push(String(request.params.message));
          return answer;
        }),
    });
  });
  beforeEach(() => {
    asked.length = 0;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("speaks the protocol version under test", () => {
    expect(stack.client.getNegotiatedProtocolVersion()).toBe(protocol);
  });

  it("a declined purge queues and records nothing, and hands the agent no token", async () => {
    answer = { action: "decline" };
    const result = await stack.call("queue_deletion", purgeArgs);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/permanently delete \d+ trace\(s\) .* from support-bot/);
    expect(result.structuredContent).toMatchObject({ status: "declined" });
    expect((result.structuredContent as Record<string, unknown>).confirmation_token).toBeUndefined();
    expect(await stack.ledger.listPurges()).toHaveLength(0);
  });

  it("an unticked box counts as a no", async () => {
    answer = { action: "accept", content: { confirm: false } };
    const result = await stack.call("queue_deletion", purgeArgs);
    expect(result.structuredContent).toMatchObject({ status: "declined" });
    expect(await stack.ledger.listPurges()).toHaveLength(0);
  });

  it("an accepted purge is queued in the same call and recorded in the ledger", async () => {
    answer = { action: "accept", content: { confirm: true } };
    const result = await stack.call("queue_deletion", purgeArgs);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(result.structuredContent).toMatchObject({ status: "queued" });
    expect(await stack.ledger.listPurges()).toHaveLength(1);
  });
});

describe.each(PROTOCOLS)("confirmation without a dialog at %s", (protocol) => {
  let stack: InMemoryStack;

  beforeAll(async () => {
    stack = await startInMemoryStack({ protocol });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("returns the plan with a confirmation token, and acts only on a second call carrying it", async () => {
    const first = await stack.call("queue_deletion", purgeArgs);
    expect(first.isError, textOf(first)).toBeFalsy();
    const token = (first.structuredContent as { confirmation_token?: string }).confirmation_token;
    expect(token).toEqual(expect.any(String));
    expect(await stack.ledger.listPurges()).toHaveLength(0);
    const second = await stack.call("queue_deletion", { ...purgeArgs, confirmation_token: token });
    expect(second.isError, textOf(second)).toBeFalsy();
    expect(second.structuredContent).toMatchObject({ status: "queued" });
  });
});
