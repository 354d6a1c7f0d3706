import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

/**
 * What `npm pack` puts in the package is the product: the server bundle (dist/bundle: main.js
 * and the chunks it loads on demand, scripts/build-bundle.mjs) with its source maps and the
 * licenses of what it bundles, the README and the bundle manifest. No tsc output, no tests.
 * The source maps carry the sources they name, so they never point at files the package
 * does not hold.
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BUNDLE = join(ROOT, "dist", "bundle");
const run = promisify(execFile);

interface SourceMap {
  version: number;
  sources: string[];
  sourcesContent?: Array<string | null>;
}

/** Every file under dist/bundle, as package paths. */
function bundleFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(relative(ROOT, path).split(sep).join("/"));
    }
  };
  walk(BUNDLE);
  return files;
}

async function packedFiles(): Promise<string[]> {
  // --ignore-scripts: pack what `npm test` has just built instead of building again (prepack).
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const { stdout } = await run(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const [pack] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
  return pack!.files.map((file) => file.path).sort();
}

describe("npm pack", () => {
  it("ships the server bundle with its maps and licenses, README and manifest, and nothing else", async () => {
    expect(existsSync(join(BUNDLE, "main.js")), "dist/bundle/main.js is missing: run npm run build first").toBe(true);
    const files = await packedFiles();
    const expected = ["package.json", "README.md", "manifest.json", "LICENSE", ...bundleFiles()].filter(
      (path) => path !== "LICENSE" || existsSync(join(ROOT, "LICENSE")),
    );
    expect(files, 'the package must hold exactly dist/bundle and the manifests (fix package.json "files")').toEqual(expected.sort());
    expect(files).toEqual(
      expect.arrayContaining(["dist/bundle/main.js", "dist/bundle/main.js.map", "dist/bundle/THIRD-PARTY-LICENSES.txt"]),
    );
    expect(files.filter((path) => path.startsWith("dist/") && !path.startsWith("dist/bundle/"))).toEqual([]);
  });

  it("links every shipped script to a shipped map that carries the text of every source it names", () => {
    const scripts = bundleFiles().filter((path) => path.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(1);
    const sources = new Set<string>();
    for (const script of scripts) {
      const code = readFileSync(join(ROOT, script), "utf8");
      const linked = /\n\/\/# sourceMappingURL=(\S+)\s*$/.exec(code)?.[1];
      expect(linked, `${script} names no source map`).toBeDefined();
      const mapPath = posix.join(posix.dirname(script), linked!);
      expect(existsSync(join(ROOT, mapPath)), `${script} links ${mapPath}, which is not built`).toBe(true);
      const map = JSON.parse(readFileSync(join(ROOT, mapPath), "utf8")) as SourceMap;
      expect(map.sourcesContent?.length, `${mapPath} must embed its sources`).toBe(map.sources.length);
      map.sources.forEach((source, i) => {
        expect(typeof map.sourcesContent![i], `${mapPath}: no text for ${source}`).toBe("string");
        sources.add(posix.normalize(posix.join(posix.dirname(mapPath), source)));
      });
    }
    // The server's own modules are in, the simulator among them (--simulator); test helpers are not.
    expect([...sources]).toEqual(expect.arrayContaining(["src/main.ts", "src/server.ts", "src/simulator/server.ts"]));
    expect(
      [...sources].filter((source) => /\.test\.ts$|^src\/simulator\/testing\.ts$|^src\/settings-docs\.ts$|^test\//.test(source)),
    ).toEqual([]);
  });
});
