import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REDACTED, SECRET_SHAPES, jsonMayHoldSecret, redactObject, redactSecrets, redactStrings } from "./redact.js";

describe("redactSecrets", () => {
  it("replaces every occurrence of a registered secret, raw, URL-encoded and JSON-escaped", () => {
    const secret = 'my/secret"value+1';
    const text = `a ${secret} b ${encodeURIComponent(secret)} c ${JSON.stringify(secret)} d ${secret}`;
    const out = redactSecrets(text, [secret]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).toBe(`a ${REDACTED} b ${REDACTED} c "${REDACTED}" d ${REDACTED}`);
  });

  it("ignores registered secrets shorter than 8 characters", () => {
    expect(redactSecrets("the cat sat", ["cat"])).toBe("the cat sat");
  });

  it.each([
    ["a LangSmith personal key", "key lsv2_pt_abc123DEF_456 used", `key ${REDACTED} used`],
    ["a LangSmith service key", "lsv2_sk_0f9e8d7c6b5a_99", REDACTED],
    ["a legacy LangSmith key", "X ls__a1b2c3d4e5f6", `X ${REDACTED}`],
    ["an AWS secret in JSON", '{"secret_access_key": "wJalrXUtnFEMI/K7MDENG"}', `{"secret_access_key": "${REDACTED}"}`],
    ["an AWS secret in env form", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG", `AWS_SECRET_ACCESS_KEY=${REDACTED}`],
    ["a session token", "session_token: FQoGZXIvYXdzEJr", `session_token: ${REDACTED}`],
    [
      "a pre-signed S3 signature",
      "https://b.s3.amazonaws.com/k?X-Amz-Date=1&X-Amz-Signature=abc123def&x=1",
      `https://b.s3.amazonaws.com/k?X-Amz-Date=1&X-Amz-Signature=${REDACTED}&x=1`,
    ],
    ["a GCS signature", "?X-Goog-Signature=00ff11", `?X-Goog-Signature=${REDACTED}`],
    ["a share URL", "see https://smith.langchain.com/public/4f7a1b2c-8d9e-4a0b-9c1d-2e3f4a5b6c7d/r now", `see ${REDACTED} now`],
    ["a bearer token", "Authorization: Bearer eyJhbGciOi.J9.x", `Authorization: Bearer ${REDACTED}`],
    ["an API key header", '{"x-api-key": "whatever-value"}', `{"x-api-key": "${REDACTED}"}`],
  ])("removes %s", (_name, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it("stays linear on hostile input such as thousands of URL prefixes", () => {
    const hostile = `${"https://".repeat(20_000)}/public/4f7a1b2c-8d9e-4a0b-9c1d-2e3f4a5b6c7d/r`;
    expect(redactSecrets(hostile).endsWith(REDACTED)).toBe(true);
  });

  it("leaves ordinary text alone", () => {
    const text = 'POST /api/v2/runs/query → 400 Bad Request: eq(run_type, "llm") total_tokens=350';
    expect(redactSecrets(text, ["lsv2_pt_not_in_text_1"])).toBe(text);
  });

  it("does not let a secret re-form around the replacement text", () => {
    const secret = "ED]abcde";
    expect(redactSecrets("ED]abcdeabcde", [secret])).not.toContain(secret);
  });

  it("never lets a registered secret survive, wherever it is embedded (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 40 }), fc.string(), fc.string(), fc.string(), (secret, a, b, c) => {
        const text = `${a}${secret}${b}${secret}${c}`;
        expect(redactSecrets(text, [secret])).not.toContain(secret);
      }),
      { numRuns: 500 },
    );
  });

  it("never lets a registered secret of any Unicode survive (property)", () => {
    // Any code point, lone surrogates included (they cannot be URL-encoded).
    const unicode = (minLength: number, maxLength: number) =>
      fc.array(fc.integer({ min: 0, max: 0x10ffff }), { minLength, maxLength }).map((cps) => String.fromCodePoint(...cps));
    fc.assert(
      fc.property(unicode(8, 20), unicode(0, 30), unicode(0, 30), (secret, a, b) => {
        expect(redactSecrets(`${a}${secret}${b}`, [secret])).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });
});

describe("redactObject", () => {
  it("drops values under secret-named keys and redacts strings deeply", () => {
    const input = {
      credentials: { access_key_id: "AKIAEXAMPLE", secret_access_key: "s3cr3t", session_token: "tok" },
      headers: { Authorization: "Bearer abc", "X-API-Key": "k" },
      run: { share_url: "https://x/public/4f7a1b2c-8d9e-4a0b-9c1d-2e3f4a5b6c7d/r", name: "ok" },
      list: ["fine", "key lsv2_pt_abc_123"],
      password: "hunter2",
      count: 3,
      missing: null,
    };
    expect(redactObject(input)).toEqual({
      credentials: { access_key_id: "AKIAEXAMPLE", secret_access_key: REDACTED, session_token: REDACTED },
      headers: { Authorization: REDACTED, "X-API-Key": REDACTED },
      run: { share_url: REDACTED, name: "ok" },
      list: ["fine", `key ${REDACTED}`],
      password: REDACTED,
      count: 3,
      missing: null,
    });
  });

  it("redacts registered secrets inside nested strings and errors, and survives cycles", () => {
    const secret = "super-secret-value";
    const cyclic: Record<string, unknown> = { note: `has ${secret}` };
    cyclic.self = cyclic;
    const out = redactObject({ cyclic, err: new Error(`boom ${secret}`) }, [secret]) as Record<string, unknown>;
    expect(JSON.stringify(out)).not.toContain(secret);
    expect(out).toMatchObject({
      cyclic: { note: `has ${REDACTED}`, self: "[Circular]" },
      err: { name: "Error", message: `boom ${REDACTED}` },
    });
  });

  it("redacts a secret used as a key, as run data in a log field may", () => {
    const secret = "super-secret-value";
    const out = redactObject({ inputs: { lsv2_pt_abc_123: 1, [`has ${secret}`]: { ok: true } } }, [secret]);
    expect(JSON.stringify(out)).not.toMatch(/lsv2_pt_abc_123|super-secret-value/);
    expect(out).toEqual({ inputs: { [REDACTED]: 1, [`has ${REDACTED}`]: { ok: true } } });
  });

  it("does not mutate its input", () => {
    const input = { password: "p", nested: { text: "lsv2_pt_aaa" } };
    redactObject(input);
    expect(input).toEqual({ password: "p", nested: { text: "lsv2_pt_aaa" } });
  });
});

describe("placeholders and deliberate disclosure", () => {
  it("keeps placeholders and shell variables after a secret's key name, but not values", () => {
    expect(redactSecrets("AWS_SECRET_ACCESS_KEY=<its secret_access_key> aws s3 cp")).toBe(
      "AWS_SECRET_ACCESS_KEY=<its secret_access_key> aws s3 cp",
    );
    expect(redactSecrets('AWS_SECRET_ACCESS_KEY="$SECRET"')).toBe('AWS_SECRET_ACCESS_KEY="$SECRET"');
    expect(redactSecrets("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG")).toBe(`AWS_SECRET_ACCESS_KEY=${REDACTED}`);
  });

  it("lets a value the user asked for through, and nothing else of its shape", () => {
    const asked = "https://smith.langchain.com/public/4f7a1b2c-8d9e-4a0b-9c1d-2e3f4a5b6c7d/r";
    const other = "https://smith.langchain.com/public/00000000-8d9e-4a0b-9c1d-2e3f4a5b6c7d/r";
    const out = redactSecrets(`${asked} and ${other}`, [], { reveal: [asked] });
    expect(out).toContain(asked);
    expect(out).not.toContain(other);
  });
});

describe("redactStrings' fast path (one scan of the serialised result before any walk)", () => {
  /** What redactStrings must give: every string, keys included, through redactSecrets, one by one (no scan, no shortcut). */
  const walked = (value: unknown, secrets: string[], reveal: string[]): unknown => {
    if (typeof value === "string") return redactSecrets(value, secrets, { reveal });
    if (Array.isArray(value)) return value.map((item) => walked(item, secrets, reveal));
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactSecrets(k, secrets, { reveal }), walked(v, secrets, reveal)]));
    return value;
  };
  const unicode = (maxLength: number) =>
    fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength }).map((cps) => String.fromCodePoint(...cps));
  // Pieces that trip every shape (and near misses in other cases), mixed into arbitrary Unicode.
  const triggerWords = SECRET_SHAPES.flatMap((shape) => shape.triggers);
  const pieces = fc.oneof(
    unicode(12),
    fc.constantFrom(...triggerWords, ...triggerWords.map((t) => t.toUpperCase())),
    fc.constantFrom(
      "lsv2_pt_abc123DEF_456",
      "ls__a1b2c3d4e5f6",
      "https://smith.langchain.com/public/4f7a1b2c-8d9e-4a0b-9c1d-2e3f4a5b6c7d/r",
      "X-Amz-Signature=abc123def",
      '"secret_access_key": "wJalrXUtnFEMI/K7MDENG"',
      "Bearer eyJhbGciOi.J9.x",
      "x-api-key: whatever-value",
      "\u212Aelvin x-api-\u212Aey İ",
    ),
  );
  const text = fc.array(pieces, { maxLength: 5 }).map((parts) => parts.join(""));
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small" }, text, fc.integer(), fc.boolean(), fc.constant(null), tie("array"), tie("object")),
    array: fc.array(tie("value"), { maxLength: 4 }),
    object: fc.dictionary(text, tie("value"), { maxKeys: 4 }),
  })).value;

  it("gives exactly what redacting every string gives, secrets and shapes anywhere (property)", () => {
    fc.assert(
      fc.property(json, fc.array(unicode(20), { maxLength: 2 }), fc.boolean(), (value, extra, embed) => {
        const secret = "s3cr3t-k3y-value";
        const secrets = [secret, ...extra];
        const subject = embed ? { value, note: `key ${secret} here` } : value;
        const reveal = ["https://smith.langchain.com/public/4f7a1b2c-8d9e-4a0b-9c1d-2e3f4a5b6c7d/r"];
        expect(redactStrings(subject, secrets, { reveal })).toEqual(walked(subject, secrets, reveal));
        expect(redactStrings(subject, secrets)).toEqual(walked(subject, secrets, []));
      }),
      { numRuns: 1500 },
    );
  });

  it("says a result may hold a secret whenever one of its strings would be redacted (property)", () => {
    fc.assert(
      fc.property(text, fc.array(unicode(20), { maxLength: 2 }), (value, secrets) => {
        if (redactSecrets(value, secrets) !== value) expect(jsonMayHoldSecret(JSON.stringify({ value }), secrets)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("redacts a secret that is an object key (run payloads are the user's own: a key can be anything)", () => {
    const out = redactStrings({ inputs: { lsv2_pt_abc123DEF_456: 1, "s3cr3t-k3y-value": { ok: "fine" } } }, ["s3cr3t-k3y-value"]);
    expect(out).toEqual({ inputs: { [REDACTED]: { ok: "fine" } } });
  });

  it("returns a result with nothing to redact as it is, and copies one with something", () => {
    const clean = { runs: [{ id: "a", name: "ordinary" }] };
    expect(redactStrings(clean, ["s3cr3t-k3y-value"])).toBe(clean);
    const dirty = { runs: [{ id: "a", name: "key lsv2_pt_abc123DEF_456" }] };
    const out = redactStrings(dirty, []);
    expect(out).toEqual({ runs: [{ id: "a", name: `key ${REDACTED}` }] });
    expect(dirty.runs[0]!.name).toBe("key lsv2_pt_abc123DEF_456");
  });
});
