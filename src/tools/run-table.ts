/**
 * A page of runs as a table, for both views a client may show the model. Per-run JSON objects
 * repeat every key on every run, and a page repeats its values: the trace id on every run of a
 * trace, the date on every time, the project id everywhere, the same metadata on every run of a
 * thread. Raw API JSON of a page costs ~127 o200k tokens a run for the compact fields, ~40 of
 * them keys and ~25 each id, ~18 each time. So a page says each fact once:
 *
 * - `columns` name the fields once; `rows` hold one run each, values in column order, `null`
 *   where the run recorded nothing, trailing nulls left off.
 * - `same`: a field with one value for every run of the page is said once, not as a column.
 * - `date`: the UTC date most times fall on; a time on that date is written `hhmmss.ffffff`
 *   (ISO 8601 basic, UTC, precision kept: 5 tokens where `HH:MM:SS.ffffff` takes 8), any other
 *   time in full.
 * - `refs`: in a column listed in `ref_columns`, every value (every element, for a list of ids
 *   such as parent_run_ids) is a number n standing for `refs["n"]`, the value stored once. A
 *   column is encoded so only when its values are long and repeat: trace and parent ids,
 *   thread ids, metadata and payloads shared by runs; never names or statuses.
 *
 * Nothing is lost: `expandRunTable` gives back each run exactly as `shapeRun` made it. The text
 * is the same table (see runTableLines), with `@n` for ref n, so an agent shown either view
 * reads the same page.
 */
import { z } from "zod";
import { hasTimeShape } from "../api-time.js";
import { dropEmpty, fieldValue, isEmptyValue, num } from "./render.js";
import { LEADING_FIELDS, TIME_FIELDS, type RunView } from "./run-fields.js";

/** The output schema of a run table: what a program needs to read it back. */
export const RunTableSchema = z.object({
  columns: z.array(z.string()).describe("Field of each row position; id first."),
  rows: z.array(z.array(z.unknown())).describe("One run per row, values in column order; null or missing at the end: not recorded."),
  same: z.record(z.string(), z.unknown()).optional().describe("Fields with this one value for every run (not in columns)."),
  date: z.string().optional().describe("UTC date of the times written without one, as hhmmss.ffffff (ISO 8601 basic)."),
  refs: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Values of ref_columns stored once: their cells (each element, for a list) are keys here, e.g. 3 for refs["3"].'),
  ref_columns: z.array(z.string()).optional(),
  legend: z.string().optional().describe("The two rules above in words, for a model shown this JSON without its schema."),
});

export type RunTable = z.infer<typeof RunTableSchema>;

/** Leading columns, in reading order. */
const HEAD = ["id", "name", "run_type", "status", "start_time"];
/** `203256.557712`: a time on the table's date, ISO 8601 basic format (hhmmss.ffffff), UTC. */
const SHORT_TIME = /^(\d{2})(\d{2})(\d{2}(?:\.\d+)?)$/;
/** A LangSmith id: the values of id-list columns (parent_run_ids) are encoded one by one. */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Characters a ref cell costs beyond its key (quotes, comma) and a `refs` entry beyond key and value. */
const REF_CELL_OVERHEAD = 3;
const REF_ENTRY_OVERHEAD = 6;
/** A column's values are aliased only when they average this many characters of JSON (an id has 38). */
const MIN_REF_CHARS = 24;

const key = (value: unknown): string => JSON.stringify(value);

/**
 * Whether `value` reads the same as `first` in JSON (`firstKey` is key(first) when first is an
 * object): two strings or two booleans compare as they are (their JSON is one-to-one), all else
 * by its JSON (NaN, ±Infinity and null all read null).
 */
function sameValue(value: unknown, first: unknown, firstKey: string | undefined): boolean {
  if (value === first) return true;
  if (typeof value === typeof first && (typeof value === "string" || typeof value === "boolean")) return false;
  return key(value) === (firstKey ?? key(first));
}
/**
 * Whether dropEmpty would give `run` back as it is: every value a non-empty string, a number or
 * a boolean (a compact run's every field). Anything else, objects and lists included, is left
 * to dropEmpty.
 */
function nothingToDrop(run: RunView): boolean {
  for (const key in run) {
    const value: unknown = run[key];
    if (typeof value === "string" ? value === "" : typeof value !== "number" && typeof value !== "boolean") return false;
  }
  return true;
}

const isIdList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string" && ID.test(v));

/** The table of `runs` (shaped by shapeRun), saying each repeated fact once. */
export function tabulateRuns(shaped: readonly RunView[]): RunTable {
  // Rows are kept as built (payload cells hold the user's nulls), so empties are dropped here, as
  // for any structured result: null, "", [] and {} inside non-payload fields included. After this
  // no field of a run holds an empty value: a field is either absent or says something (dropEmpty
  // prunes plain objects only, so a run made otherwise, e.g. without a prototype, is copied first).
  const runs = shaped.map((run) => {
    const plain = Object.getPrototypeOf(run) === Object.prototype ? run : { ...run };
    return nothingToDrop(plain) ? plain : dropEmpty(plain);
  });
  // Fields in order of first appearance, each with how many runs hold it: one pass, no per-field rescans.
  // Each run's values are kept by field number (Object.values, in the order of Object.keys), so cells are
  // read by index, not by name. Runs of a page mostly list the same fields in the same order: a field at
  // the position it had in the run before is numbered without looking it up.
  const fieldNumber = new Map<string, number>();
  const heldBy: number[] = [];
  const valuesOf: unknown[][] = new Array(runs.length);
  let lastFields: string[] = [];
  let lastNumbers: number[] = [];
  for (let r = 0; r < runs.length; r++) {
    const fields = Object.keys(runs[r]!);
    const values = Object.values(runs[r]!);
    const numbers: number[] = new Array(fields.length);
    const byNumber: unknown[] = [];
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      let n = field === lastFields[i] ? lastNumbers[i] : fieldNumber.get(field);
      if (n === undefined) {
        n = heldBy.length;
        fieldNumber.set(field, n);
        heldBy.push(0);
      }
      heldBy[n]!++;
      numbers[i] = n;
      byNumber[n] = values[i];
    }
    valuesOf[r] = byNumber;
    lastFields = fields;
    lastNumbers = numbers;
  }
  const valueAt = (r: number, field: string): unknown => valuesOf[r]![fieldNumber.get(field)!];
  const seen = [...fieldNumber.keys()];
  // After the head, fields most runs hold come first, so a row's unrecorded fields are mostly at its end, where they cost nothing.
  const rest = [...LEADING_FIELDS.filter((f) => fieldNumber.has(f)), ...seen.filter((f) => !LEADING_FIELDS.includes(f))].filter(
    (f) => !HEAD.includes(f),
  );
  const ordered = [
    ...HEAD.filter((f) => fieldNumber.has(f)),
    ...rest
      .map((f, i) => ({ f, i, n: heldBy[fieldNumber.get(f)!]! }))
      .sort((a, b) => b.n - a.n || a.i - b.i)
      .map(({ f }) => f),
  ];

  const same: Record<string, unknown> = {};
  const columns = ordered.filter((field) => {
    if (field === "id" || runs.length < 2) return true;
    const first = valueAt(0, field);
    if (isEmptyValue(first)) return true;
    const firstKey = typeof first === "object" ? key(first) : undefined;
    if (!runs.every((_, r) => sameValue(valueAt(r, field), first, firstKey))) return true;
    same[field] = first;
    return false;
  });
  const width = columns.length;
  const cells: unknown[][] = new Array(runs.length);
  const columnNumbers = columns.map((field) => fieldNumber.get(field)!);
  for (let r = 0; r < runs.length; r++) {
    const values = valuesOf[r]!;
    const row: unknown[] = new Array(width);
    for (let c = 0; c < width; c++) row[c] = values[columnNumbers[c]!] ?? null;
    cells[r] = row;
  }

  const timeColumns = columns.flatMap((field, c) => (TIME_FIELDS.has(field) ? [c] : []));
  const { date, fullTimes } = commonDate(cells, timeColumns);
  if (date) {
    timeColumns.forEach((c, k) => {
      for (let r = 0; r < cells.length; r++) {
        const value = cells[r]![c];
        if (fullTimes[k * cells.length + r] === 1 && (value as string).startsWith(date)) cells[r]![c] = shortTime(value as string);
      }
    });
  }

  const refs = new Map<string, number>();
  const values: Record<string, unknown> = {};
  // `k` is key(value), worked out once per value by the caller.
  const alias = (value: unknown, k: string): number => {
    let ref = refs.get(k);
    if (ref === undefined) {
      ref = refs.size + 1;
      refs.set(k, ref);
      values[ref] = value;
    }
    return ref;
  };
  const refColumns: string[] = [];
  columns.forEach((field, c) => {
    if (field === "id" || TIME_FIELDS.has(field)) return;
    const present = cells.map((row) => row[c]).filter((v) => v !== null);
    const elementwise = present.length > 0 && present.every(isIdList);
    const items = elementwise ? (present as string[][]).flat() : present;
    // Short values (names, statuses, numbers) cost a token or two: an alias would cost as much. Most columns are ruled
    // out here from their values' JSON lengths, without writing each value's JSON (what dominated a table's cost).
    const screened = screenColumn(items);
    if (screened === "skip") return;
    if (screened !== "measure") {
      // Strings JSON writes as they are: each one's JSON is itself in quotes, so nothing is written to measure them.
      const { distinct, chars: before } = screened;
      let after = items.length * (String(refs.size + distinct.size).length + REF_CELL_OVERHEAD);
      for (const value of distinct) after += value.length + 2 + REF_ENTRY_OVERHEAD;
      if (after >= before) return;
      refColumns.push(field);
      const refOf = new Map<string, number>();
      const aliasString = (value: string): number => {
        let ref = refOf.get(value);
        if (ref === undefined) refOf.set(value, (ref = alias(value, `"${value}"`)));
        return ref;
      };
      for (const row of cells) {
        const value = row[c];
        if (value === null) continue;
        row[c] = elementwise ? (value as string[]).map(aliasString) : aliasString(value as string);
      }
      return;
    }
    const keys = items.map(key);
    const distinct = new Set(keys);
    const before = keys.reduce<number>((n, k) => n + k.length, 0);
    if (distinct.size === items.length || before < items.length * MIN_REF_CHARS) return;
    const after =
      items.length * (String(refs.size + distinct.size).length + REF_CELL_OVERHEAD) +
      [...distinct].reduce((n, k) => n + k.length + REF_ENTRY_OVERHEAD, 0);
    if (after >= before) return;
    refColumns.push(field);
    let next = 0;
    for (const row of cells) {
      if (row[c] === null) continue;
      row[c] = elementwise ? (row[c] as string[]).map((id) => alias(id, keys[next++]!)) : alias(row[c], keys[next++]!);
    }
  });

  // The cells are this function's own arrays: trimmed in place rather than copied.
  for (const row of cells) {
    let end = row.length;
    while (end > 1 && row[end - 1] === null) end--;
    row.length = end;
  }
  const rows = cells;
  const legend = [
    ...(date ? [`a time without a date is hhmmss.ffffff UTC on ${date}`] : []),
    ...(refColumns.length ? [`a number n in ${refColumns.join(", ")} stands for refs["n"]`] : []),
  ];
  return {
    columns,
    rows,
    ...(Object.keys(same).length && { same }),
    ...(date && { date }),
    ...(refColumns.length && { refs: values, ref_columns: refColumns }),
    ...(legend.length && { legend: `${legend.join("; ")}.` }),
  };
}

/** A character JSON writes escaped: a string without one is written as itself in quotes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what JSON escapes
const ESCAPED_IN_JSON = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * What aliasing `items` (a column's values) needs, decided as far as it can be without their
 * JSON: "skip" when certainly not worth it (all distinct, or averaging under MIN_REF_CHARS
 * characters of JSON); for strings JSON writes as they are (their length plus two quotes), their
 * JSON length in all and the distinct ones; "measure" when it cannot tell (other values, or a
 * string JSON escapes): the caller measures the JSON then. Numbers and booleans write under 24
 * characters of JSON (a number at most `-1.2345678901234567e-300`; a non-finite one as `null`).
 */
function screenColumn(items: readonly unknown[]): "skip" | "measure" | { distinct: Set<string>; chars: number } {
  let chars = 0;
  let strings = true;
  for (const item of items) {
    if (typeof item === "string") {
      if (ESCAPED_IN_JSON.test(item)) return "measure";
      chars += item.length + 2;
    } else if (typeof item === "boolean" || typeof item === "number") {
      const text = String(item);
      if (text.length >= MIN_REF_CHARS) return "measure";
      strings = false;
      chars += MIN_REF_CHARS - 1;
    } else return "measure";
  }
  if (chars < items.length * MIN_REF_CHARS) return "skip";
  if (!strings) return "measure";
  // Strings alone: distinct as strings exactly when distinct as JSON.
  const distinct = new Set(items as string[]);
  return distinct.size === items.length ? "skip" : { distinct, chars };
}

/**
 * The UTC date that most full times of the table (in `timeColumns`) fall on, when at least two
 * share it; of dates as common, the first met (column by column, row by row). With it, which
 * cells hold a full time: `fullTimes[k * rows + r]` is 1 for row r of the k-th time column.
 */
function commonDate(cells: unknown[][], timeColumns: readonly number[]): { date: string | undefined; fullTimes: Uint8Array } {
  const counts = new Map<string, { n: number }>();
  // Which cells hold a full time (1), time column by time column: the caller shortens those on the date without testing again.
  const fullTimes = new Uint8Array(timeColumns.length * cells.length);
  // Times of a page fall on a date or two: the date of the time before is checked first, without a substring.
  let last: { date: string; count: { n: number } } | undefined;
  for (let k = 0; k < timeColumns.length; k++) {
    const c = timeColumns[k]!;
    for (let r = 0; r < cells.length; r++) {
      const value = cells[r]![c];
      if (typeof value !== "string" || !isFullTime(value)) continue;
      fullTimes[k * cells.length + r] = 1;
      if (last === undefined || !value.startsWith(last.date)) {
        const date = value.slice(0, DATE_CHARS);
        let count = counts.get(date);
        if (count === undefined) counts.set(date, (count = { n: 0 }));
        last = { date, count };
      }
      last.count.n++;
    }
  }
  let best: [string, number] | undefined;
  for (const [date, { n }] of counts) if (best === undefined || n > best[1]) best = [date, n];
  return { date: best && best[1] >= 2 ? best[0] : undefined, fullTimes };
}

/** `YYYY-MM-DD`. */
const DATE_CHARS = 10;

/**
 * Whether `value` is a full time in the one form shapeRun gives times (apiTimestamp), e.g.
 * `2026-11-30T20:28:55.557712Z`: `YYYY-MM-DDTHH:MM:SS`, optionally `.` and one or more digits,
 * then `Z`.
 */
function isFullTime(value: string): boolean {
  const n = value.length;
  if (n < 20 || n === 21 || value.charCodeAt(n - 1) !== 90 /* Z */) return false;
  return hasTimeShape(value, n === 20 ? 19 : n - 1);
}

/** A full time on the table's date as SHORT_TIME writes it: `HH:MM:SS.ffffffZ` → `HHMMSS.ffffff`. */
const shortTime = (value: string): string => value.slice(11, 13) + value.slice(14, 16) + value.slice(17, -1);

/**
 * The runs of a table, each as one object of field → value, exactly as before tabulating: refs
 * resolved, times on `date` written in full, `same` fields on every run, unrecorded fields
 * absent. What a program reading the structured result does (see the output schema).
 */
export function expandRunTable(table: RunTable): RunView[] {
  const refColumns = new Set(table.ref_columns ?? []);
  const resolve = (ref: unknown): unknown =>
    typeof ref === "number" && table.refs && String(ref) in table.refs ? table.refs[String(ref)] : ref;
  return table.rows.map((row) => {
    const run: Record<string, unknown> = {};
    table.columns.forEach((field, c) => {
      let value = row[c];
      if (value === null || value === undefined) return;
      if (refColumns.has(field)) value = Array.isArray(value) ? value.map(resolve) : resolve(value);
      const short = table.date && TIME_FIELDS.has(field) && typeof value === "string" ? SHORT_TIME.exec(value) : null;
      if (short) value = `${table.date}T${short[1]}:${short[2]}:${short[3]}Z`;
      run[field] = value;
    });
    return { ...(table.same ?? {}), ...run } as RunView;
  });
}

/** Longest value kept in a table cell; a longer one goes on a `key: value` line under its row. */
const CELL_CHARS = 40;

/** A value as a table cell: refs as `@n`, numbers bare (the header says the units). */
function cellText(_field: string, value: unknown, isRef: boolean): string {
  if (value === null || value === undefined) return "";
  if (isRef) return Array.isArray(value) ? value.map((ref) => `@${ref}`).join(", ") : `@${value}`;
  if (typeof value === "number") return num(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) return value.join(", ");
  if (typeof value === "string") return value.includes("|") ? value.replace(/\|/g, "\\|") : value;
  return JSON.stringify(value);
}

// A value ending in "\\" would read as an escaped separator ("\\|"): it goes on its own line instead.
const fitsCell = (text: string): boolean =>
  text.length <= CELL_CHARS && !text.includes("\n") && !text.includes("\r") && !text.endsWith("\\");

/**
 * The text of a table: what a time without a date means, the fields every run shares, the
 * refs, then a header of column names and one row per run starting with its id, cells split by
 * `|` (a `|` inside a value written `\|`), blank where nothing was recorded; a value too long
 * for a cell goes on a `  key: value` line under its row.
 */
export function runTableLines(table: RunTable): string[] {
  const refColumns = new Set(table.ref_columns ?? []);
  const lines: string[] = [];
  if (table.date) lines.push(`Times are UTC; one without a date is on ${table.date}, written hhmmss.ffffff.`);
  if (table.same) {
    lines.push(
      `Same for every run: ${Object.entries(table.same)
        .map(([field, value]) => `${field}: ${fieldValue(field, value)}`)
        .join("; ")}`,
    );
  }
  // A ref to an id of a row on this page (a trace's root) is named on that row, `@n=<id>`, not listed again.
  const idColumn = table.columns.indexOf("id");
  const rowIds = new Set(table.rows.map((row) => row[idColumn]));
  const namedOnRow = new Map<unknown, string>();
  if (table.refs) {
    lines.push(`@n in ${[...refColumns].join(", ")} stands for the value given here, or for the id of the row starting @n=:`);
    for (const [ref, value] of Object.entries(table.refs)) {
      if (rowIds.has(value)) namedOnRow.set(value, ref);
      else lines.push(`@${ref}=${fieldValue("", value)}`);
    }
  }
  // Each cell's text is worked out once; the rows are then written from it without intermediate arrays.
  const width = table.columns.length;
  const inTable: boolean[] = table.columns.map((field) => field === "id");
  const isRef = table.columns.map((field) => refColumns.has(field));
  const text = table.rows.map((row) => {
    const cells: string[] = new Array(width);
    for (let c = 0; c < width; c++) {
      const value = row[c];
      cells[c] =
        c === idColumn && namedOnRow.has(value) ? `@${namedOnRow.get(value)}=${value}` : cellText(table.columns[c]!, value, isRef[c]!);
    }
    return cells;
  });
  // A number, a boolean, a single ref or nothing always makes a short one-line cell: only other cells are measured.
  const fits = (value: unknown, cell: string): boolean =>
    value === null || value === undefined || typeof value === "number" || typeof value === "boolean" || fitsCell(cell);
  for (let c = 0; c < width; c++) if (!inTable[c]) inTable[c] = text.every((cells, r) => fits(table.rows[r]![c], cells[c]!));
  const tableColumns = table.columns.filter((_, c) => inTable[c]);
  const costs = tableColumns.filter((field) => field.endsWith("_cost"));
  if (costs.length) lines.push(`${costs.join(", ")} in US dollars.`);
  lines.push(tableColumns.join("|"));
  table.rows.forEach((row, r) => {
    const cells = text[r]!;
    // The last column in the table holding text: blanks after it are left off.
    let last = -1;
    for (let c = 0; c < width; c++) if (inTable[c] && (cells[c] !== "" || last === -1)) last = c;
    let line = "";
    let first = true;
    for (let c = 0; c <= last; c++) {
      if (!inTable[c]) continue;
      line = first ? cells[c]! : `${line}|${cells[c]}`;
      first = false;
    }
    lines.push(line);
    for (let c = 0; c < width; c++) {
      if (!inTable[c] && cells[c])
        lines.push(`  ${table.columns[c]}: ${refColumns.has(table.columns[c]!) ? cells[c] : fieldValue(table.columns[c]!, row[c], "  ")}`);
    }
  });
  return lines;
}
