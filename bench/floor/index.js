// The engine's floor: a Pulumi program whose dynamic provider does nothing but hand back an id,
// registering the resources listed in floor.json (type token, name, parent, inputs). Plain
// JavaScript, so nothing but the engine and the SDK is measured.
const pulumi = require("@pulumi/pulumi");

const provider = {
  async create(inputs) {
    return { id: require("crypto").randomUUID(), outs: inputs };
  },
};

const made = new Map();
for (const r of require(require("path").resolve("floor.json"))) {
  const opts = r.parent ? { parent: made.get(r.parent) } : undefined;
  made.set(r.name, new pulumi.dynamic.Resource(provider, r.name, { ...r.inputs }, opts, r.module, r.type));
}
