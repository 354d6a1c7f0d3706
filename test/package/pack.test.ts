import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

/**
 * What `npm pack` puts in the package is the product: the server and the simulator that
 * --simulator starts, compiled, with the README and the bundle manifest. Not the helpers
 * tests, demo and bench drive the simulator with, not the generator the scripts use, no
 * tests, and no source maps: they would point at src/*.ts, which is not shipped (tsc's
 * ES2022 output reads close enough to the source for a stack trace).
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

/** Files the package may hold. */
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^manifest\.json$/, /^LICENSE$/, /^dist\/src\/.+\.js$/];

/** Files under dist/src that must stay out, though the patterns above would let them in. */
const EXCLUDED = [
  /\.test\.js$/,
  /^dist\/src\/simulator\/testing\.js$/,
  /^dist\/src\/settings-docs\.js$/,
  // The views' browser code ships bundled into apps/generated/views.js (scripts/build-views.mjs); a .d.ts compiles to nothing.
  /^dist\/src\/apps\/views\//,
  /\.d\.js$/,
];

/** What the package must hold: the manifests, and every source module's compiled file except those excluded. */
function expectedFiles(): string[] {
  const sources: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) sources.push(relative(ROOT, path).split(sep).join("/"));
    }
  };
  walk(join(ROOT, "src"));
  const compiled = sources
    .map((path) => `dist/${path.replace(/\.ts$/, ".js")}`)
    .filter((path) => !EXCLUDED.some((pattern) => pattern.test(path)));
  return ["package.json", "README.md", "manifest.json", "dist/src/apps/generated/views.js", ...compiled].sort();
}

async function packedFiles(): Promise<string[]> {
  // --ignore-scripts: pack what `npm test` has just built instead of building again (prepack).
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const { stdout } = await run(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const [pack] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
  return pack!.files.map((file) => file.path).sort();
}

describe("npm pack", () => {
  it("ships the compiled server and simulator with README and manifest, and nothing else", async () => {
    expect(existsSync(join(ROOT, "dist", "src", "main.js")), "dist/src/main.js is missing: run npm run build first").toBe(true);
    const files = await packedFiles();

    const unexpected = files.filter(
      (path) => !ALLOWED.some((pattern) => pattern.test(path)) || EXCLUDED.some((pattern) => pattern.test(path)),
    );
    expect(unexpected, `files the package should not hold (fix package.json "files")`).toEqual([]);

    const missing = expectedFiles().filter((path) => !files.includes(path));
    expect(missing, 'files the package lacks (run npm run build, or fix package.json "files")').toEqual([]);

    expect(files).toEqual(expect.arrayContaining(["dist/src/main.js", "dist/src/simulator/index.js", "dist/src/settings.js"]));
  });
});
