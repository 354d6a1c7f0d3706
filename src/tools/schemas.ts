import { z } from "zod";

/**
 * A LangSmith id: 32 hex digits as 8-4-4-4-12, any case. OpenTelemetry-derived run and trace
 * ids carry no RFC 4122 version or variant digits, so `format: uuid` (and zod's `.uuid()`)
 * would refuse real ids; the published pattern is plain hex. Parsed to lower case, the form
 * LangSmith stores, so comparisons and requests never depend on the caller's casing.
 */
export const LangSmithIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, {
    error: "expected an id of 32 hex digits as 8-4-4-4-12, e.g. 018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327",
  })
  .transform((id) => id.toLowerCase());

/** A run as tools return it: the API's field names, enums lower-case, payloads possibly cut. */
export const RunViewSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  run_type: z.string().optional(),
  status: z.string().optional(),
  start_time: z.string().optional(),
  end_time: z.string().nullable().optional(),
  latency_seconds: z.number().nullable().optional(),
  total_tokens: z.number().nullable().optional(),
  total_cost: z.number().nullable().optional(),
  error_preview: z.string().nullable().optional(),
  trace_id: z.string().optional(),
  is_root: z.boolean().optional(),
});

export const FieldCutSchema = z.object({
  field: z.string(),
  original_chars: z.number().int(),
  shown_chars: z.number().int(),
});
