#!/usr/bin/env node
/**
 * The server as published: src/main.ts bundled by esbuild into dist/bundle/main.js (what
 * package.json `bin` and manifest.json run), with the parts only some starts need split into
 * chunks loaded on demand (dist/bundle/chunks/: the tool definitions on the first tools/call,
 * the --simulator, HTTP hosting, undici on the first LangSmith request). A cold start then
 * reads a few files where tsc's output had Node resolve, read and compile some 630 modules.
 *
 *   npm run build        (tsc first: the tool listings below come from its output)
 *   node scripts/build-bundle.mjs
 *
 * - Tool listings: the tools/list entries (JSON Schema of inputs and outputs) are computed here
 *   from the compiled registry (dist/src) and take the place of src/tools/precomputed-listings.ts,
 *   so the server never converts zod schemas at run time. test/e2e/bundle.test.ts compares the
 *   bundle's tools/list with the live listing, so a stale bundle fails there.
 * - Deferred registry: the server's registry is a list of stand-ins (name, annotations, … as
 *   data) whose definitions load, in a chunk of their own, on the first tools/call
 *   (src/tools/deferred.ts), so a start evaluates none of the tools' schemas and handlers.
 * - Outside the bundle (EXTERNAL): better-sqlite3 (a compiled .node file), pg (loaded only for a
 *   postgres:// ledger) and gpt-tokenizer's 3 MB encoding table (loaded on the first token
 *   count); they are production dependencies, resolved from node_modules at run time.
 * - Source maps (main.js.map, chunks/*.js.map) carry the sources they name (sourcesContent),
 *   so a stack trace mapped with `node --enable-source-maps` reads TypeScript without shipping src/.
 */
import * as esbuild from "esbuild";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
export const BUNDLE_DIR = join(root, "dist", "bundle");
/** Packages the bundle imports at run time instead of containing them (see above). */
export const EXTERNAL = ["better-sqlite3", "pg", "gpt-tokenizer"];

/** Bundled CommonJS packages call require() for Node's built-ins; an ES module has no require of its own. */
const REQUIRE_SHIM =
  'import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);';

/** Parts of a tool definition that stay in the real registry; everything else is plain data. */
const DEFERRED_PARTS = new Set(["inputSchema", "outputSchema", "handler"]);

/**
 * From the compiled registry: every tool's tools/list entry, by name, and its stand-in's data
 * (the definition without schemas and handler; it must survive JSON as it is).
 */
async function registryData() {
  const compiled = (path) => pathToFileURL(join(root, "dist", "src", path)).href;
  const { TOOLS } = await import(compiled("tools/index.js"));
  const { liveListing } = await import(compiled("tools/listing.js"));
  const stubs = TOOLS.map((tool) => {
    const data = Object.fromEntries(Object.entries(tool).filter(([key]) => !DEFERRED_PARTS.has(key)));
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(data)), data)) {
      throw new Error(`${tool.name}: a definition field other than ${[...DEFERRED_PARTS].join(", ")} is not plain data`);
    }
    return data;
  });
  return { listings: Object.fromEntries(TOOLS.map((tool) => [tool.name, liveListing(tool)])), stubs };
}

/**
 * The server's registry (src/server.ts imports ./tools/index.js) becomes stand-ins whose
 * `load` imports the real registry, split into a chunk of its own, on the first tools/call
 * (src/tools/deferred.ts): a start evaluates neither the tools' zod schemas nor the modules
 * only their handlers use (chrono-node, the diagnosis tables, …).
 */
const deferredRegistry = (stubs) => ({
  name: "deferred-registry",
  setup(build) {
    build.onResolve({ filter: /^\.\/tools\/index\.js$/ }, (args) =>
      args.importer === join(root, "src", "server.ts") ? { path: "deferred-registry", namespace: "generated" } : undefined,
    );
    build.onLoad({ filter: /^deferred-registry$/, namespace: "generated" }, () => ({
      resolveDir: root,
      loader: "js",
      contents: [
        "let registry;",
        'const load = (name) => (registry ??= import("./src/tools/index.ts")).then(({ TOOLS }) => TOOLS.find((tool) => tool.name === name));',
        `export const TOOLS = ${JSON.stringify(stubs)}.map((stub) => ({ ...stub, load: () => load(stub.name) }));`,
      ].join("\n"),
    }));
  },
});

/** Puts the computed listings where src/tools/precomputed-listings.ts was. */
const precomputedListings = (listings) => ({
  name: "precomputed-listings",
  setup(build) {
    build.onResolve({ filter: /\/precomputed-listings\.js$/ }, () => ({ path: "precomputed-listings", namespace: "generated" }));
    build.onLoad({ filter: /^precomputed-listings$/, namespace: "generated" }, () => ({
      contents: JSON.stringify(listings),
      loader: "json",
    }));
  },
});

/**
 * zod re-exports every translation of its error messages as `z.locales` (290 KiB, a sixth of
 * what a start would read); the server speaks English and never calls `z.config` with another
 * locale, so the bundle keeps English only (zod's default, which it imports on its own).
 */
const englishZodOnly = {
  name: "english-zod-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
    }));
  },
};

/**
 * How every bundle here is made: the server's below, and the bundled floor bench/cold-start.ts
 * compares it with, so the two get the same treatment.
 */
export const COMMON_OPTIONS = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20.11",
  // Whitespace and syntax only: V8 reads fewer bytes at startup (~7 ms of CPU less), while
  // names stay as written, in stack traces and in errors that print a class's name.
  minifyWhitespace: true,
  minifySyntax: true,
  banner: { js: REQUIRE_SHIM },
  logLevel: "warning",
  plugins: [englishZodOnly],
};

export async function buildBundle() {
  const { listings, stubs } = await registryData();
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const result = await esbuild.build({
    ...COMMON_OPTIONS,
    absWorkingDir: root,
    entryPoints: { main: "src/main.ts" },
    outdir: BUNDLE_DIR,
    chunkNames: "chunks/[name]-[hash]",
    splitting: true,
    external: EXTERNAL,
    sourcemap: "linked",
    sourcesContent: true,
    legalComments: "eof",
    metafile: true,
    plugins: [precomputedListings(listings), deferredRegistry(stubs), ...COMMON_OPTIONS.plugins],
  });
  writeFileSync(join(BUNDLE_DIR, "THIRD-PARTY-LICENSES.txt"), thirdPartyLicenses(result.metafile));
  return result;
}

/** The license texts of the packages bundled in (their MIT/ISC/BSD terms ask for the notice to travel with the code). */
function thirdPartyLicenses(metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
    if (match) packages.set(match[2], join(root, match[1]));
  }
  const sections = [...packages]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, dir]) => {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const file = readdirSync(dir).find((entry) => /^(licen[cs]e|copying)(\.|$)/i.test(entry));
      const text = file ? readFileSync(join(dir, file), "utf8").trim() : `License: ${pkg.license ?? "see the package"}`;
      return `${name}@${pkg.version} (${pkg.license ?? "unknown license"})\n\n${text}\n`;
    });
  return `Packages bundled into dist/bundle/, with their licenses.\n\n${sections.join(`\n${"-".repeat(72)}\n\n`)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const { metafile } = await buildBundle();
  const outputs = Object.entries(metafile.outputs).filter(([path]) => path.endsWith(".js"));
  const main = outputs.find(([path]) => path.endsWith("bundle/main.js"));
  const bytes = outputs.reduce((sum, [, output]) => sum + output.bytes, 0);
  process.stderr.write(
    `bundle: ${relative(root, BUNDLE_DIR)}/main.js ${(main[1].bytes / 1024).toFixed(0)} KiB, ${outputs.length} files ` +
      `${(bytes / 1024).toFixed(0)} KiB in all, in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
