// Makes what the npm package ships and a checkout does not need compiled (`npm pack` runs it as
// `prepack`; dist/ stays git-ignored):
// - dist/program.js, providers.js, api.js: engine/build.cjs, as every set-up does;
// - dist/cli.js: the `mailform` command in one file (a checkout runs cli/index.ts through tsx);
// - dist/types/: declarations of the API (package.json "types"), from the same sources.
// package.json "files" says what of the tree goes in the tarball; test/e2e/package.test.ts checks it.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { build } = require("./build.cjs");

async function pack(root) {
  await build(root);
  const esbuild = require(require.resolve("esbuild", { paths: [root] }));
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { cli: "cli/index.ts" },
    outdir: path.join(root, "dist"),
    bundle: true,
    packages: "external",
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "warning",
  });
  const types = path.join(root, "dist", "types");
  fs.rmSync(types, { recursive: true, force: true });
  const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  // prettier-ignore
  execFileSync(process.execPath, [tsc, "api/index.ts", "--declaration", "--emitDeclarationOnly", "--outDir", types, "--rootDir", ".",
    "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "ES2022", "--strict", "--skipLibCheck", "--esModuleInterop",
    "--resolveJsonModule", "--allowImportingTsExtensions", "--types", "node"], { cwd: root, stdio: "inherit" });
}

pack(path.resolve(__dirname, "..")).catch((err) => {
  console.error(`mailform pack: error: ${err.message}`);
  process.exit(1);
});
