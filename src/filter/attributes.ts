import type { FilterableRun } from "./subject.js";

/**
 * The attribute table of the trace query language (contract §6, LangSmith's
 * "trace-query-syntax" page), as data. The checker reads it to say what looks wrong, the
 * evaluator to know what each attribute reads, and tools can render it for agents.
 *
 * Not an allow-list: LangSmith is the judge of what it accepts. An attribute missing here
 * only earns a warning from the checker; the simulator, standing in for LangSmith, answers 400.
 */

export type FilterAttributeKind =
  | "string"
  | "enum"
  | "number"
  | "time"
  | "duration"
  | "boolean"
  | "list"
  | "pair-key"
  | "pair-value"
  /** A JSON document (metadata): `has(metadata, '{"k": "v"}')`, `exists(metadata, "k")`. */
  | "json";

/** Key/value collections whose key and value attributes pair up inside one `and(...)`. */
export type PairFamily = "metadata" | "feedback" | "input" | "output";

/** The FilterableRun field each pair family ranges over (one entry per top-level key). */
export const PAIR_FAMILY_FIELDS = Object.freeze({
  metadata: "metadata",
  feedback: "feedback",
  input: "inputs",
  output: "outputs",
} as const satisfies Record<PairFamily, keyof FilterableRun>);

export interface FilterAttribute {
  readonly name: string;
  readonly kind: FilterAttributeKind;
  /** Whether `eq(attr, null)` / `neq(attr, null)` make sense. */
  readonly nullable: boolean;
  /** The FilterableRun field it reads. */
  readonly reads: keyof FilterableRun;
  /** Pair attributes: the collection they pair over. */
  readonly family?: PairFamily;
  /** Pair values: how values compare (`string` compares the text of scalar values). */
  readonly valueType?: "string" | "number";
  /** Enums: the accepted values, lower case; comparisons ignore case. */
  readonly values?: readonly string[];
  readonly description: string;
  /** Where LangSmith documents it, when not the contract's own list (contract §6). */
  readonly source?: string;
}

/** Document sources named in the table below (docs.langchain.com paths). */
export const DOC_SOURCES = Object.freeze({
  querySyntax: "docs.langchain.com/langsmith/trace-query-syntax",
  exportTraces: "docs.langchain.com/langsmith/export-traces",
  dataExport: "docs.langchain.com/langsmith/data-export (bulk export filter example)",
  datasetFilters: "docs.langchain.com/langsmith/manage-datasets-programmatically (example filters)",
  runDataFormat: "docs.langchain.com/langsmith/run-data-format (Run fields; not listed as filter fields)",
});

export const RUN_TYPES = ["tool", "chain", "llm", "retriever", "embedding", "prompt", "parser"] as const;
export const RUN_STATUSES = ["success", "error", "pending"] as const;

export const FILTER_ATTRIBUTES: readonly FilterAttribute[] = Object.freeze([
  { name: "id", kind: "string", nullable: false, reads: "id", description: "run id (uuid)" },
  { name: "trace_id", kind: "string", nullable: false, reads: "trace_id", description: "id of the trace's root run" },
  { name: "name", kind: "string", nullable: false, reads: "name", description: "run name" },
  {
    name: "run_type",
    kind: "enum",
    nullable: false,
    reads: "run_type",
    values: RUN_TYPES,
    description: "llm, chain, tool, retriever, embedding, prompt or parser (any case)",
  },
  {
    name: "status",
    kind: "enum",
    nullable: false,
    reads: "status",
    values: RUN_STATUSES,
    description: "success, error or pending (any case)",
  },
  { name: "start_time", kind: "time", nullable: false, reads: "start_time", description: "ISO timestamp" },
  { name: "end_time", kind: "time", nullable: true, reads: "end_time", description: "ISO timestamp; null while running" },
  {
    name: "latency",
    kind: "duration",
    nullable: true,
    reads: "latency",
    description: 'seconds (number) or a duration string such as "500ms", "5s", "2.5m", "1h"',
  },
  {
    name: "first_token_time",
    kind: "time",
    nullable: true,
    reads: "first_token_time",
    description: "ISO timestamp of the first streamed token",
  },
  { name: "total_tokens", kind: "number", nullable: true, reads: "total_tokens", description: "token count" },
  { name: "prompt_tokens", kind: "number", nullable: true, reads: "prompt_tokens", description: "prompt token count" },
  { name: "completion_tokens", kind: "number", nullable: true, reads: "completion_tokens", description: "completion token count" },
  { name: "total_cost", kind: "number", nullable: true, reads: "total_cost", description: "cost in USD" },
  {
    name: "prompt_cost",
    kind: "number",
    nullable: true,
    reads: "prompt_cost",
    description: "cost of the prompt tokens in USD",
    source: DOC_SOURCES.runDataFormat,
  },
  {
    name: "completion_cost",
    kind: "number",
    nullable: true,
    reads: "completion_cost",
    description: "cost of the completion tokens in USD",
    source: DOC_SOURCES.runDataFormat,
  },
  { name: "error", kind: "string", nullable: true, reads: "error", description: "error text; neq(error, null) selects errored runs" },
  {
    name: "execution_order",
    kind: "number",
    nullable: false,
    reads: "execution_order",
    description: "position within the trace (1 = root)",
  },
  { name: "tags", kind: "list", nullable: false, reads: "tags", description: 'run tags; has(tags, "x")' },
  {
    name: "metadata",
    kind: "json",
    nullable: false,
    reads: "metadata",
    description: `the run's metadata as a JSON object; has(metadata, '{"user_id": "47461"}') or exists(metadata, "user_id")`,
    source: `${DOC_SOURCES.querySyntax} ("has: check if run contains a tag or metadata json blob"); ${DOC_SOURCES.datasetFilters}`,
  },
  { name: "metadata_key", kind: "pair-key", nullable: false, reads: "metadata", family: "metadata", description: "a metadata key" },
  {
    name: "metadata_value",
    kind: "pair-value",
    nullable: true,
    reads: "metadata",
    family: "metadata",
    valueType: "string",
    description: "a metadata value, compared as text; pairs with metadata_key inside one and(...)",
  },
  { name: "feedback_key", kind: "pair-key", nullable: false, reads: "feedback", family: "feedback", description: "a feedback key" },
  {
    name: "feedback_score",
    kind: "pair-value",
    nullable: true,
    reads: "feedback",
    family: "feedback",
    valueType: "number",
    description: "a feedback score (number); pairs with feedback_key inside one and(...)",
  },
  {
    name: "feedback_value",
    kind: "pair-value",
    nullable: true,
    reads: "feedback",
    family: "feedback",
    valueType: "string",
    description: "a categorical feedback value (text); pairs with feedback_key inside one and(...)",
    source: "not on the docs pages; accepted by the runs API per public reports",
  },
  {
    name: "input_key",
    kind: "pair-key",
    nullable: false,
    reads: "inputs",
    family: "input",
    description: "a top-level key of the run's inputs",
  },
  {
    name: "input_value",
    kind: "pair-value",
    nullable: true,
    reads: "inputs",
    family: "input",
    valueType: "string",
    description: "a top-level input value, compared as text; pairs with input_key inside one and(...)",
  },
  {
    name: "output_key",
    kind: "pair-key",
    nullable: false,
    reads: "outputs",
    family: "output",
    description: "a top-level key of the run's outputs",
  },
  {
    name: "output_value",
    kind: "pair-value",
    nullable: true,
    reads: "outputs",
    family: "output",
    valueType: "string",
    description: "a top-level output value, compared as text; pairs with output_key inside one and(...)",
  },
  { name: "thread_id", kind: "string", nullable: true, reads: "thread_id", description: "conversation thread id" },
  { name: "is_root", kind: "boolean", nullable: false, reads: "is_root", description: "true for a trace's root run" },
  {
    name: "parent_run_id",
    kind: "string",
    nullable: true,
    reads: "parent_run_id",
    description: "id of the parent run; null for a root run",
    source: `${DOC_SOURCES.querySyntax} (a filter argument there) and ${DOC_SOURCES.runDataFormat}`,
  },
  {
    name: "reference_example_id",
    kind: "string",
    nullable: true,
    reads: "reference_example_id",
    description: "id of the dataset example the run was evaluated on",
    source: `${DOC_SOURCES.querySyntax} (a filter argument there) and ${DOC_SOURCES.runDataFormat}`,
  },
] satisfies FilterAttribute[]);

const BY_NAME: ReadonlyMap<string, FilterAttribute> = new Map(FILTER_ATTRIBUTES.map((a) => [a.name, a]));

export function findAttribute(name: string): FilterAttribute | undefined {
  return BY_NAME.get(name);
}

export const ATTRIBUTE_NAMES: readonly string[] = FILTER_ATTRIBUTES.map((a) => a.name);
