import { z } from "zod";
import { UserInputError } from "../errors.js";
import { ambiguousOutcome, lookUp, matchingDestinations } from "../exports/index.js";
import { isLangSmithApiError, type CreateDestinationRequest } from "../langsmith/index.js";
import { defineTool } from "./define-tool.js";
import { destinationHints } from "./destination-hints.js";
import { destinationLine, destinationView, DestinationViewSchema } from "./export-shared.js";

/** S3 bucket naming rules (AWS), which GCS and MinIO share for S3-compatible access. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DISPLAY_NAME = /^[A-Za-z0-9 _'-]+$/;
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
/** An http(s) URL with a host. A pattern, not `format: uri`, which Gemini's function declarations refuse. */
const ENDPOINT_URL = /^https?:\/\/[^\s/?#]+\S*$/;

const inputSchema = z.object({
  display_name: z.string().min(1).max(100).describe('A name for the destination: letters, digits, spaces, - _ \' (e.g. "acme traces eu").'),
  bucket_name: z.string().describe('The bucket, without s3:// (e.g. "acme-traces").'),
  prefix: z.string().default("").describe('Root prefix inside the bucket (e.g. "langsmith/exports"). Default: the bucket root.'),
  region: z.string().optional().describe('AWS region of the bucket (e.g. "eu-west-1"); required for AWS S3.'),
  endpoint_url: z
    .string()
    .regex(ENDPOINT_URL, { error: "expected an http(s) URL such as https://storage.googleapis.com" })
    .optional()
    .describe("Only for S3-compatible stores: https://storage.googleapis.com for GCS, your MinIO URL, etc. Omit for AWS S3."),
  include_bucket_in_prefix: z
    .boolean()
    .optional()
    .describe("Default true. Set false when the endpoint URL already contains the bucket (virtual-hosted style)."),
  addressing_style: z.enum(["auto", "virtual", "path"]).optional().describe("S3 addressing style; path is typical for MinIO."),
  access_key_id: z
    .string()
    .optional()
    .describe("Access key id (AWS) or HMAC key id (GCS). Omit only on self-hosted LangSmith using environment credentials."),
  secret_access_key: z.string().optional().describe("The secret for access_key_id. Sent to LangSmith only; never echoed or logged."),
  session_token: z.string().optional().describe("AWS session token, for temporary credentials."),
});

const outputSchema = z.object({
  destination: DestinationViewSchema,
  notes: z.array(z.string()).optional(),
});

export const createDestination = defineTool({
  name: "create_destination",
  title: "Create an export destination",
  description:
    "Register an S3, GCS or S3-compatible bucket as a bulk export destination. " +
    "LangSmith test-writes a file first, so bad credentials or bucket names fail here with the exact cause. " +
    "Use it once per bucket. " +
    "Secrets are never echoed. " +
    "Next: create_export.",
  toolset: "exports",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(args, { client, signal, budget }) {
    if (!BUCKET_NAME.test(args.bucket_name) || args.bucket_name.includes("..")) {
      throw new UserInputError(
        "bucket_name",
        `"${args.bucket_name}" is not a valid bucket name.`,
        "Use 3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, without s3:// or a path.",
      );
    }
    if (!DISPLAY_NAME.test(args.display_name)) {
      throw new UserInputError("display_name", "may only contain letters, digits, spaces, - _ and '.", 'For example "acme traces eu".');
    }
    if (!args.endpoint_url && !args.region) {
      throw new UserInputError(
        "region",
        "is required for AWS S3 buckets.",
        'Give the bucket\'s region (e.g. "eu-west-1"), or endpoint_url for GCS (https://storage.googleapis.com) or another ' +
          "S3-compatible store.",
      );
    }
    if (!args.endpoint_url && args.region && !AWS_REGION.test(args.region)) {
      throw new UserInputError("region", `"${args.region}" is not an AWS region.`, 'Regions look like "us-east-1" or "eu-west-1".');
    }
    if (args.endpoint_url && /(^|\.)amazonaws\.com/i.test(new URL(args.endpoint_url).hostname)) {
      throw new UserInputError("endpoint_url", "must be omitted for AWS S3.", "Remove endpoint_url and give region instead.");
    }
    if (Boolean(args.access_key_id) !== Boolean(args.secret_access_key)) {
      throw new UserInputError(
        args.access_key_id ? "secret_access_key" : "access_key_id",
        "is missing: give both access_key_id and secret_access_key, or neither (self-hosted environment credentials).",
      );
    }

    const body: CreateDestinationRequest = {
      destination_type: "s3",
      display_name: args.display_name,
      config: {
        bucket_name: args.bucket_name,
        prefix: args.prefix,
        ...(args.region && { region: args.region }),
        ...(args.endpoint_url && { endpoint_url: args.endpoint_url }),
        ...(args.include_bucket_in_prefix !== undefined && { include_bucket_in_prefix: args.include_bucket_in_prefix }),
        ...(args.addressing_style && { config_kwargs_s3: { addressing_style: args.addressing_style } }),
      },
      ...(args.access_key_id &&
        args.secret_access_key && {
          credentials: {
            access_key_id: args.access_key_id,
            secret_access_key: args.secret_access_key,
            ...(args.session_token && { session_token: args.session_token }),
          },
        }),
    };
    const sentAt = client.serverNow();
    try {
      const recovered: string[] = [];
      const destination = await client.createDestination(body, signal).catch(async (error: unknown) => {
        const lost = ambiguousOutcome(error);
        if (!lost) throw error;
        // The destination may exist: find it rather than invite a duplicate.
        const found = await lookUp(
          async () => matchingDestinations(await client.listDestinations(signal), body, sentAt),
          signal,
          () => budget.remainingMs(),
        );
        if (!found[0]) {
          throw new UserInputError(
            undefined,
            `the destination may have been created: ${lost}, and no matching destination is listed yet.`,
            `Do not call create_destination again yet. Check with list_destinations (name_contains "${body.display_name}"): a ` +
              `destination "${body.display_name}" on bucket ${body.config.bucket_name} is this one; create it only if none appears ` +
              `within a few minutes.`,
          );
        }
        recovered.push(
          `LangSmith's answer was lost (${lost}), but the destination exists: found by listing destinations (same name, bucket and ` +
            `prefix). Do not create it again.`,
        );
        return found[0];
      });
      const view = destinationView(destination);
      const notes = [
        ...recovered,
        "LangSmith wrote a test file under /tmp in the bucket; if the key lacks delete permission it stays there.",
        `Next: create_export with destination "${view.display_name}" or ${view.id}.`,
      ];
      return {
        structured: { destination: view, notes },
        text: [`Created destination ${destinationLine(view)}.`, ...notes].join("\n"),
      };
    } catch (error) {
      if (isLangSmithApiError(error) && error.status === 400) {
        throw new UserInputError(
          undefined,
          `LangSmith's test write failed: ${error.detail ?? error.message}.`,
          destinationHints(error.detail ?? "", { config: body.config, credentials_keys: Object.keys(body.credentials ?? {}) }),
        );
      }
      throw error;
    }
  },
});
