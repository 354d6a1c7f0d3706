import { DESTINATION_ERRORS, preRetryCheck, specificAdvice } from "../diagnosis/index.js";
import type { Destination } from "../diagnosis/index.js";

/**
 * What to do about a failed destination test write: what this text itself says first (the
 * region S3 expects, a KMS key, missing credentials), then the documented meaning of the phrase
 * in LangSmith's 400 detail (destination docs), the fields to check, and the CLI write to try,
 * aimed at the key LangSmith writes to.
 */
export function destinationHints(
  detail: string,
  destination: Pick<Destination, "config"> & { credentials_keys?: string[] | null },
): string {
  const specific = specificAdvice(detail, destination);
  const entry = DESTINATION_ERRORS.find((e) => detail.toLowerCase().includes(e.phrase.toLowerCase()));
  const meaning = entry
    ? `"${entry.phrase}" means: ${entry.description} Check ${entry.fieldsToCheck.join(", ")}. Likely causes: ` +
      `${entry.likelyCauses.join("; ")}.`
    : "Check the bucket name, region or endpoint, and that the key may write (PutObject) to the bucket and prefix.";
  const check = preRetryCheck({
    id: "",
    display_name: "",
    destination_type: "s3",
    credentials_keys: destination.credentials_keys ?? [],
    ...destination,
  });
  const lead = specific ? `${specific.lead} ${specific.steps.join(" ")} ` : "";
  return `${lead}${specific ? "Otherwise: " : ""}${meaning} Before retrying, test a write with the same credentials: ${check}`;
}
