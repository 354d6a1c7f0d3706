/**
 * What every tool's two outputs share. Clients hand a model either the text block or
 * `JSON.stringify(structuredContent)`, so both carry the same facts: the structured side
 * without empty values, the text side as `key: value` lines and short sentences, never as
 * pretty-printed JSON.
 */

/** A value that says nothing: not recorded, or recorded as nothing. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/**
 * Keys whose values are the user's own data (a run's inputs, outputs, metadata…): kept as
 * LangSmith sent them, since a null output or an empty input is part of what the run did.
 * Only an empty payload as a whole is dropped. A run table's rows and refs hold such data in
 * cells, and a null cell is the table's blank (see run-table.ts), so they are kept as built.
 */
const OPAQUE_KEYS: ReadonlySet<string> = new Set([
  "inputs",
  "outputs",
  "extra",
  "metadata",
  "events",
  "manifest",
  "feedback_stats",
  "serialized",
  "rows",
  "refs",
]);

/**
 * The structured result without null, "", [] or {} at any level of the envelope (payloads
 * excepted, see OPAQUE_KEYS). Array elements are kept in place, their own objects pruned.
 * A part with nothing to drop is returned as it is, not copied (results are built per call and
 * never changed after, so sharing is safe, and a page of runs is not copied twice).
 */
export function dropEmpty<T>(value: T): T {
  return prune(value, false) as T;
}

function prune(value: unknown, opaque: boolean): unknown {
  if (opaque) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const pruned = prune(item, false);
      if (pruned !== item) (out ??= value.slice(0, i)).push(pruned);
      else out?.push(item);
    }
    return out ?? value;
  }
  if (!isPlainObject(value)) return value;
  let out: Record<string, unknown> | undefined;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = value[key];
    const pruned = prune(item, OPAQUE_KEYS.has(key));
    const keep = !isEmptyValue(pruned);
    if (out === undefined && keep && pruned === item) continue;
    if (out === undefined) {
      out = {};
      for (let j = 0; j < i; j++) out[keys[j]!] = value[keys[j]!];
    }
    if (keep) out[key] = pruned;
  }
  return out ?? value;
}

/**
 * A number without float noise (0.1 + 0.2 reads 0.3), all its significant digits otherwise.
 * A number whose shortest form is at most ten characters has at most ten significant digits,
 * which toPrecision(10) gives back unchanged: written as it is (most costs, latencies and counts).
 */
export const num = (value: number): string => {
  const text = String(value);
  return text.length <= 10 ? text : String(Number(value.toPrecision(10)));
};

/** A money amount in US dollars, as LangSmith reports costs. */
export const usd = (value: number): string => `$${num(value)}`;

/** Seconds with their unit. */
export const seconds = (value: number): string => `${num(value)} s`;

/**
 * One field's value for a `key: value` line: numbers with the unit their name implies,
 * lists of text comma-separated, objects as one-line JSON, multi-line text indented so it
 * stays inside its field.
 */
export function fieldValue(key: string, value: unknown, indent = "  "): string {
  if (typeof value === "number") {
    if (key.endsWith("_cost")) return usd(value);
    if (key.endsWith("_seconds") || key.startsWith("latency")) return seconds(value);
    return num(value);
  }
  if (typeof value === "string") return value.replace(/\r?\n/g, `\n${indent}  `);
  if (Array.isArray(value) && value.every((item) => typeof item === "string" || typeof item === "number")) return value.join(", ");
  if (typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Notes as the text's closing lines. */
export const noteLines = (notes: readonly string[] | undefined): string[] => (notes ?? []).map((note) => `Note: ${note}`);
