// Preloaded by test/config/cli.test.ts: when the process exits, writes the file of every module it
// loaded (one per line) to the file named by MAILFORM_LOADED_MODULES.
const fs = require("node:fs");
const Module = require("node:module");

const loaded = new Set();
const load = Module._load;
Module._load = function (request, parent, isMain) {
  try {
    loaded.add(Module._resolveFilename(request, parent, isMain));
  } catch {
    // not a file (a builtin the resolver refuses, or a load that fails and reports itself)
  }
  return load.call(this, request, parent, isMain);
};
process.on("exit", () => {
  for (const file of Object.keys(require.cache)) loaded.add(file);
  fs.writeFileSync(process.env.MAILFORM_LOADED_MODULES, [...loaded].join("\n"));
});
