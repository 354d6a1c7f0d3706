/**
 * The import graph between the top-level parts of src/ (a folder, or a file at src/'s root),
 * read from the source text. Type-only imports count too: a cycle of types is still a cycle of
 * concepts for the next engineer.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

/** The .ts files under `dir`, tests included only when asked for. */
export function sourceFiles(dir: string, options: { tests?: boolean } = {}): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path, options);
    return name.endsWith(".ts") && (options.tests || !name.endsWith(".test.ts")) ? [path] : [];
  });
}

/** The files a source file imports by relative path (static, re-export or dynamic), as absolute .ts paths. */
export function relativeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g)].map((match) =>
    resolve(dirname(file), (match[1] ?? match[2])!.replace(/\.js$/, ".ts")),
  );
}

/** `src/tools/x.ts` → "tools"; `src/config.ts` → "config". */
export function partOf(file: string): string {
  const rel = relative(SRC, file).split(sep);
  return rel.length > 1 ? rel[0]! : rel[0]!.replace(/\.ts$/, "");
}

/** part → the set of parts it imports (itself excluded). */
export function importGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = partOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const target of relativeImports(file)) {
      if (!target.startsWith(SRC)) continue;
      const to = partOf(target);
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Every elementary cycle between parts, each as a path that returns to its start. */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  const found = new Map<string, string[]>();
  const visit = (start: string, node: string, path: string[]): void => {
    for (const next of graph.get(node) ?? []) {
      if (next === start) {
        const ring = [...path];
        const min = ring.indexOf([...ring].sort()[0]!);
        const key = [...ring.slice(min), ...ring.slice(0, min)].join(" → ");
        if (!found.has(key)) found.set(key, [...ring.slice(min), ...ring.slice(0, min), ring[min]!]);
      } else if (!path.includes(next) && path.length < 8) {
        visit(start, next, [...path, next]);
      }
    }
  };
  for (const node of graph.keys()) visit(node, node, [node]);
  return [...found.values()];
}
