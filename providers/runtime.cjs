// Loaded by the serialized provider stub (providers/entry.ts) inside Pulumi's dynamic-provider
// process, which runs plain Node.js: hands over the registry of resource kinds as compiled by
// engine/build.cjs into dist/ (no TypeScript compile at run time; refuses stale output).
module.exports = require("../engine/build.cjs").load(require("node:path").join(__dirname, ".."), "providers");

