/**
 * The only HTTP client of LangSmith in the project. Endpoint methods are a few lines each over
 * one generic `request()`, which owns headers, timeouts, cancellation, retries (policy in
 * retry-policy.ts), status mapping (error-mapping.ts) and response validation (schemas.ts).
 * Works unchanged against LangSmith cloud (US, EU), self-hosted installs and the simulator.
 */
import { createHash } from "node:crypto";
import type { Dispatcher } from "undici";
import { ConfigurationError } from "../errors.js";
import { type Logger, silentLogger } from "../log.js";
import { redactSecrets } from "../redact.js";
import { VERSION } from "../version.js";
import { DEFAULT_MAX_RESPONSE_BYTES, readCappedText } from "./body-cap.js";
import { normaliseEndpoint } from "./endpoint.js";
import { classifyNetworkError, makeApiError, makeNetworkError, truncateBody } from "./error-mapping.js";
import {
  type HttpMethod,
  isLangSmithApiError,
  LangSmithApiError,
  type LangSmithNetworkError,
  LangSmithResponseError,
  type RequestContext,
  statusText,
} from "./errors.js";
import { DEFAULT_MAX_PAGES, iterateCursorPages } from "./pages.js";
import {
  type AttemptOutcome,
  decideRetry,
  isServerRequestedWait,
  parseRetryAfter,
  resolveRetryPolicy,
  type RetryPolicy,
} from "./retry-policy.js";
import { CallBudget, quoteSeconds } from "../call-budget.js";
import {
  type Project,
  ProjectListSchema,
  ProjectSchema,
  type RunSelectField,
  type RunsQueryV1Request,
  type RunsQueryV1Response,
  RunsQueryV1ResponseSchema,
  type RunsQueryV2Request,
  type ResponseReader,
  type RunsQueryV2Response,
  runsQueryV2ResponseSchemaFor,
  type RunV1,
  RunV1Schema,
  type RunV2,
  RunV2Schema,
  type ServerInfo,
  ServerInfoSchema,
  type TraceRunsResponse,
  TraceRunsResponseSchema,
} from "./schemas.js";
import { isRouteNotFound, ServerCapabilities } from "./capabilities.js";
import {
  BulkExportListSchema,
  BulkExportRunListSchema,
  BulkExportRunSchema,
  BulkExportSchema,
  DestinationListSchema,
  DestinationSchema,
  type BulkExport,
  type BulkExportRun,
  type CreateDestinationRequest,
  type CreateExportRequest,
  type Destination,
  type DestinationCredentials,
} from "./export-schemas.js";
import {
  AuditLogPageSchema,
  DeleteRunsResponseSchema,
  MAX_TRACE_IDS_PER_DELETE,
  type AuditLogPage,
  type AuditLogQuery,
  type DeleteRunsRequest,
} from "./deletion-schemas.js";
import { UserInputError } from "../errors.js";
import {
  ThreadsPageSchema,
  ThreadTracesPageSchema,
  type ThreadsPage,
  type ThreadsQueryRequest,
  type ThreadTracesPage,
  type ThreadTracesQuery,
} from "./thread-schemas.js";
import {
  GroupedRunStatsSchema,
  RunStatsSchema,
  type GroupedRunStats,
  type RunStats,
  type RunStatsGroupByRequest,
  type RunStatsRequest,
} from "./stats-schemas.js";
import {
  assertIntegerInRange,
  assertTimestamp,
  checkFilters,
  idList,
  idParam,
  validateRunsQueryV1,
  validateRunsQueryV2,
  wireTimestamp,
} from "./validate.js";

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Keep-alive pool per origin: enough for bounded parallel page fetches, not a flood. */
const CONNECTIONS_PER_ORIGIN = 16;
const KEEP_ALIVE_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 10_000;

/** What the client and the HTTP host's shared pool use of undici. */
type Undici = Pick<typeof import("undici"), "Agent" | "request">;
let undici: Promise<Undici> | undefined;
/**
 * undici, imported on the first request: a server that is only started and asked for its tool
 * list never pays for loading it (a large part of a cold start). It is CommonJS, so its API is
 * the default export (the only export a bundle's import() of it has).
 */
export const loadUndici = (): Promise<Undici> => (undici ??= import("undici").then((module) => module.default));
/**
 * How far an attempt may run past the call's deadline: the deadline bounds waits, and a reply
 * already on its way is worth this much more, still inside an MCP client's 60 s patience.
 */
const ATTEMPT_GRACE_MS = 10_000;

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface LangSmithClientOptions {
  endpoint: string;
  apiKey: string;
  /** Sent as X-Tenant-Id: needed for keys spanning several workspaces (contract §1). */
  workspaceId?: string;
  /** Sent as X-Organization-Id on org-scoped calls only (audit logs). */
  organizationId?: string;
  /** Per attempt: connect, headers and body together. */
  timeoutMs?: number;
  /**
   * Injected transport (tests pass a MockAgent), or a function making it on the first request
   * (a pool several clients share); the client then does not close it.
   */
  dispatcher?: Dispatcher | (() => Promise<Dispatcher>);
  retryPolicy?: Partial<RetryPolicy>;
  /** Used as given (name it, e.g. `logger.child("langsmith")`); the API key is registered on it. */
  logger?: Logger;
  userAgent?: string;
  /** Where the key was set, as a 401 names it: default LANGSMITH_API_KEY; a caller's own key names its header. */
  keySource?: string;
  /** Bytes one response body may hold; a larger one is cut off as "response too large". Default 64 MiB. */
  maxResponseBytes?: number;
  /** Hard cap for page iterators; default 1000. */
  maxPages?: number;
  /** Seam for tests: the wait between attempts. Default: an abortable setTimeout. */
  sleep?: Sleep;
  /** Seam for tests: jitter source in [0, 1). */
  random?: () => number;
}

type QueryValue = string | number | boolean | readonly string[] | undefined;

/** One call to LangSmith, as endpoint methods describe it. */
export interface RequestSpec<T> {
  method: HttpMethod;
  /** Starts with `/api/v1/` or `/api/v2/`; path segments already encoded. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Whether a retry is safe. Default: true for GET, false otherwise (contract §1). */
  idempotent?: boolean;
  schema: ResponseReader<T>;
  signal?: AbortSignal | undefined;
  /** Adds X-Organization-Id (audit logs). */
  orgScoped?: boolean;
}

const abortError = (): Error => Object.assign(new Error("The operation was aborted"), { name: "AbortError" });

const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** The result of one attempt: a parsed value, or a failure the retry policy can judge. */
type Attempt<T> = { ok: true; value: T } | { ok: false; outcome: AttemptOutcome; toError: (ctx: RequestContext) => Error; reason: string };

export class LangSmithClient {
  /** Normalised base URL, e.g. `https://api.smith.langchain.com`; holds no secrets. */
  readonly endpoint: string;
  readonly maxPages: number;
  /** What this deployment supports (v2 runs API, sort_order), learnt once per client. */
  readonly capabilities: ServerCapabilities;
  /**
   * Who is asking, without the key: a short sha256 fingerprint of it, and the workspace and
   * organization ids it was configured with. Purges are recorded and scoped by these.
   */
  readonly keyFingerprint: string;
  readonly configuredWorkspaceId: string | undefined;
  private readonly apiKey: string;
  private readonly workspaceId: string | undefined;
  private readonly organizationId: string | undefined;
  private readonly timeoutMs: number;
  /** The transport, made on the first request unless one was injected. */
  private dispatcher: Dispatcher | (() => Promise<Dispatcher>) | undefined;
  private readonly ownsDispatcher: boolean;
  private readonly policy: RetryPolicy;
  private readonly logger: Logger;
  private readonly userAgent: string;
  private readonly keySource: string | undefined;
  private readonly maxResponseBytes: number;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly host: string;
  private readonly redact: (text: string) => string;
  /** Values redacted from every message: the API key, and destination credentials once seen. */
  private readonly secretValues: Set<string>;
  /** LangSmith's clock as of its latest response (HTTP Date header), with the local time it was read. */
  private lastServerDate: { serverMs: number; localMs: number } | undefined;

  constructor(options: LangSmithClientOptions) {
    this.endpoint = normaliseEndpoint(options.endpoint);
    this.host = new URL(this.endpoint).host;
    this.apiKey = options.apiKey;
    this.workspaceId = options.workspaceId || undefined;
    this.organizationId = options.organizationId || undefined;
    this.keyFingerprint = `sha256:${createHash("sha256").update(options.apiKey, "utf8").digest("hex").slice(0, 16)}`;
    this.configuredWorkspaceId = this.workspaceId;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.policy = resolveRetryPolicy(options.retryPolicy);
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    this.userAgent = options.userAgent ?? `langsmith-mcp/${VERSION}`;
    this.keySource = options.keySource;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? silentLogger();
    this.logger.addSecret(this.apiKey);
    this.secretValues = new Set([this.apiKey]);
    this.redact = (text) => redactSecrets(text, this.secretValues);
    this.capabilities = new ServerCapabilities(this.endpoint, () => this.getServerInfo());
    this.dispatcher = options.dispatcher;
    this.ownsDispatcher = !options.dispatcher;
  }

  /** undici's request and the pool to send through, made on the first request. */
  private async transport(): Promise<{ send: Undici["request"]; dispatcher: Dispatcher }> {
    const { Agent, request } = await loadUndici();
    if (typeof this.dispatcher === "function") this.dispatcher = await this.dispatcher();
    this.dispatcher ??= new Agent({
      connections: CONNECTIONS_PER_ORIGIN,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      connect: { timeout: CONNECT_TIMEOUT_MS },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    return { send: request, dispatcher: this.dispatcher };
  }

  /* ------------------------------------------------------------------ projects (§2) */

  /** `GET /api/v1/sessions`: projects by exact name, name fragment, or all (paged by offset). */
  async listProjects(
    params: { name?: string; nameContains?: string; limit?: number; offset?: number; includeStats?: boolean },
    signal?: AbortSignal,
  ): Promise<Project[]> {
    assertIntegerInRange("limit", params.limit, 1, 100);
    if (params.offset !== undefined) assertIntegerInRange("offset", params.offset, 0, Number.MAX_SAFE_INTEGER);
    return this.request({
      method: "GET",
      path: "/api/v1/sessions",
      query: {
        name: params.name,
        name_contains: params.nameContains,
        limit: params.limit,
        offset: params.offset,
        include_stats: params.includeStats,
      },
      schema: ProjectListSchema,
      signal,
    });
  }

  /** `GET /api/v1/sessions/{id}`. */
  async getProject(rawId: string, params: { includeStats?: boolean } = {}, signal?: AbortSignal): Promise<Project> {
    const id = idParam("project_id", rawId);
    return this.request({
      method: "GET",
      path: `/api/v1/sessions/${encodeURIComponent(id)}`,
      query: { include_stats: params.includeStats },
      schema: ProjectSchema,
      signal,
    });
  }

  /* ------------------------------------------------------------------ server info */

  /**
   * `GET /api/v1/info` (no key needed): one attempt, never retried, because it only refines
   * what the client assumes. `capabilities.serverInfo()` caches it and tolerates failure.
   */
  async getServerInfo(signal?: AbortSignal): Promise<ServerInfo> {
    return this.request({ method: "GET", path: "/api/v1/info", idempotent: false, schema: ServerInfoSchema, signal });
  }

  /* ------------------------------------------------------------------ runs v2 (§3.1, §3.2) */

  /**
   * `POST /api/v2/runs/query`: a read, so retried like a GET. Filters are checked locally first.
   * `sort_order` is sent only for ASC (DESC is the default); if LangSmith refuses it (400/422
   * naming it), the query is sent once more without it and the page says so.
   */
  async queryRuns(request: RunsQueryV2Request, signal?: AbortSignal): Promise<RunsQueryV2Page> {
    this.logWarnings(validateRunsQueryV2(request));
    const { sort_order: sortOrder, ...rest } = lowerCaseIdsV2(request);
    const send = (body: RunsQueryV2Request): Promise<RunsQueryV2Response> =>
      this.request({
        method: "POST",
        path: "/api/v2/runs/query",
        body,
        idempotent: true,
        schema: runsQueryV2ResponseSchemaFor(request.selects),
        signal,
      });
    if (sortOrder !== "ASC") return send(rest);
    if (this.capabilities.sortOrderRefused) return { ...(await send(rest)), sortOrderDropped: true };
    try {
      return await send({ ...rest, sort_order: sortOrder });
    } catch (error) {
      if (!isSortOrderRefusal(error)) throw error;
      this.capabilities.sortOrderRefused = true;
      this.logger.warn("LangSmith refused sort_order; querying without it", { status: error.status });
      return { ...(await send(rest)), sortOrderDropped: true };
    }
  }

  /**
   * Follows `next_cursor` from `body.cursor` on, as the official SDKs do (`has_more` may be
   * absent); throws LangSmithPaginationError past the page cap.
   */
  iterateRunPages(
    body: RunsQueryV2Request,
    options: { maxPages?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<RunsQueryV2Response, void, undefined> {
    return iterateCursorPages({
      method: "POST",
      path: "/api/v2/runs/query",
      startCursor: body.cursor,
      maxPages: Math.min(options.maxPages ?? this.maxPages, this.maxPages),
      fetchPage: (cursor) => this.queryRuns(cursor === undefined ? body : { ...body, cursor }, options.signal),
      nextCursor: (page) => page.next_cursor,
    });
  }

  /**
   * `GET /api/v2/runs/{id}?project_id[&start_time]&selects=…` (seed 004). `start_time` is
   * optional (official SDK `RunRetrieveV2Params`) and matched exactly, so it is sent as given,
   * never through a Date (which would drop microseconds); a naive time only gets its `Z`.
   */
  async getRun(
    rawRunId: string,
    params: { projectId: string; startTime?: string | undefined; selects?: readonly RunSelectField[] },
    signal?: AbortSignal,
  ): Promise<RunV2> {
    const runId = idParam("run_id", rawRunId);
    const projectId = idParam("project_id", params.projectId);
    if (params.startTime !== undefined) assertTimestamp("start_time", params.startTime);
    return this.request({
      method: "GET",
      path: `/api/v2/runs/${encodeURIComponent(runId)}`,
      query: {
        project_id: projectId,
        start_time: params.startTime === undefined ? undefined : wireTimestamp(params.startTime),
        selects: params.selects,
      },
      schema: RunV2Schema,
      signal,
    });
  }

  /** `GET /api/v2/traces/{trace_id}/runs?project_id&min_start_time&max_start_time[&filter]&selects=…`: a trace's runs, unpaged. */
  async listTraceRuns(
    rawTraceId: string,
    params: {
      projectId: string;
      minStartTime: string;
      maxStartTime: string;
      filter?: string | undefined;
      selects?: readonly RunSelectField[];
    },
    signal?: AbortSignal,
  ): Promise<TraceRunsResponse> {
    const traceId = idParam("trace_id", rawTraceId);
    const projectId = idParam("project_id", params.projectId);
    assertTimestamp("min_start_time", params.minStartTime);
    assertTimestamp("max_start_time", params.maxStartTime);
    if (params.filter !== undefined) this.logWarnings(checkFilters({ filter: params.filter }));
    return this.request({
      method: "GET",
      path: `/api/v2/traces/${encodeURIComponent(traceId)}/runs`,
      query: {
        project_id: projectId,
        min_start_time: wireTimestamp(params.minStartTime),
        max_start_time: wireTimestamp(params.maxStartTime),
        filter: params.filter,
        selects: params.selects,
      },
      schema: TraceRunsResponseSchema,
      signal,
    });
  }

  /* ------------------------------------------------------------------ runs v1 (§3.3) */

  /** `POST /api/v1/runs/query`: a read, so retried like a GET. */
  async queryRunsV1(request: RunsQueryV1Request, signal?: AbortSignal): Promise<RunsQueryV1Response> {
    this.logWarnings(validateRunsQueryV1(request));
    const body = lowerCaseIdsV1(request);
    return this.request({
      method: "POST",
      path: "/api/v1/runs/query",
      body,
      idempotent: true,
      schema: RunsQueryV1ResponseSchema,
      signal,
    });
  }

  /** `GET /api/v1/runs/{id}`. */
  async getRunV1(rawRunId: string, signal?: AbortSignal): Promise<RunV1> {
    const runId = idParam("run_id", rawRunId);
    return this.request({ method: "GET", path: `/api/v1/runs/${encodeURIComponent(runId)}`, schema: RunV1Schema, signal });
  }

  /* ------------------------------------------------------------------ run stats (spec run.yml) */

  /**
   * `POST /api/v1/runs/stats` without `group_by`: one RunStats over the runs the body selects
   * (as `runs/query` would). A read, so retried like a GET. Figures LangSmith omits are
   * undefined, figures with no data null; costs may be decimal strings (see `costUsd`).
   * @throws UserInputError for a bad id, timestamp or filter, before anything is sent.
   */
  async runStats(query: RunStatsRequest, signal?: AbortSignal): Promise<RunStats> {
    const body = this.runStatsBody(query);
    return this.request({ method: "POST", path: "/api/v1/runs/stats", body, idempotent: true, schema: RunStatsSchema, signal });
  }

  /**
   * `POST /api/v1/runs/stats` with `group_by`: `{<group value>: RunStats}`, at most
   * `max_groups` groups (LangSmith's default 5), or exactly `groups` when given.
   * @throws UserInputError as `runStats`, and for a metadata group without `path`.
   */
  async runStatsByGroup(
    query: RunStatsRequest & { group_by: RunStatsGroupByRequest; groups?: readonly string[] },
    signal?: AbortSignal,
  ): Promise<GroupedRunStats> {
    const { group_by: groupBy, groups, ...rest } = query;
    if (groupBy.attribute === "metadata" && !groupBy.path) {
      throw new UserInputError(
        "group_by.path",
        "is required when grouping by metadata.",
        'Give the metadata key to group by, e.g. path: "user_id".',
      );
    }
    if (groupBy.max_groups !== undefined && (!Number.isInteger(groupBy.max_groups) || groupBy.max_groups < 1)) {
      throw new UserInputError("group_by.max_groups", `must be a positive integer, got ${groupBy.max_groups}.`);
    }
    const body = { ...this.runStatsBody(rest), group_by: groupBy, ...(groups ? { groups } : {}) };
    return this.request({ method: "POST", path: "/api/v1/runs/stats", body, idempotent: true, schema: GroupedRunStatsSchema, signal });
  }

  private runStatsBody(query: RunStatsRequest): RunStatsRequest {
    if (query.session.length === 0) throw new UserInputError("session", "must list at least one project id.");
    const session = idList("session", query.session) ?? [];
    const id = idList("id", query.id);
    const trace = query.trace === undefined ? undefined : idParam("trace", query.trace);
    for (const field of ["start_time", "end_time"] as const) if (query[field] !== undefined) assertTimestamp(field, query[field]);
    this.logWarnings(checkFilters(query));
    return {
      ...query,
      session,
      ...(id ? { id } : {}),
      ...(trace ? { trace } : {}),
      ...(query.start_time !== undefined ? { start_time: wireTimestamp(query.start_time) } : {}),
      ...(query.end_time !== undefined ? { end_time: wireTimestamp(query.end_time) } : {}),
    };
  }

  /* ------------------------------------------------------------------ threads, v2 alpha (spec threads.yml) */

  /** `POST /api/v2/threads/query`: one page of a project's threads active in the window; a read, retried like a GET. */
  async queryThreads(request: ThreadsQueryRequest, signal?: AbortSignal): Promise<ThreadsPage> {
    const projectId = idParam("project_id", request.project_id);
    for (const field of ["min_start_time", "max_start_time"] as const)
      if (request[field] !== undefined) assertTimestamp(field, request[field]);
    assertIntegerInRange("page_size", request.page_size, 1, 100);
    if (request.filter !== undefined) this.logWarnings(checkFilters({ filter: request.filter }));
    const body: ThreadsQueryRequest = {
      ...request,
      project_id: projectId,
      ...(request.min_start_time !== undefined ? { min_start_time: wireTimestamp(request.min_start_time) } : {}),
      ...(request.max_start_time !== undefined ? { max_start_time: wireTimestamp(request.max_start_time) } : {}),
    };
    return this.request({ method: "POST", path: "/api/v2/threads/query", body, idempotent: true, schema: ThreadsPageSchema, signal });
  }

  /** `GET /api/v2/threads/{thread_id}/traces?project_id…`: one page of a thread's turns (root runs). */
  async listThreadTraces(threadId: string, query: ThreadTracesQuery, signal?: AbortSignal): Promise<ThreadTracesPage> {
    if (threadId.trim() === "") throw new UserInputError("thread_id", "is empty.", "Give a thread id from list_threads.");
    const projectId = idParam("project_id", query.projectId);
    assertIntegerInRange("page_size", query.pageSize, 1, 100);
    if (query.filter !== undefined) this.logWarnings(checkFilters({ filter: query.filter }));
    return this.request({
      method: "GET",
      path: `/api/v2/threads/${encodeURIComponent(threadId.trim())}/traces`,
      query: { project_id: projectId, filter: query.filter, page_size: query.pageSize, cursor: query.cursor, selects: query.selects },
      schema: ThreadTracesPageSchema,
      signal,
    });
  }

  /* ------------------------------------------------------------------ bulk exports (§4) */

  /** `POST …/bulk-exports/destinations`: creates after LangSmith's test write; never retried. */
  async createDestination(body: CreateDestinationRequest, signal?: AbortSignal): Promise<Destination> {
    this.addSecrets(body.credentials);
    return this.request({ method: "POST", path: "/api/v1/bulk-exports/destinations", body, schema: DestinationSchema, signal });
  }

  async listDestinations(signal?: AbortSignal): Promise<Destination[]> {
    return this.request({ method: "GET", path: "/api/v1/bulk-exports/destinations", schema: DestinationListSchema, signal });
  }

  async getDestination(rawId: string, signal?: AbortSignal): Promise<Destination> {
    const id = idParam("destination_id", rawId);
    return this.request({
      method: "GET",
      path: `/api/v1/bulk-exports/destinations/${encodeURIComponent(id)}`,
      schema: DestinationSchema,
      signal,
    });
  }

  /** `PATCH …/destinations/{id}` with new credentials: LangSmith test-writes them first; never retried. */
  async rotateDestinationCredentials(rawId: string, credentials: DestinationCredentials, signal?: AbortSignal): Promise<Destination> {
    const id = idParam("destination_id", rawId);
    this.addSecrets(credentials);
    return this.request({
      method: "PATCH",
      path: `/api/v1/bulk-exports/destinations/${encodeURIComponent(id)}`,
      body: { credentials },
      schema: DestinationSchema,
      signal,
    });
  }

  /** `POST /api/v1/bulk-exports`: creates an export; never retried (a retry could create two). */
  async createExport(request: CreateExportRequest, signal?: AbortSignal): Promise<BulkExport> {
    const body: CreateExportRequest = {
      ...request,
      bulk_export_destination_id: idParam("bulk_export_destination_id", request.bulk_export_destination_id),
      session_id: idParam("session_id", request.session_id),
    };
    if (body.filter !== undefined) this.logWarnings(checkFilters({ filter: body.filter }));
    return this.request({ method: "POST", path: "/api/v1/bulk-exports", body, schema: BulkExportSchema, signal });
  }

  async listExports(signal?: AbortSignal): Promise<BulkExport[]> {
    return this.request({ method: "GET", path: "/api/v1/bulk-exports", schema: BulkExportListSchema, signal });
  }

  async getExport(rawId: string, signal?: AbortSignal): Promise<BulkExport> {
    const id = idParam("export_id", rawId);
    return this.request({ method: "GET", path: `/api/v1/bulk-exports/${encodeURIComponent(id)}`, schema: BulkExportSchema, signal });
  }

  /** `PATCH …/{id}` `{"status": "Cancelled"}`: the same target state every time, so retried. */
  async cancelExport(rawId: string, signal?: AbortSignal): Promise<BulkExport> {
    const id = idParam("export_id", rawId);
    return this.request({
      method: "PATCH",
      path: `/api/v1/bulk-exports/${encodeURIComponent(id)}`,
      body: { status: "Cancelled" },
      idempotent: true,
      schema: BulkExportSchema,
      signal,
    });
  }

  async listExportRuns(rawId: string, signal?: AbortSignal): Promise<BulkExportRun[]> {
    const id = idParam("export_id", rawId);
    return this.request({
      method: "GET",
      path: `/api/v1/bulk-exports/${encodeURIComponent(id)}/runs`,
      schema: BulkExportRunListSchema,
      signal,
    });
  }

  /** `GET /api/v1/bulk-exports/{id}/runs/{run_id}`: one run of an export (what an incremental poll re-reads). */
  async getExportRun(rawExportId: string, rawRunId: string, signal?: AbortSignal): Promise<BulkExportRun> {
    const id = idParam("export_id", rawExportId);
    const runId = idParam("run_id", rawRunId);
    return this.request({
      method: "GET",
      path: `/api/v1/bulk-exports/${encodeURIComponent(id)}/runs/${encodeURIComponent(runId)}`,
      schema: BulkExportRunSchema,
      signal,
    });
  }

  /* ------------------------------------------------------------------ deletion and audit (§5) */

  /**
   * `POST /api/v1/runs/delete`: queues whole traces for LangSmith's weekend batch; answers `{}`.
   * Never retried: a retry after an ambiguous failure is the caller's decision (the ledger's).
   */
  async deleteRuns(request: DeleteRunsRequest, signal?: AbortSignal): Promise<Record<string, unknown>> {
    let body: DeleteRunsRequest = request;
    if ("trace_ids" in request) {
      const sessionId = idParam("session_id", request.session_id);
      if (request.trace_ids.length === 0) throw new UserInputError("trace_ids", "is empty: there is nothing to delete.");
      if (request.trace_ids.length > MAX_TRACE_IDS_PER_DELETE) {
        throw new UserInputError(
          "trace_ids",
          `has ${request.trace_ids.length} ids; LangSmith accepts at most ${MAX_TRACE_IDS_PER_DELETE} per delete request.`,
          `Split the ids into batches of ${MAX_TRACE_IDS_PER_DELETE}.`,
        );
      }
      body = { session_id: sessionId, trace_ids: idList("trace_ids", request.trace_ids) ?? [] };
    } else if (Object.keys(request.metadata).length === 0) {
      throw new UserInputError("metadata", "is empty: a metadata delete needs at least one key/value pair.");
    }
    return this.request({ method: "POST", path: "/api/v1/runs/delete", body, idempotent: false, schema: DeleteRunsResponseSchema, signal });
  }

  /** `GET /api/v1/audit-logs` (org-scoped, Enterprise): one page. */
  async listAuditLogs(query: AuditLogQuery, signal?: AbortSignal): Promise<AuditLogPage> {
    assertTimestamp("start_time", query.startTime);
    assertTimestamp("end_time", query.endTime);
    assertIntegerInRange("limit", query.limit, 1, 100);
    return this.request({
      method: "GET",
      path: "/api/v1/audit-logs",
      query: {
        start_time: wireTimestamp(query.startTime),
        end_time: wireTimestamp(query.endTime),
        operations: query.operations,
        limit: query.limit,
        cursor: query.cursor,
      },
      schema: AuditLogPageSchema,
      orgScoped: true,
      signal,
    });
  }

  /** Follows the audit log `cursor`; capped like every page loop. */
  iterateAuditLogPages(
    query: AuditLogQuery,
    options: { maxPages?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<AuditLogPage, void, undefined> {
    return iterateCursorPages({
      method: "GET",
      path: "/api/v1/audit-logs",
      startCursor: query.cursor,
      maxPages: Math.min(options.maxPages ?? this.maxPages, this.maxPages),
      fetchPage: (cursor) => this.listAuditLogs(cursor === undefined ? query : { ...query, cursor }, options.signal),
      nextCursor: (page) => page.cursor,
    });
  }

  /**
   * LangSmith's current time, extrapolated from the Date header of its latest response; the
   * local clock when no response was seen yet. Deletion windows are LangSmith's weekend, so
   * they are judged on its clock rather than on a possibly skewed local one.
   */
  serverNow(localNow: number = Date.now()): Date {
    if (!this.lastServerDate) return new Date(localNow);
    return new Date(this.lastServerDate.serverMs + (localNow - this.lastServerDate.localMs));
  }

  /** Registers credential values so they are redacted from every later message and log line. */
  private addSecrets(credentials: DestinationCredentials | undefined): void {
    if (!credentials) return;
    for (const value of [credentials.secret_access_key, credentials.session_token, credentials.access_key_id]) {
      if (!value) continue;
      this.secretValues.add(value);
      this.logger.addSecret(value);
    }
  }

  /** Closes the connection pool the client created; an injected dispatcher is left to its owner. */
  async close(): Promise<void> {
    if (this.ownsDispatcher && typeof this.dispatcher === "object") await this.dispatcher.close();
  }

  /* ------------------------------------------------------------------ transport */

  /**
   * One logical call: attempts, waits between them per the retry policy, maps the outcome.
   * Every wait fits in the running tool call's budget (a fresh one of policy.maxWaitMs outside
   * a tool call); a retry that would not is not slept.
   */
  protected async request<T>(spec: RequestSpec<T>): Promise<T> {
    const idempotent = spec.idempotent ?? spec.method === "GET";
    if (spec.orgScoped && !this.organizationId) {
      throw new ConfigurationError(
        `${spec.method} ${spec.path} is an organization-level API and needs an organization id.`,
        "Set LANGSMITH_ORGANIZATION_ID to your LangSmith organization id.",
      );
    }
    const budget = CallBudget.current() ?? new CallBudget(this.policy.maxWaitMs);
    let malformedRetriesUsed = 0;
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(spec, attempt, Math.min(this.timeoutMs, budget.remainingMs() + ATTEMPT_GRACE_MS));
      if (result.ok) return result.value;
      const ctx: RequestContext = { method: spec.method, path: spec.path, attempts: attempt };
      if (spec.signal?.aborted) throw this.abortedError(ctx);
      const decision = decideRetry(this.policy, {
        idempotent,
        attempt,
        outcome: result.outcome,
        malformedRetriesUsed,
        random: this.random(),
        remainingMs: budget.remainingMs(),
      });
      if (!decision.retry) {
        const asked = decision.waitBeyondDeadlineMs !== undefined && isServerRequestedWait(result.outcome);
        const error = asked ? this.waitRefusedError(result.toError(ctx), decision.waitBeyondDeadlineMs!) : result.toError(ctx);
        if (spec.path.startsWith("/api/v2/") && isRouteNotFound(error)) this.capabilities.noteV2Missing(spec.method, spec.path);
        this.logger.debug("request failed", { method: spec.method, path: spec.path, attempts: attempt, reason: result.reason });
        throw error;
      }
      if (result.outcome.type === "malformed_json") malformedRetriesUsed++;
      this.logger.warn("retrying LangSmith request", {
        method: spec.method,
        path: spec.path,
        attempt,
        reason: result.reason,
        delay_ms: decision.delayMs,
      });
      try {
        await this.sleep(decision.delayMs, spec.signal);
      } catch (err) {
        if (spec.signal?.aborted) throw this.abortedError(ctx);
        throw err;
      }
    }
  }

  private async attempt<T>(spec: RequestSpec<T>, attempt: number, timeoutMs: number): Promise<Attempt<T>> {
    const url = this.endpoint + spec.path + encodeQuery(spec.query);
    const headers: Record<string, string> = {
      "x-api-key": this.apiKey,
      accept: "application/json",
      "user-agent": this.userAgent,
    };
    if (this.workspaceId) headers["x-tenant-id"] = this.workspaceId;
    if (spec.orgScoped && this.organizationId) headers["x-organization-id"] = this.organizationId;
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    if (body !== undefined) headers["content-type"] = "application/json";

    // One controller per attempt: it fires on our deadline or on the caller's cancellation,
    // and `timedOut` tells the two apart afterwards.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = (): void => controller.abort();
    spec.signal?.addEventListener("abort", onCallerAbort, { once: true });
    if (spec.signal?.aborted) controller.abort();

    const started = Date.now();
    let status = 0;
    let retryAfterHeader: string | string[] | undefined;
    let text: string;
    try {
      const { send, dispatcher } = await this.transport();
      const response = await send(url, { method: spec.method, headers, body, signal: controller.signal, dispatcher });
      status = response.statusCode;
      retryAfterHeader = response.headers["retry-after"];
      this.noteServerDate(response.headers["date"]);
      // Always read the body to the end, even for errors, so the connection goes back to the pool.
      const read = await readCappedText(response.body, response.headers["content-length"], this.maxResponseBytes);
      if (read.kind === "too-large") return this.tooLargeFailure(status);
      text = read.text;
    } catch (err) {
      return this.networkFailure(spec, err, timedOut, timeoutMs);
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener("abort", onCallerAbort);
    }
    this.logger.debug("LangSmith response", { method: spec.method, path: spec.path, status, attempt, ms: Date.now() - started });

    if (status < 200 || status >= 300) {
      const retryAfterMs = parseRetryAfter(retryAfterHeader, Date.now());
      return {
        ok: false,
        outcome: { type: "status", status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
        reason: `${status} ${statusText(status)}`,
        toError: (ctx) =>
          makeApiError(ctx, { status, body: text, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }, this.redact, this.keySource),
      };
    }
    return this.parseBody(spec, status, text);
  }

  private parseBody<T>(spec: RequestSpec<T>, status: number, text: string): Attempt<T> {
    let json: unknown;
    if (status === 204 && text.trim() === "") {
      json = null;
    } else {
      try {
        json = JSON.parse(text);
      } catch (cause) {
        return {
          ok: false,
          outcome: { type: "malformed_json" },
          reason: "malformed JSON body",
          toError: (ctx) =>
            new LangSmithResponseError(
              this.redact(
                `${ctx.method} ${ctx.path} → ${status} ${statusText(status)} but the body is not valid ` +
                  `JSON${ctx.attempts > 1 ? ` (${ctx.attempts} attempts)` : ""}: the response was truncated or corrupted on the way. ` +
                  `Try again; if it persists, check for a proxy between this server and LangSmith.`,
              ),
              ctx,
              { kind: "malformed_json", status, rawBody: truncateBody(text, this.redact), cause },
            ),
        };
      }
    }
    const parsed = spec.schema.safeParse(json);
    if (parsed.success) return { ok: true, value: parsed.data };
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : undefined;
    const what = issue ? `${field ? `field \`${field}\`` : "the body"}: ${issue.message}` : "unexpected shape";
    return {
      ok: false,
      outcome: { type: "schema_mismatch" },
      reason: "response failed schema",
      toError: (ctx) =>
        new LangSmithResponseError(
          this.redact(
            `${ctx.method} ${ctx.path} → ${status} ${statusText(status)} but the response does not have the shape this client expects ` +
              `(${what}). The LangSmith API may have changed; report it with the server version.`,
          ),
          ctx,
          { kind: "schema", status, ...(field !== undefined ? { field } : {}), rawBody: truncateBody(text, this.redact) },
        ),
    };
  }

  /** A body past the cap: deterministic, so not retried; the agent is told to ask for less. */
  private tooLargeFailure<T>(status: number): Attempt<T> {
    const cap = `${Math.round((this.maxResponseBytes / 1_048_576) * 10) / 10} MiB`;
    return {
      ok: false,
      outcome: { type: "too_large" },
      reason: "response too large",
      toError: (ctx) =>
        new LangSmithResponseError(
          `${ctx.method} ${ctx.path} → ${status} ${statusText(status)}: response too large, over the ${cap} this server reads ` +
            "(--max-upstream-bytes / LANGSMITH_MCP_MAX_UPSTREAM_BYTES), so it was cut off. Ask for less: a smaller limit, a " +
            "narrower window or fewer fields; or ask the server's operator to raise the cap.",
          ctx,
          { kind: "too_large", status, rawBody: "" },
        ),
    };
  }

  private networkFailure<T>(spec: RequestSpec<T>, err: unknown, timedOut: boolean, timeoutMs: number): Attempt<T> {
    const classified = spec.signal?.aborted
      ? { kind: "aborted" as const, code: undefined }
      : timedOut
        ? { kind: "timeout" as const, code: undefined }
        : classifyNetworkError(err);
    return {
      ok: false,
      outcome: { type: "network", kind: classified.kind },
      reason: classified.code ?? classified.kind,
      toError: (ctx) =>
        makeNetworkError(ctx, err, { kind: classified.kind, code: classified.code, timeoutMs, host: this.host }, this.redact),
    };
  }

  /**
   * LangSmith asked for a wait (429, or Retry-After) longer than the call has left: say so now,
   * with the wait, rather than sleep past the MCP client's patience.
   */
  private waitRefusedError(error: Error, waitMs: number): Error {
    if (!isLangSmithApiError(error)) return error;
    const ctx: RequestContext = { method: error.method, path: error.path, attempts: error.attempts };
    const what = error.status === 429 ? "rate limited by LangSmith" : "LangSmith is unavailable";
    const message =
      `${ctx.method} ${ctx.path} → ${error.status} ${statusText(error.status)}: ${what}; retry after ` +
      `${quoteSeconds(waitMs)} s. That is longer than this call may still wait, so it answers now instead of waiting.`;
    const parsed = { detail: error.detail, title: error.title, remedy: error.remedy, code: error.code };
    return new LangSmithApiError(this.redact(message), ctx, {
      status: error.status,
      parsed: stripUndefined(parsed),
      retryAfterMs: waitMs,
      rawBody: error.rawBody,
    });
  }

  private abortedError(ctx: RequestContext): LangSmithNetworkError {
    return makeNetworkError(
      ctx,
      abortError(),
      { kind: "aborted", code: undefined, timeoutMs: this.timeoutMs, host: this.host },
      this.redact,
    );
  }

  private noteServerDate(header: string | string[] | undefined): void {
    const value = Array.isArray(header) ? header[0] : header;
    const ms = value ? Date.parse(value) : NaN;
    if (Number.isFinite(ms)) this.lastServerDate = { serverMs: ms, localMs: Date.now() };
  }

  private logWarnings(warnings: readonly string[]): void {
    for (const warning of warnings) this.logger.warn("filter warning", { warning });
  }
}

const stripUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** A v2 query page, and whether `sort_order` had to be left out because LangSmith refused it. */
export type RunsQueryV2Page = RunsQueryV2Response & { sortOrderDropped?: true };

/** A 400/422 that names `sort_order`: this deployment does not take it. */
function isSortOrderRefusal(error: unknown): error is LangSmithApiError {
  return (
    isLangSmithApiError(error) &&
    (error.status === 400 || error.status === 422) &&
    /sort_order/i.test(`${error.detail ?? ""} ${error.rawBody}`)
  );
}

/** A frozen list's lower-cased copy, made once: a purge's frozen id chunks are sent on every check of it (validate.ts, checkedIdLists). */
const lowerCasedLists = new WeakMap<readonly string[], readonly string[]>();

/**
 * Lists of ids `validateRunsQueryV1/V2` already checked, in lower case: a second UUID test per
 * id cost as much as the rest of a 1000-id query's preparation (about 0.35 µs an id). A frozen
 * list is lower-cased once (lowerCasedLists).
 */
const lowerCased = (values: readonly string[] | undefined): readonly string[] | undefined => {
  if (values === undefined) return undefined;
  const known = lowerCasedLists.get(values);
  if (known) return known;
  const out = values.map((value) => value.toLowerCase());
  if (Object.isFrozen(values)) lowerCasedLists.set(values, Object.freeze(out));
  return out;
};

/** The v2 query with every id in lower case (LangSmith's form); other fields unchanged. Call after validateRunsQueryV2. */
function lowerCaseIdsV2(body: RunsQueryV2Request): RunsQueryV2Request {
  const out: RunsQueryV2Request = { ...body };
  if (body.project_ids) out.project_ids = lowerCased(body.project_ids);
  if (body.reference_dataset_id !== undefined) out.reference_dataset_id = idParam("reference_dataset_id", body.reference_dataset_id);
  if (body.ids) out.ids = lowerCased(body.ids);
  if (body.reference_examples) out.reference_examples = lowerCased(body.reference_examples);
  if (body.trace_id !== undefined) out.trace_id = idParam("trace_id", body.trace_id);
  if (body.min_start_time !== undefined) out.min_start_time = wireTimestamp(body.min_start_time);
  if (body.max_start_time !== undefined) out.max_start_time = wireTimestamp(body.max_start_time);
  return out;
}

/** The v1 query with every id in lower case. Call after validateRunsQueryV1. */
function lowerCaseIdsV1(body: RunsQueryV1Request): RunsQueryV1Request {
  const out: RunsQueryV1Request = { ...body };
  if (body.id) out.id = lowerCased(body.id);
  if (body.session) out.session = lowerCased(body.session);
  if (body.reference_example) out.reference_example = lowerCased(body.reference_example);
  if (body.trace !== undefined) out.trace = idParam("trace", body.trace);
  if (body.parent_run !== undefined) out.parent_run = idParam("parent_run", body.parent_run);
  if (body.start_time !== undefined) out.start_time = wireTimestamp(body.start_time);
  if (body.end_time !== undefined) out.end_time = wireTimestamp(body.end_time);
  return out;
}

/** `selects=A&selects=B` for arrays (the v2 API's repeatable parameters); undefined dropped. */
function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
