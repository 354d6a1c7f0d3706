/** Bulk export diagnosis: failure tables as data, error classifier, retry plans. Pure, no I/O. */
export { diagnoseExport, MODE_SEVERITY, MAX_LISTED_RUNS } from "./diagnose.js";
export { classifyErrorText, findSignature, type ErrorClassification, type ErrorMatch } from "./classify-error.js";
export { errorValueText } from "./error-value.js";
export { ERROR_SIGNATURES, type ErrorCategory, type ErrorSignature } from "./error-signatures.js";
export {
  buildRetryPlan,
  exportRange,
  unfinishedPartitions,
  NEW_DESTINATION_PLACEHOLDER,
  PLAN_TARGET_FRACTION,
  SPLIT_WITHOUT_THROUGHPUT,
  MIN_SPLIT_AFTER_OOM,
  type PlanInput,
} from "./retry-plan.js";
export {
  analyseRun,
  decisiveAttempt,
  hasPersistentTimeouts,
  PERSISTENT_TIMEOUT_ATTEMPTS,
  type AttemptError,
  type RunAnalysis,
} from "./run-analysis.js";
export { preRetryCheck } from "./pre-retry-check.js";
export { specificAdvice, regionsInText, type SpecificAdvice } from "./advice.js";
export { redactErrorText, quoteErrorText, MAX_QUOTED_ERROR_CHARS } from "./redact-error-text.js";
export {
  FAILURE_MODES,
  DESTINATION_ERRORS,
  EXPORT_STATUSES,
  LIMITS,
  DEFAULT_LIMITS,
  EXPORTABLE_RUN_FIELDS,
  EXPORTABLE_FIELDS,
  EXPORTABLE_FIELDS_SOURCE,
  COMPRESSION_DEFAULT,
  KNOWN_STATUS_NAMES,
  statusEntry,
  unknownStatusNote,
  type ExportableFieldEntry,
  HEAVY_RUN_FIELDS,
  failureModeEntry,
  destinationErrorEntry,
  limitEntry,
  statusKey,
  describeDocumentedLimit,
  otherDocumentedValues,
  type FailureModeEntry,
  type DestinationErrorEntry,
  type DestinationErrorPhrase,
  type ExportStatusEntry,
  type ExportStatusKey,
  type LimitEntry,
} from "./tables.js";
export type * from "./types.js";
export { FAILURE_MODE_NAMES, EXPORT_FAILURE_MODE_NAMES } from "./types.js";
