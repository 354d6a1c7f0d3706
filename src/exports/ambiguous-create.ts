/**
 * A create whose answer was lost. `POST /api/v1/bulk-exports` and `…/destinations` are never
 * retried (a retry could create two), but a timeout, a connection reset after the request left,
 * a gateway error or a 2xx whose body does not parse all leave the same question: did LangSmith
 * create it? The answer is looked up, never guessed: the workspace's exports (or destinations)
 * are listed and matched on everything the request fixed, created since just before it was sent.
 * When nothing matches yet, the caller says that it may still exist and how to check, and never
 * suggests creating it again.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { apiTimeMs } from "../api-time.js";
import type { BulkExport, CreateDestinationRequest, CreateExportRequest, Destination } from "../langsmith/export-schemas.js";
import { isLangSmithApiError, isLangSmithNetworkError, isLangSmithResponseError, type ResponseErrorKind } from "../langsmith/errors.js";

/** Gateway and server errors after which the write may have happened behind the proxy. */
const MAYBE_PROCESSED_STATUSES: ReadonlySet<number> = new Set([500, 502, 504]);
/** Created at most this long before the request was sent still counts (clock skew between LangSmith's nodes). */
export const CREATED_SKEW_MS = 120_000;
/** Lookups after a lost answer: LangSmith may still be processing the request. */
export const LOOKUP_ATTEMPTS = 3;
export const LOOKUP_INTERVAL_MS = 1_500;

/** What went wrong, in words, when the write may have happened; null when it certainly did not. */
const BODY_FAULT: Readonly<Record<ResponseErrorKind, string>> = {
  malformed_json: "cut or corrupted",
  schema: "not the expected shape",
  too_large: "too large to read",
};

export function ambiguousOutcome(error: unknown): string | null {
  if (isLangSmithResponseError(error)) return `LangSmith answered ${error.status} but the body was ${BODY_FAULT[error.kind]}`;
  if (isLangSmithNetworkError(error)) {
    if (error.kind === "timeout") return "no answer came before the request timeout";
    if (error.kind === "reset" || error.kind === "other") return "the connection dropped before the answer arrived";
    return null;
  }
  if (isLangSmithApiError(error) && MAYBE_PROCESSED_STATUSES.has(error.status))
    return `a gateway or server error (${error.status}) came back instead of LangSmith's answer`;
  return null;
}

const sameTime = (a: string | null | undefined, b: string | null | undefined): boolean =>
  (a ? apiTimeMs(a) : null) === (b ? apiTimeMs(b) : null);
const sameText = (a: string | null | undefined, b: string | null | undefined): boolean => (a ?? "") === (b ?? "");

/** Exports matching everything `body` fixed, created since `sentAt` (less the skew), newest first. */
export function matchingExports(exports: readonly BulkExport[], body: CreateExportRequest, sentAt: Date): BulkExport[] {
  const since = sentAt.getTime() - CREATED_SKEW_MS;
  return exports
    .filter(
      (e) =>
        e.bulk_export_destination_id === body.bulk_export_destination_id &&
        e.session_id === body.session_id &&
        sameTime(e.start_time, body.start_time) &&
        sameTime(e.end_time, body.end_time) &&
        sameText(e.filter, body.filter) &&
        (e.interval_hours ?? null) === (body.interval_hours ?? null) &&
        apiTimeMs(e.created_at) >= since,
    )
    .sort((a, b) => apiTimeMs(b.created_at) - apiTimeMs(a.created_at));
}

/** Destinations matching the name, bucket and prefix of `body`, created since `sentAt` (less the skew) when LangSmith says when. */
export function matchingDestinations(destinations: readonly Destination[], body: CreateDestinationRequest, sentAt: Date): Destination[] {
  const since = sentAt.getTime() - CREATED_SKEW_MS;
  return destinations.filter(
    (d) =>
      d.display_name === body.display_name &&
      d.config.bucket_name === body.config.bucket_name &&
      sameText(d.config.prefix, body.config.prefix) &&
      (!d.created_at || apiTimeMs(d.created_at) >= since),
  );
}

/**
 * Lists and matches up to LOOKUP_ATTEMPTS times, LOOKUP_INTERVAL_MS apart, while the call's
 * budget allows; returns the first non-empty match (or none).
 */
export async function lookUp<T>(list: () => Promise<T[]>, signal: AbortSignal, remainingMs: () => number): Promise<T[]> {
  for (let attempt = 1; ; attempt++) {
    const found = await list();
    if (found.length > 0 || attempt >= LOOKUP_ATTEMPTS || remainingMs() < LOOKUP_INTERVAL_MS * 2) return found;
    await sleep(LOOKUP_INTERVAL_MS, undefined, { signal });
  }
}
