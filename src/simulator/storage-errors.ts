/**
 * What an S3-compatible object store answers when a write is refused, per provider, and how
 * LangSmith words it when the refusal happens during a destination's test write. The texts
 * are those S3, the GCS XML API and MinIO send, as botocore prints them
 * (`An error occurred (<Code>) when calling the <Operation> operation: <Message>`).
 * Seed `001_…` names the four phrases LangSmith puts in front ("Common errors"); contract
 * §4.1 adds `InvalidBucketName`. No message ever carries a secret or a session token.
 */

export type StorageProvider = "aws" | "gcs" | "minio";
export type StorageOperation = "PutObject" | "DeleteObject" | "GetObject";

export type StorageErrorCode =
  | "InvalidAccessKeyId"
  | "SignatureDoesNotMatch"
  | "InvalidToken"
  | "ExpiredToken"
  | "AuthorizationHeaderMalformed"
  | "NoSuchBucket"
  | "InvalidBucketName"
  | "AccessDenied";

export interface StorageErrorDetails {
  operation: StorageOperation;
  /** The region the request was signed for and the bucket's own (AuthorizationHeaderMalformed). */
  signedRegion?: string;
  bucketRegion?: string;
  /** GCS names the service account behind an HMAC key in its AccessDenied details. */
  principal?: string;
}

type MessageFor = (d: StorageErrorDetails) => string;

/** GCS permission names per S3 operation (seed 001, "GCS permissions"). */
const GCS_PERMISSIONS: Readonly<Record<StorageOperation, string>> = {
  PutObject: "storage.objects.create",
  DeleteObject: "storage.objects.delete",
  GetObject: "storage.objects.get",
};

const SIGNATURE = "The request signature we calculated does not match the signature you provided. Check your key and signing method.";

export const STORAGE_ERROR_MESSAGES: Readonly<Record<StorageProvider, Readonly<Record<StorageErrorCode, MessageFor>>>> = {
  aws: {
    InvalidAccessKeyId: () => "The AWS Access Key Id you provided does not exist in our records.",
    SignatureDoesNotMatch: () => SIGNATURE,
    InvalidToken: () => "The provided token is malformed or otherwise invalid.",
    ExpiredToken: () => "The provided token has expired.",
    AuthorizationHeaderMalformed: (d) =>
      `The authorization header is malformed; the region '${d.signedRegion ?? "us-east-1"}' is wrong; expecting ` +
      `'${d.bucketRegion ?? "us-east-1"}'`,
    NoSuchBucket: () => "The specified bucket does not exist",
    InvalidBucketName: () => "The specified bucket is not valid.",
    AccessDenied: () => "Access Denied",
  },
  gcs: {
    InvalidAccessKeyId: () => "The Access Key Id you provided does not exist in our records.",
    SignatureDoesNotMatch: () =>
      "The request signature we calculated does not match the signature you provided. Check your Google secret key and signing method.",
    InvalidToken: () => "The provided token is malformed or otherwise invalid.",
    ExpiredToken: () => "The provided token has expired.",
    AuthorizationHeaderMalformed: () => "The authorization header is malformed.",
    NoSuchBucket: () => "The specified bucket does not exist.",
    InvalidBucketName: () => "The specified bucket is not valid.",
    AccessDenied: (d) =>
      `Access denied. ${d.principal ?? "The caller"} does not have ${GCS_PERMISSIONS[d.operation]} access to the Google Cloud Storage ` +
      `object. ` +
      `Permission '${GCS_PERMISSIONS[d.operation]}' denied on resource (or it may not exist).`,
  },
  minio: {
    InvalidAccessKeyId: () => "The Access Key Id you provided does not exist in our records.",
    SignatureDoesNotMatch: () => SIGNATURE,
    InvalidToken: () => "The security token included in the request is invalid",
    ExpiredToken: () => "The provided token has expired.",
    AuthorizationHeaderMalformed: () => "The authorization header is malformed; the region is wrong.",
    NoSuchBucket: () => "The specified bucket does not exist",
    InvalidBucketName: () => "The specified bucket is not valid.",
    AccessDenied: () => "Access Denied.",
  },
};

export class StorageError {
  constructor(
    readonly provider: StorageProvider,
    readonly code: StorageErrorCode,
    readonly details: StorageErrorDetails,
  ) {}

  /** botocore's ClientError text. */
  get message(): string {
    return (
      `An error occurred (${this.code}) when calling the ${this.details.operation} operation: ` +
      `${STORAGE_ERROR_MESSAGES[this.provider][this.code](this.details)}`
    );
  }
}

/** The phrases of seed 001 "Common errors" (+ InvalidBucketName, contract §4.1). */
export type DestinationPhrase =
  | "Access denied"
  | "Bucket is not valid"
  | "Key ID you provided does not exist"
  | "Invalid endpoint"
  | "InvalidBucketName";

/**
 * Which phrase LangSmith leads a failed test write with. A wrong region is reported by S3 as
 * AuthorizationHeaderMalformed (the request was signed for the wrong region); LangSmith
 * cannot tell it from other authorization failures, so it says "Access denied".
 */
export const DESTINATION_PHRASES: Readonly<Record<StorageErrorCode, DestinationPhrase>> = {
  InvalidAccessKeyId: "Key ID you provided does not exist",
  SignatureDoesNotMatch: "Access denied",
  InvalidToken: "Access denied",
  ExpiredToken: "Access denied",
  AuthorizationHeaderMalformed: "Access denied",
  NoSuchBucket: "Bucket is not valid",
  InvalidBucketName: "InvalidBucketName",
  AccessDenied: "Access denied",
};

/** The 400 detail of a failed test write: the phrase, where it wrote, then botocore's text. */
export function testWriteDetail(error: StorageError, target: string): string {
  return `${DESTINATION_PHRASES[error.code]}: the test write to ${target} failed: ${error.message}`;
}
