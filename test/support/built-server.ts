/**
 * The built server that the process harnesses spawn: the bundle `bin` runs
 * (dist/bundle/main.js, scripts/build-bundle.mjs). Found from this file whether it runs as
 * source under vitest (test/support/) or compiled for the benchmarks (dist/test/support/);
 * `npm run build` writes it.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Source layout first; the compiled layout's `../../bundle/main.js` exists only under dist/. */
const LAYOUTS = ["../../dist/bundle/main.js", "../../bundle/main.js"].map((path) => fileURLToPath(new URL(path, import.meta.url)));

export const BUILT_SERVER: string = LAYOUTS.find((path) => existsSync(path)) ?? LAYOUTS[0]!;

/** BUILT_SERVER, or an error saying how to make it. */
export function builtServer(): string {
  if (!existsSync(BUILT_SERVER)) throw new Error(`${BUILT_SERVER} is missing: run npm run build first`);
  return BUILT_SERVER;
}
