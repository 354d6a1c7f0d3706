/**
 * Reads the compact run table of get_trace and query_runs (src/tools/run-table.ts documents
 * it; its output schema says the same): `columns` name each row position, `same` holds fields
 * every run shares, a time without a date is `hhmmss.ffffff` on `date` (UTC), and a number in
 * a `ref_columns` column (each element, for a list) stands for `refs["n"]`. The view's own
 * reader, free of the server's modules; test/apps/run-table-reader.test.ts holds it to the
 * server's expandRunTable on real tables.
 */
export interface RunTableWire {
  columns: string[];
  rows: unknown[][];
  same?: Record<string, unknown>;
  date?: string;
  refs?: Record<string, unknown>;
  ref_columns?: string[];
}

const TIME_FIELDS = new Set(["start_time", "end_time", "first_token_time", "thread_evaluation_time"]);
const SHORT_TIME = /^(\d{2})(\d{2})(\d{2}(?:\.\d+)?)$/;

/** Each run of the table as one object of field → value; unrecorded fields absent. */
export function readRunTable(table: RunTableWire): Record<string, unknown>[] {
  const refColumns = new Set(table.ref_columns ?? []);
  const resolve = (ref: unknown): unknown =>
    typeof ref === "number" && table.refs && String(ref) in table.refs ? table.refs[String(ref)] : ref;
  return (table.rows ?? []).map((row) => {
    const run: Record<string, unknown> = { ...(table.same ?? {}) };
    table.columns.forEach((field, c) => {
      let value = row[c];
      if (value === null || value === undefined) return;
      if (refColumns.has(field)) value = Array.isArray(value) ? value.map(resolve) : resolve(value);
      const short = table.date && TIME_FIELDS.has(field) && typeof value === "string" ? SHORT_TIME.exec(value) : null;
      if (short) value = `${table.date}T${short[1]}:${short[2]}:${short[3]}Z`;
      run[field] = value;
    });
    return run;
  });
}
