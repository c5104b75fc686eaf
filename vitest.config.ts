import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests drive the real Pulumi CLI; each `up` takes seconds.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // GitHub's workflow parser imports its schema JSON without an import attribute, which Node
    // refuses; bundled by vite it loads (test/ci/workflows.test.ts).
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
