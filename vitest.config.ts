import * as path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    {
      // The kinds load their vendor clients lazily with `require` (providers/clients.ts), which
      // vitest's module graph does not reach: in tests, the clients are imported up front.
      name: "vendor-clients-up-front",
      enforce: "pre",
      resolveId(source: string, importer: string | undefined) {
        if (importer && path.resolve(path.dirname(importer), source) === path.join(__dirname, "providers", "clients"))
          return path.join(__dirname, "test", "support", "clients.ts");
        return undefined;
      },
    },
  ],
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
