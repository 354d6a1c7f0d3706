/**
 * The one place a failure becomes words, for every MCP surface that can fail: tool calls
 * (server.ts), resource reads (resources/) and argument completion (completions/). The
 * user's mistake says what to do instead; LangSmith's answer goes on as the client worded it
 * (method, path, status, when to retry), its raw body to the log only; anything else is our
 * bug, logged with its stack. What leaves the server is redacted with the secrets in use.
 */
import { isConfigurationError, isUserInputError } from "./errors.js";
import { isLangSmithError } from "./langsmith/index.js";
import type { Logger } from "./log.js";
import { redactSecrets } from "./redact.js";

/**
 * Agent-facing words for `error`, raised while `subject` ran (a tool name, "the read"), and
 * the matching log line on `log` (warn for LangSmith's refusals, error for our bugs; nothing
 * for the caller's own mistake). Not yet redacted: see {@link failureText}.
 */
export function describeFailure(subject: string, error: unknown, log: Logger): string {
  if (isUserInputError(error)) return error.agentMessage;
  // What this deployment cannot do (an install without the v2 API): the message says so and what would.
  if (isConfigurationError(error)) return error.hint ? `${error.message} ${error.hint}` : error.message;
  if (isLangSmithError(error)) {
    log.warn("LangSmith request failed", { error: error.message, ...("rawBody" in error && { body: error.rawBody }) });
    return error.message;
  }
  if (error instanceof Error && error.name === "AbortError") return `${subject} was cancelled.`;
  log.error(`${subject} failed unexpectedly`, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  const what = error instanceof Error ? error.message : String(error);
  return `${subject} failed unexpectedly: ${what}. This is a bug in the server; the details are in its log.`;
}

/** {@link describeFailure} with `secrets` (the API key in use) redacted: the text an agent may see. */
export function failureText(subject: string, error: unknown, log: Logger, secrets: readonly string[]): string {
  return redactSecrets(describeFailure(subject, error, log), secrets);
}
