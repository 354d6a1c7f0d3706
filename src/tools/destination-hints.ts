import { DESTINATION_ERRORS } from "../diagnosis/tables.js";

interface DestinationLike {
  config: { bucket_name: string; prefix?: string | null; region?: string | null; endpoint_url?: string | null };
}

/**
 * What to do about a failed destination test write: the documented meaning of the phrase in
 * LangSmith's 400 detail (seed 001), the fields to check, and the CLI write to try first.
 */
export function destinationHints(detail: string, destination: DestinationLike): string {
  const entry = DESTINATION_ERRORS.find((e) => detail.toLowerCase().includes(e.phrase.toLowerCase()));
  const { bucket_name, prefix, region, endpoint_url } = destination.config;
  const target = `s3://${bucket_name}/${prefix ? `${prefix.replace(/\/+$/, "")}/` : ""}tmp/langsmith-test.txt`;
  const check =
    `aws s3 cp ./langsmith-test.txt ${target}` + (endpoint_url ? ` --endpoint-url ${endpoint_url}` : "") + (region ? ` --region ${region}` : "");
  const meaning = entry
    ? `"${entry.phrase}" means: ${entry.description} Check ${entry.fieldsToCheck.join(", ")}. Likely causes: ${entry.likelyCauses.join("; ")}.`
    : "Check the bucket name, region or endpoint, and that the key may write (PutObject) to the bucket and prefix.";
  return `${meaning} Before retrying, test a write with the same credentials: ${check}`;
}
