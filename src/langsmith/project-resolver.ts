import { UserInputError } from "../errors.js";
import { editDistance } from "../filter/suggest.js";
import { isLangSmithApiError, isUuid, type LangSmithClient, type Project } from "./index.js";

export interface ResolvedProject {
  id: string;
  name: string;
  reference_dataset_id: string | null;
  start_time: string | null;
}

/** Cached resolutions live briefly: long enough for an agent paging through one query. */
const CACHE_TTL_MS = 60_000;

/** "Did you mean" reads at most this many project names (pages of 100) before giving up. */
const MAX_NAMES_SCANNED = 1_000;
/** A name one or two letters off (ignoring case) is a typo; further off is another project. */
const TYPO_DISTANCE = 2;

/**
 * Turns what an agent calls a project (its name, or its id) into the project's id and name.
 * Unknown names get "did you mean" (a workspace name one or two letters off) and the names
 * containing it, so the agent can correct itself.
 */
export class ProjectResolver {
  private readonly cache = new Map<string, { project: ResolvedProject; at: number }>();

  constructor(
    private readonly client: LangSmithClient,
    private readonly now: () => number = Date.now,
  ) {}

  async resolve(reference: string, field = "project", signal?: AbortSignal): Promise<ResolvedProject> {
    const key = reference.trim();
    if (!key) throw new UserInputError(field, "is empty.", 'Give a project name (e.g. "checkout-bot") or id; list_projects shows them.');
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
        throw new UserInputError(
          field,
          `no project with id ${id} in this workspace.`,
          "Check the id, or call list_projects to see the projects this API key can read.",
        );
      }
      throw error;
    }
  }

  private async byName(name: string, field: string, signal?: AbortSignal): Promise<ResolvedProject> {
    const exact = await this.client.listProjects({ name, limit: 1 }, signal);
    if (exact[0]) return toResolved(exact[0]);
    const typos = nearNames(name, await this.names(signal));
    const similar = (await this.client.listProjects({ nameContains: name.slice(0, 40), limit: 5 }, signal))
      .map((p) => p.name)
      .filter((n) => !typos.includes(n));
    const meant = typos.length ? ` Did you mean ${typos.map((n) => `"${n}"`).join(" or ")}?` : "";
    const others = similar.length
      ? ` ${typos.length ? "Other similar" : "Similar"} names: ${similar.map((n) => `"${n}"`).join(", ")}.`
      : "";
    throw new UserInputError(
      field,
      `no project named "${name}" in this workspace.${meant}${others}`,
      "Names are exact and case-sensitive; call list_projects with name_contains to search.",
    );
  }

  /** The workspace's project names, read page by page up to a cap. */
  private async names(signal?: AbortSignal): Promise<string[]> {
    const names: string[] = [];
    for (let offset = 0; offset < MAX_NAMES_SCANNED; offset += 100) {
      const page = await this.client.listProjects({ limit: 100, offset }, signal);
      names.push(...page.map((p) => p.name));
      if (page.length < 100) break;
    }
    return names;
  }
}

/**
 * Names within two edits of `name` (one for names under eight letters, so "abc" does not
 * suggest every three-letter project), case ignored, nearest first, at most three.
 */
export function nearNames(name: string, names: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const budget = lower.length < 8 ? 1 : TYPO_DISTANCE;
  return [...new Set(names)]
    .map((candidate) => ({ candidate, d: editDistance(lower, candidate.toLowerCase(), budget) }))
    .filter(({ d }) => d <= budget)
    .sort((a, b) => a.d - b.d || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

function toResolved(project: Project): ResolvedProject {
  return {
    id: project.id,
    name: project.name,
    reference_dataset_id: project.reference_dataset_id ?? null,
    start_time: project.start_time ?? null,
  };
}
