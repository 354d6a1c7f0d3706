/**
 * Where a server's main thread spent its time, from a V8 CPU profile (`node --cpu-prof`): each
 * sample's time goes to the part of the code its innermost frame belongs to (JSON.parse and
 * other builtins count for the function that called them). Only samples inside a window of
 * CLOCK_MONOTONIC microseconds count, so start-up and warm-up stay out: V8 stamps samples with
 * the same monotonic clock `process.hrtime` reads, in any process on the machine.
 */
import { readFileSync } from "node:fs";

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A part of the code: the first whose `match` takes a frame's url and function name gets its samples. */
export interface CodePart {
  name: string;
  match: (url: string, functionName: string) => boolean;
}

/** The monotonic clock in microseconds, as V8 stamps profile samples. */
export const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * Busy milliseconds per part within [fromMicros, toMicros]; frames no part takes go to "other",
 * idle time to none. Throws when the file is not a CPU profile.
 */
export function busyByPart(path: string, parts: readonly CodePart[], fromMicros: number, toMicros: number): Map<string, number> {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const partOf = new Map<number, string | null>();
  for (const node of profile.nodes) {
    const { url, functionName } = node.callFrame;
    partOf.set(node.id, functionName === "(idle)" ? null : (parts.find((part) => part.match(url, functionName))?.name ?? "other"));
  }
  const busy = new Map<string, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    // A sample's delta is the time since the one before it: that time is counted for this sample's frame.
    if (at < fromMicros || at > toMicros) continue;
    const part = partOf.get(profile.samples[i]!);
    if (part) busy.set(part, (busy.get(part) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  return busy;
}
