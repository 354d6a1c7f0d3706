import { describe, expect, it } from "vitest";
import { metadataPair, purgeScope } from "./compliance-purge.js";

describe("compliance_purge reads its arguments as queue_deletion's", () => {
  it.each([
    ["metadata user_id is 123", "user_id=123"],
    ["user_id=123", "user_id=123"],
    ["user_id: 123", "user_id=123"],
    ['metadata email = "jane@example.com"', "email=jane@example.com"],
    ["Metadata tenant.id equals acme-7", "tenant.id=acme-7"],
  ])("reads %j as the metadata pair %s", (criteria, pair) => {
    expect(metadataPair(criteria)).toBe(pair);
  });

  it.each([
    "inputs mention jane@example.com",
    "user is jane",
    'and(eq(metadata_key, "user_id"), eq(metadata_value, "123"))',
    "user_id=123 and user_id=456",
  ])("leaves %j to a filter", (criteria) => {
    expect(metadataPair(criteria)).toBeUndefined();
  });

  it("scopes no project to the whole workspace, one to project, several (deduplicated) to projects", () => {
    expect(purgeScope(undefined)).toEqual({ all_projects: true });
    expect(purgeScope("  ")).toEqual({ all_projects: true });
    expect(purgeScope("support-bot")).toEqual({ project: "support-bot" });
    expect(purgeScope("support-bot, checkout-bot ,support-bot")).toEqual({ projects: ["support-bot", "checkout-bot"] });
  });
});
