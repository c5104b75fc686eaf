// The entry point the engine runs (package.json "main"): the program as compiled by
// engine/build.cjs into dist/ (no TypeScript compile at run time; refuses stale output). Required
// from here, not through load(): every frame on this stack is stored with each resource.
const root = require("node:path").join(__dirname, "..");
require("../engine/build.cjs").assertCurrent(root, "program");
module.exports = require("../dist/program.js");
