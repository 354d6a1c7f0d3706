/**
 * Deterministic randomness for the seeded data set. Math.random is never used by the
 * simulator: the same seed and start time must always produce byte-identical data, so tests
 * can compute expectations from the store and benchmarks compare like with like.
 */

/** sfc32: small, fast, statistically solid for fixtures; seeded through splitmix32. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length) out += this.nextUint32().toString(16).padStart(8, "0");
    return out.slice(0, length);
  }

  /** A random (version 4) UUID drawn from this generator. */
  uuid4(): string {
    const h = this.hex(32).split("");
    h[12] = "4";
    h[16] = "89ab"[parseInt(h[16] ?? "0", 16) & 3] ?? "8";
    return formatUuid(h.join(""));
  }

  /**
   * A time-ordered (version 7) UUID, as LangSmith SDKs now mint run ids: the first 48 bits
   * are the start time in epoch milliseconds.
   */
  uuid7(epochMs: number): string {
    const time = Math.max(0, Math.floor(epochMs)).toString(16).padStart(12, "0").slice(-12);
    const h = (time + this.hex(20)).split("");
    h[12] = "7";
    h[16] = "89ab"[parseInt(h[16] ?? "0", 16) & 3] ?? "8";
    return formatUuid(h.join(""));
  }
}

function formatUuid(hex32: string): string {
  return `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20, 32)}`;
}
