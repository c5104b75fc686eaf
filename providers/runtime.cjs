// Loaded by the serialized provider stub (providers/entry.ts) inside Pulumi's dynamic-provider
// process, which runs plain Node.js: register tsx so the TypeScript implementation loads without
// a build step, then hand over the registry of resource kinds.
require("tsx/cjs/api").register();
module.exports = require("./registry.ts");
