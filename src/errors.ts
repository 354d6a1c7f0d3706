/**
 * Errors that carry agent-facing copy. The error boundary (error-boundary.ts) turns these
 * into `isError: true` tool results; anything else is reported as an internal error with
 * no stack trace in the tool output.
 */

/** The caller's mistake: names the field, says why, says what to do instead. */
export class UserInputError extends Error {
  override readonly name = "UserInputError";
  constructor(
    /** The input field at fault, e.g. `filter` or `page_size`; omitted when no single field is. */
    readonly field: string | undefined,
    message: string,
    /** What the caller should do instead. */
    readonly hint?: string,
  ) {
    super(message);
  }

  /** The whole text shown to the agent: field, reason, fix. */
  get agentMessage(): string {
    const where = this.field ? `Invalid \`${this.field}\`: ` : "";
    return `${where}${this.message}${this.hint ? ` ${this.hint}` : ""}`;
  }
}

/** The server is misconfigured (missing key, bad endpoint): a startup or operator problem. */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export const isUserInputError = (e: unknown): e is UserInputError => e instanceof UserInputError;
export const isConfigurationError = (e: unknown): e is ConfigurationError => e instanceof ConfigurationError;
