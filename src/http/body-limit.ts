/**
 * Reads a request body up to a size limit. A declared Content-Length over the limit is refused
 * before reading; a chunked body stops being buffered as soon as it passes the limit, so an
 * oversized upload costs at most `maxBytes` of memory.
 */
import type { IncomingMessage } from "node:http";

export type BodyResult = { kind: "ok"; text: string } | { kind: "too-large" };

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return { kind: "too-large" };
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > maxBytes) return { kind: "too-large" };
    chunks.push(chunk);
  }
  return { kind: "ok", text: Buffer.concat(chunks).toString("utf8") };
}
