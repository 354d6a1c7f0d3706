/**
 * Bulk export state: the status table, the limits, the UTC day partitions and one model of an
 * export's progress and queueing that every export tool, resource and the diagnosis read.
 * Pure, no I/O; the completeness check takes a narrow counting interface.
 */
export * from "./statuses.js";
export * from "./limits.js";
export * from "./partitions.js";
export * from "./state.js";
export { MONITORING_DOC, DESTINATIONS_DOC } from "./sources.js";
export * from "./reader.js";
export * from "./ambiguous-create.js";
export * from "./completeness.js";
