/**
 * LangSmith's API limits as data, for the `langsmith://reference/api-limits` resource: request
 * rates and sizes (contract §1–§5) and the bulk export limits of src/diagnosis/tables.ts. Where
 * the seeds contradict each other, every documented value is listed with the one in force.
 */
import { LIMITS } from "../diagnosis/tables.js";
import { MAX_TRACE_IDS_PER_DELETE } from "../langsmith/index.js";
import { markdownTable } from "./markdown.js";

const CONTRACT = "LangSmith API docs";

export interface RequestLimit {
  endpoint: string;
  limit: string;
  /** What a caller (or this server) does about it. */
  consequence: string;
  source: string;
}

export const REQUEST_LIMITS: readonly RequestLimit[] = Object.freeze([
  {
    endpoint: "POST /api/v2/runs/query (and v1)",
    limit: "15 requests per 10 s per API key",
    consequence: "429 with Retry-After; the client waits and retries reads, so prefer larger page_size over many small pages",
    source: `${CONTRACT}, rate limits`,
  },
  {
    endpoint: "GET /api/v2/runs/{id}",
    limit: "30 requests per 60 s per API key",
    consequence: "429 with Retry-After; read many runs with one query_runs instead of many get_run calls",
    source: `${CONTRACT}, rate limits`,
  },
  {
    endpoint: "every other endpoint",
    limit: "1000 requests per 10 s per API key",
    consequence: "429 with Retry-After",
    source: `${CONTRACT}, rate limits`,
  },
  {
    endpoint: "POST /api/v2/runs/query",
    limit: "page_size 1–1000 (default 100)",
    consequence: "out of range: 400",
    source: `${CONTRACT}, list runs (v2)`,
  },
  {
    endpoint: "POST /api/v1/runs/query",
    limit: "limit 1–100 (default 100)",
    consequence: "out of range: rejected as a validation error",
    source: `${CONTRACT}, list runs (v1)`,
  },
  { endpoint: "GET /api/v1/sessions", limit: "limit 1–100", consequence: "page with offset", source: `${CONTRACT}, projects` },
  {
    endpoint: "POST /api/v1/runs/delete",
    limit: `at most ${MAX_TRACE_IDS_PER_DELETE} trace ids per request, one project`,
    consequence:
      "more: 400; queue_deletion cuts a purge into batches of this size. Deleted in a weekend batch (UTC Saturday–Sunday), no status API",
    source: `${CONTRACT}, deleting runs and audit logs`,
  },
  {
    endpoint: "GET /api/v1/audit-logs",
    limit: "limit 1–100 (default 10); Enterprise plan and org admin only",
    consequence: "403 otherwise",
    source: `${CONTRACT}, deleting runs and audit logs`,
  },
]);

export function apiLimitsMarkdown(): string {
  const exportRows = LIMITS.map((entry) => [
    entry.title,
    `${entry.decided} ${entry.unit}`,
    entry.documented.map((d) => `${d.value} ${entry.unit} (${d.where})`).join("; "),
    entry.source,
  ]);
  const contradicted = LIMITS.filter((entry) => entry.documented.length > 1).map((entry) => entry.title);
  return [
    "# LangSmith API limits",
    "",
    "## Requests",
    "",
    markdownTable(
      ["Endpoint", "Limit", "What happens / what to do", "Source"],
      REQUEST_LIMITS.map((limit) => [limit.endpoint, limit.limit, limit.consequence, limit.source]),
    ),
    "",
    "## Bulk exports",
    "",
    `The documentation contradicts itself on ${contradicted.join(" and ")}: both values are listed; the one in force is the contract's ` +
      `decision, which diagnose_export also names.`,
    "",
    markdownTable(["Limit", "In force", "Documented values", "Source"], exportRows),
    "",
  ].join("\n");
}

export function apiLimitsJson(): unknown {
  return {
    requests: REQUEST_LIMITS,
    bulk_exports: LIMITS.map((entry) => ({
      key: entry.key,
      title: entry.title,
      unit: entry.unit,
      in_force: entry.decided,
      documented: entry.documented,
      contradicted: entry.documented.length > 1,
      source: entry.source,
    })),
  };
}
