import { completable } from "@modelcontextprotocol/server";
import { z } from "zod";
import { definePrompt } from "./define-prompt.js";

/** Delete every trace matching a data subject's criteria, with consent, and prove it is gone. */
export const compliancePurge = definePrompt({
  name: "compliance_purge",
  title: "Compliance purge",
  description:
    "Delete every trace of a LangSmith project that matches given criteria (e.g. a user's data for an erasure request): preview, plan, explicit confirmation, queue in batches, then verify and keep the ledger record as proof.",
  requiredTools: ["query_runs", "queue_deletion", "verify_deletion"],
  args: (complete) => ({
    project: completable(z.string().describe('Project (tracing session) name or id, e.g. "support-bot".'), complete.projectNames),
    criteria: z
      .string()
      .describe('Which traces: e.g. "metadata user_id is 123", "inputs mention jane@example.com", a filter expression, or a list of trace ids.'),
  }),
  goal: ({ project, criteria }) =>
    `Permanently delete the traces of LangSmith project "${project}" that match: ${criteria}. Prove afterwards that they are gone.`,
  steps: ({ project }) => [
    {
      tool: "list_projects",
      arguments: { name_contains: project },
      purpose: "confirm the exact project: a purge covers one project; repeat the whole procedure per project if the data lives in several.",
    },
    {
      instruction:
        'Translate the criteria into a filter on the root run: metadata → and(eq(metadata_key, "user_id"), eq(metadata_value, "123")); text in the data → search("jane@example.com"); a run anywhere in the trace → tree_filter. For explicit trace ids, use trace_ids instead of a filter.',
    },
    {
      tool: "query_runs",
      arguments: { project, filter: "<the filter>", is_root: true, start_time: "<the earliest relevant date, e.g. 400d>", page_size: 20 },
      purpose: "preview: show the user a few matching traces and check the filter catches what is meant, and nothing else.",
    },
    {
      tool: "queue_deletion",
      arguments: { project, filter: "<the filter>", start_time: "<same as the preview>" },
      purpose: "without confirmation_token: the plan (trace count, a sample, batches of 1000, the expected weekend completion window) and a confirmation token. Nothing is deleted yet.",
    },
    {
      instruction: "Show the user the plan and ask for explicit confirmation. Deletion is permanent. Stop here unless they confirm this exact plan.",
    },
    {
      tool: "queue_deletion",
      arguments: { project, filter: "<the filter>", start_time: "<same as before>", confirmation_token: "<the token from the plan>" },
      purpose: "queues exactly the confirmed plan and records it in the deletion ledger; note the purge_id. If it stops part-way, call queue_deletion with {\"purge_id\": \"<purge id>\"} to send only the batches not yet accepted.",
    },
    {
      tool: "verify_deletion",
      arguments: { purge_id: "<purge id>" },
      purpose: "re-queries the recorded traces: pending until LangSmith's weekend batch (UTC Saturday–Sunday), then verified, or overdue with the ids still present and what to do.",
    },
    {
      resource: "ledger://purges/<purge id>",
      purpose: "the ledger record (criteria, batches, window, verifications, audit-log matches) to hand to whoever asked for the erasure; `list_deletions` shows every purge.",
    },
  ],
  rules: [
    "Never call queue_deletion with a confirmation_token the user has not approved; never reuse a token for a different plan.",
    "Do not copy the personal data itself into your answer beyond what identifies the criteria.",
  ],
});
