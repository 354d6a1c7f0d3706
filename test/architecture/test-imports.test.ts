import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { relativeImports, sourceFiles } from "./import-graph.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TEST = fileURLToPath(new URL("../", import.meta.url));
const BENCH = fileURLToPath(new URL("../../bench/", import.meta.url));

describe("the test harness stands below the benchmarks", () => {
  const files = sourceFiles(TEST, { tests: true });

  it("no file under test/ imports from bench/ (benchmarks use test/support, not the other way round)", () => {
    const offending = files.flatMap((file) =>
      relativeImports(file)
        .filter((target) => target.startsWith(BENCH))
        .map((target) => `${relative(ROOT, file)} → ${relative(ROOT, target)}`),
    );
    expect(offending).toEqual([]);
  });

  it("reads the imports it checks (the reader is not blind)", () => {
    expect(files.length).toBeGreaterThan(50);
    const harness = files.find((file) => file.endsWith("http-load.ts"))!;
    expect(relativeImports(harness).map((target) => relative(ROOT, target))).toContain("test/support/http-stack.ts");
  });
});
