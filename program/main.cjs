// The entry point the engine runs (package.json "main"): the program as compiled by
// engine/build.cjs into dist/ (no TypeScript compile at run time; refuses stale output).
module.exports = require("../engine/build.cjs").load(require("node:path").join(__dirname, ".."), "program");
