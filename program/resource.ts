/** The Pulumi resource class every mailform entry becomes. */
import * as path from "node:path";
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
    /** The entry's place in its stack file (`stacks/prod.yaml:12:5`): the resource's source position. */
    declaredAt?: string,
  ) {
    // `adopt: false` is the default: not stored (every input is kept in state, twice). Whether a
    // replacement deletes first is the provider's call (its diff), by natural key.
    const { adopt, ...rest } = inputs;
    const props = { ...rest, ...(adopt === true ? { adopt } : {}), __provider: providerModule(kind) };
    const restore = sourcePositionAt(declaredAt);
    try {
      super(`pulumi-nodejs:dynamic/${kind}`, name, props, opts);
    } finally {
      restore();
    }
  }
}

/**
 * Makes the stack-file entry the source position (and the whole stack trace) the SDK records for
 * the resource registered meanwhile, as Pulumi YAML does for its programs. The SDK finds a
 * resource's position by formatting `new Error().stack` inside Resource's constructor and taking
 * the frames below it; for every mailform resource those are the same generic loop of
 * program/register.ts, which tells a reader nothing and cost about 300 bytes of state per resource
 * (the engine rewrites the whole state at each step). Only that one formatting is changed: its
 * frames up to VendorResource's constructor stay, the rest become the entry's place. Every other
 * error is formatted as before.
 */
function sourcePositionAt(declaredAt: string | undefined): () => void {
  const place = declaredAt && /^(.*):(\d+):(\d+)$/.exec(declaredAt);
  if (!place) return () => {};
  const [, file, line, column] = place;
  const frame = `    at ${file} (${path.resolve(file)}:${line}:${column})`;
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, sites) => {
    const own = sites.findIndex((s) => s.isConstructor() && s.getFunctionName() === VendorResource.name);
    if (own >= 0 && sites[0]?.getFunctionName() === "callsites") {
      return [String(error), ...sites.slice(0, own + 1).map((s) => `    at ${s}`), frame].join("\n");
    }
    return previous ? previous(error, sites) : [String(error), ...sites.map((s) => `    at ${s}`)].join("\n");
  };
  return () => {
    Error.prepareStackTrace = previous;
  };
}

/**
 * Runs `register` with Error.stackTraceLimit 0, and from then on leaves unformatted the stack
 * traces the SDK takes for its promises (unless PULUMI_DEBUG_PROMISE_LEAKS is set, the one time
 * they are read). The SDK gives every resource property and every Output four promises, each with
 * a stack trace formatted (through its source-map support) when the promise is made and read only
 * when PULUMI_DEBUG_PROMISE_LEAKS is set: about 3 ms a resource while registering, a quarter of a
 * no-op preview at 500 resources, and more when the inputs are serialized afterwards. Each
 * resource's source position (above) is kept; errors thrown while registering are messages for
 * users (RunError), not stacks, and every other error keeps its stack.
 */
export function withoutPromiseStackTraces<T>(register: () => T): T {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return register();
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return register();
  } finally {
    Error.stackTraceLimit = limit;
    skipUnreadStackTraces();
  }
}

let skipping = false;
/** The SDK's promise stacks (above) are not formatted: nobody reads them. Every other error is formatted as before. */
function skipUnreadStackTraces(): void {
  if (skipping) return;
  skipping = true;
  const format = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, sites) =>
    sites[0]?.getFunctionName() === "debuggablePromise"
      ? String(error)
      : format
        ? format(error, sites)
        : [String(error), ...sites.map((s) => `    at ${s}`)].join("\n");
}
