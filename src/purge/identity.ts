/**
 * Which LangSmith identity a caller is, so a purge record is shown only to callers of the
 * workspace that made it. Over HTTP each request may bring its own key; the ledger is shared.
 *
 * LangSmith's published API has no "who am I" route in the description this project vendors,
 * but every project (tracing session) it lists carries its workspace's `tenant_id` (contract
 * §2, `GET /api/v1/sessions`), and a key only lists its own workspace's projects. So the
 * identity is the endpoint's origin plus that tenant id; a workspace with no project yet falls
 * back to the configured `X-Tenant-Id`, then to the key's fingerprint. The key itself is never
 * stored: only a sha256 fingerprint of it, for the evidence report.
 */
import { UserInputError } from "../errors.js";
import type { LangSmithClient } from "../langsmith/index.js";
import type { PurgeOwner } from "../ledger/index.js";

export type IdentityClient = Pick<LangSmithClient, "listProjects" | "endpoint" | "keyFingerprint" | "configuredWorkspaceId">;

export interface Identity extends PurgeOwner {
  /** The workspace (tenant) id, when LangSmith or the configuration named it. */
  workspace_id: string | null;
  /** How the workspace was learnt, for the report. */
  source: "langsmith" | "configured" | "key";
}

const cache = new WeakMap<object, Promise<Identity>>();

/** The caller's identity, asked of LangSmith once per client (one `GET /api/v1/sessions?limit=1`). */
export function resolveIdentity(client: IdentityClient, signal?: AbortSignal): Promise<Identity> {
  let pending = cache.get(client);
  if (!pending) {
    pending = lookUp(client, signal);
    cache.set(client, pending);
    // A failure (a bad key, LangSmith down) is not remembered: the next call asks again.
    pending.catch(() => cache.delete(client));
  }
  return pending;
}

async function lookUp(client: IdentityClient, signal?: AbortSignal): Promise<Identity> {
  const origin = new URL(client.endpoint).origin;
  let projects: Awaited<ReturnType<IdentityClient["listProjects"]>>;
  try {
    projects = await client.listProjects({ limit: 1 }, signal);
  } catch (error) {
    throw new UserInputError(
      undefined,
      `cannot tell which LangSmith workspace this API key belongs to (${error instanceof Error ? error.message : String(error)}), and ` +
        `purge records are shown only to callers of the workspace that made them.`,
      "Use a valid LangSmith API key of that workspace (Settings → API Keys).",
    );
  }
  const tenant = projects[0]?.tenant_id ?? undefined;
  const workspace = tenant ?? client.configuredWorkspaceId ?? null;
  const source = tenant ? "langsmith" : client.configuredWorkspaceId ? "configured" : "key";
  const scope = workspace ? `${origin}|workspace:${workspace}` : `${origin}|key:${client.keyFingerprint}`;
  return { scope, key_fingerprint: client.keyFingerprint, workspace_id: workspace, source };
}

/**
 * Whether a recorded purge belongs to `identity`. Purges recorded before identities (schema 1,
 * no scope) belong to callers of the same endpoint origin (the ledger lists them the same way).
 */
export function owns(identity: Identity, purge: { scope: string | null; endpoint: string }): boolean {
  if (purge.scope !== null) return purge.scope === identity.scope;
  return identity.scope.split("|")[0] === new URL(purge.endpoint).origin;
}
