import { describe, expect, it } from "vitest";
import { callerOf } from "./caller.js";
import type { LangSmithAccess } from "./langsmith-keys.js";

const access = { fingerprint: "key-fingerprint" } as LangSmithAccess;
const pass = (issuer: string, subject: string, grant: "read" | "write") => ({ ok: true as const, subject: { issuer, subject }, grant });

describe("callerOf: whose request it is", () => {
  it("is the LangSmith key without OAuth, free to use every offered tool", () => {
    expect(callerOf(access, undefined)).toEqual({ owner: "key-fingerprint", readOnly: false });
  });

  it("with OAuth, tells apart two users on one key, and the same subject at two issuers", () => {
    const alice = callerOf(access, pass("https://idp.example", "alice", "write"));
    const bob = callerOf(access, pass("https://idp.example", "bob", "write"));
    const otherAlice = callerOf(access, pass("https://other-idp.example", "alice", "write"));
    expect(new Set([alice.owner, bob.owner, otherAlice.owner, "key-fingerprint"]).size).toBe(4);
    expect(alice.owner.startsWith("key-fingerprint|oauth:")).toBe(true);
    expect(alice.owner).not.toContain("alice");
    expect(callerOf(access, pass("https://idp.example", "alice", "read"))).toEqual({ owner: alice.owner, readOnly: true });
  });
});
