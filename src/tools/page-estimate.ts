/**
 * How many runs to ask LangSmith for so that a page fills the result budget without being cut:
 * a cut page has read runs it does not show, and the next page reads them again. The cost of a
 * run is counted in budget tokens (the larger of the text and structured views, as
 * output-budget.ts measures a result), estimated from the previous page of the same query and
 * carried in its cursor; the first page, with nothing measured yet, estimates from the selects.
 */
import type { RunSelectField } from "../langsmith/index.js";

/** A page aims at this share of the budget, so that one costlier than the last still fits. */
export const PAGE_AIM = 0.85;

/**
 * Tokens one run's field may take in a listing (o200k, one view), on the high side: the first
 * page should rather be short than cut. Payload fields are shortened to 600 characters of JSON
 * in listings (≈ 200 tokens at JSON's 3 characters a token); ids are ~24 tokens; times ~14.
 */
const PAYLOAD = 200;
const ID = 24;
const TIME = 14;
const NUMBER = 5;
const FIELD_TOKENS: Readonly<Record<RunSelectField, number>> = {
  ID,
  NAME: 12,
  RUN_TYPE: 3,
  STATUS: 3,
  START_TIME: TIME,
  END_TIME: TIME,
  LATENCY_SECONDS: NUMBER,
  FIRST_TOKEN_TIME: TIME,
  ERROR: PAYLOAD,
  // Most runs have none; an errored one's preview is a line or two.
  ERROR_PREVIEW: 120,
  EXTRA: PAYLOAD,
  METADATA: PAYLOAD,
  EVENTS: PAYLOAD,
  INPUTS: PAYLOAD,
  INPUTS_PREVIEW: PAYLOAD,
  OUTPUTS: PAYLOAD,
  OUTPUTS_PREVIEW: PAYLOAD,
  MANIFEST: PAYLOAD,
  PARENT_RUN_IDS: 3 * ID,
  PROJECT_ID: ID,
  TRACE_ID: ID,
  THREAD_ID: ID,
  DOTTED_ORDER: 60,
  IS_ROOT: 2,
  REFERENCE_EXAMPLE_ID: ID,
  REFERENCE_DATASET_ID: ID,
  TOTAL_TOKENS: NUMBER,
  PROMPT_TOKENS: NUMBER,
  COMPLETION_TOKENS: NUMBER,
  TOTAL_COST: NUMBER,
  PROMPT_COST: NUMBER,
  COMPLETION_COST: NUMBER,
  PROMPT_TOKEN_DETAILS: 40,
  COMPLETION_TOKEN_DETAILS: 40,
  PROMPT_COST_DETAILS: 40,
  COMPLETION_COST_DETAILS: 40,
  PRICE_MODEL_ID: ID,
  TAGS: 20,
  APP_PATH: 16,
  ATTACHMENTS: 20,
  THREAD_EVALUATION_TIME: TIME,
  IS_IN_DATASET: 2,
  SHARE_URL: 30,
  FEEDBACK_STATS: PAYLOAD,
};
/** A row's own separators and field keys. */
const ROW_TOKENS = 6;

/** The first page's estimate: budget tokens per run for these selects. */
export function tokensPerRunFromSelects(selects: readonly RunSelectField[]): number {
  return selects.reduce((sum, field) => sum + (FIELD_TOKENS[field] ?? PAYLOAD), ROW_TOKENS);
}

/**
 * Budget tokens per run measured on a page: `load` (the result's share of the budget, ≤ 1) over
 * the runs it showed. The page's fixed part (header, notes, the continuation) is counted in,
 * which errs high. Rounded up to whole tokens, so the cursor carries a short integer.
 */
export function tokensPerRunMeasured(load: number, budget: number, shown: number): number {
  return Math.max(1, Math.ceil((load * budget) / Math.max(1, shown)));
}

/** Runs to ask for: what `PAGE_AIM` of the budget holds at `tokensPerRun`, within [1, want]. */
export function runsToAsk(want: number, budget: number, tokensPerRun: number): number {
  return Math.max(1, Math.min(want, Math.floor((budget * PAGE_AIM) / tokensPerRun)));
}
