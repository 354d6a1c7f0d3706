import { z } from "zod";
import { UserInputError } from "../errors.js";
import { RUN_SELECT_FIELDS, type RunSelectField, type RunV2 } from "../langsmith/index.js";
import { truncateText } from "./output-budget.js";
import { apiTimestamp } from "../api-time.js";
import { fieldValue, isEmptyValue } from "./render.js";

/**
 * Field presets for run results. Compact is the default everywhere: it answers "what ran,
 * did it fail, how long, how much" in ~300 bytes a run.
 */
export const RUN_FIELD_PRESETS = {
  compact: [
    "ID",
    "NAME",
    "RUN_TYPE",
    "STATUS",
    "START_TIME",
    "END_TIME",
    "LATENCY_SECONDS",
    "TOTAL_TOKENS",
    "TOTAL_COST",
    "ERROR_PREVIEW",
    "TRACE_ID",
    "IS_ROOT",
  ],
  detailed: [
    "ID",
    "NAME",
    "RUN_TYPE",
    "STATUS",
    "START_TIME",
    "END_TIME",
    "LATENCY_SECONDS",
    "TOTAL_TOKENS",
    "PROMPT_TOKENS",
    "COMPLETION_TOKENS",
    "TOTAL_COST",
    "FIRST_TOKEN_TIME",
    "ERROR_PREVIEW",
    "TRACE_ID",
    "IS_ROOT",
    "PARENT_RUN_IDS",
    "THREAD_ID",
    "TAGS",
    "METADATA",
    "INPUTS_PREVIEW",
    "OUTPUTS_PREVIEW",
    "FEEDBACK_STATS",
    "PROJECT_ID",
  ],
  // Everything a single run can tell, except the secret share URL and pre-signed attachment URLs.
  full: RUN_SELECT_FIELDS.filter((field) => field !== "SHARE_URL" && field !== "ATTACHMENTS"),
} as const satisfies Record<string, readonly RunSelectField[]>;

export type RunFieldPreset = keyof typeof RUN_FIELD_PRESETS;

/** Fields an agent may name; SHARE_URL only through get_run's explicit switch. */
const SELECTABLE = RUN_SELECT_FIELDS.filter((field) => field !== "SHARE_URL").map((f) => f.toLowerCase());

export const runFieldsParam = (defaultPreset: RunFieldPreset) =>
  z
    .union([z.enum(["compact", "detailed", "full"]), z.array(z.string()).min(1).max(RUN_SELECT_FIELDS.length)])
    .default(defaultPreset)
    .describe(
      `Run fields: "compact" (id, name, type, status, times, latency, tokens, cost, error), "detailed" (+ tags, ` +
        `metadata, thread, input/output previews, feedback), "full" (all), or names like ["name", "outputs"]. Default "${defaultPreset}".`,
    );

/** Turns the `fields` argument into the API's upper-case selects (always including ID). */
export function resolveSelects(fields: RunFieldPreset | readonly string[]): RunSelectField[] {
  if (typeof fields === "string") return [...RUN_FIELD_PRESETS[fields]];
  const selects = new Set<RunSelectField>(["ID"]);
  for (const name of fields) {
    const upper = name.trim().toUpperCase();
    if (upper === "SHARE_URL") {
      throw new UserInputError(
        "fields",
        "share_url cannot be selected here.",
        "It is a secret link; ask get_run with include_share_url: true when you really need it.",
      );
    }
    if (!(RUN_SELECT_FIELDS as readonly string[]).includes(upper)) {
      throw new UserInputError("fields", `unknown field "${name}".`, `Known fields: ${SELECTABLE.join(", ")}.`);
    }
    selects.add(upper as RunSelectField);
  }
  return [...selects];
}

/** Payload fields whose size is the user's own; everything else is bounded by the API. */
const PAYLOAD_FIELDS = [
  "inputs",
  "outputs",
  "extra",
  "metadata",
  "events",
  "manifest",
  "error",
  "feedback_stats",
  "error_preview",
  "inputs_preview",
  "outputs_preview",
] as const;

/** Times shown in one lossless form (microseconds kept), so v1 and v2 answers read alike. */
export const TIME_FIELDS: ReadonlySet<string> = new Set(["start_time", "end_time", "first_token_time", "thread_evaluation_time"]);

export interface FieldCut {
  field: string;
  original_chars: number;
  shown_chars: number;
}

export type RunView = Record<string, unknown> & { id: string };

/**
 * Shapes an API run for an agent: lower-case enums (as the filter language writes them),
 * payload fields cut to `maxFieldChars` of JSON, attachments reduced to their names (their
 * URLs are pre-signed, i.e. credentials), no share URL unless `keepShareUrl`.
 */
export function shapeRun(run: RunV2, maxFieldChars: number, cuts: FieldCut[], keepShareUrl = false): RunView {
  const view: RunView = { id: run.id };
  // Keys, not entries: a page shapes every field of every run, and entries' pairs were most of that cost.
  const keys = Object.keys(run);
  let previews = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value: unknown = run[key];
    // Null and absent say the same ("not recorded"; LangSmith may send either), so neither is shown.
    if (value === undefined || value === null || key === "id") continue;
    const kind = FIELD_KINDS.get(key);
    if (kind === undefined) {
      view[key] = value;
      continue;
    }
    switch (kind) {
      case "share_url":
        if (keepShareUrl) view[key] = value;
        continue;
      case "attachments":
        view[key] = typeof value === "object" ? Object.keys(value) : value;
        continue;
      case "time":
        view[key] = typeof value === "string" ? (apiTimestamp(value) ?? value) : value;
        continue;
      case "enum":
        view[key] = typeof value === "string" ? value.toLowerCase() : value;
        continue;
      case "preview":
        previews = true;
        break;
    }
    // A payload: the user's own size, cut to maxFieldChars of JSON.
    const json = typeof value === "string" ? value : JSON.stringify(value);
    if (json.length > maxFieldChars) {
      const cut = truncateText(json, maxFieldChars);
      cuts.push({ field: key, original_chars: json.length, shown_chars: cut.text.length });
      view[key] = cut.text;
    } else view[key] = value;
  }
  // A preview repeats the start of its full field; when both were selected, the full one says it all.
  if (previews) for (const [full, preview] of PREVIEWS) if (view[full] !== undefined) delete view[preview];
  return view;
}

/** How shapeRun treats a field; fields not listed pass as sent. */
type FieldKind = "share_url" | "attachments" | "time" | "enum" | "payload" | "preview";
const FIELD_KINDS: ReadonlyMap<string, FieldKind> = new Map<string, FieldKind>([
  ...PAYLOAD_FIELDS.map((field): [string, FieldKind] => [field, field.endsWith("_preview") ? "preview" : "payload"]),
  ...[...TIME_FIELDS].map((field): [string, FieldKind] => [field, "time"]),
  ["run_type", "enum"],
  ["status", "enum"],
  ["share_url", "share_url"],
  ["attachments", "attachments"],
]);

const PREVIEWS = [
  ["inputs", "inputs_preview"],
  ["outputs", "outputs_preview"],
  ["error", "error_preview"],
] as const;

/** Facts read first, in this order; every other field follows in the order LangSmith sent it. */
export const LEADING_FIELDS: readonly string[] = [
  "start_time",
  "end_time",
  "latency_seconds",
  "first_token_time",
  "total_tokens",
  "prompt_tokens",
  "completion_tokens",
  "total_cost",
  "prompt_cost",
  "completion_cost",
  "trace_id",
  "is_root",
  "parent_run_id",
  "parent_run_ids",
  "thread_id",
  "project_id",
  "session_id",
  "error_preview",
  "error",
];
/** A short fact shares its line with others; a long one gets a line to itself. */
const SHORT_FACT_CHARS = 80;
const LINE_CHARS = 140;

/**
 * A run for the text content: `- <id> <name> · <type> · <status>`, then every other field
 * it holds as `key: value` (numbers with units, payloads as one-line JSON, cut as in the
 * structured result), short facts several to a line.
 */
export function runBlock(run: RunView, indent = "  "): string {
  const head = [run.name, run.run_type, run.status].filter((v) => typeof v === "string" && v !== "").join(" · ");
  const rest = Object.keys(run).filter((key) => key !== "id" && key !== "name" && key !== "run_type" && key !== "status");
  const ordered = [...LEADING_FIELDS.filter((key) => rest.includes(key)), ...rest.filter((key) => !LEADING_FIELDS.includes(key))];
  const lines = [`- ${run.id}${head ? ` ${head}` : ""}`];
  let line = "";
  const flush = () => {
    if (line) lines.push(indent + line);
    line = "";
  };
  for (const key of ordered) {
    const value = run[key];
    if (isEmptyValue(value)) continue;
    const fact = `${key}: ${fieldValue(key, value, indent)}`;
    if (fact.length > SHORT_FACT_CHARS || fact.includes("\n")) {
      flush();
      lines.push(indent + fact);
    } else if (line && line.length + 2 + fact.length > LINE_CHARS) {
      flush();
      line = fact;
    } else {
      line = line ? `${line}  ${fact}` : fact;
    }
  }
  flush();
  return lines.join("\n");
}
