// The engine's floor: a Pulumi program whose dynamic provider does nothing but hand back an id,
// registering the resources listed in floor.json (type token, name, parent, inputs). Plain
// JavaScript, so nothing but the engine and the SDK is measured.
//
// Lean, so that the comparison measures what mailform adds and not what it avoids: like
// mailform's program it registers with Error.stackTraceLimit 0 and leaves the SDK's per-promise
// stack traces (read only when debugging promise leaks) unformatted afterwards, and it stores a
// one-line provider module instead of a closure serialized by the SDK.
const pulumi = require("@pulumi/pulumi");

const PROVIDER = 'exports.handler=()=>({create:async(i)=>({id:require("crypto").randomUUID(),outs:i})});';

const limit = Error.stackTraceLimit;
Error.stackTraceLimit = 0;
const made = new Map();
for (const r of require(require("path").resolve("floor.json"))) {
  const opts = r.parent ? { parent: made.get(r.parent) } : undefined;
  const props = { ...r.inputs, __provider: PROVIDER };
  made.set(r.name, new pulumi.CustomResource(`pulumi-nodejs:dynamic/${r.module}:${r.type}`, r.name, props, opts));
}
Error.stackTraceLimit = limit;
const format = Error.prepareStackTrace;
Error.prepareStackTrace = (e, sites) => (sites[0]?.getFunctionName() === "debuggablePromise" ? String(e) : format ? format(e, sites) : String(e));
