import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DestinationListSchema, DestinationSchema } from "../../langsmith/export-schemas.js";
import { startSimulator, type RunningSimulator } from "../index.js";
import { apiCall, control } from "../testing.js";

const PATH = "/api/v1/bulk-exports/destinations";
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ now: "2025-06-01T00:00:00Z", scale: 0.05 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await control(sim, "POST", "reset");
  await control(sim, "POST", "clock", { set: "2025-06-01T00:00:00Z", rate: 0 });
});

function awsBody(overrides: { config?: Record<string, unknown>; credentials?: object | null } = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {
    destination_type: "s3",
    display_name: "Acme traces - EU",
    config: { bucket_name: sim.storage.buckets.traces, prefix: "langsmith/exports", region: "eu-west-1", ...overrides.config },
  };
  if (overrides.credentials !== null) body["credentials"] = { ...sim.storage.credentials.fullAccess, ...overrides.credentials };
  return body;
}

const bucketObjects = async (bucket: string): Promise<string[]> =>
  (await control(sim, "GET", "storage")).body.buckets
    .find((b: { name: string }) => b.name === bucket)
    .objects.map((o: { key: string }) => o.key);

describe("POST /api/v1/bulk-exports/destinations", () => {
  it("creates after a test write it cleans up, and answers with credentials_keys only", async () => {
    const res = await apiCall(sim, "POST", PATH, awsBody());
    expect(res.status).toBe(200);
    const destination = DestinationSchema.parse(res.body);
    expect(destination).toMatchObject({ tenant_id: sim.workspaceId, destination_type: "s3", display_name: "Acme traces - EU" });
    expect(destination.config).toMatchObject({ bucket_name: "acme-traces", prefix: "langsmith/exports", include_bucket_in_prefix: true });
    expect(destination.credentials_keys).toEqual(["access_key_id", "secret_access_key"]);
    expect(await bucketObjects("acme-traces")).toEqual([]);
    expect((await apiCall(sim, "GET", `${PATH}/${destination.id}`)).body).toEqual(res.body);
    expect(DestinationListSchema.parse((await apiCall(sim, "GET", PATH)).body).map((d) => d.id)).toEqual([destination.id]);
  });

  it("leaves the test file under tmp/ when the key may not delete, led by the bucket only with include_bucket_in_prefix", async () => {
    expect((await apiCall(sim, "POST", PATH, awsBody({ credentials: sim.storage.credentials.writeOnly }))).status).toBe(200);
    expect(
      (
        await apiCall(
          sim,
          "POST",
          PATH,
          awsBody({ credentials: sim.storage.credentials.writeOnly, config: { include_bucket_in_prefix: false, prefix: "" } }),
        )
      ).status,
    ).toBe(200);
    const keys = await bucketObjects("acme-traces");
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^acme-traces\/langsmith\/exports\/tmp\/langsmith-destination-test-[0-9a-f-]{36}\.txt$/);
    expect(keys[1]).toMatch(/^tmp\/langsmith-destination-test-/);
  });

  const failures: Array<{
    case: string;
    body: () => Record<string, unknown>;
    phrase: string;
    code: string;
    before?: () => Promise<unknown>;
  }> = [
    {
      case: "an access key id unknown to AWS",
      body: () => awsBody({ credentials: { access_key_id: "AKIAIOSFODNN7EXAMPLE" } }),
      phrase: "Key ID you provided does not exist",
      code: "(InvalidAccessKeyId) when calling the PutObject operation: The AWS Access Key Id you provided does not exist in our records.",
    },
    {
      case: "a deactivated key",
      before: () => control(sim, "POST", `storage/keys/${sim.storage.credentials.fullAccess.access_key_id}`, { active: false }),
      body: () => awsBody(),
      phrase: "Key ID you provided does not exist",
      code: "(InvalidAccessKeyId)",
    },
    {
      case: "an AWS key against a MinIO endpoint",
      body: () => awsBody({ config: { bucket_name: "minio-traces", endpoint_url: sim.storage.endpoints.minio } }),
      phrase: "Key ID you provided does not exist",
      code: "(InvalidAccessKeyId)",
    },
    {
      case: "a wrong secret",
      body: () => awsBody({ credentials: { secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" } }),
      phrase: "Access denied",
      code: "(SignatureDoesNotMatch) when calling the PutObject operation: The request signature we calculated does not match",
    },
    {
      case: "a key with GetObject only",
      body: () => awsBody({ credentials: sim.storage.credentials.readOnly }),
      phrase: "Access denied",
      code: "(AccessDenied) when calling the PutObject operation: Access Denied",
    },
    {
      case: "temporary credentials without their session token",
      body: () =>
        awsBody({
          credentials: {
            access_key_id: sim.storage.credentials.temporary.access_key_id,
            secret_access_key: sim.storage.credentials.temporary.secret_access_key,
          },
        }),
      phrase: "Access denied",
      code: "(InvalidToken) when calling the PutObject operation: The provided token is malformed or otherwise invalid.",
    },
    {
      case: "temporary credentials after they expired",
      before: () => control(sim, "POST", "clock", { advance_seconds: 13 * 3600 }),
      body: () => awsBody({ credentials: sim.storage.credentials.temporary }),
      phrase: "Access denied",
      code: "(ExpiredToken) when calling the PutObject operation: The provided token has expired.",
    },
    {
      case: "a region other than the bucket's",
      body: () => awsBody({ config: { region: "us-east-1" } }),
      phrase: "Access denied",
      code:
        "(AuthorizationHeaderMalformed) when calling the PutObject operation: The authorization header is malformed; the region " +
        "'us-east-1' is wrong; expecting 'eu-west-1'",
    },
    {
      case: "a bucket that does not exist",
      body: () => awsBody({ config: { bucket_name: "acme-traces-old" } }),
      phrase: "Bucket is not valid",
      code: "(NoSuchBucket) when calling the PutObject operation: The specified bucket does not exist",
    },
    {
      case: "a bucket deleted since",
      before: () => control(sim, "DELETE", "storage/buckets/acme-traces"),
      body: () => awsBody(),
      phrase: "Bucket is not valid",
      code: "(NoSuchBucket)",
    },
    {
      case: "a malformed bucket name",
      body: () => awsBody({ config: { bucket_name: "Acme_Traces" } }),
      phrase: "InvalidBucketName",
      code: "(InvalidBucketName)",
    },
    {
      case: "an AWS endpoint_url",
      body: () => awsBody({ config: { endpoint_url: "https://s3.eu-west-1.amazonaws.com" } }),
      phrase: "Invalid endpoint",
      code: "omit endpoint_url",
    },
    {
      case: "an endpoint of no known provider",
      body: () => awsBody({ config: { endpoint_url: "https://objects.example.com" } }),
      phrase: "Invalid endpoint",
      code: "Could not connect to the endpoint URL",
    },
    {
      case: "an endpoint that is not a URL",
      body: () => awsBody({ config: { endpoint_url: "storage.googleapis" } }),
      phrase: "Invalid endpoint",
      code: "storage.googleapis",
    },
  ];
  for (const f of failures) {
    it(`answers 400 "${f.phrase}" for ${f.case}`, async () => {
      await f.before?.();
      const res = await apiCall(sim, "POST", PATH, f.body());
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain(f.phrase);
      expect(res.body.detail).toContain(f.code);
      expect((await apiCall(sim, "GET", PATH)).body).toEqual([]);
    });
  }

  it("speaks GCS and MinIO through their endpoints, with GCS's own AccessDenied text", async () => {
    const gcs = {
      destination_type: "s3",
      display_name: "GCS traces",
      config: { bucket_name: "acme-gcs-traces", endpoint_url: "https://storage.googleapis.com" },
      credentials: sim.storage.credentials.gcsHmac,
    };
    expect((await apiCall(sim, "POST", PATH, gcs)).status).toBe(200);
    const minio = {
      display_name: "MinIO",
      config: { bucket_name: "minio-traces", endpoint_url: "http://minio.local:9000" },
      credentials: sim.storage.credentials.minio,
    };
    expect((await apiCall(sim, "POST", PATH, minio)).status).toBe(200);
    await control(sim, "POST", `storage/keys/${sim.storage.credentials.gcsHmac.access_key_id}`, {
      revoke: { bucket: "acme-gcs-traces", permissions: ["PutObject"] },
    });
    const denied = await apiCall(sim, "POST", PATH, gcs);
    expect(denied.status).toBe(400);
    expect(denied.body.detail).toContain("Access denied");
    expect(denied.body.detail).toContain("(AccessDenied) when calling the PutObject operation: Access denied.");
    expect(denied.body.detail).toContain("does not have storage.objects.create access");
  });

  it("writes to a bucket added through the control API once the key is granted PutObject on it", async () => {
    const added = await control(sim, "POST", "storage/buckets", { name: "acme-us-west", region: "us-west-2" });
    expect(added.status).toBe(201);
    const body = awsBody({ config: { bucket_name: "acme-us-west", region: "us-west-2" } });
    expect((await apiCall(sim, "POST", PATH, body)).body.detail).toContain("Access denied");
    const key = sim.storage.credentials.fullAccess.access_key_id;
    const granted = await control(sim, "POST", `storage/keys/${key}`, { grant: { bucket: "acme-us-west", permissions: ["PutObject"] } });
    expect(granted.body.grants["acme-us-west"]).toEqual(["PutObject"]);
    expect((await apiCall(sim, "POST", PATH, body)).status).toBe(200);
    expect(await bucketObjects("acme-us-west")).toHaveLength(1);
  });

  it("validates the body like FastAPI: 422 with one issue per field", async () => {
    const res = await apiCall(sim, "POST", PATH, {
      destination_type: "gcs",
      display_name: "traces!",
      config: { bucket_name: "ab" },
      credentials: { access_key_id: "AKIA" },
    });
    expect(res.status).toBe(422);
    expect(res.body.detail.map((d: { loc: string[] }) => d.loc.join("."))).toEqual([
      "body.destination_type",
      "body.display_name",
      "body.config.bucket_name",
      "body.credentials.secret_access_key",
    ]);
    expect(res.body.detail[2]).toMatchObject({ type: "string_too_short" });
  });

  it("requires credentials on cloud and takes environment credentials on self-hosted", async () => {
    const cloud = await apiCall(sim, "POST", PATH, awsBody({ credentials: null }));
    expect(cloud.status).toBe(400);
    expect(cloud.body.detail).toContain("self-hosted");
    const selfHosted = await startSimulator({ now: "2025-06-01T00:00:00Z", scale: 0, selfHosted: true });
    try {
      const res = await apiCall(selfHosted, "POST", PATH, {
        display_name: "IRSA",
        config: { bucket_name: "acme-archive", region: "us-east-1" },
      });
      expect(res.status).toBe(200);
      expect(res.body.credentials_keys).toEqual([]);
    } finally {
      await selfHosted.close();
    }
  });
});

describe("PATCH /api/v1/bulk-exports/destinations/{id}", () => {
  it("rotates after a test write with the new credentials, keeping the config", async () => {
    const created = (await apiCall(sim, "POST", PATH, awsBody())).body;
    await control(sim, "POST", "clock", { advance_seconds: 60 });
    const rotated = await apiCall(sim, "PATCH", `${PATH}/${created.id}`, { credentials: sim.storage.credentials.temporary });
    expect(rotated.status).toBe(200);
    expect(rotated.body.config).toEqual(created.config);
    expect(rotated.body.credentials_keys).toEqual(["access_key_id", "secret_access_key", "session_token"]);
    expect(rotated.body.updated_at > created.updated_at).toBe(true);
  });

  it("refuses credentials that cannot write, and leaves the stored ones in place", async () => {
    const created = (await apiCall(sim, "POST", PATH, awsBody())).body;
    const res = await apiCall(sim, "PATCH", `${PATH}/${created.id}`, { credentials: sim.storage.credentials.readOnly });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain("Access denied");
    expect((await apiCall(sim, "GET", `${PATH}/${created.id}`)).body.updated_at).toBe(created.updated_at);
    expect((await apiCall(sim, "PATCH", `${PATH}/${created.id}`, {})).status).toBe(422);
    expect(
      (await apiCall(sim, "PATCH", `${PATH}/00000000-0000-4000-8000-000000000000`, { credentials: sim.storage.credentials.rotation }))
        .status,
    ).toBe(404);
  });
});

describe("WORKSPACES_MANAGE", () => {
  it("is required to create or rotate a destination and to create or cancel an export; reads need none", async () => {
    const readOnly = { url: sim.url, apiKey: sim.readOnlyApiKey };
    const created = (await apiCall(sim, "POST", PATH, awsBody())).body;
    const denied = await apiCall(readOnly, "POST", PATH, awsBody());
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toContain("WORKSPACES_MANAGE");
    expect((await apiCall(readOnly, "PATCH", `${PATH}/${created.id}`, { credentials: sim.storage.credentials.rotation })).status).toBe(403);
    expect((await apiCall(readOnly, "GET", PATH)).body).toHaveLength(1);
    const session = sim.store.projectByName(sim.workspaceId, "checkout-bot")?.id;
    const exportBody = {
      bulk_export_destination_id: created.id,
      session_id: session,
      start_time: "2025-05-30T00:00:00Z",
      end_time: "2025-05-31T00:00:00Z",
    };
    expect((await apiCall(readOnly, "POST", "/api/v1/bulk-exports", exportBody)).status).toBe(403);
    const exp = (await apiCall(sim, "POST", "/api/v1/bulk-exports", exportBody)).body;
    expect((await apiCall(readOnly, "PATCH", `/api/v1/bulk-exports/${exp.id}`, { status: "Cancelled" })).status).toBe(403);
    expect((await apiCall(readOnly, "GET", `/api/v1/bulk-exports/${exp.id}/runs`)).status).toBe(200);
  });
});

describe("secrets", () => {
  it("never appear in a response, the request log or the storage view", async () => {
    const { credentials } = sim.storage;
    const secrets = Object.values(credentials).flatMap((c) => [c.secret_access_key, ...("session_token" in c ? [c.session_token] : [])]);
    const seen: string[] = [];
    const record = <T extends { body: unknown }>(res: T): T => {
      seen.push(JSON.stringify(res.body));
      return res;
    };
    const created = record(await apiCall(sim, "POST", PATH, awsBody())).body;
    record(await apiCall(sim, "POST", PATH, awsBody({ credentials: { secret_access_key: "not-the-secret" } })));
    record(await apiCall(sim, "POST", PATH, awsBody({ credentials: credentials.readOnly })));
    record(await apiCall(sim, "POST", PATH, awsBody({ credentials: { ...credentials.temporary, session_token: "wrong" } })));
    record(await apiCall(sim, "PATCH", `${PATH}/${created.id}`, { credentials: credentials.temporary }));
    record(await apiCall(sim, "PATCH", `${PATH}/${created.id}`, { credentials: credentials.readOnly }));
    record(await apiCall(sim, "GET", PATH));
    record(await control(sim, "GET", "requests"));
    record(await control(sim, "GET", "storage"));
    record(await control(sim, "GET", "config"));
    const text = seen.join("\n");
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain("not-the-secret");
  });
});
