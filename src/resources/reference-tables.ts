/**
 * The diagnosis tables (src/diagnosis/tables.ts) rendered for reading: markdown for a person or
 * an agent skimming, JSON for an agent that wants the fields. Both come from the same typed
 * data, so the resources cannot drift from what diagnose_export applies.
 */
import { DESTINATION_ERRORS, FAILURE_MODES } from "../diagnosis/tables.js";
import { markdownTable } from "./markdown.js";

export function failureModesMarkdown(): string {
  const rows = FAILURE_MODES.map((entry) => [`${entry.title} (\`${entry.mode}\`)`, entry.cause, entry.retryNote, entry.actionRequired]);
  const remediation = FAILURE_MODES.map(
    (entry) =>
      `### ${entry.title} (\`${entry.mode}\`)\n\n${entry.remediation.map((step, i) => `${i + 1}. ${step}`).join("\n")}\n\nSource: ` +
      `${entry.source}.`,
  );
  return [
    "# Bulk export failure modes",
    "",
    "What diagnose_export classifies an export's failure as, and what to do about it.",
    "",
    markdownTable(["Failure mode", "Cause", "Retried automatically?", "Action required"], rows),
    "",
    "## Remediation, step by step",
    "",
    remediation.join("\n\n"),
    "",
  ].join("\n");
}

export function failureModesJson(): unknown {
  return { failure_modes: FAILURE_MODES };
}

export function destinationErrorsMarkdown(): string {
  const rows = DESTINATION_ERRORS.map((entry) => [
    `\`${entry.phrase}\``,
    entry.description,
    entry.likelyCauses.join("; "),
    entry.fieldsToCheck.map((field) => `\`${field}\``).join(", "),
  ]);
  return [
    "# Bulk export destination errors",
    "",
    "The phrases LangSmith's destination test write answers with (400 on create_destination or rotate_destination_credentials), what " +
      "they mean, and which destination fields to check first.",
    "",
    markdownTable(["Error phrase", "Meaning", "Likely causes", "Fields to check"], rows),
    "",
    `Sources: ${[...new Set(DESTINATION_ERRORS.map((entry) => entry.source))].join("; ")}.`,
    "",
  ].join("\n");
}

export function destinationErrorsJson(): unknown {
  return { destination_errors: DESTINATION_ERRORS };
}
