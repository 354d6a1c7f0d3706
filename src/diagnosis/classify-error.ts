/**
 * Classifies one recorded error text onto seed 000's failure modes with ERROR_SIGNATURES
 * (precedence is documented there: first matching signature wins).
 */
import { ERROR_SIGNATURES, type ErrorCategory, type ErrorSignature } from "./error-signatures.js";
import type { DestinationErrorPhrase } from "./tables.js";
import type { Confidence, FailureMode } from "./types.js";

export interface ErrorMatch {
  /** The signature's stable id, e.g. `s3-access-denied`. */
  pattern: string;
  /** The layer that prints such text. */
  source: string;
  category: ErrorCategory;
  hint: string;
  destinationError?: DestinationErrorPhrase;
}

export interface ErrorClassification {
  mode: FailureMode;
  confidence: Confidence;
  matched: ErrorMatch | null;
}

/**
 * Very long texts (full tracebacks with payload dumps) are cut before matching: the cause is
 * named near the start or the end, and bounded input keeps every regex linear in practice.
 */
const MAX_MATCHED_CHARS = 20_000;

function boundedText(text: string): string {
  if (text.length <= MAX_MATCHED_CHARS) return text;
  const half = MAX_MATCHED_CHARS / 2;
  return `${text.slice(0, half)}\n${text.slice(-half)}`;
}

export function findSignature(text: string): ErrorSignature | null {
  const bounded = boundedText(text);
  return ERROR_SIGNATURES.find((signature) => signature.pattern.test(bounded)) ?? null;
}

export function classifyErrorText(text: string): ErrorClassification {
  const signature = findSignature(text);
  if (!signature) return { mode: "unknown", confidence: "low", matched: null };
  const matched: ErrorMatch = {
    pattern: signature.id,
    source: signature.layer,
    category: signature.category,
    hint: signature.hint,
  };
  if (signature.destinationError) matched.destinationError = signature.destinationError;
  return { mode: signature.mode, confidence: signature.confidence, matched };
}
