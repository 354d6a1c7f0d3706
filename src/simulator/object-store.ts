/**
 * A small in-process object store standing in for AWS S3, GCS (XML API) and MinIO: buckets
 * with objects, and access keys with per-bucket grants. Destinations' test writes and export
 * runs write here, so every storage failure (unknown key, wrong secret, missing token, wrong
 * region, missing permission, deleted bucket) comes from a real mismatch in this world, not
 * from a label. Secret values live only here and in `SeededStorage` for tests; the control
 * view never shows them.
 */
import { DEMO_CREDENTIALS, DEMO_ROTATION_CREDENTIALS } from "./demo-credentials.js";
import { Prng } from "./prng.js";
import { StorageError, type StorageOperation, type StorageProvider } from "./storage-errors.js";

export const GCS_ENDPOINT = "https://storage.googleapis.com";
export const MINIO_ENDPOINT = "http://minio.local:9000";
/** boto3's region when none is configured. */
export const DEFAULT_AWS_REGION = "us-east-1";
export const STORAGE_OPERATIONS: readonly StorageOperation[] = ["PutObject", "DeleteObject", "GetObject"];

export interface StoredObject {
  size: number;
  written_at: number;
}

export interface Bucket {
  name: string;
  provider: StorageProvider;
  region: string;
  /** null for AWS (boto derives it from the region). */
  endpoint: string | null;
  objects: Map<string, StoredObject>;
}

export interface AccessKey {
  access_key_id: string;
  secret_access_key: string;
  provider: StorageProvider;
  /** The endpoint a MinIO key belongs to; null elsewhere. */
  endpoint: string | null;
  /** Temporary (STS) credentials must come with this token. */
  session_token: string | null;
  expires_at: number | null;
  active: boolean;
  /** GCS service account behind an HMAC key; shown in GCS AccessDenied texts. */
  principal: string | null;
  grants: Map<string, Set<StorageOperation>>;
}

export interface Credentials {
  access_key_id: string;
  secret_access_key: string;
  session_token?: string;
}

/** Where a request goes: AWS by region, or an S3-compatible endpoint. */
export interface StorageTarget {
  provider: StorageProvider;
  /** Normalised origin for GCS and MinIO, null for AWS. */
  endpoint: string | null;
  /** The region the client signs for (boto3 defaults to us-east-1). */
  region: string;
}

export interface StorageRequest {
  target: StorageTarget;
  bucket: string;
  key: string;
  credentials: Credentials;
  operation: StorageOperation;
  now: number;
  size?: number;
}

/** S3 bucket naming rules (also enforced by GCS's XML API and MinIO). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const isValidBucketName = (name: string): boolean =>
  BUCKET_NAME.test(name) && !name.includes("..") && !/^\d+\.\d+\.\d+\.\d+$/.test(name);

/** The names tests and the demo use to reach the seeded world; values are the real secrets. */
export interface SeededStorage {
  buckets: { traces: string; archive: string; gcs: string; minio: string };
  endpoints: { gcs: string; minio: string };
  credentials: {
    /** PutObject, DeleteObject, GetObject on acme-traces and acme-archive. */
    fullAccess: Credentials;
    /** A second full-access AWS key, the target of credential rotations. */
    rotation: Credentials;
    /** PutObject only on acme-traces: the destination test file stays under /tmp. */
    writeOnly: Credentials;
    /** GetObject only on acme-traces: PutObject is denied. */
    readOnly: Credentials;
    /** STS credentials on acme-traces: need `session_token`; expire 12 h after the start. */
    temporary: Required<Credentials>;
    /** HMAC key of a service account with full access to acme-gcs-traces. */
    gcsHmac: Credentials;
    /** MinIO key with full access to minio-traces. */
    minio: Credentials;
    /** The published demo pairs (not secrets): full access to acme-traces and acme-archive. */
    demo: Credentials;
    demoRotation: Credentials;
  };
  /** The key a self-hosted install finds in its environment (IRSA); full access to the AWS buckets. */
  environmentAccessKeyId: string;
}

const TEMPORARY_CREDENTIALS_HOURS = 12;

export class ObjectStore {
  readonly buckets = new Map<string, Bucket>();
  readonly keys = new Map<string, AccessKey>();
  /** Credentials a self-hosted LangSmith finds in its environment. */
  environmentCredentials: Credentials | null = null;

  addBucket(bucket: Omit<Bucket, "objects">): Bucket {
    const stored: Bucket = { ...bucket, objects: new Map() };
    this.buckets.set(bucket.name, stored);
    return stored;
  }

  deleteBucket(name: string): boolean {
    return this.buckets.delete(name);
  }

  addKey(key: Omit<AccessKey, "active" | "grants">, grants: Record<string, readonly StorageOperation[]>): AccessKey {
    const stored: AccessKey = { ...key, active: true, grants: new Map(Object.entries(grants).map(([b, ops]) => [b, new Set(ops)])) };
    this.keys.set(key.access_key_id, stored);
    return stored;
  }

  grant(keyId: string, bucket: string, operations: readonly StorageOperation[]): void {
    const key = this.keys.get(keyId);
    if (!key) return;
    let set = key.grants.get(bucket);
    if (!set) key.grants.set(bucket, (set = new Set()));
    for (const op of operations) set.add(op);
  }

  revoke(keyId: string, bucket: string, operations: readonly StorageOperation[]): void {
    const set = this.keys.get(keyId)?.grants.get(bucket);
    for (const op of operations) set?.delete(op);
  }

  /**
   * Authorises and performs one request in the order S3 checks it: bucket name syntax, key
   * id, signature, session token, bucket existence, signing region, then the grant.
   */
  perform(req: StorageRequest): StorageError | null {
    const { target, operation } = req;
    const fail = (
      code: ConstructorParameters<typeof StorageError>[1],
      extra: Partial<ConstructorParameters<typeof StorageError>[2]> = {},
    ): StorageError => new StorageError(target.provider, code, { operation, ...extra });
    if (!isValidBucketName(req.bucket)) return fail("InvalidBucketName");
    const key = this.keys.get(req.credentials.access_key_id);
    if (!key?.active || key.provider !== target.provider || key.endpoint !== target.endpoint) return fail("InvalidAccessKeyId");
    if (key.secret_access_key !== req.credentials.secret_access_key) return fail("SignatureDoesNotMatch");
    const token = req.credentials.session_token;
    if (key.session_token === null ? token !== undefined && token !== "" : token !== key.session_token) return fail("InvalidToken");
    if (key.expires_at !== null && req.now >= key.expires_at) return fail("ExpiredToken");
    const bucket = this.buckets.get(req.bucket);
    if (!bucket || bucket.provider !== target.provider || bucket.endpoint !== target.endpoint) return fail("NoSuchBucket");
    if (target.provider === "aws" && bucket.region !== target.region) {
      return fail("AuthorizationHeaderMalformed", { signedRegion: target.region, bucketRegion: bucket.region });
    }
    if (!key.grants.get(bucket.name)?.has(operation)) return fail("AccessDenied", key.principal ? { principal: key.principal } : {});
    if (operation === "PutObject") bucket.objects.set(req.key, { size: req.size ?? 0, written_at: req.now });
    if (operation === "DeleteObject") bucket.objects.delete(req.key);
    return null;
  }

  /** The control view: buckets with objects, keys with grants; never a secret or a token. */
  view(): Record<string, unknown> {
    return {
      buckets: [...this.buckets.values()].map((b) => ({
        name: b.name,
        provider: b.provider,
        region: b.region,
        endpoint: b.endpoint,
        objects: [...b.objects.entries()].map(([key, o]) => ({ key, size: o.size, written_at: new Date(o.written_at).toISOString() })),
      })),
      access_keys: [...this.keys.values()].map(keyView),
      environment_access_key_id: this.environmentCredentials?.access_key_id ?? null,
    };
  }
}

export function keyView(k: AccessKey): Record<string, unknown> {
  return {
    access_key_id: k.access_key_id,
    provider: k.provider,
    endpoint: k.endpoint,
    active: k.active,
    requires_session_token: k.session_token !== null,
    expires_at: k.expires_at === null ? null : new Date(k.expires_at).toISOString(),
    principal: k.principal,
    grants: Object.fromEntries([...k.grants.entries()].map(([bucket, ops]) => [bucket, STORAGE_OPERATIONS.filter((op) => ops.has(op))])),
  };
}

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const draw = (rng: Prng, alphabet: string, length: number): string =>
  Array.from({ length }, () => alphabet[rng.int(0, alphabet.length - 1)]).join("");

const ALL: readonly StorageOperation[] = STORAGE_OPERATIONS;

/**
 * The seeded world, the same for the same seed: two AWS buckets in different regions, one
 * GCS and one MinIO bucket, and keys that exercise each documented failure.
 */
export function seedObjectStore(seed: number, startMs: number): { store: ObjectStore; seeded: SeededStorage } {
  // A generator of its own, so the run data set stays byte-identical to before.
  const rng = new Prng((seed ^ 0x0b5e55ed) >>> 0);
  const store = new ObjectStore();
  const buckets = { traces: "acme-traces", archive: "acme-archive", gcs: "acme-gcs-traces", minio: "minio-traces" };
  store.addBucket({ name: buckets.traces, provider: "aws", region: "eu-west-1", endpoint: null });
  store.addBucket({ name: buckets.archive, provider: "aws", region: "us-east-1", endpoint: null });
  store.addBucket({ name: buckets.gcs, provider: "gcs", region: "europe-west1", endpoint: GCS_ENDPOINT });
  store.addBucket({ name: buckets.minio, provider: "minio", region: "us-east-1", endpoint: MINIO_ENDPOINT });

  const aws = (prefix: "AKIA" | "ASIA"): Credentials => ({
    access_key_id: `${prefix}${draw(rng, UPPER_ALNUM, 16)}`,
    secret_access_key: draw(rng, SECRET_CHARS, 40),
  });
  const plain = { endpoint: null, session_token: null, expires_at: null, principal: null } as const;
  const fullAccess = aws("AKIA");
  store.addKey({ ...fullAccess, ...plain, provider: "aws" }, { [buckets.traces]: ALL, [buckets.archive]: ALL });
  const rotation = aws("AKIA");
  store.addKey({ ...rotation, ...plain, provider: "aws" }, { [buckets.traces]: ALL, [buckets.archive]: ALL });
  const writeOnly = aws("AKIA");
  store.addKey({ ...writeOnly, ...plain, provider: "aws" }, { [buckets.traces]: ["PutObject"] });
  const readOnly = aws("AKIA");
  store.addKey({ ...readOnly, ...plain, provider: "aws" }, { [buckets.traces]: ["GetObject"] });
  const temporary = { ...aws("ASIA"), session_token: `IQoJb3JpZ2luX2VjE${draw(rng, SECRET_CHARS, 120)}` };
  store.addKey(
    { ...temporary, provider: "aws", endpoint: null, expires_at: startMs + TEMPORARY_CREDENTIALS_HOURS * 3_600_000, principal: null },
    { [buckets.traces]: ALL },
  );
  const gcsHmac: Credentials = { access_key_id: `GOOG1E${draw(rng, UPPER_ALNUM, 55)}`, secret_access_key: draw(rng, SECRET_CHARS, 40) };
  store.addKey(
    {
      ...gcsHmac,
      provider: "gcs",
      endpoint: GCS_ENDPOINT,
      session_token: null,
      expires_at: null,
      principal: "langsmith-export@acme-prod.iam.gserviceaccount.com",
    },
    { [buckets.gcs]: ALL },
  );
  const minio: Credentials = { access_key_id: draw(rng, UPPER_ALNUM, 20), secret_access_key: draw(rng, SECRET_CHARS, 40) };
  store.addKey(
    { ...minio, provider: "minio", endpoint: MINIO_ENDPOINT, session_token: null, expires_at: null, principal: null },
    { [buckets.minio]: ALL },
  );
  // Published demo pairs (demo-credentials.ts): what --simulator users type into create_destination.
  for (const demo of [DEMO_CREDENTIALS, DEMO_ROTATION_CREDENTIALS])
    store.addKey({ ...demo, ...plain, provider: "aws" }, { [buckets.traces]: ALL, [buckets.archive]: ALL });
  const environment = aws("AKIA");
  store.addKey({ ...environment, ...plain, provider: "aws" }, { [buckets.traces]: ALL, [buckets.archive]: ALL });
  store.environmentCredentials = environment;

  return {
    store,
    seeded: {
      buckets,
      endpoints: { gcs: GCS_ENDPOINT, minio: MINIO_ENDPOINT },
      credentials: {
        fullAccess,
        rotation,
        writeOnly,
        readOnly,
        temporary,
        gcsHmac,
        minio,
        demo: { ...DEMO_CREDENTIALS },
        demoRotation: { ...DEMO_ROTATION_CREDENTIALS },
      },
      environmentAccessKeyId: environment.access_key_id,
    },
  };
}
