/**
 * MCP progress rules at the seam (spec, basic/utilities/progress): "The progress value MUST
 * increase with each notification". A tool reports what it knows, which may repeat (an export
 * that has not moved since the last poll); this gate sends only values above the last one
 * sent in the call, and never one above the total.
 */
export type SendProgress = (progress: number, total: number | undefined, message: string) => Promise<void>;

export function increasingProgress(send: SendProgress): SendProgress {
  let last = -Infinity;
  return async (progress, total, message) => {
    if (!Number.isFinite(progress) || progress <= last) return;
    if (total !== undefined && progress > total) return;
    last = progress;
    await send(progress, total, message);
  };
}

/**
 * How close a waiting call is to answering, in percent: it answers when the work is done or
 * when the wait ends, whichever comes first, so the share of work done plus the share of the
 * wait spent on the rest. Rises as either moves; 100 when either is complete.
 * @param done share of the work done, 0..1.
 * @param waited share of the wait spent, 0..1.
 */
export function waitingProgress(done: number, waited: number): number {
  const d = clamp01(done);
  const w = clamp01(waited);
  return Math.round(1000 * (d + (1 - d) * w)) / 10;
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
