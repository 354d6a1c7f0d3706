import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // e2e suites spawn processes and bind ports; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // The views' HTML (src/apps/views/) is built, not committed: built here when stale.
    globalSetup: ["test/support/views-setup.ts"],
  },
});
