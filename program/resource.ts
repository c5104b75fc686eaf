/** The Pulumi resource class every mailform entry becomes. */
import * as pulumi from "@pulumi/pulumi";
import { thinProvider } from "../providers/entry";

/** One provider stub per kind, so each is serialized once per program run. */
const stubs = new Map<string, pulumi.dynamic.ResourceProvider>();

export class VendorResource extends pulumi.dynamic.Resource {
  constructor(
    kind: string, // `<module>:<type>`, e.g. `mailtrap:Project`
    name: string,
    inputs: Record<string, pulumi.Input<unknown>>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    if (!stubs.has(kind)) stubs.set(kind, thinProvider(kind));
    const [module, type] = kind.split(":");
    // An adopting entry must delete before it replaces: created first, the replacement would find
    // the object being replaced under the same natural key, adopt it, and then delete it.
    const adopting = inputs.adopt === true;
    // `adopt: false` is the default: not stored (every input is kept in state, twice).
    const { adopt, ...rest } = inputs;
    super(stubs.get(kind)!, name, adopting ? { ...rest, adopt } : rest, adopting ? { ...opts, deleteBeforeReplace: true } : opts, module, type);
  }
}
