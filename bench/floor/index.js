// The engine's floor: a Pulumi program whose dynamic provider does nothing but hand back an id,
// registering the resources listed in floor.json (type token, name, parent, inputs). Plain
// JavaScript, so nothing but the engine and the SDK is measured.
//
// The cheapest program the engine can run, so that the comparison measures what mailform adds
// and not what it avoids: it registers with Error.stackTraceLimit 0 and leaves the SDK's
// per-promise stack traces (read only when debugging promise leaks) unformatted afterwards, as
// mailform's program does; it stores no source position or stack trace per resource (mailform
// stores one frame, the entry's place in the stack file, by the same means); and it stores a
// one-line provider module instead of a closure serialized by the SDK.
const pulumi = require("@pulumi/pulumi");

const PROVIDER = 'exports.handler=()=>({create:async(i)=>({id:require("crypto").randomUUID(),outs:i})});';

const format = Error.prepareStackTrace;
// The SDK takes a resource's position (`callsites`) and each promise's stack (`debuggablePromise`)
// by formatting a new Error's stack: with no frames, nothing is stored or formatted.
Error.prepareStackTrace = (e, sites) =>
  ["callsites", "debuggablePromise"].includes(sites[0]?.getFunctionName()) ? String(e) : format ? format(e, sites) : String(e);
const limit = Error.stackTraceLimit;
Error.stackTraceLimit = 0;
const made = new Map();
for (const r of require(require("path").resolve("floor.json"))) {
  const opts = r.parent ? { parent: made.get(r.parent) } : undefined;
  const props = { ...r.inputs, __provider: PROVIDER };
  made.set(r.name, new pulumi.CustomResource(`pulumi-nodejs:dynamic/${r.module}:${r.type}`, r.name, props, opts));
}
Error.stackTraceLimit = limit;
