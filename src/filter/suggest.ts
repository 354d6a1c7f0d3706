/** "Did you mean" for misspelt operators, attributes and enum values. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const exactIgnoringCase = candidates.find((c) => c.toLowerCase() === lower);
  if (exactIgnoringCase !== undefined) return exactIgnoringCase;
  // Short words tolerate one edit; longer ones up to a third of their length, capped at 3.
  const budget = Math.min(3, Math.max(1, Math.floor(lower.length / 3)));
  let best: string | undefined;
  let bestDistance = budget + 1;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Damerau (optimal string alignment) distance, giving up early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a.length > 64 || b.length > 64) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? limit + 1;
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? "" : ` (did you mean "${match}"?)`;
}

/** The key/value attribute pair for each collection an agent may try to index into. */
const PAIR_ATTRIBUTES: Readonly<Record<string, readonly [key: string, value: string]>> = {
  metadata: ["metadata_key", "metadata_value"],
  inputs: ["input_key", "input_value"],
  input: ["input_key", "input_value"],
  outputs: ["output_key", "output_value"],
  output: ["output_key", "output_value"],
  feedback: ["feedback_key", "feedback_score"],
};

const KEY_ACCESS = /^(?:\.\s*([A-Za-z_][\w-]*)|\[\s*(?:"([^"]*)"|'([^']*)')\s*\])/;
const COMPARED_WITH = /^\s*(?:==|=|,)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,()]+)/;

/**
 * `metadata.user_id == "123"` or `eq(metadata["user_id"], "123")`: filters have no key access;
 * a key and its value are a pair of attributes. `rest` is the source from the "." or "[" on.
 */
export function keyAccessHint(collection: string | undefined, rest: string): string | undefined {
  const pair = collection === undefined ? undefined : PAIR_ATTRIBUTES[collection.toLowerCase()];
  const access = pair ? KEY_ACCESS.exec(rest) : null;
  if (!pair || !access) return undefined;
  const key = access[1] ?? access[2] ?? access[3] ?? "";
  const compared = COMPARED_WITH.exec(rest.slice(access[0].length))?.[1];
  const value = compared === undefined ? '"…"' : compared.startsWith("'") ? JSON.stringify(compared.slice(1, -1)) : compared;
  const pairCall = `and(eq(${pair[0]}, ${JSON.stringify(key)}), eq(${pair[1]}, ${value}))`;
  if (pair[0] !== "metadata_key") return `keys are not attributes: write ${pairCall}`;
  const json = `{${JSON.stringify(key)}: ${compared === undefined ? '"…"' : JSON.stringify(jsonValue(value))}}`;
  return `keys are not attributes: write ${pairCall} or has(metadata, '${json}')`;
}

function jsonValue(literal: string): unknown {
  try {
    return JSON.parse(literal);
  } catch {
    return literal;
  }
}

/** `eq(a, 1) and eq(b, 2)`: and/or are prefix calls too. */
export function infixLogicHint(word: string | undefined): string | undefined {
  const op = word?.toLowerCase();
  return op === "and" || op === "or" ? `combine filters with ${op}(filter, filter, ...), not infix ${word}` : undefined;
}
