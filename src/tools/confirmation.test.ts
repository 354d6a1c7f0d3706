import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UserInputError } from "../errors.js";
import { ConfirmationTokens, stableJson } from "./confirmation.js";

const KEY = Buffer.alloc(32, 7);

describe("confirmation tokens", () => {
  it("accepts a token for exactly the plan it was issued for", () => {
    const tokens = new ConfirmationTokens(KEY, () => 1_000);
    const { token } = tokens.issue("cancel_export", { export_id: "a", n: 1 });
    expect(() => tokens.verify(token, "cancel_export", { n: 1, export_id: "a" })).not.toThrow();
  });

  it("refuses a token for another target, another action, another server key, or after expiry", () => {
    let now = 1_000;
    const tokens = new ConfirmationTokens(KEY, () => now, 60_000);
    const { token } = tokens.issue("cancel_export", { export_id: "a" });
    expect(() => tokens.verify(token, "cancel_export", { export_id: "b" })).toThrow(/different target/);
    expect(() => tokens.verify(token, "queue_deletion", { export_id: "a" })).toThrow(UserInputError);
    expect(() => new ConfirmationTokens(Buffer.alloc(32, 8), () => now).verify(token, "cancel_export", { export_id: "a" })).toThrow(
      UserInputError,
    );
    now += 60_001;
    expect(() => tokens.verify(token, "cancel_export", { export_id: "a" })).toThrow(/expired/);
  });

  it("is honoured by every process holding the same --confirmation-secret, and by no other", async () => {
    const secret = "a-shared-secret-of-at-least-32-characters";
    const issued = ConfirmationTokens.fromSecret(secret, () => 1_000).issue("queue_deletion", { ids: ["x"] });
    expect(() => ConfirmationTokens.fromSecret(secret, () => 1_000).verify(issued.token, "queue_deletion", { ids: ["x"] })).not.toThrow();
    expect(() => ConfirmationTokens.fromSecret(`${secret}!`, () => 1_000).verify(issued.token, "queue_deletion", { ids: ["x"] })).toThrow(
      /replicas must share --confirmation-secret/,
    );
    // Without a secret each process has its own key.
    const own = ConfirmationTokens.fromSecret(undefined, () => 1_000).issue("queue_deletion", { ids: ["x"] });
    expect(() => ConfirmationTokens.fromSecret(undefined, () => 1_000).verify(own.token, "queue_deletion", { ids: ["x"] })).toThrow(
      UserInputError,
    );
  });

  it("names the field and never throws anything but a UserInputError on junk", () => {
    const tokens = new ConfirmationTokens(KEY);
    fc.assert(
      fc.property(fc.string(), (junk) => {
        try {
          tokens.verify(junk, "x", {});
          return false;
        } catch (error) {
          return error instanceof UserInputError && error.field === "confirmation_token";
        }
      }),
    );
  });

  it("hashes plans independently of key order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (plan) => {
        const reversed = Object.fromEntries(Object.entries(plan).reverse());
        return stableJson(plan) === stableJson(reversed);
      }),
    );
  });
});
