#!/usr/bin/env node
/**
 * Builds the interactive views (MCP Apps, src/apps/): each folder of src/apps/views/ with a
 * main.ts becomes ONE self-contained HTML page (its script and style.css bundled by esbuild and
 * inlined), written as the VIEW_HTML table of src/apps/generated/views.js (and its copy in
 * dist/, which tsc does not emit). No data is ever templated in: a view learns everything from
 * tool results. The page's Content-Security-Policy allows nothing but its own inline script and
 * style (by hash): no network, no frames, no forms.
 *
 *   node scripts/build-views.mjs           build (npm run build runs it)
 *   node scripts/build-views.mjs --sizes   build and print each page's size, raw and gzipped
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const viewsDir = join(root, "src/apps/views");
export const GENERATED = join(root, "src/apps/generated/views.js");
const DIST_COPY = join(root, "dist/src/apps/generated/views.js");

/**
 * zod (in the SDK the App class runs on) exports every locale as a namespace the views never
 * use; ~150 KB of the page. The default (English) messages are imported on their own and kept.
 */
const onlyEnglishZodLocales = {
  name: "only-english-zod-locales",
  setup(build) {
    build.onResolve({ filter: /locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${"/zod/"}`) ? { path: join(dirname(args.importer), "../locales/en.js"), namespace: "zod-en" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-en" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

/**
 * The MCP SDK's client and core packages declare no `sideEffects`, so esbuild keeps every module
 * they import (OAuth, transports, JSON Schema validators) though a view uses only the protocol
 * layer ext-apps' App runs on. Their modules only define things: marked side-effect free, the
 * unused ones are dropped (~70 KB of each page). The browser tests run the pages so built.
 */
const sdkWithoutSideEffects = {
  name: "sdk-without-side-effects",
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.resolving) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { resolving: true },
      });
      if (resolved.errors.length || !/node_modules\/@modelcontextprotocol\/(client|core)\//.test(resolved.path)) return undefined;
      return { ...resolved, sideEffects: false };
    });
  },
};

/** The views: every folder of src/apps/views/ holding a main.ts. */
export function viewNames() {
  return readdirSync(viewsDir)
    .filter((name) => existsSync(join(viewsDir, name, "main.ts")))
    .sort();
}

const sha256 = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** One view's page: bundled script and style inlined, a CSP naming exactly them. */
async function buildPage(name) {
  const common = { bundle: true, minify: true, write: false, logLevel: "silent", legalComments: "none" };
  const [js, css] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [join(viewsDir, name, "main.ts")],
      format: "iife",
      platform: "browser",
      target: "es2022",
      plugins: [onlyEnglishZodLocales, sdkWithoutSideEffects],
    }),
    esbuild.build({ ...common, entryPoints: [join(viewsDir, name, "style.css")], loader: { ".css": "css" } }),
  ]);
  // A "</script" inside the code would end the element early.
  const script = js.outputFiles[0].text.replace(/<\/(script)/gi, "<\\/$1");
  const style = css.outputFiles[0].text.replace(/<\/(style)/gi, "<\\/$1");
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    "img-src data:",
    "font-src data:",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="color-scheme" content="light dark"><title>${name}</title>` +
    `<style>${style}</style></head><body><main id="root" aria-live="polite"><p class="muted">Waiting for the tool result…</p></main>` +
    `<script>${script}</script></body></html>`
  );
}

/** Builds every view and writes the table and its dist/ copy. Returns the pages by view. */
export async function buildViews() {
  const names = viewNames();
  const pages = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await buildPage(name)])));
  const module =
    "// Generated by scripts/build-views.mjs from src/apps/views/; do not edit.\n" +
    `export const VIEW_HTML = Object.freeze(${JSON.stringify(pages)});\n`;
  for (const target of [GENERATED, DIST_COPY]) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, module);
  }
  return pages;
}

/** Whether the generated table is missing or older than a file of src/apps/views/. */
export function viewsStale() {
  if (!existsSync(GENERATED)) return true;
  const built = statSync(GENERATED).mtimeMs;
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const path = join(dir, entry.name);
      return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  return newest(viewsDir) > built;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const pages = await buildViews();
  if (process.argv.includes("--sizes")) {
    for (const [name, html] of Object.entries(pages)) {
      const bytes = Buffer.byteLength(html);
      process.stdout.write(`${name.padEnd(18)} ${String(bytes).padStart(8)} bytes  ${String(gzipSync(html).length).padStart(7)} gzip\n`);
    }
  }
}
