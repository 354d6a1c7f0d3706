import { DESTINATION_ERRORS, preRetryCheck } from "../diagnosis/index.js";
import type { Destination } from "../diagnosis/index.js";

/**
 * What to do about a failed destination test write: the documented meaning of the phrase in
 * LangSmith's 400 detail (seed 001), the fields to check, and the CLI write to try first.
 */
export function destinationHints(detail: string, destination: Pick<Destination, "config"> & { credentials_keys?: string[] | null }): string {
  const entry = DESTINATION_ERRORS.find((e) => detail.toLowerCase().includes(e.phrase.toLowerCase()));
  const meaning = entry
    ? `"${entry.phrase}" means: ${entry.description} Check ${entry.fieldsToCheck.join(", ")}. Likely causes: ${entry.likelyCauses.join("; ")}.`
    : "Check the bucket name, region or endpoint, and that the key may write (PutObject) to the bucket and prefix.";
  const check = preRetryCheck({ id: "", display_name: "", destination_type: "s3", credentials_keys: destination.credentials_keys ?? [], ...destination });
  return `${meaning} Before retrying, test a write with the same credentials: ${check}`;
}
