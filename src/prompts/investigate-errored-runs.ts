import { completable } from "@modelcontextprotocol/server";
import { z } from "zod";
import { fixedCompleter } from "../completions/index.js";
import { definePrompt } from "./define-prompt.js";

/** Suggested windows: durations back from now, as query_runs takes them. */
export const WINDOW_SUGGESTIONS = ["1h", "6h", "24h", "7d", "30d"] as const;
const DEFAULT_WINDOW = "24h";
/** "30m", "24h", "7d": a duration back from now. */
const DURATION = /^\d+(?:\.\d+)?\s*[smhdw]$/i;

/** "24h" or "yesterday" → from then until now; "2026-11-24..2026-11-25" → that range; query_runs reads each bound. */
export function windowBounds(window: string | undefined): { start_time: string; end_time: string } {
  const text = window?.trim() || DEFAULT_WINDOW;
  const [start, end] = text.split("..").map((part) => part.trim());
  return { start_time: start || DEFAULT_WINDOW, end_time: end || "now" };
}

/** The window in words: "in the last 24h", "from 2026-11-24 to 2026-11-25". */
export function windowPhrase(window: string | undefined): string {
  const { start_time, end_time } = windowBounds(window);
  return end_time === "now" && DURATION.test(start_time) ? `in the last ${start_time}` : `from ${start_time} to ${end_time}`;
}

/** Errored runs of a project in a time window: grouped, traced to their origin, explained. */
export const investigateErroredRuns = definePrompt({
  name: "investigate_errored_runs",
  title: "Investigate errored runs",
  description:
    "Find the errored runs of a LangSmith project in a time window, group them by cause, trace each group to where it started, and " +
    "explain what to fix.",
  requiredTools: ["query_runs", "get_trace", "get_run"],
  args: (complete) => ({
    project: completable(z.string().describe('Project (tracing session) name or id, e.g. "checkout-bot".'), complete.projectNames),
    window: completable(
      z
        .string()
        .describe(
          'Time window: "24h", "7d", "yesterday", "since Monday", or a range "START..END" (UTC unless an offset is given), e.g. ' +
            '"2026-11-24..2026-11-25". Default "24h".',
        ),
      fixedCompleter(WINDOW_SUGGESTIONS),
    ).optional(),
  }),
  goal: ({ project, window }) =>
    `Investigate the errored runs of LangSmith project "${project}" ${windowPhrase(window)}: what fails, how often, since when, and why.`,
  steps: ({ project, window }) => {
    const bounds = windowBounds(window);
    return [
      {
        tool: "list_projects",
        arguments: { name_contains: project },
        purpose: "only if the project name might not be exact: the matching projects.",
      },
      {
        tool: "query_runs",
        arguments: { project, ...bounds, has_error: true, is_root: true, fields: "compact", page_size: 100 },
        purpose:
          "the errored traces (root runs), newest first. Group them by run name and the first line of error_preview; follow next_cursor " +
          "while has_more is true to count every group.",
      },
      {
        tool: "query_runs",
        arguments: { project, ...bounds, filter: 'and(eq(run_type, "llm"), neq(error, null))', page_size: 50 },
        purpose: "the errored LLM calls inside those traces: rate limits, context length, provider outages.",
      },
      {
        tool: "get_trace",
        arguments: { trace_id: "<one trace id per group>" },
        purpose: "the run tree of a representative trace: which run failed first and how the error propagated.",
      },
      {
        tool: "get_run",
        arguments: { run_id: "<the first failing run>", fields: "detailed" },
        purpose: "its full error, inputs and metadata, to name the cause.",
      },
      {
        instruction:
          "Report the groups ranked by count with first and last occurrence, the likely cause of each with the evidence (run ids), and " +
          "the fix. Say if a group started at a specific time (a deploy, a provider incident).",
      },
    ];
  },
  rules: [
    "Quote inputs and outputs only as far as needed to explain a cause: they may hold personal data.",
    "Do not share run share URLs unless the user asks.",
  ],
});
