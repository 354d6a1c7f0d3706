import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { MessageSizeGuard } from "./stdio-guard.js";

/** Feeds `chunks` through a guard of `maxBytes`; returns what passed and the overflows reported. */
async function run(maxBytes: number, chunks: string[]): Promise<{ passed: string; overflows: number[] }> {
  const overflows: number[] = [];
  const guard = new MessageSizeGuard(maxBytes, (bytes) => overflows.push(bytes));
  const out = new PassThrough();
  let passed = "";
  out.on("data", (chunk: Buffer) => (passed += chunk.toString("utf8")));
  await new Promise<void>((resolve, reject) => {
    Readable.from(chunks.map((c) => Buffer.from(c, "utf8")))
      .pipe(guard)
      .pipe(out)
      .on("finish", resolve)
      .on("error", reject);
  });
  return { passed, overflows };
}

describe("MessageSizeGuard", () => {
  it("passes lines of up to the limit unchanged, however they are split into chunks", async () => {
    const lines = ["a".repeat(10), "b".repeat(3), "", "c".repeat(10)].map((l) => `${l}\n`).join("");
    for (const size of [1, 3, 7, lines.length]) {
      const chunks = lines.match(new RegExp(`[\\s\\S]{1,${size}}`, "g"))!;
      expect(await run(10, chunks), `chunks of ${size}`).toEqual({ passed: lines, overflows: [] });
    }
  });

  it("stops at the first line over the limit, reports it once, and passes nothing after it", async () => {
    const { passed, overflows } = await run(10, ["ok\n", "x".repeat(6), "x".repeat(6), "\nlater\n", "more\n"]);
    // The head of the long line got through before it was long, but never its end: it is never parsed.
    expect(passed).toBe(`ok\n${"x".repeat(6)}`);
    expect(overflows).toEqual([12]);
  });

  it("catches a long line between short ones inside one chunk", async () => {
    const { passed, overflows } = await run(10, [`short\n${"y".repeat(11)}\nshort\n`]);
    expect(passed).toBe("");
    expect(overflows).toEqual([11]);
  });

  it("counts bytes, not characters", async () => {
    // Four 3-byte characters: 4 characters, 12 bytes.
    expect((await run(10, ["€€€€\n"])).overflows).toEqual([12]);
    expect((await run(12, ["€€€€\n"])).overflows).toEqual([]);
  });
});
