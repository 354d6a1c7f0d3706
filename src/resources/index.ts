/**
 * MCP resources: reference tables an agent can read before acting (failure modes, destination
 * errors, API limits; markdown and JSON), and two templates over live data: an export's runs
 * (`exports://{id}/runs`, from LangSmith) and a purge's ledger record and evidence report
 * (`ledger://purges/{id}`, `…/report.md`, `…/report.json`, offered when the server has a
 * deletion ledger, scoped to the caller's LangSmith workspace). Nothing here holds or returns a secret.
 */
import { ResourceTemplate, ProtocolErrorCode } from "@modelcontextprotocol/server";
import type { McpServer, ReadResourceResult } from "@modelcontextprotocol/server";
import { exportIdCompleter, purgeIdCompleter } from "../completions/index.js";
import { failureText } from "../error-boundary.js";
import { isUserInputError } from "../errors.js";
import { isLangSmithApiError, type LangSmithClient } from "../langsmith/index.js";
import type { Logger } from "../log.js";
import { apiLimitsJson, apiLimitsMarkdown } from "./api-limits.js";
import { EXPORT_RUNS_TEMPLATE, readExportRuns } from "./export-runs.js";
import {
  describePurge,
  listCallerPurges,
  PURGE_REPORT_JSON_TEMPLATE,
  PURGE_REPORT_MD_TEMPLATE,
  PURGE_TEMPLATE,
  purgeUri,
  readPurge,
  readReport,
  REPORT_IDS,
  type PurgeReader,
} from "./purge-ledger.js";
import { SIMULATOR_DEMO_URI, simulatorDemoMarkdown } from "./simulator-demo.js";
import { destinationErrorsJson, destinationErrorsMarkdown, failureModesJson, failureModesMarkdown } from "./reference-tables.js";

export { EXPORT_RUNS_TEMPLATE, exportRunsUri } from "./export-runs.js";
export { PURGE_TEMPLATE, PURGE_REPORT_MD_TEMPLATE, PURGE_REPORT_JSON_TEMPLATE, purgeUri } from "./purge-ledger.js";
export { SIMULATOR_DEMO_URI } from "./simulator-demo.js";

/** What the resources read; the server's deps satisfy it. The ledger is optional: without one, no purge template. */
export interface ResourceDeps {
  client: LangSmithClient;
  /** Values never to echo (the API key in use). */
  secrets: readonly string[];
  /** Where a failed read is logged (stderr), as a failed tool call is. */
  logger: Logger;
  ledger?: PurgeReader | undefined;
  /** Token budget of one read of a live-data resource (Config.maxOutputTokens). */
  maxOutputTokens: number;
}

const MARKDOWN = "text/markdown";
const JSON_MIME = "application/json";
/**
 * "Resource not found": since 2026-07-28 (SEP-2164) -32602 with the uri in `data`. The SDK
 * sends the old -32002 as -32602 on both protocol versions, so we say so here.
 */
const RESOURCE_NOT_FOUND = ProtocolErrorCode.InvalidParams;

/**
 * A failed read as the JSON-RPC error the client receives. Not ProtocolError: its message carries an
 * "MCP error <code>:" prefix that the client's ProtocolError adds a second time.
 */
class ResourceReadError extends Error {
  override readonly name = "ResourceReadError";
  constructor(
    readonly code: number,
    message: string,
    readonly data: { uri: string },
  ) {
    super(message);
  }
}

interface ReferenceResource {
  name: string;
  uri: string;
  title: string;
  description: string;
  mimeType: typeof MARKDOWN | typeof JSON_MIME;
  render: () => string;
}

const json = (value: () => unknown) => () => `${JSON.stringify(value(), null, 2)}\n`;

/** The static reference resources, as data: each table in markdown and in JSON. */
export const REFERENCE_RESOURCES: readonly ReferenceResource[] = Object.freeze([
  {
    name: "failure-modes",
    uri: "langsmith://reference/failure-modes.md",
    title: "Bulk export failure modes",
    description:
      "The documented export failure modes: cause, whether LangSmith retries, the action required and step-by-step remediation. Read it " +
      "before acting on a diagnose_export result.",
    mimeType: MARKDOWN,
    render: failureModesMarkdown,
  },
  {
    name: "failure-modes-json",
    uri: "langsmith://reference/failure-modes.json",
    title: "Bulk export failure modes (JSON)",
    description: "The failure mode table as JSON, keyed by the failure_mode values diagnose_export returns.",
    mimeType: JSON_MIME,
    render: json(failureModesJson),
  },
  {
    name: "destination-errors",
    uri: "langsmith://reference/destination-errors.md",
    title: "Bulk export destination errors",
    description:
      "What each destination test-write error (Access denied, Bucket is not valid, …) means and which destination fields to check first.",
    mimeType: MARKDOWN,
    render: destinationErrorsMarkdown,
  },
  {
    name: "destination-errors-json",
    uri: "langsmith://reference/destination-errors.json",
    title: "Bulk export destination errors (JSON)",
    description: "The destination error table as JSON.",
    mimeType: JSON_MIME,
    render: json(destinationErrorsJson),
  },
  {
    name: "simulator-demo",
    uri: SIMULATOR_DEMO_URI,
    title: "Trying exports with --simulator",
    description:
      "The simulator's published demo bucket credentials (not secrets; they work only with --simulator) and the steps to try every " +
      "export tool.",
    mimeType: MARKDOWN,
    render: simulatorDemoMarkdown,
  },
  {
    name: "api-limits",
    uri: "langsmith://reference/api-limits.md",
    title: "LangSmith API limits",
    description:
      "Rate limits, page sizes, the 1000-trace delete batch, and the bulk export limits, with both documented values where the docs " +
      "contradict each other.",
    mimeType: MARKDOWN,
    render: apiLimitsMarkdown,
  },
  {
    name: "api-limits-json",
    uri: "langsmith://reference/api-limits.json",
    title: "LangSmith API limits (JSON)",
    description: "The API limits as JSON: request limits, and export limits with every documented value and the one in force.",
    mimeType: JSON_MIME,
    render: json(apiLimitsJson),
  },
]);

export function registerResources(mcp: McpServer, deps: ResourceDeps): void {
  for (const resource of REFERENCE_RESOURCES) {
    let text: string | undefined;
    mcp.registerResource(
      resource.name,
      resource.uri,
      { title: resource.title, description: resource.description, mimeType: resource.mimeType },
      (uri) => {
        text ??= resource.render();
        return { contents: [{ uri: uri.href, mimeType: resource.mimeType, text }] };
      },
    );
  }

  mcp.registerResource(
    "export-runs",
    // No list callback: listing every export's runs would call LangSmith on each resources/list.
    new ResourceTemplate(EXPORT_RUNS_TEMPLATE, { list: undefined, complete: { id: exportIdCompleter(deps.client, deps.logger) } }),
    {
      title: "Runs of a bulk export",
      description:
        "The runs (one per UTC day partition) of a bulk export with status, retries, rows written and per-attempt errors (redacted). " +
        "{id} is the export id from list_exports.",
      mimeType: JSON_MIME,
    },
    async (uri, variables, ctx): Promise<ReadResourceResult> => {
      const exportId = single(variables.id);
      try {
        const text = await readExportRuns(deps.client, exportId, deps.secrets, deps.maxOutputTokens, ctx.mcpReq.signal);
        return { contents: [{ uri: uri.href, mimeType: JSON_MIME, text }] };
      } catch (error) {
        throw asResourceError(uri, error, deps);
      }
    },
  );

  const ledger = deps.ledger;
  if (!ledger) return;
  const client = deps.client;
  const complete = { id: purgeIdCompleter(ledger, client, deps.logger) };
  mcp.registerResource(
    "purge",
    new ResourceTemplate(PURGE_TEMPLATE, {
      list: async () => ({
        resources: (await listCallerPurges(ledger, client)).map((purge) => ({
          uri: purgeUri(purge.id),
          name: `purge ${purge.id}`,
          description: describePurge(purge),
          mimeType: JSON_MIME,
        })),
      }),
      complete,
    }),
    {
      title: "A compliance purge in the deletion ledger",
      description:
        "One purge of this LangSmith workspace as the ledger recorded it: criteria, batches and their states, the expected completion " +
        "window, verifications and audit-log matches. {id} is the purge id from queue_deletion or list_deletions.",
      mimeType: JSON_MIME,
    },
    async (uri, variables, ctx): Promise<ReadResourceResult> => {
      try {
        const text = await readPurge(ledger, client, single(variables.id), deps.maxOutputTokens, ctx.mcpReq.signal);
        return { contents: [{ uri: uri.href, mimeType: JSON_MIME, text }] };
      } catch (error) {
        throw asResourceError(uri, error, deps);
      }
    },
  );
  for (const format of ["md", "json"] as const) {
    mcp.registerResource(
      `purge-report-${format}`,
      new ResourceTemplate(format === "md" ? PURGE_REPORT_MD_TEMPLATE : PURGE_REPORT_JSON_TEMPLATE, { list: undefined, complete }),
      {
        title: `Evidence report of a purge (${format === "md" ? "Markdown" : "JSON"})`,
        description:
          `The evidence an auditor files for one purge, from the hash-chained ledger: request, plan digest, batches and ` +
          `attempts, verifications, audit-log events, integrity, up to ${REPORT_IDS} trace ids, as many as fit (deletion_report pages ` +
          `on).`,
        mimeType: format === "md" ? MARKDOWN : JSON_MIME,
      },
      async (uri, variables, ctx): Promise<ReadResourceResult> => {
        try {
          const text = await readReport(ledger, client, single(variables.id), format, new Date(), deps.maxOutputTokens, ctx.mcpReq.signal);
          return { contents: [{ uri: uri.href, mimeType: format === "md" ? MARKDOWN : JSON_MIME, text }] };
        } catch (error) {
          throw asResourceError(uri, error, deps);
        }
      },
    );
  }
}

/** A URI template variable is a string, or a list for `{id*}`-style variables we do not use. */
const single = (value: string | string[] | undefined): string =>
  decodeURIComponent(Array.isArray(value) ? (value[0] ?? "") : (value ?? ""));

/**
 * A failed read in the tools' words (error-boundary.ts: redacted, logged); not found (-32602)
 * for the caller's mistake or an unknown export, internal error otherwise.
 */
function asResourceError(uri: URL, error: unknown, deps: Pick<ResourceDeps, "logger" | "secrets">): ResourceReadError {
  const text = failureText("the read", error, deps.logger, deps.secrets);
  if (isUserInputError(error)) return new ResourceReadError(RESOURCE_NOT_FOUND, `${uri.href}: ${text}`, { uri: uri.href });
  if (isLangSmithApiError(error) && error.status === 404) {
    const words = `${uri.href}: no such export. ${text} list_exports shows the exports.`;
    return new ResourceReadError(RESOURCE_NOT_FOUND, words, { uri: uri.href });
  }
  return new ResourceReadError(ProtocolErrorCode.InternalError, `${uri.href}: ${text}`, { uri: uri.href });
}
