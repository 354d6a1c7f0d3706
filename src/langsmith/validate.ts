/**
 * Local checks the client runs before sending anything: a request LangSmith would reject
 * costs a round trip and a rate-limit token, and its 400 is less precise than ours.
 */
import { apiTimestamp } from "../api-time.js";
import { UserInputError } from "../errors.js";
import { checkFilter, FilterError } from "../filter/index.js";
import type { RunsQueryV1Request, RunsQueryV2Request } from "./schemas.js";

/**
 * Any 8-4-4-4-12 hex id in any case: LangSmith mints UUID v4 and v7, and OpenTelemetry-derived
 * run and trace ids carry no RFC 4122 version or variant digits, so neither is checked.
 */
export function isUuid(value: unknown): boolean {
  // Char by char, not a regular expression: about 1.6× as fast, and a purge's re-query tests 10,000 ids.
  if (typeof value !== "string" || value.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false; // "-"
    } else if (c > 127 || HEX_DIGIT[c] !== 1) return false;
  }
  return true;
}

/** 1 at the char codes of 0-9, a-f and A-F. */
const HEX_DIGIT = new Uint8Array(128);
for (const digit of "0123456789abcdefABCDEF") HEX_DIGIT[digit.charCodeAt(0)] = 1;

export function assertUuid(field: string, value: unknown): asserts value is string {
  if (!isUuid(value)) {
    const shown = typeof value === "string" ? JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value) : String(value);
    throw new UserInputError(field, `expected a UUID such as 018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327, got ${shown}.`);
  }
}

/**
 * Checks an id and returns it in lower case, the form LangSmith stores: ids that differ only in
 * case name the same run, and a request must never depend on the caller's casing.
 * @throws UserInputError naming `field` when the value is not 8-4-4-4-12 hex.
 */
export function idParam(field: string, value: unknown): string {
  assertUuid(field, value);
  return value.toLowerCase();
}

/** `idParam` over a list; undefined stays undefined. (The field's name is built only for an error: lists run to 1000 ids.) */
export function idList(field: string, values: readonly unknown[] | undefined): string[] | undefined {
  return values?.map((value, i) => (isUuid(value) ? (value as string).toLowerCase() : idParam(`${field}[${i}]`, value)));
}

/**
 * Id lists that passed `assertUuids` and cannot have changed since: frozen arrays only. A
 * purge's recorded ids are cut into frozen 1000-id chunks once (purge/recorded-ids.ts) and sent
 * again on every check of it; testing the 10,000 ids again each time cost ~1.4 ms a check.
 */
const checkedIdLists = new WeakSet<readonly unknown[]>();

export function assertUuids(field: string, values: readonly unknown[] | undefined): void {
  if (values === undefined || checkedIdLists.has(values)) return;
  for (let i = 0; i < values.length; i++) if (!isUuid(values[i])) assertUuid(`${field}[${i}]`, values[i]);
  if (Object.isFrozen(values)) checkedIdLists.add(values);
}

/**
 * RFC 3339 date-time; a space in place of `T` (RFC 3339 §5.6 note, Python's `str(datetime)`),
 * a zone without colon (`+0000`) and a naive time (v1's UTC) are taken too, as `apiTimestamp`
 * reads them; senders normalise with it before the request goes out.
 */
export function assertTimestamp(field: string, value: unknown): asserts value is string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}[T ]/i.test(value.trim()) || apiTimestamp(value) === null) {
    throw new UserInputError(field, `expected an RFC 3339 timestamp such as 2024-01-15T10:30:00Z, got ${JSON.stringify(value)}.`);
  }
}

/**
 * A timestamp `assertTimestamp` accepted, in the form sent to LangSmith: RFC 3339 with `T` and a
 * zone. One already in that form is sent as written (v2 matches start_time to the microsecond);
 * others are rewritten losslessly (fraction kept) by `apiTimestamp`.
 */
export function wireTimestamp(value: string): string {
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}T[^ ]*(?:Z|[+-]\d{2}:\d{2})$/i.test(text)) return text;
  return apiTimestamp(text) ?? text;
}

export function assertIntegerInRange(field: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UserInputError(field, `must be an integer from ${min} to ${max}, got ${value}.`);
  }
}

export const FILTER_FIELDS = ["filter", "trace_filter", "tree_filter"] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

const FILTER_HINT = 'Filters are prefix calls such as and(eq(run_type, "llm"), gt(latency, 5)); fix the expression at the position given.';

/**
 * Parses and reviews each filter field; returns the checker's warnings (unknown operators or
 * attributes, `not(...)`, `neq(error, "null")`, ...). The filter itself is sent as written:
 * LangSmith, not this check, decides what it accepts.
 * @throws UserInputError naming the field when a filter does not parse, with the column.
 */
export function checkFilters(body: Partial<Record<FilterField, string | undefined>>): string[] {
  const warnings: string[] = [];
  for (const field of FILTER_FIELDS) {
    const text = body[field];
    if (text === undefined) continue;
    try {
      warnings.push(...checkFilter(text).warnings.map((w) => `${field}: ${w}`));
    } catch (err) {
      if (err instanceof FilterError)
        throw new UserInputError(field, /[.!?]$/.test(err.message) ? err.message : `${err.message}.`, FILTER_HINT);
      throw err;
    }
  }
  return warnings;
}

/** Checks of contract §3.1 that do not need the server. */
export function validateRunsQueryV2(body: RunsQueryV2Request): string[] {
  const hasProjects = body.project_ids !== undefined;
  const hasDataset = body.reference_dataset_id !== undefined;
  if (hasProjects === hasDataset) {
    throw new UserInputError(
      "project_ids",
      hasProjects
        ? "project_ids and reference_dataset_id are mutually exclusive."
        : "one of project_ids or reference_dataset_id is required.",
      "Give the project ids to query, or a reference dataset id, but not both.",
    );
  }
  if (hasProjects && body.project_ids?.length === 0) {
    throw new UserInputError("project_ids", "must list at least one project id.");
  }
  assertUuids("project_ids", body.project_ids);
  if (hasDataset) assertUuid("reference_dataset_id", body.reference_dataset_id);
  assertUuids("ids", body.ids);
  assertUuids("reference_examples", body.reference_examples);
  if (body.trace_id !== undefined) assertUuid("trace_id", body.trace_id);
  if (body.min_start_time !== undefined) assertTimestamp("min_start_time", body.min_start_time);
  if (body.max_start_time !== undefined) assertTimestamp("max_start_time", body.max_start_time);
  assertIntegerInRange("page_size", body.page_size, 1, 1000);
  return checkFilters(body);
}

/** Checks of contract §3.3 that do not need the server. */
export function validateRunsQueryV1(body: RunsQueryV1Request): string[] {
  assertUuids("id", body.id);
  assertUuids("session", body.session);
  assertUuids("reference_example", body.reference_example);
  if (body.trace !== undefined) assertUuid("trace", body.trace);
  if (body.parent_run !== undefined) assertUuid("parent_run", body.parent_run);
  if (body.start_time !== undefined) assertTimestamp("start_time", body.start_time);
  if (body.end_time !== undefined) assertTimestamp("end_time", body.end_time);
  assertIntegerInRange("limit", body.limit, 1, 100);
  return checkFilters(body);
}
