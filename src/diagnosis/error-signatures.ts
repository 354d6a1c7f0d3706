/**
 * Signatures of the error texts a bulk export run records in `errors.retry_N`, by the layer that
 * prints them: AWS S3 (XML error codes, botocore messages), the GCS XML API, MinIO, pyarrow,
 * JSON serializers, the kernel and Kubernetes, Temporal, and LangSmith itself.
 *
 * Precedence is table order: the first signature that matches decides. The groups are ordered
 * from the most to the least telling, because the texts nest (a Temporal activity error wraps
 * the botocore error that caused it; an OOM kill also stops the heartbeat):
 *   1. destination record deleted: nothing else can work until it is recreated;
 *   2. storage error codes: a named S3/GCS/MinIO code is the cause, whatever wraps it; the
 *      specific codes come before the generic AccessDenied and "bucket is not valid";
 *   3. resource exhaustion (memory, disk, file handles) and serialization (encoder and decoder
 *      families): the data itself fails, wrappers are symptoms;
 *   4. interruptions that look like timeouts (heartbeat, ScheduleToStart, workflow *task*
 *      timeouts): a worker died or was busy, the run was not too big;
 *   5. the workflow timeout, then 6. the run timeout;
 *   7. generic transient noise (throttling, resets, signals, restarts): said last because
 *      wrappers of real failures often mention them too.
 * Text that matches nothing is `unknown`: the classifier never guesses.
 */
import { anyOf } from "./any-of.js";
import type { DestinationErrorPhrase } from "./tables.js";
import type { Confidence, DestinationField, FailureMode } from "./types.js";

/** What kind of problem a signature names; the diagnosis picks remediation by it. */
export type ErrorCategory =
  | "destination_record_missing"
  | "storage_credentials"
  | "storage_permission"
  | "storage_bucket_missing"
  | "storage_bucket_name"
  | "storage_endpoint"
  | "storage_region"
  | "storage_object_name"
  | "storage_capacity"
  | "out_of_memory"
  | "resource_exhaustion"
  | "serialization"
  | "arrow_conversion"
  | "worker_lost"
  | "workflow_timeout"
  | "run_timeout"
  | "storage_throttling"
  | "storage_transient"
  | "network"
  | "shutdown";

export interface ErrorSignature {
  /** Stable name, shown as the matched pattern. */
  id: string;
  mode: Exclude<FailureMode, "unknown">;
  category: ErrorCategory;
  pattern: RegExp;
  /** The layer and operation that prints this text. */
  layer: string;
  confidence: Confidence;
  /** The seed 001 / contract phrase LangSmith reports for this storage error. */
  destinationError?: DestinationErrorPhrase;
  /** Destination fields to fix, most likely first (destination errors only). */
  fields?: readonly DestinationField[];
  /** What this particular code means, in one sentence. */
  hint: string;
}

/** A LangSmith id (lower-case UUID) as a regular-expression source. */
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

const CREDENTIALS: readonly DestinationField[] = ["credentials.access_key_id", "credentials.secret_access_key"];

export const ERROR_SIGNATURES: readonly ErrorSignature[] = Object.freeze([
  // 1. destination record deleted
  {
    id: "destination-record-not-found",
    mode: "destination_deleted",
    category: "destination_record_missing",
    // The record is named by id: "destination … does not exist" alone also ends texts about keys.
    pattern: anyOf(
      "i",
      new RegExp(
        String.raw`\b(?:bulk[ _]?export[ _]?)?destination(?:\s+(?:record|id))?\s+${UUID}` +
          String.raw`\b[^\n]{0,80}?\b(?:not found|does not exist|was deleted|has been deleted)`,
      ),
      /\bbulk[ _]?export[ _]?destination not found\b/,
    ),
    layer: "LangSmith export workflow: loading the destination record",
    confidence: "high",
    hint: "The destination record this export points at no longer exists in LangSmith.",
  },

  // 2. storage error codes, specific before generic
  {
    id: "s3-invalid-bucket-name",
    mode: "destination_error",
    category: "storage_bucket_name",
    pattern: /\bInvalidBucketName\b|specified bucket is not valid|Invalid bucket name/i,
    layer: "AWS S3 / botocore ClientError, S3-compatible stores (PutObject, CreateMultipartUpload)",
    confidence: "high",
    destinationError: "InvalidBucketName",
    fields: ["config.bucket_name", "config.prefix"],
    hint: "The bucket name breaks S3 naming rules; a path or URL in bucket_name belongs in prefix.",
  },
  {
    id: "s3-invalid-access-key-id",
    mode: "destination_error",
    category: "storage_credentials",
    pattern: /\bInvalidAccessKeyId\b|Access Key Id you provided does not exist|Key ID you provided does not exist/i,
    layer: "AWS S3 / MinIO / GCS HMAC: request authentication",
    confidence: "high",
    destinationError: "Key ID you provided does not exist",
    fields: CREDENTIALS,
    hint: "The access key id is unknown to the store: deleted, deactivated, or from another account or provider.",
  },
  {
    id: "s3-signature-does-not-match",
    mode: "destination_error",
    category: "storage_credentials",
    pattern: /\bSignatureDoesNotMatch\b|request signature we calculated does not match/i,
    layer: "AWS S3 / S3-compatible stores: SigV4 request authentication",
    confidence: "high",
    destinationError: "Access denied",
    fields: ["credentials.secret_access_key", "credentials.access_key_id", "config.region"],
    hint: "The secret access key does not belong to the access key id (or the signing region is wrong).",
  },
  {
    id: "aws-expired-token",
    mode: "destination_error",
    category: "storage_credentials",
    pattern: anyOf(
      "i",
      /\b(?:ExpiredToken|TokenRefreshRequired|InvalidToken|ExpiredTokenException)\b|provided token (?:has expired|is malformed)/,
      /security token included in the request is (?:expired|invalid)/,
    ),
    layer: "AWS STS temporary credentials on S3 requests",
    confidence: "high",
    destinationError: "Access denied",
    fields: ["credentials.session_token", "credentials.access_key_id", "credentials.secret_access_key"],
    hint: "The temporary credentials' session token expired; exports outlive short-lived tokens, so rotate to longer-lived credentials.",
  },
  {
    id: "aws-kms-denied",
    mode: "destination_error",
    category: "storage_permission",
    pattern: anyOf(
      "",
      /\bKMS\.[A-Za-z]+Exception\b|kms:(?:GenerateDataKey|Decrypt|Encrypt)\b/,
      /\bKMS(?:Invalid|Disabled|NotFound|AccessDenied|KeyUnavailable)\w*Exception\b|ciphertext refers to a customer master key/,
    ),
    layer: "AWS S3 with SSE-KMS default bucket encryption (PutObject)",
    confidence: "high",
    destinationError: "Access denied",
    fields: ["credentials.access_key_id"],
    hint: "The bucket encrypts with a KMS key the writer may not use: grant kms:GenerateDataKey and kms:Decrypt on that key.",
  },
  {
    id: "aws-no-credentials",
    mode: "destination_error",
    category: "storage_credentials",
    pattern: anyOf(
      "i",
      /\bNoCredentialsError\b|Unable to locate credentials|\bPartialCredentialsError\b|Partial credentials found/,
      /\bCredentialRetrievalError\b|\bNoAuthTokenError\b|credentials are required/,
    ),
    layer: "botocore credential chain (no keys stored; self-hosted environment credentials or IRSA missing)",
    confidence: "high",
    destinationError: "Access denied",
    fields: ["credentials.access_key_id", "credentials.secret_access_key"],
    hint: "The writer found no credentials: none are stored on the destination and the environment (instance role, IRSA) provides none.",
  },
  {
    id: "s3-all-access-disabled",
    mode: "destination_error",
    category: "storage_bucket_missing",
    pattern: /\bAllAccessDisabled\b|All access to this (?:object|bucket|Amazon S3 resource) has been disabled/i,
    layer: "AWS S3 ClientError (account or bucket suspended)",
    confidence: "high",
    destinationError: "Bucket is not valid",
    fields: ["config.bucket_name"],
    hint: "AWS has disabled all access to the bucket (suspended account or bucket); no credential change helps.",
  },
  {
    id: "gcs-user-project-account-problem",
    mode: "destination_error",
    category: "storage_permission",
    pattern: anyOf(
      "i",
      /\bUserProjectAccountProblem\b|associated with a (?:closed|disabled) billing account/,
      /billing account for the owning project is disabled/,
    ),
    layer: "GCS XML API (billing of the bucket's project)",
    confidence: "high",
    destinationError: "Access denied",
    fields: [],
    hint: "The GCS bucket's project has a closed or disabled billing account; fix billing in Google Cloud, not the destination.",
  },
  {
    id: "gcs-missing-object-permission",
    mode: "destination_error",
    category: "storage_permission",
    pattern: /does not have storage\.(?:objects|buckets)\.[a-z]+ access|Permission '?storage\.objects\.(?:create|delete|get)'? denied/i,
    layer: "GCS XML API (PUT object with an HMAC key's service account)",
    confidence: "high",
    destinationError: "Access denied",
    fields: ["credentials.access_key_id", "config.bucket_name"],
    hint: "The HMAC key's service account lacks storage.objects.create on the bucket.",
  },
  {
    id: "s3-no-such-bucket",
    mode: "destination_error",
    category: "storage_bucket_missing",
    pattern: /\bNoSuchBucket\b|specified bucket does not exist/i,
    layer: "AWS S3 / GCS XML API / MinIO (PutObject on a missing bucket)",
    // A missing bucket is a wrong name before anything was written, a deleted bucket after.
    confidence: "medium",
    destinationError: "Bucket is not valid",
    fields: ["config.bucket_name", "config.region", "config.endpoint_url"],
    hint: "The bucket does not exist: misspelled, in another account, or deleted.",
  },
  {
    id: "langsmith-bucket-not-valid",
    mode: "destination_error",
    category: "storage_bucket_missing",
    pattern: /\bBucket is not valid\b/i,
    layer: "LangSmith destination test write (destination docs, common errors)",
    confidence: "high",
    destinationError: "Bucket is not valid",
    fields: ["config.bucket_name", "config.region", "config.endpoint_url"],
    hint: "The bucket does not exist or cannot be written with these credentials.",
  },
  {
    id: "s3-wrong-region",
    mode: "destination_error",
    category: "storage_region",
    pattern: anyOf(
      "i",
      /\bPermanentRedirect\b|must be addressed using the specified endpoint|\bAuthorizationHeaderMalformed\b|the region '[^']*' is wrong/,
      /\bIllegalLocationConstraintException\b|\bIncorrectEndpoint\b/,
    ),
    layer: "AWS S3 ClientError (request sent to the wrong region)",
    confidence: "high",
    destinationError: "Invalid endpoint",
    fields: ["config.region", "config.endpoint_url"],
    hint: "The bucket lives in another region than the destination's region (or the endpoint points at the wrong one).",
  },
  {
    id: "botocore-endpoint-unreachable",
    mode: "destination_error",
    category: "storage_endpoint",
    pattern: anyOf(
      "i",
      /\bEndpointConnectionError\b|Could not connect to the endpoint URL|\bInvalid endpoint\b|\bInvalidEndpoint\b/,
      /Name or service not known|nodename nor servname provided/,
    ),
    layer: "botocore (connecting to endpoint_url) / LangSmith destination test write",
    // Also seen during a short network outage; an endpoint that never answers is a config error.
    confidence: "medium",
    destinationError: "Invalid endpoint",
    fields: ["config.endpoint_url", "config.region"],
    hint: "The endpoint URL does not resolve or answer: a typo, a private endpoint, or an endpoint_url set for AWS.",
  },
  {
    id: "minio-invalid-object-name",
    mode: "destination_error",
    category: "storage_object_name",
    pattern: /\bXMinioInvalidObjectName\b|Object name contains unsupported characters/i,
    layer: "MinIO (PutObject key validation)",
    confidence: "high",
    fields: ["config.prefix", "config.include_bucket_in_prefix"],
    hint: "MinIO rejects the object key: the prefix holds characters or segments MinIO does not allow.",
  },
  {
    id: "minio-storage-full",
    mode: "destination_error",
    category: "storage_capacity",
    pattern: /\bXMinioStorageFull\b|minimum free drive threshold|\bQuotaExceeded\b|\bXMinioAdminBucketQuotaExceeded\b/i,
    layer: "MinIO / S3-compatible stores (PutObject with no space or quota left)",
    confidence: "high",
    fields: [],
    hint: "The store is out of space or over its quota; free space or raise the quota.",
  },
  {
    id: "s3-access-denied",
    mode: "destination_error",
    category: "storage_permission",
    pattern: /\bAccessDenied\b|\bAccess Denied\b/i,
    layer: "AWS S3 / GCS XML API / MinIO ClientError (PutObject, CreateMultipartUpload)",
    confidence: "high",
    destinationError: "Access denied",
    fields: [
      "credentials.access_key_id",
      "credentials.secret_access_key",
      "config.bucket_name",
      "config.prefix",
      "config.include_bucket_in_prefix",
    ],
    hint: "The credentials may not write to this bucket and prefix (missing s3:PutObject / storage.objects.create, or a deny policy).",
  },

  // 3. the data itself: memory, serialization, Arrow conversion
  {
    id: "out-of-memory",
    mode: "terminal_processing_error",
    category: "out_of_memory",
    pattern: anyOf(
      "i",
      /\bMemoryError\b|\bOOMKilled\b|\bOut of memory: Kill(?:ed)? process\b|Memory cgroup out of memory/,
      /Killed process \d+ [^\n]*(?:out of memory|oom)|\bArrowMemoryError\b|Cannot allocate memory|std::bad_alloc/,
      /malloc of size \d+ failed/,
    ),
    layer: "Python / pyarrow allocator, Linux OOM killer, Kubernetes container status",
    confidence: "high",
    hint: "The worker ran out of memory on this partition's data.",
  },
  {
    id: "exit-code-137",
    mode: "terminal_processing_error",
    category: "out_of_memory",
    pattern: /exit(?:ed)? (?:with )?(?:code|status) 137\b|\bOOM\b/i,
    layer: "Kubernetes / container runtime (process killed with SIGKILL)",
    // 137 is SIGKILL: usually the OOM killer, occasionally a kill after the shutdown grace period.
    confidence: "medium",
    hint: "The worker was killed with SIGKILL, almost always by the out-of-memory killer.",
  },
  {
    id: "resource-exhaustion",
    mode: "terminal_processing_error",
    category: "resource_exhaustion",
    // Local resources of the worker (errno 28, 122, 24); a full bucket is MinIO's XMinioStorageFull above.
    pattern: anyOf(
      "i",
      /No space left on device|\bENOSPC\b|\[Errno 28\]|Disk quota exceeded|\bEDQUOT\b|\[Errno 122\]|Too many open files|\bEMFILE\b/,
      /\[Errno 24\]|\bResourceExhausted\b|RESOURCE_EXHAUSTED/,
    ),
    layer: "the worker's operating system (disk, quota, file handles) or gRPC RESOURCE_EXHAUSTED",
    confidence: "high",
    hint: "The worker ran out of local disk, quota or file handles while building this partition's files.",
  },
  {
    id: "json-serialization",
    mode: "terminal_processing_error",
    category: "serialization",
    // The family: encoder and decoder exception classes of json/orjson/simplejson/msgpack, and the
    // values they refuse (non-finite floats, lone surrogates, oversize integers, foreign objects).
    pattern: anyOf(
      "i",
      /\bJSON(?:En|De)codeError\b|\bUnicode(?:En|De)codeError\b|is not JSON serializable|Type is not JSON serializable/,
      /surrogates not allowed|Integer exceeds 64-bit range|Expecting (?:value|property name|',' delimiter)[^\n]{0,20}line \d+/,
      /Out of range float values are not JSON compliant|non-finite float|(?:NaN|Infinity|inf) is not (?:JSON compliant|allowed)/,
      /\b(?:Pickling|Serialization|Deserialization|Msgpack|PackValue)(?:Error|Exception)\b|\bmsgpack\.exceptions\.\w+|cannot serialize/,
    ),
    layer: "orjson / json encoding or decoding run fields (inputs, outputs, extra, events)",
    confidence: "high",
    hint: "A run field holds a value the serializer cannot encode (lone surrogate, huge integer, foreign object).",
  },
  {
    id: "arrow-conversion",
    mode: "terminal_processing_error",
    category: "arrow_conversion",
    pattern: anyOf(
      "i",
      /\bArrow(?:Invalid|TypeError|NotImplementedError|CapacityError|IndexError|KeyError)\b|Unsupported cast from|Invalid UTF8/,
      /tried to convert to/,
    ),
    layer: "pyarrow building the Parquet record batch",
    confidence: "high",
    hint: "A column's values do not fit the Parquet schema (mixed types, invalid UTF-8, oversize values).",
  },

  // 4. interruptions that look like timeouts
  {
    id: "temporal-heartbeat-timeout",
    mode: "infrastructure_interruption",
    category: "worker_lost",
    pattern: /\bheartbeat timeout\b|TIMEOUT_TYPE_HEARTBEAT|heartbeat[^\n]{0,40}timed out/i,
    layer: "Temporal activity (worker stopped heartbeating: crashed or restarted)",
    confidence: "high",
    hint: "The worker stopped heartbeating, which is what a crash or restart looks like; the run resumes from its checkpoint.",
  },
  {
    id: "temporal-schedule-to-start",
    mode: "infrastructure_interruption",
    category: "worker_lost",
    pattern: /ScheduleToStart|TIMEOUT_TYPE_SCHEDULE_TO_START|Workflow ?task timed out|WorkflowTaskTimedOut/i,
    layer: "Temporal (no worker picked the task up in time)",
    confidence: "high",
    hint: "No worker was available in time (deployment or capacity), not a run that was too big.",
  },
  {
    id: "worker-shutdown",
    mode: "infrastructure_interruption",
    category: "shutdown",
    pattern:
      /worker (?:is )?shut(?:ting)? ?down|\bWorkerShutdown\b|graceful shutdown|worker (?:crashed|restarted|lost|died)|\bWorkerLostError\b/i,
    layer: "Temporal / queue worker lifecycle",
    confidence: "high",
    hint: "The worker shut down mid-run (deployment or restart); the run is requeued.",
  },
  {
    id: "pod-evicted",
    mode: "infrastructure_interruption",
    category: "shutdown",
    pattern: /\bEvicted\b|pod [^\n]{0,80}evicted|The node was low on resource|node (?:drain|shutdown|preempted)|\bpreempted\b/i,
    layer: "Kubernetes (pod eviction, node drain or preemption)",
    confidence: "high",
    hint: "Kubernetes moved the worker off its node; the run is requeued.",
  },

  // 5. workflow timeout
  {
    id: "workflow-timeout",
    mode: "workflow_timeout",
    category: "workflow_timeout",
    pattern: anyOf(
      "i",
      /Workflow execution timed out|\bWorkflowExecutionTimedOut(?:Error)?\b|WORKFLOW_EXECUTION_TIMED_OUT/,
      /workflow (?:execution |run )?timeout|workflow[^\n]{0,40}exceeded its (?:execution |run )?timeout|workflow_execution_timeout/,
      /exceeded (?:the )?(?:\d+[- ]?h(?:our)? )?(?:maximum )?(?:workflow|export) (?:duration|timeout|runtime)/,
    ),
    layer: "Temporal workflow execution timeout (the export's overall limit)",
    confidence: "high",
    hint: "The export as a whole ran past its workflow timeout.",
  },

  // 6. run timeout
  {
    id: "run-start-to-close",
    mode: "run_timeout",
    category: "run_timeout",
    // The family: Temporal's timeout types, the maximum run duration however it is worded, a
    // cancellation that carries max_run_duration, and a Go-style 4h0m0s duration after "timed out".
    pattern: anyOf(
      "i",
      /StartToClose|ScheduleToClose|TIMEOUT_TYPE_(?:START|SCHEDULE)_TO_CLOSE|run exceeded (?:the )?maximum duration/,
      /exceeded (?:the )?max(?:imum)? run (?:duration|time)|max_run_duration|exceeded (?:the )?\d+[- ]?h(?:our)? run (?:limit|timeout)/,
      /exceeded (?:the )?run timeout|timed out after \d+h\d+m\d+s|run timeout of \d+/,
    ),
    layer: "Temporal activity timeout (one run's 4 h limit)",
    confidence: "high",
    hint: "One partition took longer than the run timeout.",
  },
  {
    id: "activity-timed-out",
    mode: "run_timeout",
    category: "run_timeout",
    pattern: /Activity task timed out|activity timed out|\bActivityTaskTimedOut\b/i,
    layer: "Temporal ActivityError without a timeout type",
    // Without the timeout type it may have been a heartbeat timeout (a lost worker).
    confidence: "medium",
    hint: "The run's activity timed out; without a timeout type it is most likely the run timeout.",
  },

  // 7. transient noise
  {
    id: "s3-slow-down",
    mode: "infrastructure_interruption",
    category: "storage_throttling",
    pattern: /\bSlowDown\b|Slow Down|Please reduce your request rate|\bRequestLimitExceeded\b|\bTooManyRequests\b|\brateLimitExceeded\b/i,
    layer: "AWS S3 503 SlowDown / GCS 429 throttling",
    // Throttling is not a configuration error: the same credentials succeed once the rate drops.
    confidence: "medium",
    hint: "The store throttled the writer; this passes on retry and is not a destination misconfiguration.",
  },
  {
    id: "s3-transient",
    mode: "infrastructure_interruption",
    category: "storage_transient",
    pattern: anyOf(
      "i",
      /\b(?:InternalError|ServiceUnavailable|RequestTimeout)\b|We encountered an internal error\. Please try again/,
      /socket connection to the server was not read from or written to/,
    ),
    layer: "AWS S3 / GCS 5xx and request timeouts",
    confidence: "medium",
    hint: "A transient storage-side error; retried.",
  },
  {
    id: "network-reset",
    mode: "infrastructure_interruption",
    category: "network",
    // Also the database side of processing: drivers' OperationalError / connection-lost classes.
    pattern: anyOf(
      "i",
      /server closed the connection unexpectedly|SSL SYSCALL error|\bConnectionDoesNotExistError\b|connection (?:was|is|already) closed/,
      /Connection closed by server|terminating connection due to administrator command|\bAdminShutdown\b/,
      /Lost connection to (?:MySQL )?server|Unexpected EOF while reading/,
      /\bOperationalError\b[^\n]{0,80}(?:connection|closed|timeout|timed out|EOF)|Connection reset by peer|\bECONNRESET\b/,
      /\bConnectionResetError\b|Connection aborted|\bRemoteDisconnected\b|Broken pipe|\bEPIPE\b|\bReadTimeoutError\b|Read timed out/,
      /\bConnectTimeoutError\b|Connection refused|\bECONNREFUSED\b|Temporary failure in name resolution|\bIncompleteRead\b/,
      /\bResponseStreamingError\b/,
    ),
    layer: "network between the worker and the store or database (urllib3, botocore, sockets, psycopg/asyncpg/ClickHouse drivers)",
    confidence: "medium",
    hint: "A connection dropped mid-transfer; retried from the checkpoint.",
  },
  {
    id: "signal-or-restart",
    mode: "infrastructure_interruption",
    category: "shutdown",
    pattern: anyOf(
      "i",
      /\bSIGTERM\b|\bSIGKILL\b|received signal 15|\bredeploy(?:ment|ed)?\b|rolling (?:update|restart|deploy)/,
      /deployment (?:restart|rollout|in progress)|server (?:restart(?:ed)?|shutting down)/,
    ),
    layer: "process signals and deployments (Kubernetes, Temporal worker)",
    confidence: "medium",
    hint: "The process was stopped by a deployment or restart; the run is requeued.",
  },
]);
