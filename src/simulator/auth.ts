/**
 * API-key authentication and workspace (tenant) scoping, as LangSmith's gateway applies it:
 * a workspace-scoped key sees its own workspace; an org-scoped key must name the workspace
 * in `X-Tenant-Id`. Error bodies never echo the key.
 */
import type { IncomingHttpHeaders } from "node:http";
import { HttpError, json } from "./http.js";
import type { SimStore } from "./store.js";

export interface Principal {
  apiKey: string;
  tenantId: string;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export function authenticate(headers: IncomingHttpHeaders, store: SimStore): Principal {
  const apiKey = header(headers, "x-api-key")?.trim();
  const requestedTenant = header(headers, "x-tenant-id")?.trim() || undefined;
  if (apiKey && apiKey === store.apiKey) {
    const own = store.defaultWorkspace.id;
    if (requestedTenant !== undefined && requestedTenant !== own) throw forbidden();
    return { apiKey, tenantId: own };
  }
  if (apiKey && apiKey === store.orgApiKey) {
    if (requestedTenant === undefined) throw new HttpError(json({ error: "org_scoped_key_requires_workspace" }, 403));
    const workspace = store.workspace(requestedTenant);
    if (!workspace || workspace.organization_id !== store.organization.id) throw forbidden();
    return { apiKey, tenantId: workspace.id };
  }
  throw new HttpError(json({ detail: "Invalid token" }, 401));
}

const forbidden = (): HttpError => new HttpError(json({ detail: "Forbidden" }, 403));
