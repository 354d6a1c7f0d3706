import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BUILT_SERVER } from "../support/stack.js";

function run(args: string[], env: Record<string, string>) {
  const { PATH, HOME } = process.env;
  return spawnSync(process.execPath, [BUILT_SERVER, ...args], {
    env: { PATH: PATH ?? "", HOME: HOME ?? "", ...env },
    input: "",
    encoding: "utf8",
    timeout: 20_000,
  });
}

describe("startup", () => {
  it("refuses to start without LANGSMITH_API_KEY: a clear stderr message, non-zero exit, nothing on stdout", () => {
    for (const env of [{}, { LANGSMITH_API_KEY: "" }] as Record<string, string>[]) {
      const result = run([], env);
      expect(result.status).not.toBe(0);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("LANGSMITH_API_KEY is not set");
      expect(result.stderr).toContain("--simulator");
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("rejects an unknown flag and a malformed workspace id without echoing the key", () => {
    const key = "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";
    const flag = run(["--frobnicate"], { LANGSMITH_API_KEY: key });
    expect(flag.status).not.toBe(0);
    expect(flag.stderr).toMatch(/frobnicate/);
    const workspace = run([], { LANGSMITH_API_KEY: key, LANGSMITH_WORKSPACE_ID: "prod" });
    expect(workspace.status).not.toBe(0);
    expect(workspace.stderr).toContain("LANGSMITH_WORKSPACE_ID");
    for (const r of [flag, workspace]) {
      expect(r.stdout).toBe("");
      expect(r.stderr).not.toContain(key);
    }
  });

  it("prints usage on --help to stderr and exits 0", () => {
    const result = run(["--help"], {});
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("--simulator");
  });
});
