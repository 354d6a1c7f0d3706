/**
 * Reads a request body up to a size limit. A declared Content-Length over the limit is refused
 * before reading; a chunked body stops being buffered as soon as it passes the limit, so an
 * oversized upload costs at most `maxBytes` of memory. A client that hangs up mid-upload is
 * an ordinary event on a network, not a server fault: it comes back as `aborted`, not thrown.
 */
import type { IncomingMessage } from "node:http";

export type BodyResult = { kind: "ok"; text: string } | { kind: "too-large" } | { kind: "aborted"; reason: string };

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return { kind: "too-large" };
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) return { kind: "too-large" };
      chunks.push(chunk);
    }
  } catch (error) {
    // Reading a request fails only when its connection does ("aborted", ECONNRESET).
    return { kind: "aborted", reason: error instanceof Error ? error.message : String(error) };
  }
  return { kind: "ok", text: Buffer.concat(chunks).toString("utf8") };
}
