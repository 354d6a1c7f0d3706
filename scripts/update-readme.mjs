#!/usr/bin/env node
/**
 * Regenerates README.md's settings tables (between `<!-- settings:<name>:start -->` and
 * `<!-- settings:<name>:end -->`) from the settings table in src/settings.ts, as built in
 * dist/src/settings-docs.js. Run after `npm run build` (or use `npm run readme`):
 *
 *   node scripts/update-readme.mjs          rewrite README.md
 *   node scripts/update-readme.mjs --check  exit 1 if it is stale
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const readmePath = `${root}README.md`;
const settingsDocsPath = `${root}dist/src/settings-docs.js`;

if (!existsSync(settingsDocsPath)) {
  process.stderr.write(`update-readme: ${settingsDocsPath} is missing; run npm run build first.\n`);
  process.exit(1);
}

const { renderReadme } = await import(pathToFileURL(settingsDocsPath).href);
const current = readFileSync(readmePath, "utf8");
const next = renderReadme(current);

if (process.argv.includes("--check")) {
  if (next !== current) {
    process.stderr.write("README.md's settings tables are out of date with src/settings.ts; run npm run readme.\n");
    process.exit(1);
  }
  process.stdout.write("README.md's settings tables are up to date.\n");
} else if (next !== current) {
  writeFileSync(readmePath, next);
  process.stdout.write("README.md's settings tables updated.\n");
} else {
  process.stdout.write("README.md's settings tables already up to date.\n");
}
