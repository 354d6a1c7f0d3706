/**
 * MCP prompts: playbooks that lead an agent through the right tools in order. A prompt is
 * offered only when every tool it depends on is (read-only mode drops compliance_purge), and
 * its optional steps name only tools this server offers.
 */
import type { McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import { exportIdCompleter, projectNameCompleter } from "../completions/index.js";
import type { LangSmithClient } from "../langsmith/index.js";
import type { Logger } from "../log.js";
import { checkAppHealth } from "./check-app-health.js";
import { checkExportHealth } from "./check-export-health.js";
import { compliancePurge } from "./compliance-purge.js";
import { renderPrompt, type PromptDefinition } from "./define-prompt.js";
import { investigateErroredRuns } from "./investigate-errored-runs.js";

export { renderPrompt, type PromptDefinition, type PromptStep } from "./define-prompt.js";

/** Every prompt the server can offer, in the order prompts/list shows them. */
export const PROMPTS: readonly PromptDefinition[] = [checkExportHealth, checkAppHealth, investigateErroredRuns, compliancePurge];

export interface PromptDeps {
  client: LangSmithClient;
  /** Where a failed argument completion is logged. */
  logger: Logger;
}

/** `offeredTools`: the names of the tools this server instance lists. */
export function registerPrompts(mcp: McpServer, deps: PromptDeps, offeredTools: Iterable<string>): void {
  const offered = new Set(offeredTools);
  const completers = {
    projectNames: projectNameCompleter(deps.client, deps.logger),
    exportIds: exportIdCompleter(deps.client, deps.logger),
  };
  for (const prompt of PROMPTS) {
    if (!prompt.requiredTools.every((tool) => offered.has(tool))) continue;
    mcp.registerPrompt(
      prompt.name,
      { title: prompt.title, description: prompt.description, argsSchema: z.object(prompt.args(completers)) },
      (args) => renderPrompt(prompt, args as Record<string, string | undefined>, offered),
    );
  }
}
