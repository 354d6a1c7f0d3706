/**
 * The interactive views (MCP Apps, SEP-1865: extension `io.modelcontextprotocol/ui`), as data:
 * which tool each one shows, the `ui://` resource it is served as, and how hosts list it. A
 * host that renders MCP Apps reads `_meta.ui.resourceUri` on the tool, fetches the resource
 * (one self-contained HTML page, `text/html;profile=mcp-app`) and renders it in a sandboxed
 * frame, passing it the tool's result. The view reads the result's structuredContent, the same
 * one every client gets; nothing about the tool changes for hosts without the extension.
 */

/** One view: the folder of its code under src/apps/views/, and the tool whose results it shows. */
export interface AppView {
  /** Folder under src/apps/views/ and last segment of its uri. */
  readonly view: string;
  readonly tool: string;
  readonly title: string;
  readonly description: string;
}

export const APP_VIEWS: readonly AppView[] = Object.freeze([
  {
    view: "trace-waterfall",
    tool: "get_trace",
    title: "Trace waterfall",
    description: "A get_trace result as a timeline: runs as bars nested by parent, errors, tokens and cost, the critical path.",
  },
  {
    view: "export-progress",
    tool: "export_status",
    title: "Export progress",
    description: "An export_status result as one cell per day partition, the workflow-timeout clock and, when it failed, the diagnosis.",
  },
  {
    view: "purge-evidence",
    tool: "deletion_report",
    title: "Purge evidence",
    description: "A deletion_report as batches sent, accepted and verified per project, the expected deletion window and the verdict.",
  },
  {
    view: "run-stats",
    tool: "run_stats",
    title: "Run statistics charts",
    description: "A run_stats result as small charts: latency percentiles, error rate and cost, overall and per group.",
  },
]);

/** The resource a view is served as. */
export const viewUri = (view: string): string => `ui://langsmith-mcp/${view}`;
