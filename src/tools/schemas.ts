import { z } from "zod";

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
