import { completable } from "@modelcontextprotocol/server";
import { z } from "zod";
import { definePrompt, type PromptStep } from "./define-prompt.js";

const VALUE = String.raw`\s*["']?([^"'\s,;]+)["']?\s*$`;
/** "metadata user_id is 123": the word metadata makes "is" a key-value pair. */
const NAMED = new RegExp(String.raw`^\s*metadata\s+([A-Za-z_][\w.-]*)\s*(?:=|:|\bis\b|\bequals\b)` + VALUE, "i");
/** "user_id=123", "user_id: 123". */
const BARE = new RegExp(String.raw`^\s*([A-Za-z_][\w.-]*)\s*[=:]` + VALUE);

/**
 * "metadata user_id is 123", "user_id=123", "user_id: 123" → "user_id=123", as queue_deletion's metadata
 * takes it; other criteria → undefined.
 */
export function metadataPair(criteria: string): string | undefined {
  const m = NAMED.exec(criteria) ?? BARE.exec(criteria);
  return m ? `${m[1]}=${m[2]}` : undefined;
}

/** The project argument as queue_deletion's scope: one project, a list, or every project of the workspace. */
export function purgeScope(project: string | undefined): { project: string } | { projects: string[] } | { all_projects: true } {
  const names = [
    ...new Set(
      (project ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) return { all_projects: true };
  return names.length === 1 ? { project: names[0]! } : { projects: names };
}

/** Delete every trace matching a data subject's criteria, with consent, and prove it is gone. */
export const compliancePurge = definePrompt({
  name: "compliance_purge",
  title: "Compliance purge",
  description:
    "Delete every LangSmith trace that matches given criteria (e.g. a user's data for an erasure request) in one project, several, or " +
    "the whole workspace: plan, explicit confirmation, queue in batches, verify, and file the evidence report.",
  requiredTools: ["queue_deletion", "verify_deletion"],
  args: (complete) => ({
    project: completable(
      z
        .string()
        .describe('Project name or id, several comma-separated, e.g. "support-bot". Leave empty to search every project of the workspace.'),
      complete.projectNames,
    ).optional(),
    criteria: z
      .string()
      .describe(
        'Which traces: e.g. "metadata user_id is 123", "inputs mention jane@example.com", a filter expression, or a list of trace ids.',
      ),
  }),
  goal: ({ project, criteria }) => {
    const scope = purgeScope(project);
    const where =
      "project" in scope
        ? `LangSmith project "${scope.project}"`
        : "projects" in scope
          ? `LangSmith projects ${scope.projects.map((p) => `"${p}"`).join(", ")}`
          : "every project of the LangSmith workspace";
    return `Permanently delete the traces of ${where} that match: ${criteria}. Prove afterwards that they are gone, and file the evidence.`;
  },
  steps: ({ project, criteria }) => {
    const scope = purgeScope(project);
    const pair = metadataPair(criteria ?? "");
    // Metadata criteria go to queue_deletion as pairs; anything else becomes a root-run filter.
    const match = pair ? { metadata: [pair] } : { filter: "<the filter>" };
    const request = { ...scope, ...match, start_time: "<the earliest relevant date, e.g. 400d>" };
    const confirm: PromptStep[] =
      "all_projects" in scope
        ? []
        : [
            {
              tool: "list_projects",
              arguments: { name_contains: "project" in scope ? scope.project : scope.projects[0]! },
              purpose: "confirm the exact project names (repeat per name); leave project out to search the whole workspace.",
            },
          ];
    return [
      ...confirm,
      {
        instruction: pair
          ? `The criteria are a root-run metadata pair: pass metadata ["${pair}"] (add more pairs to match any of them).`
          : 'Translate the criteria: a metadata value → metadata ["key=value"]; text in the data → filter search("jane@example.com"); a ' +
            "run anywhere in the trace → tree_filter; explicit ids → trace_ids.",
      },
      {
        tool: "queue_deletion",
        arguments: request,
        purpose:
          `without confirmation_token: the plan (traces per project, a sample, batches of 1000, the expected weekend completion ` +
          `window${"all_projects" in scope && pair ? ", whether LangSmith's one workspace-wide metadata delete fits (send_as)" : ""}) ` +
          `and a confirmation token. Nothing is deleted yet. Check the sample catches what is meant, and nothing else.`,
      },
      {
        instruction:
          "Show the user the plan and ask for explicit confirmation. Deletion is permanent. Stop here unless they confirm this exact plan.",
      },
      {
        tool: "queue_deletion",
        arguments: { ...request, start_time: "<same as the plan>", confirmation_token: "<the token from the plan>" },
        purpose:
          "queues exactly the confirmed plan and records it in the deletion ledger; note the purge_id. If it stops part-way, call " +
          'queue_deletion with {"purge_id": "<purge id>"} to send only the batches not yet accepted.',
      },
      {
        tool: "verify_deletion",
        arguments: { purge_id: "<purge id>" },
        purpose:
          "after LangSmith's weekend batch (UTC Saturday–Sunday): re-queries the recorded traces: pending, verified, or overdue with " +
          "the ids still present and what to do.",
      },
      {
        tool: "deletion_report",
        arguments: { purge_id: "<purge id>" },
        purpose:
          "once verified: the evidence to hand to whoever asked for the erasure (request, plan digest, batches, verifications, " +
          "audit-log events, integrity check); also at ledger://purges/<purge id>/report.md. list_deletions shows every purge.",
      },
    ];
  },
  rules: [
    "Never call queue_deletion with a confirmation_token the user has not approved; never reuse a token for a different plan.",
    "Do not copy the personal data itself into your answer beyond what identifies the criteria.",
  ],
});
