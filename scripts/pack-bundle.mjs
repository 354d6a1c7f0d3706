#!/usr/bin/env node
/**
 * Packs the MCP bundle (.mcpb) for Claude Desktop: stages manifest.json, the built server
 * (dist/bundle, scripts/build-bundle.mjs), a trimmed package.json and the few packages the
 * server loads from node_modules at run time (the bundle's EXTERNAL packages and what they
 * require), then runs `mcpb pack`. Everything else is inside the bundle already.
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
import { EXTERNAL } from "./build-bundle.mjs";

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
/** Dependencies used only while installing (better-sqlite3 fetches its prebuilt binary with it). */
const INSTALL_ONLY = new Set(["prebuild-install"]);

function fail(message) {
  process.stderr.write(`pack-bundle: ${message}\n`);
  process.exit(1);
}

if (!existsSync(join(root, "dist", "bundle", "main.js"))) fail("dist/bundle/main.js is missing; run npm run build first.");

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
    dependencies: Object.fromEntries(EXTERNAL.map((name) => [name, pkg.dependencies[name]])),
  };
  writeFileSync(join(staging, "package.json"), `${JSON.stringify(runtimePackage, null, 2)}\n`);
  for (const file of ["README.md", "LICENSE"]) if (existsSync(join(root, file))) cpSync(join(root, file), join(staging, file));

  // The server, with its third-party licenses; source maps stay out (the npm package has them).
  cpSync(join(root, "dist", "bundle"), join(staging, "dist", "bundle"), {
    recursive: true,
    filter: (source) => !SKIPPED.some((pattern) => pattern.test(source.split(sep).join("/"))),
  });

  for (const packageDir of runtimePackages(EXTERNAL)) copyPackage(packageDir);

  mkdirSync(dirname(output), { recursive: true });
  execFileSync(process.execPath, [mcpbCli, "pack", staging, output], { stdio: ["ignore", "inherit", "inherit"] });
} finally {
  rmSync(staging, { recursive: true, force: true });
}

/** The directories of `names` and of every package they depend on at run time, as Node would find them. */
function runtimePackages(names) {
  const found = new Set();
  const visit = (name, fromDir) => {
    if (INSTALL_ONLY.has(name)) return;
    const dir = locate(name, fromDir);
    if (!dir) return;
    if (found.has(dir)) return;
    found.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dependency, dir);
  };
  for (const name of names) {
    if (!locate(name, root)) fail(`${name} is not installed; run npm install.`);
    visit(name, root);
  }
  return [...found];
}

/** node_modules/<name> in `fromDir` or the nearest folder above it within the checkout (Node's lookup); undefined when absent. */
function locate(name, fromDir) {
  for (let dir = resolve(fromDir); dir.startsWith(resolve(root)); dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
  }
  return undefined;
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
