import { describe, expect, it } from "vitest";
import { regionsInText, specificAdvice } from "./advice.js";
import { classifyErrorText } from "./classify-error.js";
import { quoteErrorText } from "./redact-error-text.js";
import { DESTINATION_ERRORS } from "./tables.js";

describe("specificAdvice", () => {
  it("leads a region mismatch with the region S3 expects, not the one configured", () => {
    const text =
      "An error occurred (AuthorizationHeaderMalformed) when calling the PutObject operation: The authorization header is malformed; " +
      "the region 'us-east-2' is wrong; expecting 'eu-west-1'";
    expect(regionsInText(text)).toEqual({ expected: "eu-west-1", sent: "us-east-2" });
    const advice = specificAdvice(text, { config: { bucket_name: "acme", region: "us-east-2" } });
    expect(advice?.lead).toBe('The bucket is in eu-west-1, not us-east-2: use region "eu-west-1".');
    expect(advice?.steps[0]).toMatch(/^create_destination again with region "eu-west-1"/);
  });

  it("reads the region from a PermanentRedirect endpoint too", () => {
    const text =
      "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified " +
      "endpoint.</Message><Endpoint>acme.s3.ap-southeast-2.amazonaws.com</Endpoint></Error>";
    expect(specificAdvice(text)?.lead).toMatch(/^The bucket is in ap-southeast-2/);
  });

  it("gives KMS steps for kms:GenerateDataKey and kms:Decrypt denials", () => {
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
      const text =
        `An error occurred (AccessDenied) when calling the PutObject operation: User: ` +
        `arn:aws:iam::123456789012:user/langsmith is not authorized to perform: ${action} on resource: ` +
        `arn:aws:kms:eu-west-1:123456789012:key/1a2b because no identity-based policy allows the ${action} action`;
      const advice = specificAdvice(text, { config: { bucket_name: "acme" } });
      expect(advice?.lead).toMatch(/KMS key/);
      expect(advice?.steps.join(" ")).toMatch(/aws s3api get-bucket-encryption --bucket acme.*kms:GenerateDataKey.*kms:Decrypt/);
    }
  });

  it("reads missing credentials (NoCredentialsError, the IRSA case) as a destination error with steps", () => {
    const text = "botocore.exceptions.NoCredentialsError: Unable to locate credentials";
    expect(classifyErrorText(text).mode).toBe("destination_error");
    expect(specificAdvice(text)?.steps.join(" ")).toMatch(/rotate_destination_credentials.*eks\.amazonaws\.com\/role-arn/);
  });

  it("says nothing extra for texts the generic rows explain", () => {
    expect(specificAdvice("An error occurred (AccessDenied) when calling the PutObject operation: Access Denied")).toBeNull();
    expect(specificAdvice("something nobody documented")).toBeNull();
  });
});

describe("advice wording", () => {
  it("lists include_bucket_in_prefix among the fields to check for Access denied", () => {
    expect(DESTINATION_ERRORS.find((e) => e.phrase === "Access denied")?.fieldsToCheck).toContain("config.include_bucket_in_prefix");
  });

  it("redacts a secret but keeps the ordinary words next to a secret's name", () => {
    expect(quoteErrorText("check secret_access_key: it does not match; access_key_id = wrong for this bucket")).toBe(
      "check secret_access_key: it does not match; access_key_id = wrong for this bucket",
    );
    expect(
      quoteErrorText("aws_access_key_id=AKIAIOSFODNN7EXAMPLE secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY then failed"),
    ).toBe("aws_access_key_id=[REDACTED] secret_access_key=[REDACTED] then failed");
  });
});
