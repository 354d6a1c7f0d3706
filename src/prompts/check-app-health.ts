import { completable } from "@modelcontextprotocol/server";
import { z } from "zod";
import { fixedCompleter } from "../completions/index.js";
import { definePrompt } from "./define-prompt.js";
import { WINDOW_SUGGESTIONS, windowBounds, windowPhrase } from "./investigate-errored-runs.js";

/** "How is my app doing?": traffic, errors, latency, tokens and cost of a project, from run_stats. */
export const checkAppHealth = definePrompt({
  name: "check_app_health",
  title: "Check app health",
  description:
    "How a LangSmith project's app is doing in a time window: traffic, error rate, latency, tokens and cost, which run names and models " +
    "stand out, and the slowest traces.",
  requiredTools: ["run_stats"],
  args: (complete) => ({
    project: completable(
      z.string().describe('Project (tracing session) name or id, e.g. "checkout-bot"; several comma-separated.'),
      complete.projectNames,
    ),
    window: completable(
      z.string().describe('Time window as in investigate_errored_runs: "24h", "7d", or "START..END". Default "24h".'),
      fixedCompleter(WINDOW_SUGGESTIONS),
    ).optional(),
  }),
  goal: ({ project, window }) =>
    `How healthy is the app traced in LangSmith project "${project}" ${windowPhrase(window)}? Traffic, errors, latency, tokens and ` +
    `cost, and what stands out.`,
  steps: ({ project, window }) => {
    const bounds = windowBounds(window);
    const scope = { project, ...bounds };
    return [
      { tool: "run_stats", arguments: scope, purpose: "the totals: traces, error rate, latency p50/p99, tokens and cost." },
      { tool: "run_stats", arguments: { ...scope, group_by: "name", sort_by: "errors" }, purpose: "which run names fail most." },
      {
        tool: "run_stats",
        arguments: { ...scope, run_type: "llm", group_by: "metadata", group_key: "ls_model_name", sort_by: "cost" },
        purpose: "the LLM calls per model: cost, tokens, latency.",
      },
      { tool: "run_stats", arguments: { ...scope, top_by: "latency", top_n: 5 }, purpose: "the slowest traces (get_trace opens one)." },
      {
        instruction:
          "Report the figures with the window, and what stands out (error rate, p99 latency, the costliest model). If errors matter, " +
          "follow the investigate_errored_runs playbook: query_runs with has_error true, then get_trace.",
      },
    ];
  },
  rules: ["Quote inputs and outputs only as far as needed: they may hold personal data."],
});
