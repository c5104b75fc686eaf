// Loaded by the serialized provider stub (providers/entry.ts) inside Pulumi's dynamic-provider
// process, which runs plain Node.js: hands over the registry of resource kinds as compiled by
// engine/build.cjs into dist/ (no TypeScript compile at run time; refuses stale output).
// First, in that process only, the engine watchdog (providers/watchdog.cjs): the provider exits
// when the engine that started it is gone, whichever launcher ran it.
const watchdog = require("./watchdog.cjs");
const engine = watchdog.engineAddress();
if (engine) watchdog.watchEngine(engine);
module.exports = require("../engine/build.cjs").load(require("node:path").join(__dirname, ".."), "providers");
