/**
 * Demo bucket credentials of the simulator: fixed, published and worthless outside it. They let
 * anyone try the export tools with `--simulator` (create a destination, export, follow,
 * diagnose, cancel, rotate) without an account: the simulator CLI prints them and the resource
 * `langsmith://reference/simulator-demo.md` lists them. They are not secrets, so they are
 * shaped to look like nothing real: no AWS key is ever `AKIASIMULATORDEMO…`.
 */
export interface DemoCredentials {
  access_key_id: string;
  secret_access_key: string;
}

export const DEMO_BUCKET = { name: "acme-traces", region: "eu-west-1", alternate: { name: "acme-archive", region: "us-east-1" } } as const;

/** Full access (PutObject, DeleteObject, GetObject) to both demo buckets. */
export const DEMO_CREDENTIALS: Readonly<DemoCredentials> = Object.freeze({
  access_key_id: "AKIASIMULATORDEMO001",
  secret_access_key: "simulator-demo-secret-not-a-real-key-0001",
});

/** The second pair, for trying rotate_destination_credentials. */
export const DEMO_ROTATION_CREDENTIALS: Readonly<DemoCredentials> = Object.freeze({
  access_key_id: "AKIASIMULATORDEMO002",
  secret_access_key: "simulator-demo-secret-not-a-real-key-0002",
});

/** The note the simulator CLI and the server's --simulator log print. */
export const DEMO_CREDENTIALS_NOTE =
  `demo bucket credentials (simulator only, not secrets): bucket ${DEMO_BUCKET.name} (region ${DEMO_BUCKET.region}) or ` +
  `${DEMO_BUCKET.alternate.name} (${DEMO_BUCKET.alternate.region}), ` +
  `access_key_id ${DEMO_CREDENTIALS.access_key_id} secret_access_key ${DEMO_CREDENTIALS.secret_access_key}; ` +
  `rotate to access_key_id ${DEMO_ROTATION_CREDENTIALS.access_key_id} secret_access_key ${DEMO_ROTATION_CREDENTIALS.secret_access_key}`;
