/**
 * Reading an upstream response body under a byte cap. A LangSmith page is normally kilobytes
 * to a few megabytes; a body of hundreds (a proxy's runaway answer, a run with enormous
 * inputs asked for in full) would otherwise be buffered whole, then copied into a string, and
 * take the process with it. Bytes are counted as they arrive; past the cap the body is
 * destroyed, which aborts the request and frees its connection, and nothing more is read.
 */
import type { Dispatcher } from "undici";

/** The default cap: far above any page LangSmith sends, far below what would exhaust a server. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1_048_576;

export type CappedText = { kind: "ok"; text: string } | { kind: "too-large"; receivedBytes: number };

/**
 * The body as UTF-8 text, or `too-large` once more than `maxBytes` arrived (or a declared
 * Content-Length says they will; then nothing is read at all).
 */
export async function readCappedText(
  body: Dispatcher.ResponseData["body"],
  contentLength: string | string[] | undefined,
  maxBytes: number,
): Promise<CappedText> {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.destroy();
    return { kind: "too-large", receivedBytes: 0 };
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > maxBytes) {
      body.destroy();
      return { kind: "too-large", receivedBytes: received };
    }
    chunks.push(chunk);
  }
  return { kind: "ok", text: Buffer.concat(chunks, received).toString("utf8") };
}
