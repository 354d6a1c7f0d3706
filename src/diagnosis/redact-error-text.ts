/**
 * Redaction of recorded error texts before they become evidence. `redactSecrets` knows the
 * LangSmith and generic secret shapes; storage errors add their own: S3 error bodies echo the
 * access key id and the signature provided, debug dumps carry the session token header.
 */
import { REDACTED, redactSecrets } from "../redact.js";

interface StorageSecretShape {
  readonly name: string;
  readonly pattern: RegExp;
  readonly replacement: string | ((match: string, prefix: string, value: string) => string);
}

const STORAGE_SECRET_SHAPES: readonly StorageSecretShape[] = Object.freeze([
  {
    name: "AWS access key id (long-term AKIA, temporary ASIA)",
    pattern: /\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b/g,
    replacement: REDACTED,
  },
  { name: "GCS HMAC access id", pattern: /\bGOOG[A-Z0-9]{20,}\b/g, replacement: REDACTED },
  {
    name: "S3 error body echoing credentials or signature",
    pattern:
      /(<(AWSAccessKeyId|SignatureProvided|StringToSign|StringToSignBytes|CanonicalRequest|CanonicalRequestBytes)>)[\s\S]*?(<\/\2>)/g,
    replacement: `$1${REDACTED}$3`,
  },
  { name: "SigV4 Authorization header signature", pattern: /(\bSignature=)[0-9a-fA-F]{32,}/g, replacement: `$1${REDACTED}` },
  {
    name: "session token or access key header / assignment",
    // A value in lower-case letters only is a word next to the name ("access_key_id = wrong"), not a key id.
    pattern: /((?:x-amz-security-token|x-goog-security-token|aws_access_key_id|access_key_id)["']?\s*[:=]\s*["']?)(?![<$])([^"'\s,;}&]+)/gi,
    replacement: (match: string, prefix: string, value: string) => (/^[a-z]+$/.test(value) ? match : `${prefix}${REDACTED}`),
  },
]);

/** Redacts storage and LangSmith secrets from one error text (known `secrets` too). */
export function redactErrorText(text: string, secrets?: Iterable<string>): string {
  const shaped = STORAGE_SECRET_SHAPES.reduce(
    (out, shape) =>
      typeof shape.replacement === "string" ? out.replace(shape.pattern, shape.replacement) : out.replace(shape.pattern, shape.replacement),
    text,
  );
  return redactSecrets(shaped, secrets);
}

/** Evidence quotes stay short: the head names the error, the rest is usually payload. */
export const MAX_QUOTED_ERROR_CHARS = 400;

/** Redacted, whitespace-collapsed, trimmed to MAX_QUOTED_ERROR_CHARS. */
export function quoteErrorText(text: string, secrets?: Iterable<string>): string {
  const flat = redactErrorText(text, secrets).replace(/\s+/g, " ").trim();
  return flat.length <= MAX_QUOTED_ERROR_CHARS ? flat : `${flat.slice(0, MAX_QUOTED_ERROR_CHARS - 1)}…`;
}
