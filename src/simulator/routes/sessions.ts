/**
 * Projects (tracing sessions), contract §2. Served under `/api/v1` and, as the official SDKs
 * call it with a bare API URL, without the prefix.
 */
import { isUuid, json, v1Error, v1Validation, type Reply } from "../http.js";
import { aliased, type RequestContext, type Route } from "../router.js";
import { toSession } from "../views.js";
import { boolParam, intParam } from "./v1-params.js";

export const V1_PREFIXES = ["/api/v1", ""] as const;

export const sessionsRoutes: Route[] = [
  ...aliased(V1_PREFIXES, { method: "GET", path: "/sessions", auth: true, handler: listSessions }),
  ...aliased(V1_PREFIXES, { method: "GET", path: "/sessions/:session_id", auth: true, handler: getSession }),
];

function listSessions(ctx: RequestContext): Reply {
  const { query } = ctx;
  const limit = intParam(query, "limit", 100, 1, 100);
  const offset = intParam(query, "offset", 0, 0);
  const includeStats = boolParam(query, "include_stats") ?? false;
  const name = query.get("name");
  const nameContains = query.get("name_contains");
  const ids = query.getAll("id");
  for (const id of ids) {
    if (!isUuid(id)) throw v1Validation({ loc: ["query", "id"], msg: "Input should be a valid UUID", type: "uuid_parsing" });
  }
  const dataset = query.get("reference_dataset");
  const referenceFree = boolParam(query, "reference_free");

  const store = ctx.sim.store;
  const matching = store
    .projectsOfTenant(ctx.tenantId)
    .filter((p) => name === null || p.name === name)
    .filter((p) => nameContains === null || p.name.toLowerCase().includes(nameContains.toLowerCase()))
    .filter((p) => ids.length === 0 || ids.includes(p.id))
    .filter((p) => dataset === null || p.reference_dataset_id === dataset)
    .filter((p) => referenceFree === undefined || (p.reference_dataset_id === null) === referenceFree)
    // Newest first, LangSmith's default ordering of the projects list.
    .sort((a, b) => b.start_time - a.start_time || (a.id < b.id ? -1 : 1));
  const page = matching.slice(offset, offset + limit);
  return json(page.map((p) => toSession(p, includeStats ? store.projectStats(p.id) : null)));
}

function getSession(ctx: RequestContext): Reply {
  const id = ctx.params["session_id"] ?? "";
  if (!isUuid(id)) throw v1Validation({ loc: ["path", "session_id"], msg: "Input should be a valid UUID", type: "uuid_parsing" });
  const includeStats = boolParam(ctx.query, "include_stats") ?? false;
  const project = ctx.sim.store.project(id.toLowerCase());
  if (!project || project.tenant_id !== ctx.tenantId) throw v1Error(404, "Session not found");
  return json(toSession(project, includeStats ? ctx.sim.store.projectStats(project.id) : null));
}
