import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests drive the real Pulumi CLI; each `up` takes seconds.
    testTimeout: 180_000,
    // Files run side by side: most of an e2e file's time is spent waiting on the engine and the
    // emulators' windows, not on this process, so three at once fit two cores (vitest's default
    // there is one at a time).
    maxWorkers: 3,
    minWorkers: 1,
    hookTimeout: 180_000,
    // GitHub's workflow parser imports its schema JSON without an import attribute, which Node
    // refuses; bundled by vite it loads (test/ci/workflows.test.ts).
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
