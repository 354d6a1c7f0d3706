/**
 * The stdio transport's message size limit, enforced where it can be reported. The SDK's
 * stdio transport drops a line longer than its read buffer (10 MiB), closes itself and leaves
 * the process to exit 0 with nothing said: the client sees a server that vanished, and its
 * log says all went well. Here stdin passes through a guard that measures each line (one
 * JSON-RPC message) as it arrives and, at the limit, stops feeding the transport and reports
 * it, so the caller can log why and end the process with a non-zero status.
 */
import type { Readable, Writable } from "node:stream";
import { Transform, type TransformCallback } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";

/** One message over stdio at most: the SDK transport's own read buffer size (STDIO_DEFAULT_MAX_BUFFER_SIZE). */
export const STDIO_MAX_MESSAGE_BYTES = 10 * 1_048_576;

const NEWLINE = 0x0a;

/**
 * Passes newline-delimited input through unchanged while every line (without its newline)
 * holds at most `maxBytes`; at the first longer line it passes nothing more and calls
 * `onOverflow` once with the bytes of that line seen so far.
 */
export class MessageSizeGuard extends Transform {
  /** Bytes of the line in progress (not yet ended by a newline). */
  private pending = 0;
  private tripped = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onOverflow: (lineBytes: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.tripped) {
      callback();
      return;
    }
    const overflow = this.overflowIn(chunk);
    if (overflow === undefined) {
      callback(null, chunk);
      return;
    }
    this.tripped = true;
    this.onOverflow(overflow);
    callback();
  }

  /** Counts `chunk` into the line in progress; the length of the first line over the limit, if any. */
  private overflowIn(chunk: Buffer): number | undefined {
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      const line = this.pending + (newline - start);
      if (line > this.maxBytes) return line;
      this.pending = 0;
      start = newline + 1;
    }
    this.pending += chunk.length - start;
    return this.pending > this.maxBytes ? this.pending : undefined;
  }
}

/**
 * The SDK's stdio transport reading through a {@link MessageSizeGuard}. The transport's own
 * buffer limit (a partial line plus one chunk) is set above the guard's, so the guard always
 * speaks first.
 */
export function guardedStdioTransport(options: {
  onOverflow: (lineBytes: number, maxBytes: number) => void;
  maxMessageBytes?: number;
  stdin?: Readable;
  stdout?: Writable;
}): StdioServerTransport {
  const maxBytes = options.maxMessageBytes ?? STDIO_MAX_MESSAGE_BYTES;
  const guard = new MessageSizeGuard(maxBytes, (lineBytes) => options.onOverflow(lineBytes, maxBytes));
  (options.stdin ?? process.stdin).pipe(guard);
  return new StdioServerTransport(guard, options.stdout ?? process.stdout, { maxBufferSize: 2 * maxBytes });
}
