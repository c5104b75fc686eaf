/** The Pulumi resource class every mailform entry becomes. */
import * as pulumi from "@pulumi/pulumi";
import { providerModule } from "../providers/entry";

/**
 * A dynamic resource (type `pulumi-nodejs:dynamic/<module>:<type>`, served by the engine's
 * dynamic-provider process) whose `__provider` is mailform's one-line loader (providers/entry.ts),
 * registered the way `pulumi.dynamic.Resource` registers one, without serializing a closure.
 */
export class VendorResource extends pulumi.CustomResource {
  constructor(
    kind: string, // `<module>:<type>`, e.g. `mailtrap:Project`
    name: string,
    inputs: Record<string, pulumi.Input<unknown>>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    // `adopt: false` is the default: not stored (every input is kept in state, twice). Whether a
    // replacement deletes first is the provider's call (its diff), by natural key.
    const { adopt, ...rest } = inputs;
    const props = { ...rest, ...(adopt === true ? { adopt } : {}), __provider: providerModule(kind) };
    super(`pulumi-nodejs:dynamic/${kind}`, name, props, opts);
  }
}

/**
 * Runs `register` with Error.stackTraceLimit 0 (unless PULUMI_DEBUG_PROMISE_LEAKS is set). The SDK
 * gives every resource property and every Output four promises, each with a stack trace formatted
 * (through its source-map support) when the promise is made and read only when
 * PULUMI_DEBUG_PROMISE_LEAKS is set: about 3 ms a resource, a quarter of a no-op preview at 500
 * resources. Each resource's source position, which the SDK captures with a limit of its own, is
 * kept; errors thrown meanwhile are messages for users (RunError), not stacks.
 */
export function withoutPromiseStackTraces<T>(register: () => T): T {
  const limit = Error.stackTraceLimit;
  if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
  try {
    return register();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
