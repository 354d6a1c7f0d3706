/**
 * The bundle `bin` runs (dist/bundle/main.js, scripts/build-bundle.mjs) against the source it
 * was built from: its tools/list (computed at build time) is the registry's live listing, so a
 * stale bundle fails here; a tool's definition, deferred at startup, loads on its first call;
 * and a start serves tools/list without opening the deletion ledger or loading the native
 * SQLite module, which the first deletion tool call does.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { APP_VIEWS, toolUiMeta } from "../../src/apps/index.js";
import { TOOLS } from "../../src/tools/index.js";
import { liveListing } from "../../src/tools/listing.js";
import { startStack, textOf, type Stack } from "../support/stack.js";

const open: Stack[] = [];
afterEach(async () => {
  for (const stack of open.splice(0)) await stack.close();
});

/** Whether the process has the native SQLite module mapped (Linux: /proc/<pid>/maps); undefined elsewhere. */
function nativeSqliteLoaded(pid: number | null): boolean | undefined {
  if (pid === null || !existsSync(`/proc/${pid}/maps`)) return undefined;
  return readFileSync(`/proc/${pid}/maps`, "utf8").includes("better_sqlite3.node");
}

describe("the built bundle", () => {
  it("lists exactly the registry's live listing (precomputed at build time; rebuild when this fails)", async () => {
    const stack = await startStack({ sim: { scale: 0.05 } });
    open.push(stack);
    const { tools } = await stack.client.listTools();
    // The views' _meta (src/apps) is added when tools are listed, not precomputed: it depends on --no-apps.
    const views = new Map(APP_VIEWS.map((view) => [view.tool, toolUiMeta(view)]));
    const live = TOOLS.map((tool) => ({
      ...(views.has(tool.name) && { _meta: views.get(tool.name) }),
      ...liveListing(tool),
      ...(tool.task && { execution: { taskSupport: "optional" } }),
    }));
    expect(tools, "dist/bundle is stale: run npm run build").toEqual(live);
  });

  it("loads a tool's definition on its first call: its schema checks the arguments, its handler answers", async () => {
    const stack = await startStack({ sim: { scale: 0.05 } });
    open.push(stack);
    const wrong = await stack.call("list_projects", { limt: 1 });
    expect(wrong.isError).toBe(true);
    expect(textOf(wrong)).toContain("limt");
    const right = await stack.call("list_projects", { limit: 1 });
    expect(right.isError, textOf(right)).toBeFalsy();
    expect((right.structuredContent as { projects: unknown[] }).projects).toHaveLength(1);
  });

  it("opens the ledger on the first deletion tool call, not at startup", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "ledger-lazy-")), "ledger.sqlite");
    const stack = await startStack({ sim: { scale: 0.05 }, args: ["--ledger", path] });
    open.push(stack);
    await stack.client.listTools();
    const projects = await stack.call("list_projects", { limit: 1 });
    expect(projects.isError, textOf(projects)).toBeFalsy();
    expect(existsSync(path), "a read tool must not create the ledger").toBe(false);
    const before = nativeSqliteLoaded(stack.pid());
    if (before !== undefined) expect(before, "better-sqlite3 loaded before any deletion tool").toBe(false);

    const listed = await stack.call("list_deletions");
    expect(listed.isError, textOf(listed)).toBeFalsy();
    expect(existsSync(path)).toBe(true);
    if (before !== undefined) expect(nativeSqliteLoaded(stack.pid())).toBe(true);
  });
});
