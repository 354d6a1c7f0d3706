/**
 * One regular expression that matches where any of `parts` matches: the parts' sources joined
 * with `|` under `flags`. Lets a long alternation of error wordings be written one family of
 * phrasings per line; each part must be a whole alternative (no `|` split inside a group).
 */
export function anyOf(flags: string, ...parts: readonly RegExp[]): RegExp {
  return new RegExp(parts.map((part) => part.source).join("|"), flags);
}
