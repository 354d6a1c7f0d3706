import { z } from "zod";
import { UserInputError } from "../errors.js";
import { RUN_SELECT_FIELDS, type RunSelectField, type RunV2 } from "../langsmith/index.js";
import { truncateText } from "./output-budget.js";
import { apiTimestamp } from "../api-time.js";

/**
 * Field presets for run results. Compact is the default everywhere: it answers "what ran,
 * did it fail, how long, how much" in ~300 bytes a run.
 */
export const RUN_FIELD_PRESETS = {
  compact: [
    "ID", "NAME", "RUN_TYPE", "STATUS", "START_TIME", "END_TIME", "LATENCY_SECONDS",
    "TOTAL_TOKENS", "TOTAL_COST", "ERROR_PREVIEW", "TRACE_ID", "IS_ROOT",
  ],
  detailed: [
    "ID", "NAME", "RUN_TYPE", "STATUS", "START_TIME", "END_TIME", "LATENCY_SECONDS",
    "TOTAL_TOKENS", "PROMPT_TOKENS", "COMPLETION_TOKENS", "TOTAL_COST", "FIRST_TOKEN_TIME",
    "ERROR_PREVIEW", "TRACE_ID", "IS_ROOT", "PARENT_RUN_IDS", "THREAD_ID", "TAGS", "METADATA",
    "INPUTS_PREVIEW", "OUTPUTS_PREVIEW", "FEEDBACK_STATS", "PROJECT_ID",
  ],
  // Everything a single run can tell, except the secret share URL and pre-signed attachment URLs.
  full: RUN_SELECT_FIELDS.filter((field) => field !== "SHARE_URL" && field !== "ATTACHMENTS"),
} as const satisfies Record<string, readonly RunSelectField[]>;

export type RunFieldPreset = keyof typeof RUN_FIELD_PRESETS;

/** Fields an agent may name; SHARE_URL only through get_run's explicit switch. */
const SELECTABLE = RUN_SELECT_FIELDS.filter((field) => field !== "SHARE_URL").map((f) => f.toLowerCase());

export const runFieldsParam = (defaultPreset: RunFieldPreset) =>
  z
    .union([
      z.enum(["compact", "detailed", "full"]),
      z.array(z.string()).min(1).max(RUN_SELECT_FIELDS.length),
    ])
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
      throw new UserInputError("fields", "share_url cannot be selected here.", "It is a secret link; ask get_run with include_share_url: true when you really need it.");
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
  "inputs", "outputs", "extra", "metadata", "events", "manifest", "error", "feedback_stats",
  "error_preview", "inputs_preview", "outputs_preview",
] as const;

/** Times shown in one lossless form (microseconds kept), so v1 and v2 answers read alike. */
const TIME_FIELDS = new Set(["start_time", "end_time", "first_token_time", "thread_evaluation_time"]);

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
  for (const [key, value] of Object.entries(run)) {
    // Null and absent say the same ("not recorded"; LangSmith may send either), so neither is shown.
    if (value === undefined || value === null || key === "id") continue;
    if (key === "share_url" && !keepShareUrl) continue;
    if (key === "attachments" && value && typeof value === "object") {
      view.attachments = Object.keys(value);
      continue;
    }
    if (TIME_FIELDS.has(key) && typeof value === "string") {
      view[key] = apiTimestamp(value) ?? value;
      continue;
    }
    if ((key === "run_type" || key === "status") && typeof value === "string") {
      view[key] = value.toLowerCase();
      continue;
    }
    if ((PAYLOAD_FIELDS as readonly string[]).includes(key) && value !== null) {
      const json = typeof value === "string" ? value : JSON.stringify(value);
      if (json.length > maxFieldChars) {
        const cut = truncateText(json, maxFieldChars);
        cuts.push({ field: key, original_chars: json.length, shown_chars: cut.text.length });
        view[key] = cut.text;
        continue;
      }
    }
    view[key] = value;
  }
  return view;
}

/** One line per run, for the text content: time, type, name, status, latency, tokens, cost, error. */
export function runLine(run: RunView): string {
  const parts = [
    typeof run.start_time === "string" ? run.start_time.replace(/\.\d+/, "") : "",
    String(run.run_type ?? "").padEnd(9),
    String(run.name ?? ""),
    String(run.status ?? ""),
    typeof run.latency_seconds === "number" ? `${run.latency_seconds.toFixed(2)}s` : "",
    typeof run.total_tokens === "number" ? `${run.total_tokens} tok` : "",
    typeof run.total_cost === "number" ? `$${run.total_cost.toFixed(4)}` : "",
    `id=${run.id}`,
  ].filter(Boolean);
  const error = typeof run.error_preview === "string" ? run.error_preview : typeof run.error === "string" ? run.error : "";
  return parts.join("  ") + (error ? `\n    error: ${truncateText(error.replace(/\s+/g, " "), 160).text}` : "");
}
