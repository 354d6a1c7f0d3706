import { setFlagsFromString } from "node:v8";

/**
 * How far V8 lets the old generation grow past what the last full collection kept, in percent,
 * before it collects again. V8's own factor (up to 4× on a default heap) lets a long scan's
 * per-call garbage pile up: RSS swung ±57–68% around its warm level in bench/scan-memory.ts with
 * nothing retained (capped at 80 MB the same scan stays within ±10%). At 30% it stayed within
 * ±14% (10%: ±10%) with the heap uncapped, so big legitimate work (verifying 100,000 ids, a large
 * export) still grows as far as Node allows, at the price of more full collections while it grows.
 */
export const HEAP_GROWING_PERCENT = 30;

/**
 * Sets V8's heap growing factor for this process, unless the user chose one on Node's command
 * line. Called first thing in main(): the flag is read at each full collection, so setting it
 * after start-up takes effect (unlike the semi-space sizes, fixed when the heap is made).
 */
export function tuneHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
