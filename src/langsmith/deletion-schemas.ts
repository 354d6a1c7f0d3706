/**
 * Deletion and audit-log shapes (contract §5, seed 003). `POST /runs/delete` answers `{}`:
 * nothing to read, so the schema accepts any object. Audit-log items are OCSF API Activity
 * records; only the fields correlation reads are typed, the rest pass through.
 */
import { z } from "zod";

/** Seed 003: at most 1000 trace ids per delete request. */
export const MAX_TRACE_IDS_PER_DELETE = 1000;

export type DeleteRunsRequest =
  | { session_id: string; trace_ids: readonly string[] }
  /** Workspace-wide: a trace matches if ANY pair matches its root's metadata. */
  | { metadata: Readonly<Record<string, string>> };

export const DeleteRunsResponseSchema = z.looseObject({});

const nullishString = z.string().nullish();

export const AuditLogItemSchema = z.looseObject({
  /** OCSF: epoch milliseconds; some exporters send ISO strings. */
  time: z.union([z.number(), z.string()]).nullish(),
  status: nullishString,
  metadata: z.looseObject({ uid: nullishString }).nullish(),
  api: z.looseObject({ operation: nullishString }).nullish(),
  actor: z.looseObject({ user: z.looseObject({ uid: nullishString, name: nullishString }).nullish() }).nullish(),
  http_request: z.looseObject({}).nullish(),
  unmapped: z
    .looseObject({
      original_audit_log: z
        .looseObject({
          operation_name: nullishString,
          request_time: nullishString,
          workspace_id: nullishString,
          api_key_id: nullishString,
          enrichments: z.looseObject({ resource_ids: z.array(z.string()).nullish() }).nullish(),
        })
        .nullish(),
    })
    .nullish(),
});
export type AuditLogItem = z.infer<typeof AuditLogItemSchema>;

export const AuditLogPageSchema = z.looseObject({
  cursor: nullishString,
  items: z.array(AuditLogItemSchema),
});
export type AuditLogPage = z.infer<typeof AuditLogPageSchema>;

export interface AuditLogQuery {
  startTime: string;
  endTime: string;
  operations?: readonly string[];
  /** 1..100, default 10. */
  limit?: number;
  cursor?: string;
}
