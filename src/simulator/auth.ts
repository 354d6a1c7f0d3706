/**
 * API-key authentication and workspace (tenant) scoping, as LangSmith's gateway applies it:
 * a workspace-scoped key sees its own workspace; an org-scoped key must name the workspace
 * in `X-Tenant-Id`. A read-only workspace key reads everything but lacks WORKSPACES_MANAGE,
 * which managing bulk export destinations and exports requires (seed 001). Error bodies never
 * echo the key.
 */
import type { IncomingHttpHeaders } from "node:http";
import { HttpError, json } from "./http.js";
import type { SimStore } from "./store.js";

/** The permissions the simulator checks; every other route only needs a valid key. */
export type Permission = "WORKSPACES_MANAGE";
const ALL_PERMISSIONS: ReadonlySet<Permission> = new Set(["WORKSPACES_MANAGE"]);
const READ_ONLY: ReadonlySet<Permission> = new Set();

export interface Principal {
  apiKey: string;
  tenantId: string;
  permissions: ReadonlySet<Permission>;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export function authenticate(
  headers: IncomingHttpHeaders,
  store: SimStore,
  readOnlyApiKey?: string,
  secondWorkspaceApiKey?: string,
): Principal {
  const apiKey = header(headers, "x-api-key")?.trim();
  const requestedTenant = header(headers, "x-tenant-id")?.trim() || undefined;
  if (apiKey && (apiKey === store.apiKey || apiKey === readOnlyApiKey)) {
    const own = store.defaultWorkspace.id;
    if (requestedTenant !== undefined && requestedTenant !== own) throw forbidden();
    return { apiKey, tenantId: own, permissions: apiKey === store.apiKey ? ALL_PERMISSIONS : READ_ONLY };
  }
  if (apiKey && secondWorkspaceApiKey && apiKey === secondWorkspaceApiKey) {
    const own = store.workspaces[1]!.id;
    if (requestedTenant !== undefined && requestedTenant !== own) throw forbidden();
    return { apiKey, tenantId: own, permissions: ALL_PERMISSIONS };
  }
  if (apiKey && apiKey === store.orgApiKey) {
    if (requestedTenant === undefined) throw new HttpError(json({ error: "org_scoped_key_requires_workspace" }, 403));
    const workspace = store.workspace(requestedTenant);
    if (!workspace || workspace.organization_id !== store.organization.id) throw forbidden();
    return { apiKey, tenantId: workspace.id, permissions: ALL_PERMISSIONS };
  }
  throw new HttpError(json({ detail: "Invalid token" }, 401));
}

/** 403 unless the caller holds the permission; LangSmith names the missing permission. */
export function requirePermission(principal: Principal | null, permission: Permission): void {
  if (!principal?.permissions.has(permission)) {
    throw new HttpError(json({ detail: `Forbidden: this API key lacks the ${permission} permission required for this operation` }, 403));
  }
}

const forbidden = (): HttpError => new HttpError(json({ detail: "Forbidden" }, 403));
