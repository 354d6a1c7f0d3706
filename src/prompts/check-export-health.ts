import { completable } from "@modelcontextprotocol/server";
import { z } from "zod";
import { definePrompt, type PromptStep } from "./define-prompt.js";

/** Health of one bulk export, of a project's latest exports, or of every recent export. */
export const checkExportHealth = definePrompt({
  name: "check_export_health",
  title: "Check export health",
  description:
    "Check a LangSmith bulk export (by export id), a project's latest exports, or all recent exports: status, progress and " +
    "completeness, and for a failing export the documented failure mode, the evidence and the fix.",
  requiredTools: ["list_exports", "export_status", "diagnose_export"],
  args: (complete) => ({
    export_id: completable(
      z.string().describe("The bulk export to check, e.g. from list_exports. Leave empty to check a project or all recent exports."),
      complete.exportIds,
    ).optional(),
    project: completable(
      z.string().describe('Check the latest exports of this project (name or id), e.g. "checkout-bot".'),
      complete.projectNames,
    ).optional(),
  }),
  goal: ({ export_id, project }) =>
    export_id
      ? `Check the health of LangSmith bulk export ${export_id} and tell me whether it needs anything from me.`
      : project
        ? `Check the health of the latest LangSmith bulk exports of project "${project}" and tell me whether any needs anything from me.`
        : "Check the health of my recent LangSmith bulk exports and tell me whether any needs anything from me.",
  steps: ({ export_id, project }) => {
    const id = export_id ?? "<export id>";
    const find: PromptStep[] = export_id
      ? []
      : [
          {
            tool: "list_exports",
            arguments: project ? { project, limit: 5 } : { limit: 10 },
            purpose:
              "the exports, newest first. Take the newest, and every one that is Failed, TimedOut, or Running for longer than a day.",
          },
        ];
    return [
      ...find,
      {
        tool: "export_status",
        arguments: { export_id: id, runs_limit: 30, check_completeness: true },
        purpose:
          "status, progress (runs done of total, rows and files written), runs queued behind the concurrency limits, each run's latest " +
          "error, and for completed partitions the completeness check: rows written against the runs LangSmith holds (complete, short " +
          "by N runs, or cannot check).",
      },
      {
        tool: "diagnose_export",
        arguments: { export_id: id },
        purpose:
          "when the status is Failed or TimedOut, runs are retrying, or the completeness check finds partitions short: the failure " +
          "mode, the evidence quoted from the run errors, whether LangSmith retries by itself, the completeness verdict, and a retry " +
          "plan.",
      },
      {
        resource: "langsmith://reference/failure-modes.md",
        purpose:
          "the documented cause, action and remediation for that failure mode (destination errors: " +
          "langsmith://reference/destination-errors.md).",
      },
      {
        resource: `exports://${id}/runs`,
        purpose: "only if the evidence is unclear: every run with its per-attempt errors (retry_0, retry_1, …).",
      },
      {
        instruction:
          "Report per export: status, progress, completeness (complete, or the short partitions), the failure mode (or healthy), the " +
          "evidence in one quote, whether it recovers by itself, and the remediation steps. Use the limits in " +
          "langsmith://reference/api-limits.md when a documented value matters (both values where the docs disagree).",
      },
      {
        tool: "rotate_destination_credentials",
        arguments: { destination: "<destination id>", access_key_id: "<new key id>", secret_access_key: "<new secret>" },
        purpose:
          "only for a credentials failure and only with new credentials the user gives you; the first call shows what changes and " +
          "returns a confirmation token.",
      },
      {
        tool: "create_export",
        arguments: {
          project: "<project>",
          destination: "<destination>",
          start_time: "<from the retry plan>",
          end_time: "<from the retry plan>",
        },
        purpose:
          "only if the user agrees: re-export exactly the partitions in diagnose_export's retry_plan.create_export_calls, one call per " +
          "entry, with the arguments it gives.",
      },
    ];
  },
  rules: [
    "Change nothing (create, rotate, cancel) without the user's explicit go-ahead for that exact change.",
    "Never ask for or repeat secret keys in your report; destination credentials go only into the tool call.",
  ],
});
