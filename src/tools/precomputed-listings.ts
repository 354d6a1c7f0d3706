import type { Tool } from "@modelcontextprotocol/server";

/**
 * The tools/list entries of the registry computed at build time, by tool name. Empty here, so
 * tsc's output and the tests compute every listing live (listing.ts). The bundle build
 * (scripts/build-bundle.mjs) puts in this module's place the JSON it computes from the
 * registry it bundles, so the published server never converts a zod schema to JSON Schema;
 * test/e2e/bundle.test.ts checks the bundle's tools/list against the live listing.
 */
const listings: Readonly<Record<string, Tool>> = {};
export default listings;
