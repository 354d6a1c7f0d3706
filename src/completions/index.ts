/**
 * Argument completion (MCP `completion/complete`): suggestions for the values an agent or a
 * person types into a prompt argument or a resource-template variable. The MCP spec offers
 * completion for prompts and resource templates only, not for tool arguments.
 *
 * A completion is a convenience: when LangSmith or the ledger cannot answer, the list is
 * empty rather than an error in the middle of someone typing; the failure goes to the log
 * through the same boundary as a tool's (error-boundary.ts).
 */
import { describeFailure } from "../error-boundary.js";
import type { LangSmithClient } from "../langsmith/index.js";
import type { Ledger } from "../ledger/index.js";
import type { Logger } from "../log.js";
import { resolveIdentity, type IdentityClient } from "../purge/identity.js";

/** The spec caps one completion result at 100 values. */
export const MAX_COMPLETIONS = 100;
/** Project names to suggest per keystroke: a short list is what a picker shows. */
const PROJECT_SUGGESTIONS = 20;

export type Completer = (value: string | undefined) => Promise<string[]>;

/** What completion reads from the ledger: listing only. */
export type PurgeLister = Pick<Ledger, "listPurges">;

/** Project names containing what was typed, via LangSmith's name search. */
export function projectNameCompleter(client: LangSmithClient, log: Logger): Completer {
  return async (value) => {
    const typed = value?.trim() ?? "";
    try {
      const projects = await client.listProjects({
        ...(typed && { nameContains: typed }),
        limit: PROJECT_SUGGESTIONS,
        includeStats: false,
      });
      return projects.map((project) => project.name);
    } catch (error) {
      describeFailure("completion", error, log);
      return [];
    }
  };
}

/** Bulk export ids starting with what was typed, newest first. */
export function exportIdCompleter(client: LangSmithClient, log: Logger): Completer {
  return async (value) => {
    const typed = value?.trim().toLowerCase() ?? "";
    try {
      const exports = await client.listExports();
      return exports
        .slice()
        .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0))
        .map((bulkExport) => bulkExport.id)
        .filter((id) => id.toLowerCase().startsWith(typed))
        .slice(0, MAX_COMPLETIONS);
    } catch (error) {
      describeFailure("completion", error, log);
      return [];
    }
  };
}

/**
 * Purge ids of the deletion ledger starting with what was typed, newest first: only the
 * caller's own (its LangSmith workspace); none when its identity cannot be resolved.
 */
export function purgeIdCompleter(ledger: PurgeLister | undefined, client: IdentityClient, log: Logger): Completer {
  return async (value) => {
    if (!ledger) return [];
    const typed = value?.trim().toLowerCase() ?? "";
    try {
      const { scope } = await resolveIdentity(client);
      return (await ledger.listPurges({ limit: 500, scope }))
        .map((purge) => purge.id)
        .filter((id) => id.toLowerCase().startsWith(typed))
        .slice(0, MAX_COMPLETIONS);
    } catch (error) {
      describeFailure("completion", error, log);
      return [];
    }
  };
}

/** Fixed suggestions (e.g. time windows), filtered by what was typed. */
export function fixedCompleter(values: readonly string[]): Completer {
  return async (value) => {
    const typed = value?.trim().toLowerCase() ?? "";
    return values.filter((candidate) => candidate.toLowerCase().startsWith(typed));
  };
}
