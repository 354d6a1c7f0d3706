#!/usr/bin/env node
/**
 * Regenerates the generated parts of manifest.json from the built program, so the MCP bundle
 * manifest cannot drift from what the server registers and reads:
 *   - `version` from package.json;
 *   - `tools` (name + description, registry order) from dist/src/tools/index.js;
 *   - `user_config` and `server.mcp_config.env` from the settings table (dist/src/settings.js).
 * Everything else in the manifest is hand-written and kept as is. Run after `npm run build`:
 *
 *   node scripts/update-manifest.mjs          rewrite manifest.json
 *   node scripts/update-manifest.mjs --check  exit 1 (and say what differs) if it is stale
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const manifestPath = `${root}manifest.json`;
const registryPath = `${root}dist/src/tools/index.js`;
const settingsDocsPath = `${root}dist/src/settings-docs.js`;

for (const path of [registryPath, settingsDocsPath]) {
  if (!existsSync(path)) {
    process.stderr.write(`update-manifest: ${path} is missing; run npm run build first.\n`);
    process.exit(1);
  }
}

const { TOOLS } = await import(pathToFileURL(registryPath).href);
const { bundleEnv, bundleUserConfig } = await import(pathToFileURL(settingsDocsPath).href);
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
const current = readFileSync(manifestPath, "utf8");
const before = JSON.parse(current);
const manifest = JSON.parse(current);

manifest.version = pkg.version;
manifest.tools = TOOLS.map((tool) => ({ name: tool.name, description: tool.description }));
manifest.server.mcp_config.env = bundleEnv();
manifest.user_config = bundleUserConfig();
const next = `${JSON.stringify(manifest, null, 2)}\n`;

if (process.argv.includes("--check")) {
  if (next !== current) {
    const stale = [
      ["version", (m) => m.version],
      ["tools", (m) => m.tools],
      ["user_config", (m) => m.user_config],
      ["server.mcp_config.env", (m) => m.server?.mcp_config?.env],
    ]
      .filter(([, get]) => !isDeepStrictEqual(get(before), get(manifest)))
      .map(([name]) => name);
    process.stderr.write(
      `manifest.json is out of date (${stale.join(", ") || "formatting"}) with the tool registry, the settings table or package.json; run npm run manifest.\n`,
    );
    process.exit(1);
  }
  process.stdout.write("manifest.json is up to date.\n");
} else if (next !== current) {
  writeFileSync(manifestPath, next);
  process.stdout.write(
    `manifest.json updated: version ${manifest.version}, ${manifest.tools.length} tools, ${Object.keys(manifest.user_config).length} user_config settings.\n`,
  );
} else {
  process.stdout.write("manifest.json already up to date.\n");
}
