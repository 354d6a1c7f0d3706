import { createHash } from "node:crypto";
import { z } from "zod";
import { UserInputError } from "../errors.js";
import { isLangSmithApiError } from "../langsmith/index.js";
import { decide } from "./confirmation.js";
import { defineTool } from "./define-tool.js";
import { destinationHints } from "./destination-hints.js";
import {
  bucketLabel,
  destinationLine,
  destinationView,
  DestinationViewSchema,
  EXPORT_LIMITS,
  isTerminal,
  resolveDestination,
} from "./export-shared.js";

const ACTION = "rotate_destination_credentials";

const inputSchema = z.object({
  destination: z.string().min(1).describe("Destination id or display name (list_destinations shows them)."),
  access_key_id: z.string().min(1).describe("The new access key id (AWS) or HMAC key id (GCS)."),
  secret_access_key: z.string().min(1).describe("The new secret. Sent to LangSmith only; never echoed or logged."),
  session_token: z.string().optional().describe("AWS session token, for temporary credentials."),
  confirmation_token: z
    .string()
    .optional()
    .describe("Omit on the first call to see what will change; pass the token that call returned to rotate."),
});

const outputSchema = z.object({
  rotated: z.boolean().describe("False on the first call (plan only); true once LangSmith accepted the new credentials."),
  destination: DestinationViewSchema,
  plan: z.object({
    new_access_key_id: z.string().describe("Shortened: only its first and last characters."),
    running_exports_on_destination: z.array(z.string()).optional(),
    overlap_window_hours: z.number(),
    steps: z.array(z.string()),
  }),
  confirmation_token: z.string().optional(),
  expires_at: z.string().optional(),
});

const shorten = (id: string): string => (id.length > 8 ? `${id.slice(0, 4)}…${id.slice(-4)}` : "…");
/** The token binds the exact new credentials without carrying them. */
const credentialDigest = (args: { access_key_id: string; secret_access_key: string; session_token?: string | undefined }) =>
  createHash("sha256")
    .update(`${args.access_key_id}\n${args.secret_access_key}\n${args.session_token ?? ""}`)
    .digest("base64url");

export const rotateDestinationCredentials = defineTool({
  name: "rotate_destination_credentials",
  title: "Rotate destination credentials",
  description:
    "Replace an export destination's credentials without recreating it. " +
    "Two calls: the first shows the change and the window where old and new keys are both in use, and returns a confirmation token (or " +
    "the user confirms in a dialog); the second, with the token, rotates. " +
    "Use it when keys rotate or a destination error says credentials are invalid. " +
    "Next: list_destinations.",
  toolset: "exports",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler(args, { client, confirmations, confirmWithUser, signal }) {
    const destination = await resolveDestination(client, args.destination, signal);
    const running = (await client.listExports(signal))
      // Not finished, in any status that is not documented as terminal (an unknown one may still write).
      .filter((e) => e.bulk_export_destination_id === destination.id && !isTerminal(e.status))
      .map((e) => e.id);
    const plan = {
      new_access_key_id: shorten(args.access_key_id),
      running_exports_on_destination: running,
      overlap_window_hours: EXPORT_LIMITS.runTimeoutHours,
      steps: [
        `LangSmith test-writes to ${bucketLabel(destination.config)} with the new credentials and refuses them (400) if the write ` +
          `fails; the configuration stays as it is.`,
        "New export runs use the new credentials as soon as the rotation succeeds.",
        `Runs already in flight keep the old credentials until they finish: for up to ${EXPORT_LIMITS.runTimeoutHours} h (the maximum ` +
          `run time) both sets are in use.` +
          (running.length ? ` ${running.length} export(s) on this destination are active now.` : ""),
        `Revoke the old key only after that window, once no run still uses it.`,
      ],
    };
    const bound = { destination_id: destination.id, credentials: credentialDigest(args) };

    const activeLine =
      `Active exports on this destination: ${running.length ? running.join(", ") : "none"}; overlap window ` +
      `${plan.overlap_window_hours} h.`;
    const planText = [
      `Plan: rotate the credentials of destination ${destinationLine(destinationView(destination))} to key ${plan.new_access_key_id}. ` +
        `Nothing has changed yet.`,
      activeLine,
      ...plan.steps.map((s, i) => `${i + 1}. ${s}`),
    ];
    if (!args.confirmation_token) {
      const decision = await decide(confirmations, confirmWithUser, ACTION, bound, planText.join("\n"));
      if (decision.kind === "declined") {
        return {
          structured: { rotated: false, destination: destinationView(destination), plan },
          text: [...planText, "The user declined in the client's confirmation dialog: the old credentials stay in place."].join("\n"),
        };
      }
      if (decision.kind === "token") {
        return {
          structured: {
            rotated: false,
            destination: destinationView(destination),
            plan,
            confirmation_token: decision.token,
            expires_at: decision.expires_at,
          },
          text: [
            ...planText,
            `To proceed, call rotate_destination_credentials again with the same arguments and confirmation_token "${decision.token}" ` +
              `(valid until ${decision.expires_at}).`,
          ].join("\n"),
        };
      }
    } else {
      confirmations.verify(args.confirmation_token, ACTION, bound);
    }
    try {
      const updated = await client.rotateDestinationCredentials(
        destination.id,
        {
          access_key_id: args.access_key_id,
          secret_access_key: args.secret_access_key,
          ...(args.session_token && { session_token: args.session_token }),
        },
        signal,
      );
      return {
        structured: { rotated: true, destination: destinationView(updated), plan },
        text: [
          `Rotated: destination ${destinationLine(destinationView(updated))} now uses key ${plan.new_access_key_id}.`,
          activeLine,
          ...plan.steps.map((s, i) => `${i + 1}. ${s}`),
        ].join("\n"),
      };
    } catch (error) {
      if (isLangSmithApiError(error) && error.status === 400) {
        throw new UserInputError(
          undefined,
          `LangSmith refused the new credentials (its test write failed): ${error.detail ?? error.message}. The old credentials remain ` +
            `in place.`,
          destinationHints(error.detail ?? "", destination),
        );
      }
      throw error;
    }
  },
});
