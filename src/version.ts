import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package version, read from package.json. Source (src/) and build (dist/src/) sit at
 * different depths, so walk up to the first package.json that is ours.
 */
function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "langsmith-mcp" && pkg.version) return pkg.version;
    } catch {
      // no package.json at this level: keep walking up
    }
    dir = dirname(dir);
  }
  return "0.0.0";
}

export const VERSION = readVersion();
export const SERVER_NAME = "langsmith-mcp";
