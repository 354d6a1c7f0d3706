/**
 * `GET /info`: the server description the official SDKs fetch once per client (batching
 * limits, feature flags) and its `version`, which the simulator takes from its config
 * (`langsmithVersion`) so clients can be tried against older installs. Like LangSmith, it
 * answers without an API key.
 */
import { json, type Reply } from "../http.js";
import { aliased, type RequestContext, type Route } from "../router.js";
import { V1_PREFIXES } from "./sessions.js";

export const DEFAULT_LANGSMITH_VERSION = "0.16.2";
/** The first LangSmith release with the v2 API (`/api/v2/runs/query` and friends). */
export const FIRST_V2_VERSION = "0.16.0";

/** Compares dotted numeric versions ("0.16.2" vs "0.9.1"); missing parts count as 0, a suffix after digits is ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string): number[] => v.split(".").map((p) => Number.parseInt(p, 10) || 0);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export const hasV2Api = (version: string): boolean => compareVersions(version, FIRST_V2_VERSION) >= 0;

/** A version string /_sim/config and the CLI accept: digits and dots, e.g. 0.15.3. */
export const isVersion = (v: unknown): v is string => typeof v === "string" && /^\d+(\.\d+){0,3}$/.test(v);

const INFO = {
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

function infoHandler(ctx: RequestContext): Reply {
  return json({ ...INFO, version: ctx.sim.config.langsmithVersion });
}

export const infoRoutes: Route[] = aliased(V1_PREFIXES, { method: "GET", path: "/info", auth: false, handler: infoHandler });
