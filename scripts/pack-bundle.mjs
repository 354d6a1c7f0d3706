#!/usr/bin/env node
/**
 * Packs the MCP bundle (.mcpb) for Claude Desktop: stages manifest.json, the built server
 * (dist/src), a trimmed package.json and the production dependencies only, then runs
 * `mcpb pack`. Packing the work tree directly would ship every dev dependency.
 *
 *   npm run build && node scripts/pack-bundle.mjs [output.mcpb]
 *
 * better-sqlite3 (the deletion ledger) is a native module compiled for this machine, so the
 * staged manifest declares only this platform; pack on each platform you ship to.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const output = resolve(process.argv[2] ?? join(root, `${pkg.name}-${pkg.version}.mcpb`));
const mcpbCli = join(root, "node_modules", "@anthropic-ai", "mcpb", "dist", "cli", "cli.js");

/** Per-package trims: what a package needs at run time, where it ships much more (sources, build trees). */
const RUNTIME_FILES = {
  "better-sqlite3": ["package.json", "LICENSE", "lib", "build/Release/better_sqlite3.node"],
  // The ES module build only (30 MB in all: CommonJS and TypeScript copies of every encoding).
  "gpt-tokenizer": ["package.json", "LICENSE", "esm"],
};

/** Never needed at run time, in any package. */
const SKIPPED = [/\.map$/, /\.d\.ts$/, /\.d\.mts$/, /\.d\.cts$/, /(^|\/)\.bin$/];

function fail(message) {
  process.stderr.write(`pack-bundle: ${message}\n`);
  process.exit(1);
}

if (!existsSync(join(root, "dist", "src", "main.js"))) fail("dist/src/main.js is missing; run npm run build first.");

const staging = mkdtempSync(join(tmpdir(), "langsmith-mcp-bundle-"));
try {
  // The manifest, narrowed to this platform (native module inside).
  const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
  manifest.compatibility = { ...manifest.compatibility, platforms: [process.platform] };
  writeFileSync(join(staging, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);

  const runtimePackage = {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    type: pkg.type,
    license: pkg.license,
    dependencies: pkg.dependencies,
  };
  writeFileSync(join(staging, "package.json"), `${JSON.stringify(runtimePackage, null, 2)}\n`);
  for (const file of ["README.md", "LICENSE"]) if (existsSync(join(root, file))) cpSync(join(root, file), join(staging, file));

  // The server, without tests and source maps.
  cpSync(join(root, "dist", "src"), join(staging, "dist", "src"), {
    recursive: true,
    filter: (source) => !/\.test\.js$/.test(source) && !SKIPPED.some((pattern) => pattern.test(source.split(sep).join("/"))),
  });

  // Production dependencies as npm resolved them: each package directory without its nested
  // node_modules (npm lists the nested packages separately).
  const listed = productionPackages()
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && resolve(line) !== resolve(root));
  for (const packageDir of new Set(listed)) copyPackage(packageDir);

  mkdirSync(dirname(output), { recursive: true });
  execFileSync(process.execPath, [mcpbCli, "pack", staging, output], { stdio: ["ignore", "inherit", "inherit"] });
} finally {
  rmSync(staging, { recursive: true, force: true });
}

/** `npm ls` exits non-zero over an extraneous or invalid package elsewhere in the tree; its list is still right. */
function productionPackages() {
  try {
    return execFileSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    if (typeof error.stdout === "string" && error.stdout.trim()) return error.stdout;
    throw error;
  }
}

function copyPackage(packageDir) {
  const target = join(staging, relative(root, packageDir));
  const name = relative(join(root, "node_modules"), packageDir)
    .split(sep)
    .slice(-2)
    .join("/")
    .replace(/^[^@][^/]*\//, "");
  const keep = RUNTIME_FILES[name];
  if (keep) {
    for (const entry of keep) {
      const source = join(packageDir, entry);
      if (existsSync(source)) cpSync(source, join(target, entry), { recursive: true });
    }
    return;
  }
  const nested = join(packageDir, "node_modules");
  cpSync(packageDir, target, {
    recursive: true,
    filter: (source) => source !== nested && !SKIPPED.some((pattern) => pattern.test(source.split(sep).join("/"))),
  });
}
