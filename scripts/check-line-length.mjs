#!/usr/bin/env node
// Fails when a line of src/ is over 140 characters: Biome's formatter wraps code at that width
// but leaves long strings, regular expressions and comments alone, so this catches those.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const MAX = 140;
const files = execFileSync("git", ["ls-files", "src/**/*.ts", "src/*.ts"], { encoding: "utf8" }).split("\n").filter(Boolean);
const long = [];
for (const file of files) {
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.length > MAX) long.push(`${file}:${i + 1}: ${line.length} characters`);
    });
}
if (long.length > 0) {
  console.error(`${long.length} line(s) in src/ over ${MAX} characters (split the string or regex):\n${long.join("\n")}`);
  process.exit(1);
}
