/**
 * Advice specific to one storage failure, beyond the failure table's generic rows: what the
 * text itself says (the region S3 expects), and the steps that fix that cause (KMS grants,
 * missing credentials, expired tokens). create_destination, rotate_destination_credentials and
 * diagnose_export all lead with it, so a refused test write and a failed export read the same.
 * Steps name this server's tools first; raw REST paths are not needed to act.
 */
import { findSignature } from "./classify-error.js";
import type { Destination } from "./types.js";

export interface SpecificAdvice {
  /** The one sentence to read first. */
  lead: string;
  steps: string[];
}

/** `the region 'us-east-2' is wrong; expecting 'eu-west-1'` and the other ways S3 names the bucket's region. */
const EXPECTED_REGION: readonly RegExp[] = [
  /expecting '([a-z]{2}(?:-[a-z]+)+-\d)'/i,
  /<Region>([a-z]{2}(?:-[a-z]+)+-\d)<\/Region>/i,
  /x-amz-bucket-region["']?\s*[:=]\s*["']?([a-z]{2}(?:-[a-z]+)+-\d)/i,
  /\bs3[.-]([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com/i,
];
const WRONG_REGION = /the region '([a-z]{2}(?:-[a-z]+)+-\d)' is wrong/i;

/** The bucket's region as the error text states it, and the region the request was signed for. */
export function regionsInText(text: string): { expected?: string; sent?: string } {
  const expected = EXPECTED_REGION.map((pattern) => pattern.exec(text)?.[1]).find(Boolean);
  const sent = WRONG_REGION.exec(text)?.[1];
  return { ...(expected && { expected: expected.toLowerCase() }), ...(sent && { sent: sent.toLowerCase() }) };
}

/** Advice for this text's failure, or null when the generic rows say all there is. */
export function specificAdvice(text: string, destination?: Pick<Destination, "config"> | null): SpecificAdvice | null {
  const signature = findSignature(text);
  if (!signature) return null;
  const bucket = destination?.config.bucket_name ?? "<bucket>";
  switch (signature.id) {
    case "s3-wrong-region": {
      const { expected, sent } = regionsInText(text);
      const configured = destination?.config.region ?? sent;
      if (!expected) {
        return {
          lead:
            `The bucket lives in another region than ${configured ? `"${configured}"` : "the destination's region"}: find it with ` +
            `\`aws s3api get-bucket-location --bucket ${bucket}\`.`,
          steps: [
            "A destination's region cannot be changed in place: create_destination again with the bucket's region, then create_export " +
              "with the new destination.",
          ],
        };
      }
      return {
        lead:
          `The bucket is in ${expected}${configured && configured !== expected ? `, not ${configured}` : ""}: use region ` +
          `"${expected}".`,
        steps: [
          `create_destination again with region "${expected}" (and no endpoint_url for AWS); a destination's region cannot be changed ` +
            `in place.`,
          "Then create_export with the new destination for what did not complete.",
        ],
      };
    }
    case "aws-kms-denied":
      return {
        lead:
          "The bucket encrypts new objects with an AWS KMS key (SSE-KMS) that the writer may not use: this is a KMS grant, not an " +
          "S3 permission.",
        steps: [
          `Find the key: \`aws s3api get-bucket-encryption --bucket ${bucket}\` (KMSMasterKeyID).`,
          "Allow the destination's IAM principal kms:GenerateDataKey (to write) and kms:Decrypt (multipart uploads and the size check " +
            "read back) on that key, in the key policy or an IAM policy; a key in another account needs both its key policy and the " +
            "writer's IAM policy to allow it.",
          "Run the CLI test write again; the destination itself needs no change (rotate_destination_credentials only if you switch to " +
            "another IAM user).",
        ],
      };
    case "aws-no-credentials":
      return {
        lead: "LangSmith found no credentials to write with: the destination stores none, and the environment provides none.",
        steps: [
          "On LangSmith Cloud a destination needs keys: rotate_destination_credentials with an access key id and secret (or " +
            "create_destination with them).",
          "Self-hosted with environment credentials (IRSA or an instance role): check that the export worker's service account carries " +
            "the eks.amazonaws.com/role-arn annotation and that the role may s3:PutObject on the bucket and prefix.",
        ],
      };
    case "aws-expired-token":
      return {
        lead: "The destination's temporary credentials (session token) expired; an export outlives short-lived tokens.",
        steps: [
          "rotate_destination_credentials with long-lived keys (or a fresh token, knowing it will expire again), then create_export for " +
            "what did not complete.",
        ],
      };
    default:
      return null;
  }
}
