import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { relativeImports, sourceFiles } from "./import-graph.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TEST = fileURLToPath(new URL("../", import.meta.url));
const BENCH = fileURLToPath(new URL("../../bench/", import.meta.url));
const DEMO = fileURLToPath(new URL("../../demo/", import.meta.url));
const STDIO_HARNESS = fileURLToPath(new URL("../support/stdio.ts", import.meta.url));

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

describe("benchmarks and the demo start servers through the one stdio harness (issue 15)", () => {
  const files = [...sourceFiles(BENCH), ...sourceFiles(DEMO)];

  it("no file under bench/ or demo/ builds its own StdioClientTransport", () => {
    const own = files.filter((file) => /\bnew StdioClientTransport\b/.test(readFileSync(file, "utf8"))).map((file) => relative(ROOT, file));
    expect(own).toEqual([]);
  });

  it("the demo spawns its server with test/support/stdio.ts", () => {
    const demo = files.find((file) => file.endsWith("demo.ts"))!;
    expect(relativeImports(demo)).toContain(STDIO_HARNESS);
  });
});
