#!/usr/bin/env node
/**
 * Regenerates manifest.json's `tools` (name + description, registry order) and `version` from
 * the built registry (dist/src/tools/index.js) and package.json, so the MCP bundle manifest
 * cannot drift from what the server registers. Everything else in the manifest is hand-written
 * and kept as is. Run after `npm run build`:
 *
 *   node scripts/update-manifest.mjs          rewrite manifest.json
 *   node scripts/update-manifest.mjs --check  exit 1 (and say what differs) if it is stale
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const manifestPath = `${root}manifest.json`;
const registryPath = `${root}dist/src/tools/index.js`;

if (!existsSync(registryPath)) {
  process.stderr.write(`update-manifest: ${registryPath} is missing; run npm run build first.\n`);
  process.exit(1);
}

const { TOOLS } = await import(pathToFileURL(registryPath).href);
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
const current = readFileSync(manifestPath, "utf8");
const manifest = JSON.parse(current);

manifest.version = pkg.version;
manifest.tools = TOOLS.map((tool) => ({ name: tool.name, description: tool.description }));
const next = `${JSON.stringify(manifest, null, 2)}\n`;

if (process.argv.includes("--check")) {
  if (next !== current) {
    process.stderr.write("manifest.json is out of date with the tool registry or package.json; run npm run manifest.\n");
    process.exit(1);
  }
  process.stdout.write("manifest.json is up to date.\n");
} else if (next !== current) {
  writeFileSync(manifestPath, next);
  process.stdout.write(`manifest.json updated: version ${manifest.version}, ${manifest.tools.length} tools.\n`);
} else {
  process.stdout.write("manifest.json already up to date.\n");
}
