// Loaded by the serialized provider stub (providers/entry.ts) inside Pulumi's dynamic-provider
// process, which runs plain Node.js: hands over the registry of resource kinds as compiled by
// engine/build.cjs into dist/ (no TypeScript compile at run time; refuses stale output).
module.exports = require("../engine/build.cjs").load(require("node:path").join(__dirname, ".."), "providers");

// The engine that started this process is its parent (engine/pulumi-resource-pulumi-nodejs execs
// node). When the engine is killed, the parent changes: stop at once rather than go on changing
// vendor accounts for a run nobody will record.
const engine = process.ppid;
setInterval(() => {
  if (process.ppid !== engine) process.exit(70);
}, 250).unref();
