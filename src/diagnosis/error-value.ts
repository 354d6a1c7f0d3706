/**
 * One recorded attempt error as text. The spec types a run's `errors` as an untyped map: values
 * are usually text, but LangSmith also records objects (`{"message": "…", "type": "…",
 * "retry_number": 2}`), numbers or other JSON. Classification and evidence read text, so each
 * value is turned into the text a person would read: an object's `type` and `message` when it
 * has them (its other fields as compact JSON after them), else the compact JSON of the value.
 */

/** Null for a value that records nothing (null, absent, blank text, an empty object). */
export function errorValueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? null : compactJson(value);
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (Object.keys(record).length === 0) return null;
    const { message, type, ...rest } = record;
    const messageText = message === undefined || message === null ? "" : typeof message === "string" ? message : compactJson(message);
    const typeText = typeof type === "string" ? type : type === undefined || type === null ? "" : compactJson(type);
    if (!messageText && !typeText) return compactJson(record);
    const head = typeText && messageText ? `${typeText}: ${messageText}` : typeText || messageText;
    return Object.keys(rest).length > 0 ? `${head} ${compactJson(rest)}` : head;
  }
  return String(value);
}

function compactJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
