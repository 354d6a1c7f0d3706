/**
 * A prompt is a short playbook: numbered steps, each naming the tool to call and its arguments
 * (or the resource to read), rendered into one user message. Steps are data so a test can
 * check that every tool and argument a prompt names really exists, and so a step whose tool
 * this server does not offer (read-only mode, toolsets) is left out rather than promised.
 */
import type { GetPromptResult } from "@modelcontextprotocol/server";
import type { ZodRawShape } from "zod";
import type { Completer } from "../completions/index.js";

export type PromptStep =
  /** Call a tool. `arguments` are shown as JSON; `<…>` marks a value the agent fills in. */
  | { tool: string; arguments: Record<string, unknown>; purpose: string }
  /** Read a resource. */
  | { resource: string; purpose: string }
  /** An instruction with no tool: decide, ask the user, report. */
  | { instruction: string };

export interface PromptCompleters {
  projectNames: Completer;
  exportIds: Completer;
}

export interface PromptDefinition<Shape extends ZodRawShape = ZodRawShape> {
  name: string;
  title: string;
  description: string;
  /** Tools without which the prompt makes no sense; it is not offered unless all are. */
  requiredTools: readonly string[];
  /** Prompt arguments (strings, per MCP), with completion where a value comes from LangSmith. */
  args: (completers: PromptCompleters) => Shape;
  goal: (args: Record<string, string | undefined>) => string;
  steps: (args: Record<string, string | undefined>) => readonly PromptStep[];
  /** Rules the agent must keep throughout (consent before changes, what not to reveal). */
  rules: readonly string[];
}

/** Identity helper, for the types. */
export function definePrompt<Shape extends ZodRawShape>(definition: PromptDefinition<Shape>): PromptDefinition<Shape> {
  return definition;
}

/** Renders the playbook, keeping only the steps whose tool is offered. */
export function renderPrompt(
  prompt: PromptDefinition,
  args: Record<string, string | undefined>,
  offeredTools: ReadonlySet<string>,
): GetPromptResult {
  const steps = prompt.steps(args).filter((step) => !("tool" in step) || offeredTools.has(step.tool));
  const lines = steps.map((step, index) => `${index + 1}. ${renderStep(step)}`);
  const text = [
    prompt.goal(args),
    "",
    "Work through these steps in order; skip a step only when an earlier result makes it unnecessary, and say so.",
    "",
    ...lines,
    "",
    "Rules:",
    ...prompt.rules.map((rule) => `- ${rule}`),
  ].join("\n");
  return {
    description: prompt.description,
    messages: [{ role: "user", content: { type: "text", text } }],
  };
}

function renderStep(step: PromptStep): string {
  if ("tool" in step) return `Call \`${step.tool}\` with ${JSON.stringify(step.arguments)}: ${step.purpose}`;
  if ("resource" in step) return `Read the resource \`${step.resource}\`: ${step.purpose}`;
  return step.instruction;
}
