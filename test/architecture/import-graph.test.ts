import { describe, expect, it } from "vitest";
import { cycles, importGraph } from "./import-graph.js";

describe("dependency direction between the top-level parts of src/", () => {
  const graph = importGraph();

  it("has no cycle (a folder or a root file is one part)", () => {
    const found = cycles(graph).map((ring) => ring.join(" → "));
    expect(found, `cycles:\n${found.join("\n")}`).toEqual([]);
  });

  it("keeps the domain below the transports: langsmith, filter, diagnosis and ledger import neither tools, http nor server", () => {
    for (const part of ["langsmith", "filter", "diagnosis", "ledger"]) {
      const edges = [...(graph.get(part) ?? [])];
      expect(
        edges.filter((to) => ["tools", "http", "server", "main"].includes(to)),
        part,
      ).toEqual([]);
    }
  });

  it("finds the graph it checks (the reader is not blind)", () => {
    expect(graph.get("server")).toContain("tools");
    expect(graph.get("tools")).toContain("langsmith");
  });
});
