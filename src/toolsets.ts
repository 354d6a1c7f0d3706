/**
 * Tool groups, selectable with --toolsets / LANGSMITH_MCP_TOOLSETS; every tool names one
 * (`toolset` in its definition) and README's tool table is grouped by them. A leaf module, so
 * the settings and the tools both read it without depending on each other.
 */
export const TOOLSETS = ["runs", "exports", "diagnosis", "deletion"] as const;
export type Toolset = (typeof TOOLSETS)[number];
