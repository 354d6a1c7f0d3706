/**
 * The CLI test write the destination docs recommend before retrying ("you should be able to
 * write a file with the CLI using the same data that you supplied to the destinations API"),
 * filled with the destination's own bucket, prefix, endpoint and region, and written to the key
 * LangSmith writes to: with include_bucket_in_prefix true (the default) every key starts with
 * the bucket name again (`<bucket>/<bucket>/<prefix>/tmp/…`), so a prefix-scoped IAM policy
 * refuses the CLI write exactly as it refused LangSmith's. Credentials appear only as
 * placeholders: the API never returns their values and they must not be echoed anyway.
 */
import type { Destination } from "./types.js";

/** Without the destination, the documented template (GCS: `--endpoint-url https://storage.googleapis.com`). */
const TEMPLATE =
  "echo test > test.txt && AWS_ACCESS_KEY_ID=<access key id> AWS_SECRET_ACCESS_KEY=<secret access key> aws s3 cp ./test.txt " +
  "s3://<bucket>/<bucket>/<prefix>/tmp/test.txt [--endpoint-url <endpoint_url>] --region <region> (drop the second <bucket>/ when " +
  "include_bucket_in_prefix is false)";

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function preRetryCheck(destination?: Destination | null): string {
  if (!destination) return TEMPLATE;
  const config = destination.config;
  const prefix = (config.prefix ?? "").replace(/^\/+|\/+$/g, "");
  const bucketInKey = config.include_bucket_in_prefix ?? true;
  const leading = [bucketInKey ? (config.bucket_name ?? "<bucket>") : "", prefix].filter(Boolean).join("/");
  const key = leading ? `${leading}/tmp/test.txt` : "tmp/test.txt";
  // AWS wants the region and no endpoint; S3-compatible stores (GCS, MinIO) need the endpoint.
  const region = config.region ?? (config.endpoint_url ? null : "<bucket region>");

  const credentialEnv = ["AWS_ACCESS_KEY_ID=<access_key_id of the destination>", "AWS_SECRET_ACCESS_KEY=<its secret_access_key>"];
  if (destination.credentials_keys?.includes("session_token")) credentialEnv.push("AWS_SESSION_TOKEN=<its session_token>");

  // The spec lets LangSmith return no bucket name; the command then says where it goes.
  const bucket = config.bucket_name ?? "<bucket name: LangSmith returned none>";
  const target = `s3://${bucket}/${key}`;
  const args = ["aws", "s3", "cp", "./test.txt", config.bucket_name ? shellQuote(target) : target];
  if (config.endpoint_url) args.push("--endpoint-url", shellQuote(config.endpoint_url));
  if (region) args.push("--region", region.startsWith("<") ? region : shellQuote(region));
  return `echo test > test.txt && ${credentialEnv.join(" ")} ${args.join(" ")}`;
}
