/**
 * The benchmarks run under tsx, outside vitest, and share the end-to-end tests' helpers: none of
 * them may reach a module that loads vitest (which refuses to load outside its runner, so the
 * benchmark would die at start-up; it happened once when an assertion moved into project.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const benches = fs.readdirSync(path.join(root, "bench")).filter((f) => f.endsWith(".ts")).map((f) => path.join("bench", f));

describe("benchmarks load outside vitest", () => {
  it("finds the benchmarks", () => expect(benches.length).toBeGreaterThan(5));

  it.each(benches)("%s reaches no module that imports vitest", async (entry) => {
    const result = await build({ entryPoints: [path.join(root, entry)], bundle: true, platform: "node", packages: "external", write: false, metafile: true, logLevel: "silent" });
    const importers = Object.entries(result.metafile.inputs)
      .filter(([, input]) => input.imports.some((i) => i.path === "vitest" || i.path.startsWith("vitest/")))
      .map(([file]) => file);
    expect(importers).toEqual([]);
  });
});
