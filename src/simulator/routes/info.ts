/**
 * `GET /info`: the server description the official SDKs fetch once per client (batching
 * limits, feature flags). Like LangSmith, it answers without an API key.
 */
import { json, type Reply } from "../http.js";
import { aliased, type Route } from "../router.js";
import { V1_PREFIXES } from "./sessions.js";

const INFO = {
  version: "0.10.112",
  license_expiration_time: null,
  batch_ingest_config: {
    use_multipart_endpoint: true,
    scale_up_qsize_trigger: 1000,
    scale_up_nthreads_limit: 16,
    scale_down_nempty_trigger: 4,
    size_limit: 100,
    size_limit_bytes: 20_971_520,
  },
  instance_flags: {
    generate_ai_query_enabled: true,
    org_creation_disabled: false,
    show_ttl_ui: true,
    trace_tier_duration_days: { longlived: 400, shortlived: 14 },
    search_enabled: true,
    workspace_scope_org_invites: false,
    s3_storage_enabled: true,
    zstd_compression_enabled: true,
    dataset_examples_multipart_enabled: true,
    examples_multipart_enabled: true,
  },
  customer_info: null,
} as const;

function infoHandler(): Reply {
  return json(INFO);
}

export const infoRoutes: Route[] = aliased(V1_PREFIXES, { method: "GET", path: "/info", auth: false, handler: infoHandler });
