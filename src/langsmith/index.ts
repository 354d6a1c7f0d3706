/** Public surface of the LangSmith client: the only module that speaks HTTP to LangSmith. */
export { LangSmithClient, DEFAULT_TIMEOUT_MS, loadUndici, type LangSmithClientOptions, type RequestSpec, type Sleep } from "./client.js";
export { normaliseEndpoint, DEFAULT_ENDPOINT } from "./endpoint.js";
export {
  LangSmithError,
  LangSmithApiError,
  LangSmithNetworkError,
  LangSmithResponseError,
  LangSmithPaginationError,
  isLangSmithError,
  isLangSmithApiError,
  isLangSmithNetworkError,
  isLangSmithResponseError,
  isLangSmithPaginationError,
  apiErrorKind,
  API_ERROR_KIND_BY_STATUS,
  ORG_SCOPED_KEY_REQUIRES_WORKSPACE,
  type ApiErrorKind,
  type NetworkErrorKind,
  type ResponseErrorKind,
  type HttpMethod,
  type ParsedErrorBody,
  type RequestContext,
} from "./errors.js";
export { parseErrorBody } from "./error-mapping.js";
export {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  decideRetry,
  parseRetryAfter,
  resolveRetryPolicy,
  type RetryPolicy,
  type AttemptOutcome,
  type RetryDecision,
} from "./retry-policy.js";
export { DEFAULT_MAX_PAGES, iterateCursorPages, type CursorPagesOptions } from "./pages.js";
export {
  ProjectSchema,
  ProjectListSchema,
  RunV2Schema,
  RunsQueryV2ResponseSchema,
  RunV1Schema,
  RunsQueryV1ResponseSchema,
  TraceRunsResponseSchema,
  ServerInfoSchema,
  RUN_SELECT_FIELDS,
  RUN_TYPES_V2,
  RUN_TYPES_V1,
  RUN_STATUSES_V2,
  SORT_ORDERS,
  type Project,
  type RunV2,
  type RunV1,
  type RunsQueryV2Response,
  type RunsQueryV1Response,
  type TraceRunsResponse,
  type ServerInfo,
  type RunsQueryV2Request,
  type RunsQueryV1Request,
  type RunSelectField,
  type RunTypeV2,
  type RunTypeV1,
  type SortOrder,
} from "./schemas.js";
export * from "./export-schemas.js";
export * from "./deletion-schemas.js";
export * from "./stats-schemas.js";
export * from "./thread-schemas.js";
export { checkFilters, isUuid } from "./validate.js";
export {
  ServerCapabilities,
  RUNS_V2_MIN_VERSION,
  compareVersions,
  isRouteNotFound,
  needsV2Message,
  v2FamilyOf,
  type RunsApiSupport,
  type V2Family,
} from "./capabilities.js";
export {
  queryRunsPage,
  readRun,
  openTrace,
  orphanNote,
  isRunNotFound,
  RunNotFoundError,
  type RunsPage,
  type ReadRun,
  type TraceReader,
} from "./runs-reader.js";
export { runV1ToV2, v1QueryFor, v1Select } from "./runs-v1-compat.js";
export type { RunsQueryV2Page } from "./client.js";
