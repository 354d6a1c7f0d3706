import { UserInputError } from "../errors.js";
import { isLangSmithApiError, isUuid, type LangSmithClient, type Project } from "../langsmith/index.js";

export interface ResolvedProject {
  id: string;
  name: string;
  reference_dataset_id: string | null;
  start_time: string | null;
}


/** Cached resolutions live briefly: long enough for an agent paging through one query. */
const CACHE_TTL_MS = 60_000;

/**
 * Turns what an agent calls a project (its name, or its id) into the project's id and name.
 * Unknown names get suggestions from a substring search, so the agent can correct itself.
 */
export class ProjectResolver {
  private readonly cache = new Map<string, { project: ResolvedProject; at: number }>();

  constructor(
    private readonly client: LangSmithClient,
    private readonly now: () => number = Date.now,
  ) {}

  async resolve(reference: string, field = "project", signal?: AbortSignal): Promise<ResolvedProject> {
    const key = reference.trim();
    if (!key) throw new UserInputError(field, "is empty.", "Give a project name (e.g. \"checkout-bot\") or id; list_projects shows them.");
    const cached = this.cache.get(key);
    if (cached && this.now() - cached.at < CACHE_TTL_MS) return cached.project;

    const project = isUuid(key) ? await this.byId(key, field, signal) : await this.byName(key, field, signal);
    this.cache.set(key, { project, at: this.now() });
    return project;
  }

  private async byId(id: string, field: string, signal?: AbortSignal): Promise<ResolvedProject> {
    try {
      return toResolved(await this.client.getProject(id, {}, signal));
    } catch (error) {
      if (isLangSmithApiError(error) && error.status === 404) {
        throw new UserInputError(field, `no project with id ${id} in this workspace.`, "Check the id, or call list_projects to see the projects this API key can read.");
      }
      throw error;
    }
  }

  private async byName(name: string, field: string, signal?: AbortSignal): Promise<ResolvedProject> {
    const exact = await this.client.listProjects({ name, limit: 1 }, signal);
    if (exact[0]) return toResolved(exact[0]);
    const similar = await this.client.listProjects({ nameContains: name.slice(0, 40), limit: 5 }, signal);
    const suggestion = similar.length
      ? ` Similar names: ${similar.map((p) => `"${p.name}"`).join(", ")}.`
      : "";
    throw new UserInputError(
      field,
      `no project named "${name}" in this workspace.${suggestion}`,
      "Names are exact and case-sensitive; call list_projects with name_contains to search.",
    );
  }
}

function toResolved(project: Project): ResolvedProject {
  return {
    id: project.id,
    name: project.name,
    reference_dataset_id: project.reference_dataset_id ?? null,
    start_time: project.start_time ?? null,
  };
}
