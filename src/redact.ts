/**
 * Secret redaction for everything that leaves the process as text: log lines, forwarded log
 * events, error messages. Two layers: the exact secrets this process knows (API key,
 * destination credentials) and well-known secret shapes, so a secret we were never told about
 * (a share URL in a run, a signed S3 URL in an attachment) is still caught.
 */

export const REDACTED = "[REDACTED]";

/** Shorter strings are too likely to be ordinary words or ids; replacing them would shred logs. */
const MIN_SECRET_LENGTH = 8;

/**
 * A secret that overlaps the replacement text can re-form after one pass (secret `ED]abcde`
 * in `ED]abcdeabcde`). Passes are bounded; if it still survives, the whole text is withheld.
 */
const MAX_SECRET_PASSES = 8;

interface SecretShape {
  readonly name: string;
  /** Lower-case text one of which every match contains: a cheap test that skips the regex on most strings. */
  readonly triggers: readonly string[];
  readonly pattern: RegExp;
  /** Replacement; `$1` keeps a captured prefix such as the key name. */
  readonly replacement: string | ((match: string, prefix: string, value: string) => string);
}

/** `$1[REDACTED]`, unless the value is an ordinary lower-case word (then the text is left as is). */
function keepWords(match: string, prefix: string, value: string): string {
  return /^[a-z]+$/.test(value) ? match : `${prefix}${REDACTED}`;
}

/** Shapes of secrets seen in LangSmith, AWS/GCS and HTTP traffic. Order matters: URLs first. */
export const SECRET_SHAPES: readonly SecretShape[] = Object.freeze([
  {
    name: "langsmith share URL (seed 004: anyone with it can view the run)",
    triggers: ["/public/"],
    // The URL prefix is bounded: an unbounded lazy prefix is quadratic on text full of "https://".
    pattern: /(?:https?:\/\/[^\s"'<>]{0,300}?)?\/public\/[0-9a-f-]{36}\/r\b/gi,
    replacement: REDACTED,
  },
  { name: "langsmith API key", triggers: ["lsv2_"], pattern: /lsv2_(?:pt|sk)_[A-Za-z0-9_]+/g, replacement: REDACTED },
  { name: "legacy langsmith API key", triggers: ["ls__"], pattern: /ls__[A-Za-z0-9]+/g, replacement: REDACTED },
  {
    name: "pre-signed URL signature or token",
    triggers: ["x-amz-", "x-goog-"],
    pattern: /(X-(?:Amz|Goog)-(?:Signature|Security-Token|Credential)=)[^&\s"'<>]+/gi,
    replacement: `$1${REDACTED}`,
  },
  {
    name: "AWS secret key or session token after its key name (JSON, env, text)",
    triggers: ["secret_access_key", "session_token"],
    // A value starting with < or $ is a placeholder or a shell variable, not a secret; one in lower-case
    // letters only is a word ("secret_access_key: is missing"), not a key or token.
    pattern: /((?:aws_)?(?:secret_access_key|session_token)["']?\s*[:=]\s*["']?)(?![<$])([^"'\s,;}&]+)/gi,
    replacement: keepWords,
  },
  { name: "bearer token", triggers: ["bearer"], pattern: /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, replacement: `$1${REDACTED}` },
  {
    name: "API key header",
    triggers: ["x-api-key"],
    pattern: /(x-api-key["']?\s*[:=]\s*["']?)[^"'\s,;}]+/gi,
    replacement: `$1${REDACTED}`,
  },
]);

/** Key names whose values are dropped wholesale by redactObject (compared lower case, `-` as `_`). */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  "secret_access_key",
  "aws_secret_access_key",
  "session_token",
  "aws_session_token",
  "api_key",
  "apikey",
  "x_api_key",
  "share_url",
  "password",
  "authorization",
  "access_token",
  "refresh_token",
  "client_secret",
]);

/** The forms a secret takes in text: as is, URL-encoded, JSON-escaped. */
function secretForms(secrets: Iterable<string> | undefined): string[] {
  const forms = new Set<string>();
  for (const secret of secrets ?? []) {
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    try {
      forms.add(encodeURIComponent(secret));
    } catch {
      // Lone surrogates cannot be URL-encoded, so that form cannot occur in text either.
    }
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first so a secret containing another is replaced whole.
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

export interface RedactOptions {
  /**
   * Exact values the caller deliberately discloses (a share URL the user asked for): they
   * survive the shape patterns. Known secrets are redacted even when listed here.
   */
  reveal?: readonly string[];
}

/** Replaces known secrets and well-known secret shapes in `text` with `[REDACTED]`. */
export function redactSecrets(text: string, secrets?: Iterable<string>, options: RedactOptions = {}): string {
  return createRedactor(secrets, options)(text);
}

/**
 * A redaction function with the secrets' forms worked out once: for walking a result of many
 * strings, where rebuilding them per string dominated the cost of a tool call.
 */
export function createRedactor(secrets?: Iterable<string>, options: RedactOptions = {}): (text: string) => string {
  const forms = secretForms(secrets);
  const disclosed = (options.reveal ?? []).filter((value) => value.length >= MIN_SECRET_LENGTH);
  return (text) => {
    const reveal = disclosed.filter((value) => text.includes(value));
    // Disclosed values are parked behind placeholders that no shape pattern can match.
    let out = reveal.reduce((acc, value, i) => acc.split(value).join(`\u0000${i}\u0000`), text);
    const lower = out.toLowerCase();
    for (const shape of SECRET_SHAPES)
      if (shape.triggers.some((t) => lower.includes(t)))
        out =
          typeof shape.replacement === "string"
            ? out.replace(shape.pattern, shape.replacement)
            : out.replace(shape.pattern, shape.replacement);
    out = reveal.reduce((acc, value, i) => acc.split(`\u0000${i}\u0000`).join(value), out);

    if (forms.length === 0) return out;
    for (let pass = 0; pass < MAX_SECRET_PASSES; pass++) {
      if (!forms.some((f) => out.includes(f))) return out;
      for (const form of forms) out = out.split(form).join(REDACTED);
    }
    return forms.some((f) => out.includes(f)) ? REDACTED : out;
  };
}

const normaliseKey = (key: string): string => key.toLowerCase().replace(/-/g, "_");

export const isSecretKey = (key: string): boolean => SECRET_KEYS.has(normaliseKey(key));

/** Nesting beyond this is summarised; log fields are never that deep in practice. */
const MAX_DEPTH = 12;

/**
 * Deep copy of `value` with every string redacted and every value under a secret-named key
 * replaced by `[REDACTED]`. Errors become `{name, message}`; cycles become `"[Circular]"`.
 */
export function redactObject(value: unknown, secrets?: Iterable<string>): unknown {
  const redact = createRedactor(secrets);
  const seen = new WeakSet<object>();

  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return redact(v);
    if (v === null || typeof v !== "object") return v;
    if (seen.has(v)) return "[Circular]";
    if (depth >= MAX_DEPTH) return "[Truncated]";
    seen.add(v);
    try {
      if (v instanceof Error) return { name: v.name, message: redact(v.message) };
      if (v instanceof Date) return v.toISOString();
      if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(v)) {
        // A key is text too (run data may use a secret as one); two keys redacted alike keep one value, nothing leaks.
        out[redact(key)] = isSecretKey(key) && inner !== null && inner !== undefined ? REDACTED : walk(inner, depth + 1);
      }
      return out;
    } finally {
      seen.delete(v);
    }
  };
  return walk(value, 0);
}

/** Whether JSON writes `text` as it is (nothing escaped), so a string containing it puts it in its JSON too. */
const writtenAsIs = (text: string): boolean => JSON.stringify(text) === `"${text}"`;

/**
 * Whether redacting the strings inside the value whose JSON is `json` could change any: some
 * shape's trigger or some secret form occurs in the JSON. False proves nothing would change:
 * JSON writes every string's characters as they are except quote, backslash, control characters
 * and lone surrogates, and no trigger holds one of those (nor does their lower case), so a string
 * containing a trigger or a form puts it in the JSON too. A form JSON would escape (a quote in
 * a secret) cannot be looked for this way: then the answer is true.
 */
export function jsonMayHoldSecret(json: string, secrets?: Iterable<string>): boolean {
  const forms = secretForms(secrets);
  if (forms.some((form) => !writtenAsIs(form) || json.includes(form))) return true;
  const lower = json.toLowerCase();
  return SECRET_SHAPES.some((shape) => shape.triggers.some((t) => lower.includes(t)));
}

/**
 * A JSON value with every string, object keys included, passed through redactSecrets. Unlike
 * redactObject it keeps every key (a key holding a secret is renamed): it is for results whose
 * fields the caller chose. The value is serialised once and scanned first; when nothing in it
 * can be a secret (jsonMayHoldSecret, which reads keys too), it is returned as it is, not
 * copied; otherwise a deep copy with its strings and keys redacted. `written`, when given, is
 * `JSON.stringify(value)` already written by the caller.
 */
export function redactStrings(
  value: unknown,
  secretList: Iterable<string> | undefined,
  options: RedactOptions = {},
  written?: () => string | undefined,
): unknown {
  const secrets = secretList === undefined ? undefined : [...secretList];
  let json: string | undefined;
  try {
    json = written ? written() : JSON.stringify(value);
  } catch {
    // Not JSON (a cycle, a BigInt): walked below like any value.
  }
  if (json !== undefined && !jsonMayHoldSecret(json, secrets)) return value;
  const redact = createRedactor(secrets, options);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    // Keys too: run payloads are the user's own, and a secret may be a key (`{"lsv2_pt_…": …}`) as well as a value.
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, inner]) => [redact(k), walk(inner)]));
    return v;
  };
  return walk(value);
}
