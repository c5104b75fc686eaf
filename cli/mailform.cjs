#!/usr/bin/env node
// The package's `mailform` bin. Installed from npm, it runs the CLI compiled at pack time
// (dist/cli.js, by engine/pack.cjs; the package ships no TypeScript); in a checkout, where
// cli/index.ts sits beside it, it runs the sources through tsx, so an edit needs no build.
const fs = require("node:fs");
const path = require("node:path");

const source = path.join(__dirname, "index.ts");
let cli;
if (fs.existsSync(source)) {
  require("tsx/cjs");
  cli = require(source);
} else {
  cli = require("../dist/cli.js");
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  },
);
