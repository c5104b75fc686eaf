// Loaded by the serialized provider stub (providers/entry.ts) inside Pulumi's dynamic-provider
// process, which runs plain Node.js: register tsx so the TypeScript implementation loads without
// a build step, then hand over the registry of resource kinds.
require("tsx/cjs/api").register();

// The engine that started this process is its parent (engine/pulumi-resource-pulumi-nodejs execs
// node). When the engine is killed, the parent changes: stop at once rather than go on changing
// vendor accounts for a run nobody will record.
const engine = process.ppid;
setInterval(() => {
  if (process.ppid !== engine) process.exit(70);
}, 250).unref();

module.exports = require("./registry.ts");
