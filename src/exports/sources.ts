/**
 * The public documents the export tables come from, named as a reader can find them. Answers
 * name these, never the project's internal copies of them.
 */
export const MONITORING_DOC = 'LangSmith docs "Bulk export: monitoring, failures and limits"';
export const DESTINATIONS_DOC = 'LangSmith docs "Bulk export destinations"';
export const CONTRACT = "LangSmith API (bulk exports)";
