import type { z } from "zod";
import type { CallBudget } from "../call-budget.js";
import type { Config } from "../config.js";
import type { LangSmithClient } from "../langsmith/index.js";
import type { Ledger } from "../ledger/index.js";
import type { Logger } from "../log.js";
import type { ConfirmationTokens, UserAnswer } from "./confirmation.js";
import type { ProjectResolver } from "../langsmith/project-resolver.js";
import { dropEmpty } from "./render.js";

import type { Toolset } from "../toolsets.js";

export type { Toolset };

/**
 * All four hints are required: the MCP spec's defaults are destructive and open-world, and
 * some client directories drop servers whose hints are missing.
 */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolContext {
  client: LangSmithClient;
  projects: ProjectResolver;
  config: Config;
  logger: Logger;
  /** Aborted when the MCP client cancels the request. */
  signal: AbortSignal;
  /**
   * How long this call may still wait in total (call-budget.ts). The LangSmith client's retry
   * sleeps already respect it; a tool that waits itself ends its wait there and says how to go on.
   */
  budget: CallBudget;
  /** Current time; injectable so relative ranges ("24h") are testable. */
  now: () => Date;
  /** Issues and checks the tokens that destructive tools require on their second call. */
  confirmations: ConfirmationTokens;
  /**
   * Asks the human through the client (MCP elicitation) to confirm `message`; "unavailable"
   * when the client cannot ask, so the tool falls back to its confirmation token.
   */
  confirmWithUser: (message: string, binding?: unknown) => Promise<UserAnswer>;
  /**
   * Sends an MCP progress notification when the caller asked for progress; a no-op otherwise.
   * A value not above the last one sent in this call is dropped (the spec wants them increasing).
   */
  progress: (progress: number, total: number | undefined, message: string) => Promise<void>;
  /** The deletion ledger; undefined when the server was built without one (deletion tools refuse). */
  ledger: Ledger | undefined;
}

export interface ToolResult<Output> {
  /** Validated against the tool's output schema and sent as `structuredContent`. */
  structured: Output;
  /** The short readable rendering sent as the text content block. */
  text: string;
  /**
   * Secret-shaped values the user explicitly asked to see (a run's share URL). Everything
   * else of that shape is redacted from the result.
   */
  reveal?: string[];
}

export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject, Output extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  toolset: Toolset;
  inputSchema: Input;
  outputSchema: Output;
  annotations: ToolAnnotations;
  /**
   * Long work that may run as an MCP task (src/tasks/) where the client supports tasks:
   * answered at once with a task id, polled for status and result, cancellable, and free of the
   * 45 s per-call cap (capped per task instead). Clients without task support call it as usual.
   */
  task?: true;
  handler: (input: z.output<Input>, context: ToolContext) => Promise<ToolResult<z.input<Output>>>;
}

/**
 * Types the handler's input and output from the schemas, and drops empty values (null, "",
 * [], {}) from every structured result, so no tool sends "not recorded" as a value.
 */
export function defineTool<Input extends z.ZodObject, Output extends z.ZodObject>(
  definition: ToolDefinition<Input, Output>,
): ToolDefinition<Input, Output> {
  const { handler } = definition;
  return {
    ...definition,
    handler: async (input, context) => {
      const result = await handler(input, context);
      return { ...result, structured: dropEmpty(result.structured) };
    },
  };
}

// The registry holds tools of different schema types; erase them to the base shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
// biome-ignore lint/suspicious/noExplicitAny: the registry holds tools of different schemas; each is type-checked where defined
export type AnyToolDefinition = ToolDefinition<any, any>;
