/**
 * `langsmith://reference/simulator-demo.md`: how to try the export tools against the embedded
 * simulator (`--simulator`) with its published demo bucket credentials. They work only there and
 * are not secrets (src/simulator/demo-credentials.ts); against a real LangSmith they fail its
 * test write like any unknown key.
 */
import { DEMO_BUCKET, DEMO_CREDENTIALS, DEMO_ROTATION_CREDENTIALS } from "../simulator/demo-credentials.js";

export const SIMULATOR_DEMO_URI = "langsmith://reference/simulator-demo.md";

export function simulatorDemoMarkdown(): string {
  const destination = {
    display_name: "demo traces",
    bucket_name: DEMO_BUCKET.name,
    prefix: "langsmith",
    region: DEMO_BUCKET.region,
    access_key_id: DEMO_CREDENTIALS.access_key_id,
    secret_access_key: DEMO_CREDENTIALS.secret_access_key,
  };
  return [
    "# Trying bulk exports with --simulator",
    "",
    "With `langsmith-mcp --simulator` the server talks to an embedded LangSmith simulator with seeded projects and an S3-like object " +
      "store.",
    "These demo credentials work **only there**; they are published on purpose and are not secrets.",
    "",
    `- Buckets: \`${DEMO_BUCKET.name}\` (region \`${DEMO_BUCKET.region}\`) and \`${DEMO_BUCKET.alternate.name}\` (region ` +
      `\`${DEMO_BUCKET.alternate.region}\`).`,
    `- Credentials: access_key_id \`${DEMO_CREDENTIALS.access_key_id}\`, secret_access_key \`${DEMO_CREDENTIALS.secret_access_key}\`.`,
    `- A second pair to try rotate_destination_credentials: access_key_id \`${DEMO_ROTATION_CREDENTIALS.access_key_id}\`, ` +
      `secret_access_key \`${DEMO_ROTATION_CREDENTIALS.secret_access_key}\`.`,
    "",
    "## Steps",
    "",
    `1. create_destination ${JSON.stringify(destination)}`,
    '2. create_export with project "checkout-bot", that destination, and a range such as the last day with filter `eq(run_type, "llm")` ' +
      "(a small export finishes in seconds).",
    "3. export_status with wait_seconds to follow it; check_completeness true to reconcile its rows.",
    "4. diagnose_export on it; cancel_export on another one (two calls, with the confirmation token).",
    `5. rotate_destination_credentials with the second pair (two calls).`,
    "",
  ].join("\n");
}
