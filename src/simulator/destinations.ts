/**
 * Bulk export destinations (contract §4.1, seed 001): the record LangSmith keeps, the body
 * validation FastAPI applies (422), the endpoint resolution boto3 applies, and the test
 * write the backend makes before saving. Credentials are kept here for the engine; the API
 * view carries only `credentials_keys`.
 */
import { isRecord, v1Error, v1Validation, type ValidationIssue } from "./http.js";
import { DEFAULT_AWS_REGION, GCS_ENDPOINT, type Credentials, type ObjectStore, type StorageTarget } from "./object-store.js";
import { testWriteDetail } from "./storage-errors.js";
import { naiveUtc } from "./views.js";

export interface DestinationConfig {
  bucket_name: string;
  prefix: string;
  region: string | null;
  endpoint_url: string | null;
  include_bucket_in_prefix: boolean;
  aws_role_arn: string | null;
  config_kwargs_s3: { addressing_style: AddressingStyle } | null;
}

export type AddressingStyle = "auto" | "virtual" | "path";
const ADDRESSING_STYLES: readonly AddressingStyle[] = ["auto", "virtual", "path"];

export interface DestinationRecord {
  id: string;
  tenant_id: string;
  display_name: string;
  config: DestinationConfig;
  /** null = environment credentials (self-hosted only). */
  credentials: Credentials | null;
  created_at: number;
  updated_at: number;
}

/** FastAPI's pattern for display_name: letters, digits, space, - _ ' (contract §4.1). */
const DISPLAY_NAME_PATTERN = "^[a-zA-Z0-9\\s\\-_']+$";
const DISPLAY_NAME = new RegExp(DISPLAY_NAME_PATTERN);

export function destinationView(d: DestinationRecord): Record<string, unknown> {
  return {
    id: d.id,
    tenant_id: d.tenant_id,
    destination_type: "s3",
    display_name: d.display_name,
    config: d.config,
    credentials_keys: d.credentials
      ? Object.keys(d.credentials).filter((k) => (d.credentials as unknown as Record<string, unknown>)[k] !== undefined)
      : [],
    created_at: naiveUtc(d.created_at),
    updated_at: naiveUtc(d.updated_at),
  };
}

const missing = (loc: Array<string | number>): ValidationIssue => ({ loc, msg: "Field required", type: "missing" });
const notString = (loc: Array<string | number>): ValidationIssue => ({ loc, msg: "Input should be a valid string", type: "string_type" });

function optionalString(obj: Record<string, unknown>, field: string, loc: string[], issues: ValidationIssue[]): string | null {
  const v = obj[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") {
    issues.push(notString([...loc, field]));
    return null;
  }
  return v;
}

/** Validates the create body the way FastAPI/pydantic does; throws 422 with every issue. */
export function parseDestinationBody(body: unknown): { display_name: string; config: DestinationConfig; credentials: Credentials | null } {
  if (!isRecord(body))
    throw v1Validation({
      loc: ["body"],
      msg: "Input should be a valid dictionary or object to extract fields from",
      type: "model_attributes_type",
    });
  const issues: ValidationIssue[] = [];
  if (body["destination_type"] !== undefined && body["destination_type"] !== "s3") {
    issues.push({ loc: ["body", "destination_type"], msg: "Input should be 's3'", type: "literal_error" });
  }
  const name = body["display_name"];
  if (name === undefined) issues.push(missing(["body", "display_name"]));
  else if (typeof name !== "string") issues.push(notString(["body", "display_name"]));
  else if (name.length < 1)
    issues.push({ loc: ["body", "display_name"], msg: "String should have at least 1 character", type: "string_too_short" });
  else if (!DISPLAY_NAME.test(name))
    issues.push({
      loc: ["body", "display_name"],
      msg: `String should match pattern '${DISPLAY_NAME_PATTERN}'`,
      type: "string_pattern_mismatch",
    });

  const rawConfig = body["config"];
  let config: DestinationConfig | null = null;
  if (rawConfig === undefined) issues.push(missing(["body", "config"]));
  else if (!isRecord(rawConfig)) issues.push({ loc: ["body", "config"], msg: "Input should be a valid dictionary", type: "dict_type" });
  else config = parseConfig(rawConfig, issues);

  const credentials = parseCredentials(body["credentials"], issues);
  if (issues.length > 0) throw v1Validation(...issues);
  return { display_name: name as string, config: config as DestinationConfig, credentials };
}

function parseConfig(raw: Record<string, unknown>, issues: ValidationIssue[]): DestinationConfig {
  const loc = ["body", "config"];
  const bucket = raw["bucket_name"];
  if (bucket === undefined) issues.push(missing([...loc, "bucket_name"]));
  else if (typeof bucket !== "string") issues.push(notString([...loc, "bucket_name"]));
  else if (bucket.length < 3)
    issues.push({ loc: [...loc, "bucket_name"], msg: "String should have at least 3 characters", type: "string_too_short" });
  else if (bucket.length > 63)
    issues.push({ loc: [...loc, "bucket_name"], msg: "String should have at most 63 characters", type: "string_too_long" });
  const include = raw["include_bucket_in_prefix"];
  if (include !== undefined && include !== null && typeof include !== "boolean") {
    issues.push({ loc: [...loc, "include_bucket_in_prefix"], msg: "Input should be a valid boolean", type: "bool_type" });
  }
  let kwargs: DestinationConfig["config_kwargs_s3"] = null;
  const rawKwargs = raw["config_kwargs_s3"];
  if (rawKwargs !== undefined && rawKwargs !== null) {
    const style = isRecord(rawKwargs) ? (rawKwargs["addressing_style"] ?? "auto") : undefined;
    if (!ADDRESSING_STYLES.includes(style as AddressingStyle)) {
      issues.push({
        loc: [...loc, "config_kwargs_s3", "addressing_style"],
        msg: "Input should be 'auto', 'virtual' or 'path'",
        type: "literal_error",
      });
    } else kwargs = { addressing_style: style as AddressingStyle };
  }
  return {
    bucket_name: typeof bucket === "string" ? bucket : "",
    prefix: optionalString(raw, "prefix", loc, issues) ?? "",
    region: optionalString(raw, "region", loc, issues),
    endpoint_url: optionalString(raw, "endpoint_url", loc, issues),
    include_bucket_in_prefix: typeof include === "boolean" ? include : true,
    aws_role_arn: optionalString(raw, "aws_role_arn", loc, issues),
    config_kwargs_s3: kwargs,
  };
}

/** Parses `credentials`; undefined/null → null (environment credentials). */
export function parseCredentials(raw: unknown, issues: ValidationIssue[]): Credentials | null {
  if (raw === undefined || raw === null) return null;
  const loc = ["body", "credentials"];
  if (!isRecord(raw)) {
    issues.push({ loc, msg: "Input should be a valid dictionary", type: "dict_type" });
    return null;
  }
  const out: Partial<Credentials> = {};
  for (const field of ["access_key_id", "secret_access_key"] as const) {
    const v = raw[field];
    if (v === undefined) issues.push(missing([...loc, field]));
    else if (typeof v !== "string") issues.push(notString([...loc, field]));
    else out[field] = v;
  }
  const token = optionalString(raw, "session_token", loc, issues);
  if (token !== null) out.session_token = token;
  return out as Credentials;
}

export const CREDENTIALS_REQUIRED =
  "credentials are required: environment credentials (omitting credentials, e.g. IRSA) are supported on self-hosted LangSmith only";

/**
 * Resolves the config into a storage target as boto3 would, or returns the 400 detail for an
 * endpoint that is not an S3-compatible endpoint of a known provider. botocore itself says
 * `Invalid endpoint: <url>` for a malformed URL; AWS takes a region, not an endpoint_url.
 */
export function resolveTarget(config: DestinationConfig, objects: ObjectStore): StorageTarget | { invalid: string } {
  const url = config.endpoint_url;
  if (url === null || url === "") return { provider: "aws", endpoint: null, region: config.region || DEFAULT_AWS_REGION };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { invalid: `Invalid endpoint: ${url}` };
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return { invalid: `Invalid endpoint: ${url}` };
  const host = parsed.hostname.toLowerCase();
  if (host === "amazonaws.com" || host.endsWith(".amazonaws.com")) {
    return {
      invalid: `Invalid endpoint: ${url} is an AWS S3 endpoint; for AWS S3 omit endpoint_url and set region to the bucket's region`,
    };
  }
  if (host === "storage.googleapis.com") return { provider: "gcs", endpoint: GCS_ENDPOINT, region: config.region || "auto" };
  const known = [...objects.buckets.values(), ...objects.keys.values()].some((x) => x.provider === "minio" && x.endpoint === parsed.origin);
  if (known) return { provider: "minio", endpoint: parsed.origin, region: config.region || DEFAULT_AWS_REGION };
  return {
    invalid:
      `Invalid endpoint: Could not connect to the endpoint URL: "${parsed.origin}/${config.bucket_name}": only S3-compatible ` +
      `endpoints are supported`,
  };
}

/** `<bucket>/` (when include_bucket_in_prefix) then the prefix, as the leading part of every key. */
export function keyPrefix(config: DestinationConfig): string {
  return [config.include_bucket_in_prefix ? config.bucket_name : "", ...config.prefix.split("/")].filter((s) => s !== "").join("/");
}

/** The resolved credentials a test write or a run uses, or the self-hosted environment's. */
export function effectiveCredentials(credentials: Credentials | null, objects: ObjectStore): Credentials | null {
  return credentials ?? objects.environmentCredentials;
}

/**
 * The backend's test write (seed 001, "Permissions required"): a file under `tmp/` in the
 * prefix, deleted when the key may delete it (left behind otherwise). Throws the 400.
 */
export function testWrite(
  config: DestinationConfig,
  credentials: Credentials | null,
  objects: ObjectStore,
  now: number,
  fileId: string,
): void {
  const target = resolveTarget(config, objects);
  if ("invalid" in target) throw v1Error(400, target.invalid);
  const creds = effectiveCredentials(credentials, objects);
  if (!creds) throw v1Error(400, CREDENTIALS_REQUIRED);
  const key = [keyPrefix(config), "tmp", `langsmith-destination-test-${fileId}.txt`].filter((s) => s !== "").join("/");
  const request = { target, bucket: config.bucket_name, key, credentials: creds, now };
  const error = objects.perform({ ...request, operation: "PutObject", size: 42 });
  if (error) throw v1Error(400, testWriteDetail(error, `s3://${config.bucket_name}/${key}`));
  // Delete access is optional: a refusal here leaves the file behind and is not an error.
  objects.perform({ ...request, operation: "DeleteObject" });
}
