import { defaultText } from "./config.js";
import { SETTINGS, type BundleOption, type Setting, type SettingSection } from "./settings.js";

/**
 * What the settings table writes outside the program: manifest.json's user_config and
 * server.mcp_config.env (scripts/update-manifest.mjs) and README's settings tables
 * (scripts/update-readme.mjs). Both scripts have a --check mode, and settings.test.ts fails
 * when either file is stale.
 */

/** One manifest.json user_config entry, in the MCP bundle (mcpb 0.3) format. */
export interface BundleUserConfigOption {
  type: "string" | "number" | "boolean";
  title: string;
  description: string;
  sensitive?: boolean;
  default?: string | number | boolean;
  min?: number;
  max?: number;
  required: boolean;
}

function bundled(): Array<Setting & { bundle: BundleOption }> {
  return (SETTINGS as readonly Setting[]).filter((row): row is Setting & { bundle: BundleOption } => row.bundle !== undefined);
}

/** The value Claude Desktop passes when the user leaves the field alone. */
function bundleDefault(row: Setting): string | number | boolean {
  // An unset optional value without a default would reach the server as "${user_config.x}";
  // an empty string is read as unset, so a derived default stays derived by the server.
  if (row.default === undefined || typeof row.default === "function") return "";
  if (Array.isArray(row.default)) return row.default.join(",");
  return row.default as string | number | boolean;
}

/** manifest.json `user_config`: the settings Claude Desktop asks for, in table order. */
export function bundleUserConfig(): Record<string, BundleUserConfigOption> {
  const entries = bundled().map((row): [string, BundleUserConfigOption] => {
    const { id, title, description, sensitive, required = false, min, max } = row.bundle;
    const type = row.kind === "boolean" ? "boolean" : row.kind === "number" ? "number" : "string";
    return [
      id,
      {
        type,
        title,
        description,
        ...(sensitive !== undefined && { sensitive }),
        ...(!required && { default: bundleDefault(row) }),
        ...(min !== undefined && { min }),
        ...(max !== undefined && { max }),
        required,
      },
    ];
  });
  return Object.fromEntries(entries);
}

/** manifest.json `server.mcp_config.env`: each asked-for setting into its environment variable. */
export function bundleEnv(): Record<string, string> {
  return Object.fromEntries(bundled().map((row) => [row.env, `\${user_config.${row.bundle.id}}`]));
}

/** README's settings tables, each between `<!-- settings:<name>:start -->` and `<!-- settings:<name>:end -->`. */
export const README_TABLES: Readonly<Record<string, readonly SettingSection[]>> = {
  main: ["langsmith", "server"],
  http: ["http"],
};

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** A Markdown table of the settings in these sections: flag, variable, default, meaning. */
export function readmeTable(sections: readonly SettingSection[]): string {
  const rows = SETTINGS.filter((row) => sections.includes(row.section)).map((row) => {
    const fallback = defaultText(row);
    const shown = fallback === undefined ? "none" : row.defaultText === undefined && row.kind !== "boolean" ? `\`${fallback}\`` : fallback;
    return `| \`${row.flag}\` | \`${row.env}\` | ${cell(shown)} | ${cell(row.details ?? row.help)} |`;
  });
  return ["| flag | variable | default | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

/** README with every settings table regenerated; throws when a marker pair is missing. */
export function renderReadme(readme: string): string {
  let text = readme;
  for (const [name, sections] of Object.entries(README_TABLES)) {
    const start = `<!-- settings:${name}:start -->`;
    const end = `<!-- settings:${name}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md lacks the markers ${start} … ${end}`);
    text =
      `${text.slice(0, from + start.length)}\n<!-- generated from src/settings.ts by npm run readme; do not edit ` +
      `-->\n${readmeTable(sections)}\n${text.slice(to)}`;
  }
  return text;
}
