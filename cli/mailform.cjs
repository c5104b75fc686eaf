#!/usr/bin/env node
// The package's `mailform` bin (`npx mailform <command>` in a checkout): runs cli/index.ts through tsx.
require("tsx/cjs");
require("./index.ts").main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  },
);
